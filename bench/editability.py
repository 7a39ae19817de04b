"""How well the shipped toy directions edit: generated samples and inverted toy photos.

    python bench/editability.py [--n 256] [--n-photos 64] [--strength 2] [--threads 2]

For every shipped direction (InterFaceGAN per attribute, GANSpace, SeFa), edits codes by
+/- strength units and reads the attributes of the images with the attribute network: the
attribute response (`editing.attribute_response`, tabled by `editing.editability_table`),
the change of the direction's score per unit of strength (fraction of its range), the
strength that would cross the whole range, and the leakage into the other attributes per
unit. First for `n` samples of the toy generator, then for
the pivots of `n_photos` held-out toy photos from each shipped encoder (rendered through
the base generator; `cycle-encoding evaluate` measures the tuned generators too).
"""
import argparse, time
import torch

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=256)
    p.add_argument('--n-photos', type=int, default=64)
    p.add_argument('--strength', type=float, default=2.)
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--seed', type=int, default=10**9 + 200000, help='first photos seed (disjoint from the demo and benchmark)')
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    from cycle_encoding.checkpoints import load_generator
    from cycle_encoding.attributes import load_attribute_net
    from cycle_encoding.editing import shipped_directions, editability_table, editability_markdown
    from cycle_encoding.encoder import load_encoder, default_encoder_path
    from cycle_encoding.toyfaces import ToyFaces
    from cycle_encoding.core import from_uint8
    t0 = time.time()
    G = load_generator()
    net = load_attribute_net()
    ds = shipped_directions()
    print(f"## {a.n} samples of the toy generator (psi 1), edits of +/-{a.strength:g}\n")
    print(editability_markdown(editability_table(G, net, ds, G.sample_ws(a.n, seed=1), a.strength)))
    x = from_uint8(ToyFaces('photos', a.n_photos, seed=a.seed, size=G.img_resolution).cache(workers=2).images)
    for s in ('w', 'e4e', 'cycle'):
        E = load_encoder(default_encoder_path(s), generator=G)
        with torch.no_grad(): ws = torch.cat([E(xb) for xb in x.split(64)])
        print(f"## {a.n_photos} toy photos inverted by the {s} encoder (base generator), edits of +/-{a.strength:g}\n")
        print(editability_markdown(editability_table(G, net, ds, ws, a.strength)))
    print(f"({time.time() - t0:.0f} s)")

if __name__ == '__main__': main()
