"""Tuning presets side by side on the same toy photos: steps, seconds, and the distortion they end at.

    python bench/tune_preset.py [--n 4] [--variants today,toy,toy-bf16] [--threads 2]

For `n` held-out toy photos (seeds disjoint from the demo and the benchmark), the encoder's
refined pivots are computed once; then each variant tunes the shipped toy generator at every
pivot, the variants interleaved photo by photo. Per variant it prints the mean steps and
seconds, and, measured in fp32 on the tuned reconstruction (clamped, as `invert` saves it),
the toy perceptual distance and the PSNR to the photo, and the locality drift: the toy
perceptual distance between the original and the tuned generator at 8 codes at the locality
radius from the pivot (what locality regularization keeps small; lower is more local).

Variants: `today` is the toy preset before the tuning loop was reworked (Adam 3e-4, up to
350 steps, threshold 0.11); `toy` is `TuneConfig.of('toy')`; a `-bf16` suffix runs a variant
with `precision='bf16'`; `lr=X` is the toy preset at learning rate X.
"""
import argparse, dataclasses, math, statistics, time
import cycle_encoding # before torch: its OpenMP wait policy applies
import torch


def variant(name:str):
    "The `TuneConfig` a variant name stands for."
    from cycle_encoding.tune import TuneConfig
    base, prec = (name[:-5], 'bf16') if name.endswith('-bf16') else (name, None)
    if base == 'today': cfg = TuneConfig(threshold=0.11, locality_alpha=TuneConfig.of('toy').locality_alpha)
    elif base.startswith('lr='): cfg = dataclasses.replace(TuneConfig.of('toy'), lr=float(base[3:]))
    else: cfg = TuneConfig.of('toy')
    if prec: cfg.precision = prec
    return cfg


@torch.no_grad()
def measure(G0, Gt, pivot, x, P, alpha:float, seed:int) -> dict:
    "Distortion of the tuned reconstruction (fp32) and the locality drift at 8 seeded codes."
    from cycle_encoding.tune import morph_toward
    y = Gt.synthesis(pivot, noise_mode='const').clamp(-1, 1)
    mse = (y - x).square().mean().item()
    g = torch.Generator().manual_seed(seed)
    w = morph_toward(G0.mapping(torch.randn(8, G0.z_dim, generator=g), truncation_psi=0.5), pivot, alpha)
    drift = P(Gt.synthesis(w, noise_mode='none'), G0.synthesis(w, noise_mode='none')).mean().item()
    return {'perceptual': P(y, x).item(), 'psnr': 10 * math.log10(4 / mse), 'drift': drift}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=4)
    p.add_argument('--variants', default='today,toy,toy-bf16')
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--seed', type=int, default=10**9 + 50000, help='first photo seed (held out)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    from cycle_encoding.invert import build_inverter, find_pivot
    from cycle_encoding.toyfaces import ToyFaces
    from cycle_encoding.core import from_uint8
    from cycle_encoding.tune import tune_generator
    inv = build_inverter(pivot='cycle')
    xs = from_uint8(ToyFaces('photos', a.n, seed=a.seed, size=inv.G.img_resolution).cache().images)
    pivots = [find_pivot(inv, x[None], seed=i) for i, x in enumerate(xs)]
    names = a.variants.split(',')
    rows = {k: [] for k in names}
    for i, (x, pivot) in enumerate(zip(xs, pivots)):
        for k in names:
            cfg = variant(k)
            t = time.perf_counter()
            Gt, log = tune_generator(inv.G, pivot, x[None], inv.P, cfg, seed=i)
            sec = time.perf_counter() - t
            m = measure(inv.G, Gt, pivot, x[None], inv.P, cfg.locality_alpha, seed=i)
            rows[k].append({'steps': log['steps'], 'seconds': sec, **m})
            print(f"photo {i} {k:>12}: {log['steps']:3d} steps {sec:6.2f} s  perceptual {m['perceptual']:.4f}"
                  f"  PSNR {m['psnr']:.2f}  drift {m['drift']:.4f}", flush=True)
    print(f"\ntorch {torch.__version__}, {torch.get_num_threads()} threads; means over {a.n} photos")
    print(f"{'variant':>12} | {'steps':>5} {'s':>6} | {'perceptual':>10} {'PSNR dB':>8} | {'drift':>7}")
    for k, r in rows.items():
        mean = lambda f: statistics.mean(m[f] for m in r)
        print(f"{k:>12} | {mean('steps'):5.0f} {mean('seconds'):6.2f} | {mean('perceptual'):10.4f} "
              f"{mean('psnr'):8.2f} | {mean('drift'):7.4f}")


if __name__ == '__main__': main()
