"""Generator speed on this machine: the config-f StyleGAN2 synthesis network, forward and
forward+backward, against rosinality's stylegan2-pytorch on the same weights: on a CPU its
pure-PyTorch path (the CUDA extension loading is stubbed out), on a GPU its CUDA extensions
(compiled on first use, which needs nvcc and ninja).

    python bench/generator.py --reference PATH_TO_ROSINALITY_CHECKOUT [--cases 256x1,1024x1]
                              [--reps 5] [--precision fp32|mixed|bf16] [--device cpu|cuda]
                              [--reference-ops native|cuda] [--fresh] [--profile]

Both implementations live in one process and run interleaved (ours, reference, ours, ...),
so that other load on the machine falls on both alike; the table gives the median seconds
of each and the median of the per-pair ratios. Before timing, the two outputs are compared
(max abs difference, fp32). The reference is not part of this project: point the flag at
your own checkout.

--precision mixed runs ours in its 'mixed' precision (the large convolutions in bfloat16)
against the reference in float32, as its users run it; bf16 runs both under autocast.

--fresh adds the older table: each case in a fresh process, with its peak resident memory.
--profile prints torch.profiler's table of our forward pass (by operator and input shape).
"""
import argparse, json, statistics, subprocess, sys, time, types

import cycle_encoding # before torch: its OpenMP wait policy applies
import torch


def build_pair(res:int, reference:str, device='cpu', reference_ops='native'):
    "Our generator at `res` (random weights, non-zero noise strengths) and the reference on the same weights."
    from cycle_encoding.generator import Generator, GeneratorConfig
    from cycle_encoding.checkpoints import native_to_rosinality
    torch.manual_seed(0)
    G = Generator(GeneratorConfig(img_resolution=res)).eval()
    with torch.no_grad():
        for n, p in G.synthesis.named_parameters():
            if n.endswith(('noise_strength', 'bias')): p.add_(torch.randn_like(p) * 0.1)
    G = G.to(device)
    if not reference: return G, None
    if reference_ops == 'native': # its pure-PyTorch path (CPU only); 'cuda' compiles its CUDA ops
        import torch.utils.cpp_extension as ce
        ce.load = lambda *a, **k: types.SimpleNamespace()
    sys.path.insert(0, reference)
    import model
    R = model.Generator(res, G.w_dim, G.cfg.mapping_layers, channel_multiplier=2).eval()
    sd, _ = native_to_rosinality(G.state_dict(), G.cfg)
    R.load_state_dict(sd)
    return G, R.to(device)


def runners(G, R):
    "`{name: ws -> images}` for ours and (when given) the reference, both with the constant noise."
    out = {'ours': lambda ws: G.synthesis(ws, noise_mode='const')}
    if R is not None:
        noise = [getattr(R.noises, f'noise_{i}') for i in range(R.num_layers)]
        out['reference'] = lambda ws: R([ws], input_is_latent=True, noise=noise)[0]
    return out


def _sync():
    if torch.cuda.is_available(): torch.cuda.synchronize()


def timed(f) -> float:
    "Seconds of one call of `f` (on a GPU, until its work is done)."
    _sync()
    t = time.perf_counter()
    f()
    _sync()
    return time.perf_counter() - t


def forward_backward(run, G, ws):
    "A callable: one forward and backward pass of `run` at `ws` (gradients of weights and codes)."
    wsg = ws.clone().requires_grad_()
    def f():
        G.zero_grad(set_to_none=True)
        run(wsg).square().mean().backward()
    return f


def interleaved(runs:dict, models:dict, ws, reps:int, precision:str) -> dict:
    "Per implementation and pass, the list of seconds, the implementations alternating."
    from cycle_encoding.core import autocast
    times = {(k, p): [] for k in runs for p in ('fwd', 'fwdbwd')}
    calls = {}
    for k, run in runs.items():
        mode = 'fp32' if precision == 'mixed' and k == 'reference' else precision
        cast = autocast(mode, ws.device)
        def fwd(run=run, cast=cast):
            with torch.no_grad(), cast: run(ws)
        fb = forward_backward(run, models[k], ws)
        def fwdbwd(fb=fb, cast=cast):
            with cast: fb()
        calls[k, 'fwd'], calls[k, 'fwdbwd'] = fwd, fwdbwd
    for key in calls: calls[key]() # warm-up
    for p in ('fwd', 'fwdbwd'):
        for _ in range(reps):
            for k in runs: times[k, p].append(timed(calls[k, p]))
    return times


def ratio(times:dict, p:str) -> float:
    "Median over the interleaved pairs of reference time / our time."
    return statistics.median(r / o for o, r in zip(times['ours', p], times['reference', p]))


def compare(G, R, ws) -> float:
    "Max abs difference of the two outputs (fp32)."
    with torch.no_grad():
        a = runners(G, R)['ours'](ws)
        b = runners(G, R)['reference'](ws)
    return (a - b).abs().max().item()


def profile(G, ws, rows:int=20):
    "torch.profiler's tables of our forward pass, by operator and by operator and input shape."
    from torch.profiler import profile as prof, ProfilerActivity
    with torch.no_grad():
        G.synthesis(ws)
        with prof(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
            G.synthesis(ws)
    print(p.key_averages().table(sort_by='self_cpu_time_total', row_limit=rows))
    print(p.key_averages(group_by_input_shape=True).table(sort_by='self_cpu_time_total', row_limit=rows))


FRESH = r'''
import json, resource, sys, time, torch
sys.path.insert(0, sys.argv[5])
import generator as bench
res, batch, impl, reference = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
G, R = bench.build_pair(res, reference if impl == 'reference' else None)
M = G if impl == 'ours' else R
run = bench.runners(G, R)[impl]
ws = torch.randn(batch, G.num_ws, G.w_dim)
with torch.no_grad(): fwd = min(bench.timed(lambda: run(ws)) for _ in range(2))
fwdbwd = min(bench.timed(bench.forward_backward(run, M, ws)) for _ in range(2))
print(json.dumps(dict(fwd=fwd, fwdbwd=fwdbwd, peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
'''


def fresh_case(res, batch, impl, reference):
    "One case in a fresh process: seconds and peak resident MB."
    from pathlib import Path
    args = [sys.executable, '-c', FRESH, str(res), str(batch), impl, reference or '', str(Path(__file__).parent)]
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode: return {'error': r.stderr.strip().splitlines()[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--reference', default=None, help="a rosinality/stylegan2-pytorch checkout to compare with")
    p.add_argument('--cases', default='256x1,1024x1', help="resolution x batch, comma separated")
    p.add_argument('--reps', type=int, default=5, help="timed calls of each implementation and pass")
    p.add_argument('--precision', default='fp32', choices=['fp32', 'mixed', 'bf16'],
                   help="mixed: ours in 'mixed', the reference in fp32; bf16: both under autocast")
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--device', default='cpu', help="cpu or cuda")
    p.add_argument('--reference-ops', default=None, choices=['native', 'cuda'],
                   help="the reference's ops: its pure-PyTorch path (default on a CPU) or its "
                        "CUDA extensions, compiled on first use (default on a GPU)")
    p.add_argument('--fresh', action='store_true', help="also each case in a fresh process, with peak memory")
    p.add_argument('--profile', action='store_true', help="print the profiler's table of our forward pass")
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    ops = a.reference_ops or ('cuda' if a.device.startswith('cuda') else 'native')
    where = torch.cuda.get_device_name() if a.device.startswith('cuda') else 'cpu'
    print(f"{where}, reference ops: {ops}")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {a.precision}, "
          f"{a.reps} interleaved calls per implementation and pass (median seconds)")
    hdr = f"{'px':>5} {'batch':>5} | {'fwd':>7} {'fwd+bwd':>8}"
    if a.reference: hdr += f" | {'ref fwd':>7} {'ref f+b':>8} | {'fwd x':>6} {'f+b x':>6} | {'max |diff|':>10}"
    print(hdr)
    print('-' * len(hdr))
    for case in a.cases.split(','):
        res, batch = map(int, case.split('x'))
        G, R = build_pair(res, a.reference, a.device, ops)
        ws = G.mapping(torch.randn(batch, G.z_dim, device=a.device)).detach() # [batch, num_ws, w_dim]
        models = {'ours': G, 'reference': R}
        t = interleaved(runners(G, R), models, ws, a.reps, a.precision)
        med = {k: statistics.median(v) for k, v in t.items()}
        line = f"{res:>5} {batch:>5} | {med['ours', 'fwd']:>7.3f} {med['ours', 'fwdbwd']:>8.3f}"
        if R is not None:
            line += (f" | {med['reference', 'fwd']:>7.3f} {med['reference', 'fwdbwd']:>8.3f}"
                     f" | {ratio(t, 'fwd'):>6.2f} {ratio(t, 'fwdbwd'):>6.2f} | {compare(G, R, ws):>10.2e}")
        print(line, flush=True)
        if a.profile: profile(G, ws)
        del G, R, models
    if a.reference: print("x = reference time / our time, median over interleaved pairs (above 1: ours is faster)")
    if a.fresh:
        print("\nfresh processes (best of 2 calls; peak resident MB)")
        for case in a.cases.split(','):
            res, batch = map(int, case.split('x'))
            for impl in ['ours'] + (['reference'] if a.reference else []):
                o = fresh_case(res, batch, impl, a.reference)
                if 'error' in o: print(f"{res:>5} {batch:>5} {impl:>9} | error: {o['error']}")
                else: print(f"{res:>5} {batch:>5} {impl:>9} | fwd {o['fwd']:.3f} fwd+bwd {o['fwdbwd']:.3f} peak {o['peak_mb']:.0f} MB")


if __name__ == '__main__': main()
