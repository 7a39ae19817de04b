"""What `precision='bf16'` (CPU autocast) buys and costs in the generator: seconds and max abs
image difference to fp32, the two precisions interleaved in one process.

    python bench/precision.py [--cases toy,256,1024] [--reps 3]

Cases: `toy` is the shipped 64 px toy generator sampling 64 images (`generate_images`, batches
of 16); `256` and `1024` are config-f generators with random weights, one image, forward and
forward+backward (the passes of projection and tuning). Images of random-weight generators are
not in [-1, 1]; their difference is also given relative to the fp32 image's largest value.
For tuning, `python bench/tune_preset.py --variants toy,toy-bf16` compares the tuned
reconstructions' distortion on the same photos.
"""
import argparse, statistics, time
import cycle_encoding # before torch: its OpenMP wait policy applies
import torch
from cycle_encoding.core import autocast
from cycle_encoding.generator import Generator, GeneratorConfig, generate_images


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


def toy_case(reps:int):
    "Sampling 64 images with the shipped toy generator in both precisions."
    from cycle_encoding.checkpoints import load_generator
    G = load_generator()
    run = {p: (lambda p=p: generate_images(G, 64, seed=0, precision=p)) for p in ('fp32', 'bf16')}
    diff = (run['bf16']() - run['fp32']()).abs().max().item()
    t = interleave(run, reps)
    print(f"{'toy 64':>8} sample 64 | fp32 {t['fp32']:7.3f} s  bf16 {t['bf16']:7.3f} s  "
          f"x {t['fp32'] / t['bf16']:5.2f} | max |diff| {diff:.4f} (images in [-1, 1])", flush=True)


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


def config_f_case(res:int, reps:int):
    "One image of a random config-f generator at `res`: both passes, both precisions."
    torch.manual_seed(0)
    G = Generator(GeneratorConfig(img_resolution=res))
    ws = G.mapping(torch.randn(1, G.z_dim)).detach()
    calls = {(p, k): f for p in ('fp32', 'bf16') for k, f in passes(G, ws, p).items()}
    a, b = calls['fp32', 'fwd'](), calls['bf16', 'fwd']()
    diff = (a - b).abs().max().item()
    t = interleave(calls, reps)
    for k in ('fwd', 'fwdbwd'):
        print(f"{res:>8} {k:>9} | fp32 {t['fp32', k]:7.3f} s  bf16 {t['bf16', k]:7.3f} s  "
              f"x {t['fp32', k] / t['bf16', k]:5.2f} | max |diff| {diff:.4f} "
              f"({diff / a.abs().max().item():.2%} of the largest value)", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--cases', default='toy,256,1024')
    p.add_argument('--reps', type=int, default=3)
    a = p.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; median of {a.reps} interleaved calls")
    for case in a.cases.split(','):
        if case == 'toy': toy_case(a.reps)
        else: config_f_case(int(case), a.reps)


if __name__ == '__main__': main()
