"""Compact tuned generator files (kind `delta-int8`) against full copies: size, and how far their images are.

    python bench/compact_tuned.py [--cases toy,1024,1024-synthetic] [--photos 2] [--steps 3] [--codes 2]

Cases:
  toy             the shipped toy generator tuned on held-out toy photos by the toy preset's real
                  tuning (`build_inverter()`: cycle pivot, refinement, `TuneConfig.of('toy')`, its
                  early stop)
  toy-long        the same without the early stop: all 350 steps (the largest change the toy
                  preset can make)
  1024            the FFHQ architecture (`GeneratorConfig.of('ffhq')`, random weights: no FFHQ
                  weights here; its toRGB layers scaled so that 99% of the pivot image's values lie
                  in [-1, 1], as a trained generator's do, where a random one's reach +-7) tuned
                  `--steps` real steps of `TuneConfig.of('ffhq')` (PTI's Adam
                  at 3e-4, locality regularization) at a random code toward a random image; the
                  perceptual term is L2 (no LPIPS weights here)
  1024-synthetic  the same architecture with a difference of the size a full PTI run makes: Adam
                  moves a weight by about its learning rate a step at most, so each synthesis
                  weight moves by |delta| drawn from the toy run's |delta| / (lr x steps) of that
                  run, times 3e-4 x 350 (at most that), with a random sign; the mapping network
                  and the buffers stay, as in tuning at a fixed pivot

Each line: the full and the compact file (MiB, ratio), the largest difference between the images of
the generator the compact file loads and of the full tuned copy, in 1/255 of [0, 1] (images clamped
as they are saved), at the pivot, at `--codes` codes at the locality radius from it ('near') and at
as many truncated (psi 0.7) samples ('far'), and the seconds to save and to load each file (full /
compact, the faster of two calls; loading the compact file includes checking its base). Random-
weight images are not all in [-1, 1]: for them the largest unclamped difference is also given,
relative to the largest image value. `check` is the saver's own check at the pivot (seconds, and the tensors
it left in int8, float16, float32).
"""
import argparse, collections, copy, dataclasses, tempfile, time
from pathlib import Path
import cycle_encoding # before torch: its OpenMP wait policy applies
import torch
from cycle_encoding.files import read_safetensors
from cycle_encoding.generator import Generator, GeneratorConfig
from cycle_encoding.tune import (TuneConfig, tune_generator, morph_toward, image_difference,
                                 save_tuned_generator, load_tuned_generator)


def timed(f):
    "`(f(), seconds)`."
    t = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t


def best_of_two(f):
    "`(f(), seconds)`: the faster of two calls (the first pays for imports and caches)."
    (_, a), (out, b) = timed(f), timed(f)
    return out, min(a, b)


def test_codes(G, pivot, alpha:float, n:int, seed:int=0) -> dict:
    "The pivot, `n` codes at distance `alpha` from it and `n` truncated samples."
    g = torch.Generator().manual_seed(seed)
    w = G.mapping(torch.randn(2 * n, G.z_dim, generator=g), truncation_psi=0.7)
    return {'pivot': pivot, 'near': morph_toward(w[:n], pivot, alpha), 'far': w[n:]}


@torch.no_grad()
def unclamped(G1, G2, ws) -> float:
    "Largest unclamped image difference, relative to the largest value of `G2`'s images."
    a, b = G1.synthesis(ws, noise_mode='const'), G2.synthesis(ws, noise_mode='const')
    return ((a - b).abs().max() / b.abs().max()).item()


def levels(path) -> str:
    "How many of a file's tensors are int8, float16 and float32 (row scales not counted)."
    tensors = read_safetensors(path)[0]
    n = collections.Counter(str(v.dtype).removeprefix('torch.') for k, v in tensors.items() if not k.endswith('@scale'))
    return ' '.join(f"{n[k]} {k}" for k in ('int8', 'float16', 'float32'))


def compare(name:str, G, Gt, codes:dict, random_weights:bool=False):
    "Save `Gt` both ways, load both, print sizes, differences and seconds."
    with tempfile.TemporaryDirectory() as d:
        full, t_full = best_of_two(lambda: save_tuned_generator(Gt, G, f'{d}/full.safetensors', full=True))
        small, t_small = best_of_two(lambda: save_tuned_generator(Gt, G, f'{d}/compact.safetensors'))
        checked, t_check = timed(lambda: save_tuned_generator(Gt, G, f'{d}/checked.safetensors',
                                                              check=codes['pivot']))
        Gf, l_full = best_of_two(lambda: load_tuned_generator(full))
        Gc, l_small = best_of_two(lambda: load_tuned_generator(small, base=G))
        mb_full, mb_small = full.stat().st_size / 2**20, small.stat().st_size / 2**20
        diff = {k: image_difference(Gc, Gf, ws) for k, ws in codes.items()}
        more = f" | unclamped {unclamped(Gc, Gf, torch.cat(list(codes.values()))):.2e} of the largest value" if random_weights else ''
        print(f"{name:>19} | full {mb_full:7.2f} MiB compact {mb_small:6.2f} MiB ratio {mb_small / mb_full:.3f} | "
              f"max diff /255: pivot {diff['pivot']:.3f} near {diff['near']:.3f} far {diff['far']:.3f}{more} | "
              f"save {t_full:.2f} s / {t_small:.2f} s, load {l_full:.2f} s / {l_small:.2f} s | "
              f"check {t_check:.2f} s: {levels(checked)}", flush=True)


def toy_runs(photos:int, long:bool) -> list:
    "`(G, Gt, pivot, cfg, log)` of the toy preset's tuning on each held-out photo."
    from cycle_encoding.core import from_uint8
    from cycle_encoding.invert import build_inverter, find_pivot
    from cycle_encoding.toyfaces import ToyFaces
    inv = build_inverter(device='cpu')
    cfg = dataclasses.replace(inv.tune_cfg, threshold=0.) if long else inv.tune_cfg
    xs = from_uint8(ToyFaces('photos', photos, seed=10**9 + 50000, size=inv.G.img_resolution).cache().images)
    runs = []
    for i, x in enumerate(xs):
        pivot = find_pivot(inv, x[None], seed=i)
        Gt, log = tune_generator(inv.G, pivot, x[None], inv.P, cfg, seed=i)
        runs.append((inv.G, Gt, pivot, cfg, log))
    return runs


def toy_case(photos:int, n:int, long:bool=False) -> list:
    "The toy cases; their runs."
    runs = toy_runs(photos, long)
    for i, (G, Gt, pivot, cfg, log) in enumerate(runs):
        codes = test_codes(G, pivot, cfg.locality_alpha, n, seed=i)
        compare(f"{'toy-long' if long else 'toy'} {i} ({log['steps']} st)", G, Gt, codes)
    return runs


@torch.no_grad()
def ffhq_generator():
    "`(G, pivot)`: the FFHQ architecture with random weights, its images brought to a trained one's range."
    torch.manual_seed(0)
    G = Generator(GeneratorConfig.of('ffhq')).eval().requires_grad_(False)
    pivot = G.mapping(torch.randn(1, G.z_dim), truncation_psi=0.7)
    y = G.synthesis(pivot, noise_mode='const').abs().flatten() # [3 * 1024 * 1024]
    c = 1 / y.kthvalue(int(0.99 * len(y))).values # the image is linear in the toRGB weights and biases
    for b in G.synthesis.children():
        b.torgb.weight.mul_(c)
        b.torgb.bias.mul_(c)
    return G, pivot


def ffhq_case(steps:int, n:int):
    "`steps` real steps of FFHQ's tuning at 1024 px."
    G, pivot = ffhq_generator()
    cfg = dataclasses.replace(TuneConfig.of('ffhq'), max_steps=steps, threshold=0.)
    target = torch.rand(1, 3, G.img_resolution, G.img_resolution) * 2 - 1
    mse = lambda x, y: (x - y).square().mean([1, 2, 3])
    (Gt, log), sec = timed(lambda: tune_generator(G, pivot, target, mse, cfg))
    print(f"{'':>19}   (1024 px: {log['steps']} steps in {sec:.1f} s)", flush=True)
    compare(f"1024 ({steps} st)", G, Gt, test_codes(G, pivot, cfg.locality_alpha, n), random_weights=True)


def relative_steps(runs:list) -> torch.Tensor:
    "Every changed weight's |delta| / (lr x steps) in the toy runs."
    out = []
    for G, Gt, _, cfg, log in runs:
        bsd = G.state_dict()
        for k, v in Gt.state_dict().items():
            d = (v - bsd[k]).abs().flatten()
            if d.any(): out.append(d / (cfg.lr * log['steps']))
    return torch.cat(out)


@torch.no_grad()
def synthetic_case(runs:list, n:int, lr:float=3e-4, steps:int=350):
    "The FFHQ architecture with a full PTI run's difference in size, from the toy runs' distribution."
    rel = relative_steps(runs)
    G, pivot = ffhq_generator()
    Gt = copy.deepcopy(G)
    g = torch.Generator().manual_seed(1)
    for p in Gt.synthesis.parameters():
        mag = (rel[torch.randint(len(rel), p.shape, generator=g)] * lr * steps).clamp(max=lr * steps)
        p.add_(mag * (torch.randint(0, 2, p.shape, generator=g) * 2 - 1))
    print(f"{'':>19}   (synthetic: toy |delta| / (lr x steps) median {rel.median():.3f}, "
          f"99th percentile {rel.quantile(0.99) if len(rel) < 2**24 else float('nan'):.3f}, "
          f"max {rel.max():.3f}; x {lr} x {steps})", flush=True)
    compare('1024-synthetic', G, Gt, test_codes(G, pivot, TuneConfig.of('ffhq').locality_alpha, n), random_weights=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--cases', default='toy,1024,1024-synthetic')
    p.add_argument('--photos', type=int, default=2, help='held-out toy photos')
    p.add_argument('--steps', type=int, default=3, help='real tuning steps at 1024 px')
    p.add_argument('--codes', type=int, default=2, help="'near' and 'far' codes each at 1024 px (8 for the toy)")
    p.add_argument('--threads', type=int, default=None)
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    cases = a.cases.split(',')
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    runs = None
    if 'toy' in cases: runs = toy_case(a.photos, 8)
    if 'toy-long' in cases: toy_case(a.photos, 8, long=True)
    if '1024' in cases: ffhq_case(a.steps, a.codes)
    if '1024-synthetic' in cases: synthetic_case(runs or toy_runs(a.photos, False), a.codes)


if __name__ == '__main__': main()
