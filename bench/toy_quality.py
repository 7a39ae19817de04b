"""Quality of a toy generator: toy-FD against `train`, attribute distributions, linear probes.

    python bench/toy_quality.py [--generator FILE] [--n 5000] [--train-cache runs/toy_gan/train_cache.npy]

Prints toy-FD (attribute-network features) of `n` samples against `n` train faces, with
two references: an untrained generator of the same architecture, and a second draw of
train faces against the first (the floor). Then the mean and standard deviation of every
attribute as the attribute network reads it, for samples and for train faces, and the
held-out R^2 of a linear probe from w to each attribute (20,000 samples).
"""
import argparse, time
import numpy as np
import torch

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--generator', default=None)
    p.add_argument('--n', type=int, default=5000)
    p.add_argument('--probe-n', type=int, default=20000)
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--train-cache', default=None, help='a train_cache.npy whose first n faces are the train reference')
    a = p.parse_args()
    from cycle_encoding.checkpoints import load_generator
    from cycle_encoding.generator import Generator, generate_images
    from cycle_encoding.attributes import load_attribute_net, predict, toy_fd
    from cycle_encoding.toyfaces import ToyFaces, ATTRIBUTES, CIRCULAR
    from cycle_encoding.editing import attribute_samples, probe_r2
    t0 = time.time()
    G = load_generator(a.generator)
    net = load_attribute_net()
    size = G.img_resolution
    if a.train_cache: train = torch.from_numpy(np.load(a.train_cache, mmap_mode='r')[:a.n].copy()).permute(0, 3, 1, 2)
    else: train = torch.from_numpy(ToyFaces('train', a.n, size=size).cache(True, a.workers).images).permute(0, 3, 1, 2)
    train2 = torch.from_numpy(ToyFaces('train', a.n, seed=10**6, size=size).cache(True, a.workers).images).permute(0, 3, 1, 2)
    samples = generate_images(G, a.n, seed=0, batch_size=250)
    torch.manual_seed(0)
    G0 = Generator(G.cfg).eval()
    untrained = generate_images(G0, a.n, seed=0, batch_size=250)
    print(f"toy-FD ({a.n} vs {a.n} train faces, attribute-network features):")
    print(f"  trained generator   {toy_fd(net, samples, train):8.2f}")
    print(f"  untrained generator {toy_fd(net, untrained, train):8.2f}")
    print(f"  train vs train      {toy_fd(net, train2, train):8.2f}   (second draw: the floor)")
    ps, pt = predict(net, samples), predict(net, train)
    print("attributes read by the attribute network, mean ± std (samples | train):")
    for i, k in enumerate(ATTRIBUTES):
        print(f"  {k:>15}  {ps[:, i].mean():6.3f} ± {ps[:, i].std():5.3f} | {pt[:, i].mean():6.3f} ± {pt[:, i].std():5.3f}")
    w, attrs = attribute_samples(G, net, a.probe_n, seed=1)
    print(f"linear probe w -> attribute, held-out R^2 ({a.probe_n} samples):")
    for i, k in enumerate(ATTRIBUTES):
        if k in CIRCULAR:
            r = [probe_r2(w, f(2 * np.pi * attrs[:, i])) for f in (torch.cos, torch.sin)]
            print(f"  {k:>15}  cos {r[0]:.3f}, sin {r[1]:.3f}")
        else: print(f"  {k:>15}  {probe_r2(w, attrs[:, i]):.3f}")
    print(f"({time.time() - t0:.0f} s)")

if __name__ == '__main__': main()
