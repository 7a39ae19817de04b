"""Seconds per image for each stage of an inversion with the shipped toy models, and tuning steps saved by early stopping.

    python bench/invert.py [--n 8] [--pivot cycle] [--threads 2]

Inverts `n` toy photos (seeds disjoint from the demo and the benchmark) with refinement
and pivotal tuning, in a temporary folder, and prints per stage the mean and range of the
seconds per image, and how many tuning steps were run against the preset's maximum.
Run it on an otherwise idle machine.
"""
import argparse, json, statistics, tempfile, time
from pathlib import Path
import cycle_encoding # before torch: its OpenMP wait policy applies
import torch

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--n', type=int, default=8); p.add_argument('--pivot', default='cycle')
    p.add_argument('--threads', type=int, default=None); p.add_argument('--seed', type=int, default=10**9 + 60000)
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    from cycle_encoding.invert import build_inverter, invert_all
    from cycle_encoding.toyfaces import write_toyfaces
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    t = time.time(); inv = build_inverter(pivot=a.pivot); t_load = time.time() - t
    print(f"loading models and regularization faces: {t_load:.1f} s (once per run)")
    with tempfile.TemporaryDirectory() as d:
        write_toyfaces(Path(d)/'photos', 'photos', a.n, a.seed, inv.G.img_resolution)
        t = time.time(); invert_all(inv, [Path(d)/'photos'], Path(d)/'out', progress=False); total = time.time() - t
        ms = [json.loads(f.read_text()) for f in sorted((Path(d)/'out').glob('*/metrics.json'))]
    print(f"{len(ms)} images, pivot {a.pivot}, refinement {inv.refine_cfg.steps} steps, tuning at most {inv.tune_cfg.max_steps} steps "
          f"(stop at toy perceptual distance {inv.tune_cfg.threshold})")
    for k in ('align', 'encode', 'refine', 'tune'):
        v = [m['seconds'][k] for m in ms]
        print(f"  {k:>7}: {statistics.mean(v):6.2f} s per image (min {min(v):.2f}, max {max(v):.2f})")
    steps = [m.get('tune_steps', 0) for m in ms]
    print(f"  tuning steps: mean {statistics.mean(steps):.0f} of at most {inv.tune_cfg.max_steps} "
          f"({sum(m.get('tune_stopped_early', False) for m in ms)} of {len(ms)} stopped early; official maximum 350)")
    print(f"  total {total:.1f} s, {total / len(ms):.1f} s per image (with saving and the summary grid)")

if __name__ == '__main__': main()
