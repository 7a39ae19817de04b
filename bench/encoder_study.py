"""Score toy encoders on held-out photos for the cycle study: distortion, location, editability.

    python bench/encoder_study.py ENCODER [ENCODER ...] --out RESULTS.json
        [--reading trained|all|N] [--n 1000] [--edits] [--strength 2] [--threads 1]
        [--editability] [--strengths 1,2,3,4] [--match-target C] [--fd-samples 2000] [--boot 200]

For each encoder file (a shipped one, a run's `encoder.safetensors` or its `encoders/`
snapshots), read with `--reading` (`trained`: the stage it was trained to; `all`: every
delta, as the official code reads an encoder; or a stage number), the pivots of `n` toy
`photos` (seeds disjoint from the demo and the benchmark) and per photo:
- `mse` and `perceptual` (toy perceptual distance) of the reconstruction,
- `to_w`: the mean distance of the code's styles to the nearest of 10,000 mapped w's,
- `to_w_mahalanobis`: the mean Mahalanobis distance of the code's styles under the Gaussian
  of the same 10,000 mapped w's (`editing.mahalanobis_to_w`; about 10.7 for a mapped w),
- `spread`: the mean distance of the code's styles to their average (0 for a W code).
With `--edits`, the editability of the first `--edit-n` pivots (256) through the base
generator for the shipped InterFaceGAN directions (`editing.editability_table`, edits of
+/- strength: target change per unit and leakage per unit) and the toy-FD of the images
edited by +strength against the photos.
With `--editability`, on all `n` pivots and the shipped InterFaceGAN directions of the
attributes that are not circular (as `cycle-encoding evaluate`), edits of +/- each of
`--strengths` (one sweep, `editing.edit_sweep`):
- per direction the response curve (per photo and strength: target change and leakage),
  and at matched response, per photo `matched_leakage`: the leakage where the mean target
  change reaches a common target, averaged over the directions. The target, per direction:
  `--match-target` if given, else the smallest over the encoders scored together of the
  largest mean target change each reaches (`editing.common_target`): every encoder reaches
  it within the strengths. Encoders scored in separate runs can be matched afterwards
  from the stored curves (`editing.match_response`, `editing.common_target`);
- the edited FD minus the reconstructions' FD against `--fd-samples` of the generator's own
  samples, per signed strength, with a bootstrap interval over the photos (`--boot`
  resamples; the same resamples for every encoder scored on the same photos, so the
  replicates kept in `boot` pair);
- per photo `lec`: latent editing consistency at `--strength`, the mean over the directions.
Per-photo values are kept, so that two encoders can be compared paired over the same
photos (`paired` in the study notebook).
"""
import argparse, json, math, sys, time
from pathlib import Path
import torch

PHOTOS_SEED = 10**9 + 100000 # as bench/encoder_quality.py
FD_SEED = 1 # the generator's samples of the FD reference (the mapped w's of `to_w`: seed 0)

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

def location(ws, w_map, w_dist) -> dict:
    "Per photo: distance to W (nearest mapped codes, Mahalanobis) and the spread of the styles."
    from cycle_encoding.metrics import distance_to_w
    from cycle_encoding.editing import mahalanobis_to_w
    spread = (ws - ws.mean(1, keepdim=True)).norm(dim=2).mean(1)
    return {'to_w': distance_to_w(ws, w_map).tolist(),
            'to_w_mahalanobis': mahalanobis_to_w(ws, w_dist).tolist(), 'spread': spread.tolist()}

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

def attribute_directions(net) -> list:
    "The shipped InterFaceGAN directions of the attributes that are not circular (as `evaluate`)."
    from cycle_encoding.editing import shipped_directions
    spec = net.spec
    return [d for d in shipped_directions('interfacegan')
            if d.name == d.meta.get('attribute') and d.name in spec.names and d.name not in spec.circular]

def sweep_measures(G, net, E, ws, x, ds, strengths, reference, a, batch:int=100) -> tuple:
    "`(response curves by direction, edited FD, per-photo LEC)` of one encoder's pivots `ws`."
    from cycle_encoding.editing import edit_sweep, response_curve, edited_fd, mean_lec
    sweep = edit_sweep(G, net, ws, ds, strengths, batch_size=batch)
    curves = {d.name: response_curve(sweep, d, net.spec) for d in ds}
    fd = edited_fd(sweep, reference, a.boot, seed=0)
    lec = [mean_lec(E, G, xb, ds, a.strength, ws=wb) for xb, wb in zip(x.split(batch), ws.split(batch))]
    return curves, fd, torch.cat(lec).tolist()

def targets(curve_sets:list, names:list, fixed) -> dict:
    "Per direction the target change to match: `fixed`, else the encoders' common target (None: none)."
    from cycle_encoding.editing import common_target
    out = {}
    for k in names:
        if fixed is not None: out[k] = float(fixed)
        else:
            try: out[k] = common_target([c[k] for c in curve_sets])
            except ValueError: out[k] = None # an encoder's edits never raise the target
    return out

def match_all(results:list, curve_sets:list, goal:dict):
    "Put each encoder's matched strengths and per-photo leakages, and `matched_leakage`, in its result."
    from cycle_encoding.editing import match_response
    matched = [{k: match_response(c[k], t) for k, t in goal.items() if t is not None} for c in curve_sets]
    common = [k for k in matched[0] if all(m[k]['reached'] for m in matched)] # reached by every encoder
    for r, ms in zip(results, matched):
        r['editability']['matched'] = {k: {'target_change': m['target_change'], 'reached': m['reached'],
                                           'strength': m['strength'], 'leakage': m['leakage'].tolist(),
                                           'target': m['target'].tolist()} for k, m in ms.items()}
        r['editability']['matched_directions'] = common
        if common:
            leak = torch.stack([ms[k]['leakage'] for k in common]).mean(0)
            r['per_photo']['matched_leakage'] = leak.tolist()

def g5(v):
    "Numbers, nested in lists and dicts, to 5 significant digits (tensors as lists)."
    if torch.is_tensor(v): v = v.tolist()
    if isinstance(v, dict): return {k: g5(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)): return [g5(x) for x in v]
    if isinstance(v, float) and math.isfinite(v): return float(f'{v:.5g}')
    return v

def fd_line(fd:dict) -> str:
    "The edited FD minus the reconstructions' FD per signed strength, with its interval."
    cells = [f"{s:+g}: {d:.3f} [{lo:.3f}, {hi:.3f}]"
             for s, d, (lo, hi) in zip(fd['strengths'], fd['delta'], fd['interval'])]
    return f"  FD recon {fd['reconstruction_fd']:.3f}; edited - recon " + ', '.join(cells)

def print_matched(results:list, goal:dict):
    "Per direction the target and each encoder's matched strength; the matched leakage, paired."
    from cycle_encoding.metrics import mean_ci
    names = [Path(r['encoder']).stem for r in results]
    print('matched response: direction, target change, strength per encoder (' + ', '.join(names) + ')')
    for k, t in goal.items():
        ss = [r['editability']['matched'].get(k, {}).get('strength', float('nan')) for r in results]
        print(f"  {k:<12} {t if t is None else round(t, 4)!s:>8}  " + '  '.join(f'{s:.2f}' for s in ss))
    if 'matched_leakage' not in results[0]['per_photo']: return
    base = torch.tensor(results[0]['per_photo']['matched_leakage'])
    for n, r in zip(names, results):
        leak = torch.tensor(r['per_photo']['matched_leakage'])
        line = f"  matched leakage {n}: {fmt(mean_ci(leak.tolist()))}"
        if r is not results[0]: line += f"; paired - {names[0]}: {fmt(mean_ci((leak - base).tolist()))}"
        print(line)

def fmt(m_ci): return f"{m_ci[0]:.5f} ± {m_ci[1]:.5f}"

def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('encoders', nargs='+')
    p.add_argument('--out', required=True)
    p.add_argument('--reading', default='trained')
    p.add_argument('--n', type=int, default=1000)
    p.add_argument('--edits', action='store_true')
    p.add_argument('--strength', type=float, default=2., help='the strength of --edits and of LEC')
    p.add_argument('--edit-n', type=int, default=256, help='the first photos, whose pivots are edited')
    p.add_argument('--editability', action='store_true',
                   help='matched response, edited FD against the generator, LEC (all n photos)')
    p.add_argument('--strengths', default='1,2,3,4', help='magnitudes of the sweep, each + and -')
    p.add_argument('--match-target', type=float, default=None,
                   help="a fixed target change to match (default: the encoders' common target)")
    p.add_argument('--fd-samples', type=int, default=2000, help="the generator's samples of the FD")
    p.add_argument('--boot', type=int, default=200, help='bootstrap resamples of the FD interval')
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
    from cycle_encoding.editing import w_distribution, sample_features
    t0 = time.time()
    G = load_generator()
    net = load_attribute_net()
    P = ToyPerceptual(net)
    photos = ToyFaces('photos', a.n, seed=PHOTOS_SEED, size=G.img_resolution)
    x = from_uint8(photos.cache(workers=1).images)
    with torch.no_grad(): w_map = G.sample_ws(10000, seed=0)[:, 0]
    w_dist = w_distribution(w_map)
    strengths = [float(s) for s in a.strengths.split(',')]
    if a.editability:
        ds = attribute_directions(net)
        reference = sample_features(G, net, a.fd_samples, seed=FD_SEED)
    results, curve_sets = [], []
    for f in a.encoders:
        t1 = time.time()
        E = load_encoder(f, generator=G).read_as(a.reading) # LEC re-encodes with this reading
        meta = read_safetensors(f)[1]
        ws, stage = codes(E, x, a.reading)
        d, _ = distortion(G, P, ws, x)
        r = {'encoder': str(f), 'step': int(meta.get('step', -1)), 'schedule': meta.get('schedule'),
             'reading': a.reading, 'stage': stage, 'trained_stage': int(E.trained_stage),
             'n': a.n, 'per_photo': {**d, **location(ws, w_map, w_dist)}}
        if a.edits:
            k = min(a.edit_n, a.n)
            r['edits'] = {'n': k, **editability(G, net, ws[:k], x[:k], a.strength)}
        if a.editability:
            curves, fd, lec = sweep_measures(G, net, E, ws, x, ds, strengths, reference, a)
            curve_sets.append(curves)
            r['per_photo']['lec'] = lec
            r['editability'] = {'n': a.n, 'directions': [d.name for d in ds], 'strengths': strengths,
                                'lec_strength': a.strength, 'fd': fd,
                                'curves': {k: {'score': c['score'], 'target': c['target'].tolist(),
                                               'leakage': c['leakage'].tolist()} for k, c in curves.items()}}
        r['seconds'] = time.time() - t1
        results.append(r)
        m = {k: sum(v) / len(v) for k, v in r['per_photo'].items()}
        line = f"{f} [{a.reading}, stage {stage}] mse {m['mse']:.4f} "
        line += f"perceptual {m['perceptual']:.3f} to W {m['to_w']:.3f} Mahalanobis {m['to_w_mahalanobis']:.2f}"
        if a.edits:
            e = r['edits']
            line += f" edit {e['target_per_unit']:.4f} leak {e['leakage_per_unit']:.4f}"
            line += f" fd {e['edited_toy_fd']:.2f}"
        if a.editability: line += f" LEC {m['lec']:.5f}"
        print(line + f" ({r['seconds']:.0f} s)", flush=True)
        if a.editability: print(fd_line(r['editability']['fd']), flush=True)
    settings = {}
    if a.editability:
        goal = targets(curve_sets, [d.name for d in ds], a.match_target)
        match_all(results, curve_sets, goal)
        print_matched(results, goal)
        rule = 'fixed' if a.match_target is not None else 'common: the smallest of the largest mean target changes'
        settings = {'editability': {'strengths': strengths, 'targets': goal, 'target_rule': rule,
                                    'fd_samples': a.fd_samples, 'fd_seed': FD_SEED, 'boot': a.boot,
                                    'lec_strength': a.strength}}
    for r in results: # 5 significant digits are plenty for per-photo values
        r['mean'] = {k: sum(v) / len(v) for k, v in r['per_photo'].items()}
        r['per_photo'] = {k: [float(f'{v:.5g}') for v in vs] for k, vs in r['per_photo'].items()}
        if 'editability' in r: r['editability'] = g5(r['editability'])
    command = 'python bench/encoder_study.py ' + ' '.join(sys.argv[1:])
    with atomic_write(Path(a.out), 'w') as fh:
        json.dump({'command': command, 'seconds': time.time() - t0, **settings, 'results': results}, fh)
    print(f"({time.time() - t0:.0f} s) -> {a.out}")

if __name__ == '__main__': main()
