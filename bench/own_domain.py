"""The own-domain worked example: textures at 32 px, from a folder to an edited image.

    python bench/own_domain.py data runs/own        # the image folders and their labels
    (the commands of the notebook "Your own domain": train-generator, train-encoder x2,
     directions, evaluate)
    python bench/own_domain.py figures runs/own nbs/images   # the notebook's figures
    python bench/own_domain.py speed runs/own/gan/log.jsonl  # seconds per kimg of the run

The images are random crops of five photographs that scikit-image ships (`pip install
scikit-image`): brick, grass, gravel, a tissue stain and the Hubble deep field. A crop of
48 to 160 pixels a side is resized to 32 with Lanczos and flipped at random; each crop's
labels are its source (one 0/1 column each), its brightness and its colourfulness.
"""
import argparse, csv, json, os, statistics, sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image

SOURCES = ('brick', 'grass', 'gravel', 'tissue', 'space')

def _photos() -> dict:
    import skimage.data as d
    fns = dict(brick=d.brick, grass=d.grass, gravel=d.gravel, tissue=d.immunohistochemistry,
               space=d.hubble_deep_field)
    return {k: np.asarray(Image.fromarray(fns[k]()).convert('RGB')) for k in SOURCES}

def write_textures(out, n:int, size:int=32, seed:int=0) -> Path:
    "`n` crops as `out/{i:05d}.png`, and `<out>_labels.csv` beside the folder."
    rng, out = np.random.default_rng(seed), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    photos, rows = _photos(), []
    for i in range(n):
        name = SOURCES[i % len(SOURCES)]
        photo = photos[name]
        side = int(rng.integers(48, 161))
        y, x = (int(rng.integers(0, s - side + 1)) for s in photo.shape[:2])
        crop = Image.fromarray(photo[y:y + side, x:x + side]).resize((size, size), Image.LANCZOS)
        if rng.random() < 0.5: crop = crop.transpose(Image.FLIP_LEFT_RIGHT)
        crop.save(out/f'{i:05d}.png')
        a = np.asarray(crop, np.float32) / 255
        rows.append([f'{out.name}/{i:05d}.png', *(int(k == name) for k in SOURCES),
                     round(float(a.mean()), 4), round(float((a.max(-1) - a.min(-1)).mean()), 4)])
    with open(out.parent/f'{out.name}_labels.csv', 'w', newline='') as f:
        csv.writer(f).writerows([['file', *SOURCES, 'brightness', 'colourfulness'], *rows])
    return out

def _grid(x:torch.Tensor, cols:int) -> np.ndarray:
    from cycle_encoding.core import image_grid
    return image_grid(x, ncols=cols)

def _show(ax, img, title):
    ax.imshow(img, interpolation='nearest'); ax.set_title(title, fontsize=10); ax.axis('off')

def figures(run:Path, out:Path, n:int=8):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from cycle_encoding.core import load_rgb, from_uint8, to_uint8
    from cycle_encoding.checkpoints import load_generator
    from cycle_encoding.invert import build_inverter, find_pivot
    from cycle_encoding.editing import folder_directions, apply_edit, render_codes
    torch.set_num_threads(int(os.environ.get("THREADS", 2)))
    G = run/'gan/generator.safetensors'
    gen = load_generator(G)
    real = torch.stack([from_uint8(load_rgb(f)) for f in sorted((run/'textures').glob('*.png'))[:32]])
    with torch.no_grad():
        z = torch.randn(32, gen.z_dim, generator=torch.Generator().manual_seed(0))
        fake = gen(z, truncation_psi=1.0, noise_mode="const").clamp(-1, 1)
    fig, axs = plt.subplots(1, 2, figsize=(10, 2.9))
    _show(axs[0], _grid(real, 8), 'training images (32 px)')
    _show(axs[1], _grid(fake, 8), 'generator samples (seeds 0-31, no truncation)')
    fig.tight_layout(); fig.savefig(out/'own_samples.jpg', dpi=110, pil_kwargs=dict(quality=90)); plt.close(fig)

    files = sorted((run/'textures_heldout').glob('*.png'))[:n]
    x = torch.stack([from_uint8(load_rgb(f)) for f in files])
    rows, pivots = {'held-out image': x}, None
    for label, enc, pivot, refine in [('W encoder', 'enc_w', 'w', False), ('cycle encoder', 'enc_cycle', 'cycle', False),
                                      ('cycle + refinement', 'enc_cycle', 'cycle', True)]:
        inv = build_inverter(str(G), str(run/enc/'encoder.safetensors'), pivot=pivot, refine=refine,
                             tune=False, perceptual='none', device='cpu')
        ws = torch.cat([find_pivot(inv, xi[None], seed=0) for xi in x])
        rows[label] = render_codes(inv.G, ws)
        if refine: pivots = ws
    fig, axs = plt.subplots(len(rows), 1, figsize=(8, 1.25 * len(rows)))
    for ax, (k, v) in zip(axs, rows.items()):
        mse = '' if v is x else f'  (MSE {((v - x) ** 2).mean().item():.4f} in [-1, 1])'
        _show(ax, _grid(v, n), k + mse)
    fig.tight_layout(); fig.savefig(out/'own_inversions.jpg', dpi=110, pil_kwargs=dict(quality=90)); plt.close(fig)

    dirs = folder_directions(run/'dirs', 'interfacegan') # the label directions
    strengths = [-3, -1.5, 0, 1.5, 3]
    fig, axs = plt.subplots(len(dirs), 1, figsize=(8, 1.2 * len(dirs)))
    for ax, d in zip(axs, dirs):
        ims = [render_codes(gen, apply_edit(pivots[i:i + 1], d, s)) for i in (0, 3) for s in strengths]
        _show(ax, _grid(torch.cat(ims), 10), f'{d.name}: strengths {strengths} on two held-out images')
    fig.tight_layout(); fig.savefig(out/'own_edits.jpg', dpi=110, pil_kwargs=dict(quality=90)); plt.close(fig)
    print('wrote', *(out/f for f in ('own_samples.jpg', 'own_inversions.jpg', 'own_edits.jpg')))

def speed(log:Path):
    rows = [json.loads(l) for l in log.read_text().splitlines() if l.strip()]
    s = [r['sec_per_step'] for r in rows if 'sec_per_step' in r]
    bs = json.loads((log.parent/'config.json').read_text())['batch_size']
    med = statistics.median(s)
    print(f"{rows[-1]['kimg']} kimg in {rows[-1]['step']} steps of {bs} images; "
          f"median {med:.3f} s/step = {med * 1000 / bs:.0f} s/kimg ({bs / med:.1f} images/s)")

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest='cmd', required=True)
    a = sub.add_parser('data'); a.add_argument('run', type=Path)
    a.add_argument('--n', type=int, default=4000); a.add_argument('--n-heldout', type=int, default=500)
    a = sub.add_parser('figures'); a.add_argument('run', type=Path); a.add_argument('out', type=Path)
    a = sub.add_parser('speed'); a.add_argument('log', type=Path)
    a = p.parse_args()
    if a.cmd == 'data':
        write_textures(a.run/'textures', a.n, seed=0); write_textures(a.run/'textures_heldout', a.n_heldout, seed=1)
    elif a.cmd == 'figures': figures(a.run, a.out)
    else: speed(a.log)
