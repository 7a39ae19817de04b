"""How the toy refinement preset was chosen: regularized refinement of the cycle encoder's pivot at several learning rates and step counts.

    python bench/refine_calibration.py [--n 8] [--threads 2]

The official recipe (15 steps at lr 1e-4, batches of the target and 7 training images) was
set for a 256 px IR-SE-50 encoder trained for 750k steps on FFHQ. For `n` held-out toy
photos (seeds disjoint from the demo and the benchmark), refine the shipped cycle
encoder's pivot with each (steps, lr) and print, averaged over the photos: the toy
perceptual distance of the pivot's reconstruction to the photo, the MSE, and how far the
pivot sits from the mapped W distribution (mean distance of its styles to the nearest of
10,000 mapped codes). Step 0 is the encoder's own pivot.
"""
import argparse, dataclasses, time
import torch

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=8); p.add_argument('--threads', type=int, default=None)
    p.add_argument('--steps', default='15,30,60'); p.add_argument('--lrs', default='1e-4,3e-4,1e-3')
    p.add_argument('--seed', type=int, default=10**9 + 110000, help='first photos seed (disjoint from the demo and benchmark)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    from cycle_encoding.invert import build_inverter
    from cycle_encoding.refine import refine_pivot
    from cycle_encoding.toyfaces import ToyFaces
    from cycle_encoding.core import from_uint8
    from cycle_encoding.metrics import distance_to_w
    inv = build_inverter(tune=False)
    G, E, P, R = inv.G, inv.E, inv.P, inv.R
    x = from_uint8(ToyFaces('photos', a.n, seed=a.seed, size=G.img_resolution).cache().images)
    with torch.no_grad(): w_map = G.sample_ws(10000, seed=0)[:, 0]
    def measure(pivots):
        with torch.no_grad():
            y = G.synthesis(torch.cat(pivots), noise_mode='const').clamp(-1, 1)
            per, mse = P(y, x), (y - x).square().mean([1, 2, 3])
        return per.mean().item(), mse.mean().item(), distance_to_w(torch.cat(pivots), w_map).mean().item()
    with torch.no_grad(): base = [E(x[i:i+1]) for i in range(a.n)]
    print(f"{a.n} photos, cycle encoder, refinement batch {inv.refine_cfg.batch_size} (target + {inv.refine_cfg.batch_size - 1} train faces)")
    print(f"{'steps':>5} {'lr':>7} {'perceptual':>10} {'MSE':>8} {'to W':>6} {'s/image':>7}")
    per, mse, to_w = measure(base)
    print(f"{0:>5} {'-':>7} {per:10.4f} {mse:8.5f} {to_w:6.3f}")
    for steps in map(int, a.steps.split(',')):
        for lr in map(float, a.lrs.split(',')):
            cfg = dataclasses.replace(inv.refine_cfg, steps=steps, lr=lr)
            t = time.time()
            piv = [refine_pivot(E, G, x[i:i+1], inv.reg_images, cfg, P, R, seed=i)[0] for i in range(a.n)]
            dt = (time.time() - t) / a.n
            per, mse, to_w = measure(piv)
            print(f"{steps:>5} {lr:7.0e} {per:10.4f} {mse:8.5f} {to_w:6.3f} {dt:7.2f}", flush=True)

if __name__ == '__main__': main()
