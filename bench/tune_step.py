"""One pivotal tuning step, ours against PTI's own code, on the same CPU, weights, photo and
pivot, the steps interleaved one by one.

    python bench/tune_step.py --pti PTI_CHECKOUT --nvidia STYLEGAN2_ADA_CHECKOUT
                              [--resolution 256] [--steps 24] [--precision fp32,mixed]
                              [--threads 1] [--no-locality] [--perceptual alex|vgg] [--profile]

PTI's side is its own code: `BaseCoach.forward` and `BaseCoach.calc_loss` (the pivot's L2 and
LPIPS, and its `Space_Regulizer` locality term), then its optimizer's zero_grad, backward
and step, on a generator built by NVIDIA's `training/networks.py` (what PTI unpickles),
in float32 as PTI runs it (`force_fp32=True`). Ours is `PivotalTuner.step` with the same
settings (PTI's lr, LPIPS and locality weights, one locality code a step) in each
precision given. Both tune from the same random config-f weights; the photo is a render of
another code plus noise; the pivot a mapped code. Both use one LPIPS network (the `lpips`
package, which PTI uses, on random backbone weights: nothing is downloaded); PTI's
locality codes are drawn from the same seeded stream as ours, so in fp32 the two losses
agree step for step (printed).

The table gives the mean and median seconds a step over `--steps` steps after two
warm-up steps each, and the ratio of the means. With `locality_batch` > 1 ours renders
the original generator's images for that many steps at once, so `--steps` should be a
multiple of it for the mean to count those renders in full. Neither checkout is part of
this project: point the flags at your own.

--profile then profiles `locality_batch` more of our steps (one full cycle of the original
generator's batched renders) in each precision: the seconds a step of each stage
(`tune: ...` scopes: the locality targets, the render, the perceptual network, the
backward pass, Adam) and the operators that take the most time.
"""
import argparse, importlib.util, statistics, sys, tempfile, time, types
from pathlib import Path

import cycle_encoding # before torch: its OpenMP wait policy applies
import numpy as np
import torch


def random_backbone(net:str, folder:Path) -> Path:
    "A torchvision backbone file with random weights (LPIPS needs one; nothing is downloaded)."
    import torchvision
    from cycle_encoding.losses import TORCHVISION_FILES
    torch.manual_seed(1)
    m = torchvision.models.alexnet() if net == 'alex' else torchvision.models.vgg16()
    path = folder / TORCHVISION_FILES[net]
    torch.save(m.state_dict(), path)
    return path


def nvidia_generator(nvidia:str, G):
    "NVIDIA's `networks.Generator` with `G`'s weights (as PTI's pickles hold it)."
    sys.path.append(nvidia) # its torch_utils (its `training` package is PTI's name too: loaded by file)
    spec = importlib.util.spec_from_file_location('nvidia_networks', Path(nvidia) / 'training' / 'networks.py')
    nv = importlib.util.module_from_spec(spec)
    sys.modules['nvidia_networks'] = nv # its persistence decorator looks the module up
    spec.loader.exec_module(nv)
    c = G.cfg
    Gn = nv.Generator(z_dim=c.z_dim, c_dim=0, w_dim=c.w_dim, img_resolution=c.img_resolution, img_channels=3,
                      mapping_kwargs=dict(num_layers=c.mapping_layers),
                      synthesis_kwargs=dict(channel_base=32768, channel_max=512, num_fp16_res=0, conv_clamp=None))
    missing, unexpected = Gn.load_state_dict(G.state_dict(), strict=False)
    assert not unexpected and all(k.endswith('resample_filter') for k in missing), (missing, unexpected)
    return Gn.eval()


def pti_stepper(pti:str, Gn, lpips_model, pivot, target, seed:int, locality:bool):
    "A callable: one step of PTI's own tuning loop body; its loss."
    import copy
    sys.modules.setdefault('wandb', types.ModuleType('wandb')) # PTI imports it; nothing is logged
    sys.path.insert(0, pti)
    from configs import global_config, hyperparameters
    from training.coaches.base_coach import BaseCoach
    from criteria import localitly_regulizer
    global_config.device = str(target.device)
    hyperparameters.use_locality_regularization = locality
    z_dim = Gn.z_dim
    g = torch.Generator().manual_seed(seed) # ours draws its locality z's from this stream
    localitly_regulizer.np = types.SimpleNamespace(random=types.SimpleNamespace(
        randn=lambda n, d: torch.randn(n, d, generator=g).double().numpy()))
    coach = types.SimpleNamespace(use_wandb=False, lpips_loss=lpips_model)
    coach.G = copy.deepcopy(Gn).eval().requires_grad_(True) # as PTI's load_old_G and toogle_grad leave it
    G0 = copy.deepcopy(Gn).eval().requires_grad_(False)
    coach.space_regulizer = localitly_regulizer.Space_Regulizer(G0, lpips_model)
    opt = BaseCoach.configure_optimizers(coach)
    def step():
        y = BaseCoach.forward(coach, pivot)
        loss, _, _ = BaseCoach.calc_loss(coach, y, target, 'photo', coach.G, True, pivot)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def build(res:int, perceptual:str, folder:Path):
    "Our generator (random config-f weights), an LPIPS on random backbone weights, a photo and a pivot."
    from cycle_encoding.losses import LPIPS
    from generator import build_pair # bench/generator.py: the same seeded weights, noise and biases
    G, _ = build_pair(res, None)
    with torch.no_grad():
        w = G.mapping(torch.randn(2, G.z_dim))
        photo = G.synthesis(w[1:], noise_mode='const')
        photo = (photo / photo.abs().amax() + 0.05 * torch.randn_like(photo)).clamp(-1, 1)
    P = LPIPS(perceptual, weights=random_backbone(perceptual, folder))
    return G, P, w[:1].detach(), photo


def stage_profile(tuner, precision:str, steps:int):
    "Seconds a step of each `tune: ...` stage over `steps` steps, and the top operators."
    from torch.profiler import profile, ProfilerActivity
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        t = time.perf_counter()
        for _ in range(steps): tuner.step()
        wall = (time.perf_counter() - t) / steps
    ev = {e.key: e for e in prof.key_averages()}
    print(f"\nours, {precision}: {wall:.3f} s a step over {steps} steps (profiled)")
    for k in ('tune: locality targets', 'tune: render', 'tune: perceptual', 'tune: backward', 'tune: adam'):
        if k in ev:
            sec = ev[k].cpu_time_total / 1e6 / steps
            print(f"  {k:<24} {sec:7.3f} s  {sec / wall:6.1%}")
    print(prof.key_averages().table(sort_by='self_cpu_time_total', row_limit=12))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--pti', required=True, help="a danielroich/PTI checkout")
    p.add_argument('--nvidia', required=True, help="an NVlabs/stylegan2-ada-pytorch checkout (training/networks.py)")
    p.add_argument('--resolution', type=int, default=256)
    p.add_argument('--steps', type=int, default=24, help="timed steps of each, after two warm-up steps")
    p.add_argument('--precision', default='fp32,mixed', help="ours in each of these, comma separated")
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--no-locality', action='store_true', help="both without the locality term")
    p.add_argument('--perceptual', default='alex', choices=['alex', 'vgg'])
    p.add_argument('--locality-batch', type=int, default=None,
                   help="ours: the original generator renders this many steps' codes at once "
                        "(default TuneConfig's; 1 renders each step's own, as PTI does)")
    p.add_argument('--profile', action='store_true')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    from cycle_encoding.tune import TuneConfig, PivotalTuner
    from cycle_encoding.core import resolve_precision
    with tempfile.TemporaryDirectory() as d:
        G, P, pivot, photo = build(a.resolution, a.perceptual, Path(d))
    Gn = nvidia_generator(a.nvidia, G)
    locality = not a.no_locality
    precisions = a.precision.split(',')
    tuners = {}
    for prec in precisions:
        cfg = TuneConfig(threshold=-1., max_steps=10 ** 6, locality=locality, precision=prec)
        if a.locality_batch: cfg.locality_batch = a.locality_batch
        tuners[prec] = PivotalTuner(G, pivot, photo, P, cfg, seed=0)
    pti = pti_stepper(a.pti, Gn, P.model, pivot, photo, seed=0, locality=locality)
    calls = {f'ours {p}': (lambda t=t: t.step()[0]) for p, t in tuners.items()}
    calls['PTI'] = pti
    times = {k: [] for k in calls}
    losses = {k: [] for k in calls}
    for i in range(a.steps + 2):
        for k, f in calls.items():
            t = time.perf_counter()
            losses[k].append(f())
            if i >= 2: times[k].append(time.perf_counter() - t)
    lb = tuners[precisions[0]].cfg.locality_batch
    print(f"torch {torch.__version__}, {a.threads} threads, {a.resolution} px, LPIPS-{a.perceptual}, "
          f"locality {'on' if locality else 'off'} (ours: locality_batch {lb}); {a.steps} steps each, interleaved")
    print(f"{'':>14} | {'mean s':>7} {'median s':>8} | {'PTI / ours':>10} | loss after {a.steps + 2} steps")
    pm = statistics.mean(times['PTI'])
    for k in calls:
        m = statistics.mean(times[k])
        mode = resolve_precision(k.split()[1]) if k != 'PTI' else 'fp32'
        print(f"{k + (' (' + mode + ')' if k != 'PTI' and mode != k.split()[1] else ''):>14} | {m:7.3f} "
              f"{statistics.median(times[k]):8.3f} | {pm / m:10.2f} | {losses[k][-1]:.6f}")
    if 'ours fp32' in losses:
        gap = max(abs(x - y) for x, y in zip(losses['ours fp32'], losses['PTI']))
        print(f"ours fp32 against PTI: largest loss difference over the steps {gap:.2e}")
    for k in calls:
        if k.startswith('ours') and k != 'ours fp32' and 'ours fp32' in losses:
            rel = abs(losses[k][-1] - losses['ours fp32'][-1]) / losses['ours fp32'][-1]
            print(f"{k} against ours fp32: loss after {a.steps + 2} steps differs by {rel:.2%}")
    if a.profile:
        for prec, t in tuners.items(): stage_profile(t, prec, t.cfg.locality_batch)

if __name__ == '__main__': main()
