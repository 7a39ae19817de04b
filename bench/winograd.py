"""Would a Winograd convolution speed up the generator's 3x3 layers on this CPU?

    python bench/winograd.py [--res 256] [--reps 5] [--threads 2]

For every stride-1 3x3 layer of a config-f generator at `--res` (batch 1, its own
modulated weight), this times torch's convolution (oneDNN on a CPU) against a Winograd
F(4x4, 3x3) convolution written in PyTorch operations: the image cut into overlapping 6x6
tiles, each tile and the weight carried into the transform domain by one matrix product,
36 batched products over the channels, and one more product back to 4x4 output tiles. It
needs 2.25 multiplications per output and input channel where the direct convolution
needs 9. The table gives forward and forward+backward milliseconds, and the largest
error of each against a float64 convolution, for unit-variance inputs and weights of unit
gain. The last lines add up what the generator would save if each layer took the faster
of the two. The implementation here is the measurement, not part of the library.
"""
import argparse, statistics, time

import cycle_encoding # before torch: its OpenMP wait policy applies
import torch
import torch.nn.functional as F

# F(4, 3) on the points 0, 1, -1, 2, -2 and infinity
BT = [[4, 0, -5, 0, 1, 0], [0, -4, -4, 1, 1, 0], [0, 4, -4, -1, 1, 0],
      [0, -2, -1, 2, 1, 0], [0, 2, -1, -2, 1, 0], [0, 4, 0, -5, 0, 1]] # input transform
G = [[1/4, 0, 0], [-1/6, -1/6, -1/6], [-1/6, 1/6, -1/6],
     [1/24, 1/12, 1/6], [1/24, -1/12, 1/6], [0, 0, 1]] # weight transform
AT = [[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]] # output


def transforms(dtype=torch.float32):
    "The 2-D transforms as Kronecker products: input `[36, 36]`, weight `[36, 9]`, output `[16, 36]`."
    k = lambda m: torch.kron(torch.tensor(m, dtype=torch.float64), torch.tensor(m, dtype=torch.float64))
    return k(BT).to(dtype), k(G).to(dtype), k(AT).to(dtype)


def winograd_conv3x3(x:torch.Tensor, # `[1, I, H, W]`, H and W multiples of 4
                     w:torch.Tensor, # `[O, I, 3, 3]`
                     kb:torch.Tensor, # The input transform `[36, 36]` (`transforms()[0]`)
                     kg:torch.Tensor, # The weight transform `[36, 9]`
                     ka:torch.Tensor, # The output transform `[16, 36]`
                    ) -> torch.Tensor:
    "`F.conv2d(x, w, padding=1)` by Winograd F(4x4, 3x3): `[1, O, H, W]`."
    _, i, h, wd = x.shape
    o = w.shape[0]
    th, tw = h // 4, wd // 4
    t = th * tw
    xp = F.pad(x[0], [1, 1, 1, 1]) # [I, H+2, W+2]
    d = xp.unfold(1, 6, 4).unfold(2, 6, 4) # [I, th, tw, 6, 6], overlapping tiles
    d = d.permute(3, 4, 0, 1, 2).reshape(36, i * t) # tile position first
    v = (kb @ d).view(36, i, t) # B^T d B for every tile
    u = (kg @ w.reshape(o * i, 9).t()).view(36, o, i) # G g G^T for every channel pair
    m = torch.bmm(u, v).view(36, o * t) # the products, summed over input channels
    y = (ka @ m).view(4, 4, o, th, tw) # A^T m A: 4x4 output tiles
    return y.permute(2, 3, 0, 4, 1).reshape(1, o, h, wd)


def layers(res:int):
    "`(in, out, size)` of the stride-1 3x3 layers of a config-f generator at `res`."
    from cycle_encoding.generator import GeneratorConfig, Generator
    with torch.device('meta'):
        g = Generator(GeneratorConfig(img_resolution=res))
    out = []
    for m in g.synthesis.modules():
        if type(m).__name__ == 'SynthesisLayer' and getattr(m, 'up', 1) == 1 and m.weight.shape[-1] == 3:
            out.append((m.weight.shape[1], m.weight.shape[0], m.resolution))
    return out


def median_ms(f, reps):
    f()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1e3


def measure(i, o, r, reps, kb, kg, ka):
    "Forward and forward+backward ms of both convolutions, and their largest errors against float64."
    torch.manual_seed(0)
    x = torch.randn(1, i, r, r)
    w = torch.randn(o, i, 3, 3) / (9 * i) ** 0.5
    ref = F.conv2d(x.double(), w.double(), padding=1)
    direct = lambda a, b: F.conv2d(a, b, padding=1)
    wino = lambda a, b: winograd_conv3x3(a, b, kb, kg, ka)
    out = {}
    for name, f in (('direct', direct), ('winograd', wino)):
        with torch.no_grad():
            out[name, 'err'] = (f(x, w).double() - ref).abs().max().item()
            out[name, 'fwd'] = median_ms(lambda: f(x, w), reps)
        xg, wg = x.clone().requires_grad_(), w.clone().requires_grad_()
        def fb():
            f(xg, wg).square().mean().backward()
            xg.grad = wg.grad = None
        out[name, 'fwdbwd'] = median_ms(fb, reps)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--res', type=int, default=256, help="generator resolution")
    p.add_argument('--reps', type=int, default=5)
    p.add_argument('--threads', type=int, default=None)
    a = p.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    kb, kg, ka = transforms()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; stride-1 3x3 layers of a "
          f"{a.res} px config-f generator, batch 1 (median ms of {a.reps})")
    hdr = (f"{'in->out':>9} {'px':>5} | {'fwd direct':>10} {'winograd':>8} | {'f+b direct':>10} {'winograd':>8}"
           f" | {'err direct':>10} {'winograd':>8}")
    print(hdr)
    print('-' * len(hdr))
    tot = {k: 0. for k in ('direct fwd', 'best fwd', 'direct fwdbwd', 'best fwdbwd')}
    for i, o, r in layers(a.res):
        m = measure(i, o, r, a.reps, kb, kg, ka)
        print(f"{f'{i}->{o}':>9} {r:>5} | {m['direct', 'fwd']:>10.1f} {m['winograd', 'fwd']:>8.1f} | "
              f"{m['direct', 'fwdbwd']:>10.1f} {m['winograd', 'fwdbwd']:>8.1f} | "
              f"{m['direct', 'err']:>10.1e} {m['winograd', 'err']:>8.1e}", flush=True)
        for pas in ('fwd', 'fwdbwd'):
            tot[f'direct {pas}'] += m['direct', pas]
            tot[f'best {pas}'] += min(m['direct', pas], m['winograd', pas])
    for pas, name in (('fwd', 'forward'), ('fwdbwd', 'forward+backward')):
        d, b = tot[f'direct {pas}'], tot[f'best {pas}']
        print(f"{name}: these layers take {d:.0f} ms direct; the faster of the two in each would save {d - b:.0f} ms")


if __name__ == '__main__': main()
