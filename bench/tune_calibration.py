"""How the toy tuning preset was chosen: perceptual-distance curves of pivotal tuning, and the edit neighbourhood.

    python bench/tune_calibration.py [--n 6] [--steps 350]

1. Early-stop threshold. The official threshold (LPIPS <= 0.07) is in LPIPS units; the
   toy perceptual distance has its own scale. For `n` held-out toy photos (seeds disjoint
   from the demo and the benchmark), take PTI's own pivot (W optimization), tune for
   `--steps` steps without early stopping, and print the median curve of the toy
   perceptual distance. The toy threshold is the median distance at the step where 90% of
   the total reduction is reached: beyond it, tuning buys little.
2. Locality radius. PTI moves its regularization codes to distance alpha = 30 from the
   pivot (FFHQ, norm over all 18 x 512 entries). The toy radius is the distance that an
   edit of 3 units along the shipped InterFaceGAN directions moves a code (median over
   directions): the neighbourhood the editor visits, which locality regularization keeps
   faithful. For comparison it also prints the median distance from the pivots to
   truncated (psi 0.5) samples, the codes PTI morphs.
"""
import argparse, time
import numpy as np
import torch

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=6); p.add_argument('--steps', type=int, default=350)
    p.add_argument('--seed', type=int, default=10**9 + 50000, help='first photos seed (default: disjoint from the demo and benchmark)')
    a = p.parse_args()
    from cycle_encoding.checkpoints import load_generator
    from cycle_encoding.attributes import load_attribute_net
    from cycle_encoding.losses import ToyPerceptual
    from cycle_encoding.toyfaces import ToyFaces
    from cycle_encoding.tune import TuneConfig, tune_generator
    from cycle_encoding.project import ProjectConfig, optimize_pivot
    from cycle_encoding.editing import shipped_directions
    from cycle_encoding.core import from_uint8
    torch.manual_seed(0)
    G = load_generator(); P = ToyPerceptual(load_attribute_net())
    x = from_uint8(ToyFaces('photos', a.n, seed=a.seed, size=G.img_resolution).cache().images)
    dirs = shipped_directions('interfacegan')
    radius = float(np.median([3 * d.unit * G.num_ws ** 0.5 for d in dirs])) if dirs else float('nan')
    curves, pivots, t0 = [], [], time.time()
    for i in range(a.n):
        pivot, _ = optimize_pivot(G, x[i:i+1], P, ProjectConfig.of('toy'), seed=i)
        _, log = tune_generator(G, pivot, x[i:i+1], P, TuneConfig(max_steps=a.steps, threshold=0., locality_alpha=radius if dirs else 30.), seed=i)
        curves.append(log['perceptual']); pivots.append(pivot)
        print(f"photo {i}: perceptual {log['perceptual'][0]:.4f} -> {log['perceptual'][-1]:.4f}")
    c = np.median(np.array(curves), 0)
    print(f"median toy perceptual distance while tuning ({a.n} photos, W-optimization pivots):")
    for s in (0, 10, 25, 50, 75, 100, 150, 200, 250, 300, a.steps - 1):
        if s < len(c): print(f"  step {s:>3}: {c[s]:.4f}")
    for frac in (0.8, 0.9, 0.95):
        s = int(np.argmax(c <= c[0] - frac * (c[0] - c[-1])))
        print(f"  {frac:.0%} of the reduction at step {s}: distance {c[s]:.4f}")
    with torch.no_grad():
        wr = G.mapping(torch.randn(2000, G.z_dim), truncation_psi=0.5)
        d = torch.cat([(wr - pv).flatten(1).norm(dim=1) for pv in pivots])
    print(f"edit neighbourhood (3 units, all {G.num_ws} layers, median over {len(dirs)} directions): {radius:.2f}")
    print(f"median distance pivot -> psi-0.5 sample: {d.median():.2f}")
    print(f"({time.time() - t0:.0f} s)")

if __name__ == '__main__': main()
