"""Seconds per slider update of the widget editor (`LatentEditor`) on this machine.

    python bench/widget.py [--updates 50] [--threads 2]

Inverts one toy photo with the shipped models (cycle pivot, refinement and tuning), opens
a `LatentEditor` on it and moves sliders as a user would: each update applies the edits,
renders through the tuned (then the base) generator and encodes the PNG the widget shows.
Prints the median and 90th-percentile milliseconds per update.
"""
import argparse, statistics, tempfile, time
from pathlib import Path
import torch

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--updates', type=int, default=50); p.add_argument('--threads', type=int, default=None)
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    from cycle_encoding.invert import build_inverter, invert_all, load_inversion
    from cycle_encoding.toyfaces import write_toyfaces
    from cycle_encoding.widgets import LatentEditor
    inv = build_inverter()
    with tempfile.TemporaryDirectory() as d:
        write_toyfaces(Path(d)/'photos', 'photos', 1, 10**9 + 120000, inv.G.img_resolution)
        invert_all(inv, [Path(d)/'photos'], Path(d)/'out', progress=False)
        r = load_inversion(next(q for q in (Path(d)/'out').iterdir() if q.is_dir()))
        ed = LatentEditor(r)
        names = list(ed.strengths)
        for which in ('tuned', 'base'):
            ed.set_generator(which)
            ts = []
            for i in range(a.updates):
                t = time.perf_counter(); ed.set_strength(names[i % len(names)], (i % 7 - 3) * 0.5); ts.append(time.perf_counter() - t)
            ts.sort()
            print(f"{which} generator, {len(names)} sliders, {r.G.img_resolution} px: median {statistics.median(ts) * 1000:.1f} ms per update, "
                  f"90th percentile {ts[int(0.9 * len(ts))] * 1000:.1f} ms (render alone {ed.last_render_seconds * 1000:.1f} ms)")

if __name__ == '__main__': main()
