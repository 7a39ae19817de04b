"""Seconds to put edited faces back into a photo (`paste_faces`), at photo and crop sizes users meet.

    python bench/paste_back.py [--repeats 5]

For each case, a random photo and random edited crops (the pixels do not change the
cost), with faces placed, sized and rotated as an aligned phone photo's would be: the
crop's square from `ffhq_quad` on a landmark layout scaled into the photo. Prints the
median seconds of `paste_faces` over the repeats (warping, mask, blend; reading the photo
and rendering the edit not included), and the share of the photo's pixels it changed.
"""
import argparse, statistics, time
import numpy as np
from cycle_encoding.align import ffhq_quad, paste_faces

def face_landmarks(cx:float, cy:float, side:float, angle:float) -> np.ndarray:
    "A plausible 68-point layout `[68, 2]`: a face whose crop is about `side` px, turned by `angle`."
    t = np.linspace(0, np.pi, 17)
    jaw = np.stack([-0.32 * np.cos(t), -0.05 + 0.3 * np.sin(t)], 1)
    brows = np.stack([np.linspace(-0.25, 0.25, 10), np.full(10, -0.14)], 1)
    rest = np.zeros((41, 2)) # points 27-67
    rest[9:15], rest[15:21] = [-0.12, -0.08], [0.12, -0.08] # eyes (points 36-47)
    rest[21], rest[27] = [-0.08, 0.12], [0.08, 0.12] # mouth corners (48, 54)
    lm = np.concatenate([jaw, brows, rest]) * side
    c, s = np.cos(angle), np.sin(angle)
    return lm @ np.array([[c, s], [-s, c]]) + [cx, cy]

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--repeats', type=int, default=5)
    a = p.parse_args()
    rng = np.random.default_rng(0)
    cases = [('512 px photo, one face, 64 px crop (toy)', (512, 512), 64, [(256, 150, 180, 0.05)]),
             ('12 Mpx photo, one face, 1024 px crop (FFHQ)', (3024, 4032), 1024, [(2000, 1400, 1400, 0.1)]),
             ('12 Mpx photo, four faces, 1024 px crops', (3024, 4032), 1024,
              [(700, 1200, 700, 0.0), (1700, 1100, 650, -0.1), (2600, 1250, 600, 0.15), (3400, 1150, 550, 0.05)])]
    for name, (h, w), size, faces in cases:
        photo = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        fs = []
        for cx, cy, side, angle in faces:
            lm = face_landmarks(cx, cy, side, angle)
            fs.append((rng.integers(0, 256, (size, size, 3), dtype=np.uint8), ffhq_quad(lm), lm))
        times = []
        for _ in range(a.repeats):
            t = time.perf_counter()
            out = paste_faces(photo, fs)
            times.append(time.perf_counter() - t)
        changed = (out != photo).any(-1).mean()
        print(f"{name}: {statistics.median(times):.3f} s (median of {a.repeats}), {changed:.1%} of the pixels changed")

if __name__ == '__main__': main()
