"""Score toy encoders on held-out photos for the cycle study: distortion, location, editability.

    python bench/encoder_study.py ENCODER [ENCODER ...] --out RESULTS.json
        [--reading trained|all|N] [--n 1000] [--edits] [--strength 2] [--threads 1]

For each encoder file (a shipped one, a run's `encoder.safetensors` or its `encoders/`
snapshots), read with `--reading` (`trained`: the stage it was trained to; `all`: every
delta, as the official code reads an encoder; or a stage number), the pivots of `n` toy
`photos` (seeds disjoint from the demo and the benchmark) and per photo:
- `mse` and `perceptual` (toy perceptual distance) of the reconstruction,
- `to_w`: the mean distance of the code's styles to the nearest of 10,000 mapped w's,
- `spread`: the mean distance of the code's styles to their average (0 for a W code).
With `--edits`, the editability of the first `--edit-n` pivots (256) through the base
generator for the shipped InterFaceGAN directions (`editing.editability_table`, edits of
+/- strength: target change per unit and leakage per unit) and the toy-FD of the images
edited by +strength against the photos. Per-photo values are kept, so that two encoders
can be compared paired over the same photos (`paired` in the study notebook).
"""
import argparse, json, sys, time
from pathlib import Path
import torch

PHOTOS_SEED = 10**9 + 100000 # as bench/encoder_quality.py

def codes(E, x, reading:str, batch:int=100) -> tuple:
    "The pivots `[n, num_ws, w_dim]` of `x` under a reading, and the stage it used."
    stage = {'trained': int(E.trained_stage), 'all': E.max_stage}.get(reading)
    stage = int(reading) if stage is None else stage
    with torch.no_grad(): return torch.cat([E(xb, stage=stage) for xb in x.split(batch)]), stage

def distortion(G, P, ws, x, batch:int=100) -> dict:
    "Per photo: MSE and toy perceptual distance of the reconstructions; the reconstructions."
    with torch.no_grad():
        ys = torch.cat([G.synthesis(w, noise_mode='const').clamp(-1, 1) for w in ws.split(batch)])
        per = torch.cat([P(yb, xb) for yb, xb in zip(ys.split(batch), x.split(batch))])
    return {'mse': (ys - x).square().mean([1, 2, 3]).tolist(), 'perceptual': per.tolist()}, ys

def location(ws, w_map) -> dict:
    "Per photo: distance to W (nearest mapped codes) and the spread of the styles."
    from cycle_encoding.metrics import distance_to_w
    spread = (ws - ws.mean(1, keepdim=True)).norm(dim=2).mean(1)
    return {'to_w': distance_to_w(ws, w_map).tolist(), 'spread': spread.tolist()}

def editability(G, net, ws, x, strength:float) -> dict:
    "Editability rows of the shipped InterFaceGAN directions and the toy-FD of the edited images."
    from cycle_encoding.editing import shipped_directions, editability_table, apply_edit
    from cycle_encoding.attributes import toy_fd
    ds = [d for d in shipped_directions() if d.kind == 'interfacegan']
    rows = editability_table(G, net, ds, ws, strength)
    with torch.no_grad():
        edited = [G.synthesis(apply_edit(ws, d, strength), noise_mode='const') for d in ds]
        edited = torch.cat(edited).clamp(-1, 1)
    return {'rows': rows, 'edited_toy_fd': toy_fd(net, edited, x),
            'target_per_unit': sum(r['per_unit'] for r in rows) / len(rows),
            'leakage_per_unit': sum(r['leakage_per_unit'] for r in rows) / len(rows)}

def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('encoders', nargs='+')
    p.add_argument('--out', required=True)
    p.add_argument('--reading', default='trained')
    p.add_argument('--n', type=int, default=1000)
    p.add_argument('--edits', action='store_true')
    p.add_argument('--strength', type=float, default=2.)
    p.add_argument('--edit-n', type=int, default=256, help='the first photos, whose pivots are edited')
    p.add_argument('--threads', type=int, default=None)
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    from cycle_encoding.checkpoints import load_generator
    from cycle_encoding.files import read_safetensors
    from cycle_encoding.encoder import load_encoder
    from cycle_encoding.attributes import load_attribute_net
    from cycle_encoding.losses import ToyPerceptual
    from cycle_encoding.toyfaces import ToyFaces
    from cycle_encoding.core import from_uint8, atomic_write
    t0 = time.time()
    G = load_generator()
    net = load_attribute_net()
    P = ToyPerceptual(net)
    photos = ToyFaces('photos', a.n, seed=PHOTOS_SEED, size=G.img_resolution)
    x = from_uint8(photos.cache(workers=1).images)
    with torch.no_grad(): w_map = G.sample_ws(10000, seed=0)[:, 0]
    results = []
    for f in a.encoders:
        E = load_encoder(f, generator=G)
        meta = read_safetensors(f)[1]
        ws, stage = codes(E, x, a.reading)
        d, _ = distortion(G, P, ws, x)
        r = {'encoder': str(f), 'step': int(meta.get('step', -1)), 'schedule': meta.get('schedule'),
             'reading': a.reading, 'stage': stage, 'trained_stage': int(E.trained_stage),
             'n': a.n, 'per_photo': {**d, **location(ws, w_map)}}
        r['mean'] = {k: sum(v) / len(v) for k, v in r['per_photo'].items()}
        if a.edits:
            k = min(a.edit_n, a.n)
            r['edits'] = {'n': k, **editability(G, net, ws[:k], x[:k], a.strength)}
        results.append(r)
        m = r['mean']
        line = f"{f} [{a.reading}, stage {stage}] mse {m['mse']:.4f} "
        line += f"perceptual {m['perceptual']:.3f} to W {m['to_w']:.3f}"
        if a.edits:
            e = r['edits']
            line += f" edit {e['target_per_unit']:.4f} leak {e['leakage_per_unit']:.4f}"
            line += f" fd {e['edited_toy_fd']:.2f}"
        print(line, flush=True)
    for r in results: # 5 significant digits are plenty for per-photo values
        r['per_photo'] = {k: [float(f'{v:.5g}') for v in vs] for k, vs in r['per_photo'].items()}
    command = 'python bench/encoder_study.py ' + ' '.join(sys.argv[1:])
    with atomic_write(Path(a.out), 'w') as fh:
        json.dump({'command': command, 'seconds': time.time() - t0, 'results': results}, fh)
    print(f"({time.time() - t0:.0f} s) -> {a.out}")

if __name__ == '__main__': main()
