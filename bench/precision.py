"""What the bfloat16 precisions buy and cost in the generator: seconds and max abs image
difference to fp32, the precisions interleaved in one process.

    python bench/precision.py [--cases toy,256,1024] [--precisions fp32,mixed,bf16] [--reps 3]
    python bench/precision.py --layers 256 [--reps 5]

`mixed` runs the large 3x3 convolutions in bfloat16 and the rest in float32 (`bf16` is
autocast everywhere). Cases: `toy` is the shipped 64 px toy generator sampling 64 images
(`generate_images`, batches of 16); `256` and `1024` are config-f generators with random
weights, one image, forward and forward+backward (the passes of projection and tuning).
Images of random-weight generators are not in [-1, 1]; their difference is also given
relative to the fp32 image's largest value.

`--layers R` times every synthesis layer of the config-f generator at R px alone, in float32
and in bfloat16, with its multiply-adds: the table `BF16_MIN_MACS` (the size from which
'mixed' runs a layer in bfloat16) was read off.
For tuning, `python bench/tune_preset.py --variants toy,toy-bf16` compares the tuned
reconstructions' distortion on the same photos.
"""
import argparse, statistics, time
import cycle_encoding # before torch: its OpenMP wait policy applies
import torch
from cycle_encoding.core import autocast, native_bf16
from cycle_encoding.generator import (BF16_MIN_MACS, Generator, GeneratorConfig, SynthesisLayer,
                                      generate_images)


def timed(f) -> float:
    "Seconds of one call of `f`."
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


def interleave(calls:dict, reps:int) -> dict:
    "Median seconds of each callable, the callables alternating, after one warm-up each."
    for f in calls.values(): f()
    times = {k: [] for k in calls}
    for _ in range(reps):
        for k, f in calls.items(): times[k].append(timed(f))
    return {k: statistics.median(v) for k, v in times.items()}


def toy_case(reps:int, precisions:list):
    "Sampling 64 images with the shipped toy generator in each precision."
    from cycle_encoding.checkpoints import load_generator
    G = load_generator()
    run = {p: (lambda p=p: generate_images(G, 64, seed=0, precision=p)) for p in precisions}
    ref = run['fp32']()
    diff = {p: (run[p]() - ref).abs().max().item() for p in precisions}
    t = interleave(run, reps)
    for p in precisions[1:]:
        print(f"{'toy 64':>8} sample 64 | fp32 {t['fp32']:7.3f} s  {p:>5} {t[p]:7.3f} s  "
              f"x {t['fp32'] / t[p]:5.2f} | max |diff| {diff[p]:.4f} (images in [-1, 1])", flush=True)


def passes(G, ws, precision:str) -> dict:
    "Forward and forward+backward callables of `G.synthesis` at `ws` under `precision`."
    wsg = ws.clone().requires_grad_()
    def fwd():
        with torch.no_grad(), autocast(precision): return G.synthesis(ws).float()
    def fwdbwd():
        G.zero_grad(set_to_none=True)
        with autocast(precision): y = G.synthesis(wsg).float()
        y.square().mean().backward()
    return {'fwd': fwd, 'fwdbwd': fwdbwd}


def config_f_case(res:int, reps:int, precisions:list):
    "One image of a random config-f generator at `res`: both passes, each precision."
    torch.manual_seed(0)
    G = Generator(GeneratorConfig(img_resolution=res))
    ws = G.mapping(torch.randn(1, G.z_dim)).detach()
    calls = {(p, k): f for p in precisions for k, f in passes(G, ws, p).items()}
    a = calls['fp32', 'fwd']()
    diff = {p: (calls[p, 'fwd']() - a).abs().max().item() for p in precisions}
    t = interleave(calls, reps)
    for p in precisions[1:]:
        for k in ('fwd', 'fwdbwd'):
            print(f"{res:>8} {k:>9} | fp32 {t['fp32', k]:7.3f} s  {p:>5} {t[p, k]:7.3f} s  "
                  f"x {t['fp32', k] / t[p, k]:5.2f} | max |diff| {diff[p]:.4f} "
                  f"({diff[p] / a.abs().max().item():.2%} of the largest value)", flush=True)


def layer_case(res:int, reps:int):
    "Every synthesis layer of a config-f generator at `res` alone: float32 against bfloat16."
    torch.manual_seed(0)
    G = Generator(GeneratorConfig(img_resolution=res))
    print(f"{'layer':>12} {'MACs':>8} | {'fwd fp32':>8} {'bf16':>7} {'x':>5} | "
          f"{'f+b fp32':>8} {'bf16':>7} {'x':>5} | mixed")
    for name, L in G.synthesis.named_modules():
        if not isinstance(L, SynthesisLayer): continue
        x = torch.randn(1, L.in_channels, L.resolution // L.up, L.resolution // L.up)
        x = x.contiguous(memory_format=torch.channels_last)
        w = torch.randn(1, G.w_dim)
        calls = {}
        for dt in (torch.float32, torch.bfloat16):
            xd = x.to(dt)
            xg = xd.clone().requires_grad_()
            def fwd(xd=xd):
                with torch.no_grad(): L(xd, w)
            def fb(xg=xg):
                L.zero_grad(set_to_none=True)
                L(xg, w).float().square().mean().backward()
            calls['fwd', dt], calls['fb', dt] = fwd, fb
        t = interleave(calls, reps)
        f32, b16 = torch.float32, torch.bfloat16
        print(f"{name:>12} {L.macs / 1e6:7.0f}M | {t['fwd', f32] * 1e3:6.1f}ms {t['fwd', b16] * 1e3:5.1f}ms "
              f"{t['fwd', f32] / t['fwd', b16]:5.2f} | {t['fb', f32] * 1e3:6.1f}ms {t['fb', b16] * 1e3:5.1f}ms "
              f"{t['fb', f32] / t['fb', b16]:5.2f} | {'bf16' if L.macs >= BF16_MIN_MACS else 'fp32'}", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--cases', default='toy,256,1024')
    p.add_argument('--precisions', default='fp32,mixed,bf16', help="fp32 first, then those to compare with it")
    p.add_argument('--layers', type=int, default=None, help="time each layer of the config-f generator at this px")
    p.add_argument('--reps', type=int, default=3)
    p.add_argument('--threads', type=int, default=None)
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, native bf16: {native_bf16()}; "
          f"median of {a.reps} interleaved calls")
    if a.layers: return layer_case(a.layers, a.reps)
    precisions = a.precisions.split(',')
    if precisions[0] != 'fp32': precisions.insert(0, 'fp32')
    for case in a.cases.split(','):
        if case == 'toy': toy_case(a.reps, precisions)
        else: config_f_case(int(case), a.reps, precisions)


if __name__ == '__main__': main()
