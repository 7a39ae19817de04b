"""Generator speed and memory on this machine: forward and forward+backward of the config-f
StyleGAN2 at 64, 256 and 1024 px, batch 1 and 4, each case in a fresh process (peak RSS).

    python bench/generator.py [--reference PATH_TO_ROSINALITY_CHECKOUT] [--device cpu] [--reps 3]

With --reference, rosinality's stylegan2-pytorch (its pure-PyTorch CPU path; CUDA
extension loading is stubbed out) runs the same cases in the same way, and the table gives
the ratio. The reference is not part of this project: point the flag at your own checkout.
"""
import argparse, json, os, subprocess, sys, time

CASE = r'''
import json, resource, sys, time, types, torch
impl, res, batch, reps, device, ref = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
torch.manual_seed(0)
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if impl == 'ours':
    from cycle_encoding.generator import Generator, GeneratorConfig, channels_from_multiplier
    G = Generator(GeneratorConfig(img_resolution=res, channels=channels_from_multiplier(res, 2))).to(device)
    run = lambda ws: G.synthesis(ws, noise_mode='const')
    num_ws = G.num_ws
else:
    import torch.utils.cpp_extension as ce; ce.load = lambda *a, **k: types.SimpleNamespace()
    sys.path.insert(0, ref); import model
    G = model.Generator(res, 512, 8, channel_multiplier=2).to(device)
    noise = [getattr(G.noises, f'noise_{i}') for i in range(G.num_layers)]
    run = lambda ws: G([ws], input_is_latent=True, noise=noise)[0]
    num_ws = G.n_latent
sync = (lambda: torch.cuda.synchronize()) if device.startswith('cuda') else (lambda: None)
ws = torch.randn(batch, num_ws, 512, device=device)
base = rss()
def timed(f):
    f(); sync(); out = []
    for _ in range(reps):
        t = time.perf_counter(); f(); sync(); out.append(time.perf_counter() - t)
    return sorted(out)[len(out) // 2]
with torch.no_grad(): fwd = timed(lambda: run(ws))
mem_fwd = rss()
wsg = ws.clone().requires_grad_()
def fb():
    G.zero_grad(set_to_none=True); run(wsg).square().mean().backward()
fwdbwd = timed(fb)
print(json.dumps(dict(fwd=fwd, fwdbwd=fwdbwd, peak_rss_mb=rss(), model_rss_mb=base)))
'''

def run_case(impl, res, batch, reps, device, ref):
    r = subprocess.run([sys.executable, '-c', CASE, impl, str(res), str(batch), str(reps), device, ref or ''], capture_output=True, text=True)
    if r.returncode: return {'error': r.stderr.strip().splitlines()[-1]}
    return json.loads(r.stdout.strip().splitlines()[-1])

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--reference', default=None, help="a rosinality/stylegan2-pytorch checkout to compare with")
    p.add_argument('--device', default='cpu')
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--cases', default='64x1,64x4,256x1,256x4,1024x1,1024x4')
    a = p.parse_args()
    import torch
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device {a.device}")
    hdr = f"{'res':>5} {'batch':>5} | {'fwd s':>8} {'fwd+bwd s':>10} {'peak MB':>8}"
    if a.reference: hdr += f" | {'ref fwd':>8} {'ref f+b':>8} {'ref MB':>7} | {'fwd x':>6} {'f+b x':>6}"
    print(hdr); print('-' * len(hdr))
    for case in a.cases.split(','):
        res, batch = map(int, case.split('x'))
        o = run_case('ours', res, batch, a.reps, a.device, None)
        if 'error' in o: print(f"{res:>5} {batch:>5} | error: {o['error']}"); continue
        line = f"{res:>5} {batch:>5} | {o['fwd']:>8.3f} {o['fwdbwd']:>10.3f} {o['peak_rss_mb']:>8.0f}"
        if a.reference:
            r = run_case('reference', res, batch, a.reps, a.device, a.reference)
            if 'error' in r: line += f" | reference error: {r['error']}"
            else: line += f" | {r['fwd']:>8.3f} {r['fwdbwd']:>8.3f} {r['peak_rss_mb']:>7.0f} | {r['fwd']/o['fwd']:>6.2f} {r['fwdbwd']/o['fwdbwd']:>6.2f}"
        print(line, flush=True)
    if a.reference: print("x = reference time / our time (above 1: ours is faster)")

if __name__ == '__main__': main()
