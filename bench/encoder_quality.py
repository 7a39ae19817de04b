"""Reconstruction and location of the shipped toy encoders (cycle, e4e, w) on held-out toy photos.

    python bench/encoder_quality.py [--n 1000] [--threads 2]

For each encoder: MSE and toy perceptual distance of the pivots' reconstructions against
`n` toy `photos` (mean and 95% interval), toy-FD of the reconstructions against the photos,
and where the codes sit: the mean distance of each style vector to the nearest of 10,000
mapped w's (0 for codes of the generator's own W), and the mean spread of a code's
styles around their average (0 for a W code, positive in W+). The paper predicts: cycle
close to e4e in distortion, close to W in location.
"""
import argparse, time
import torch
import encoder_study as study # bench/ is on the path when a script here runs

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=1000)
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--seed', type=int, default=10**9 + 100000, help='first photos seed (disjoint from the demo and benchmark)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    from cycle_encoding.checkpoints import load_generator
    from cycle_encoding.encoder import load_encoder, default_encoder_path
    from cycle_encoding.attributes import load_attribute_net, toy_fd
    from cycle_encoding.losses import ToyPerceptual
    from cycle_encoding.toyfaces import ToyFaces
    from cycle_encoding.metrics import mean_ci
    from cycle_encoding.core import from_uint8
    t0 = time.time()
    G = load_generator()
    net = load_attribute_net()
    P = ToyPerceptual(net)
    x = from_uint8(ToyFaces('photos', a.n, seed=a.seed, size=G.img_resolution).cache(workers=2).images)
    with torch.no_grad(): w_map = G.sample_ws(10000, seed=0)[:, 0]
    print(f"{a.n} toy photos; toy-FD of the photos against themselves is 0")
    print(f"{'encoder':>8} {'stage':>5} {'MSE':>16} {'perceptual':>16} {'toy-FD':>7} {'to W':>14} {'style spread':>13}")
    for s in ('w', 'e4e', 'cycle'): # the measures of bench/encoder_study.py, summarized
        E = load_encoder(default_encoder_path(s), generator=G)
        ws, _ = study.codes(E, x, 'trained')
        d, ys = study.distortion(G, P, ws, x)
        loc = study.location(ws, w_map)
        f = lambda v: '%.4f ± %.4f' % mean_ci(v)
        spread = sum(loc['spread']) / len(loc['spread'])
        print(f"{s:>8} {int(E.trained_stage):>5} {f(d['mse']):>16} {f(d['perceptual']):>16} "
              f"{toy_fd(net, ys, x):7.2f} {f(loc['to_w']):>14} {spread:13.3f}")
    print(f"({time.time() - t0:.0f} s)")

if __name__ == '__main__': main()
