"""Training speed of `train-generator` against rosinality's stylegan2-pytorch `train.py` on this
machine: the same images, architecture (its channel table, `--channel_multiplier`), batch,
regularization intervals (R1 every 16 D steps, path length every 4 G steps on half the batch),
style mixing 0.9, and augmentation at the same fixed probability (its `--augment --augment_p P`;
ours ADA's pipeline with p held at P), both in fp32 on the CPU.

    python bench/train_generator.py --reference PATH_TO_ROSINALITY_CHECKOUT --data FOLDER
                                    [--size 64] [--channel-multiplier 1] [--batch 4]
                                    [--steps 16] [--rounds 2] [--augment-p 0.2] [--threads 2]

The reference runs through its own `train()` (its loop, losses and ADA code; its LMDB
dataset is replaced by a plain loader over the same images, and its CUDA extension loading
is stubbed so that its pure-PyTorch path runs; its augmentation's double-backward helper
looks up an ATen operator by its torch 1 signature, so that one call is redirected to the
same operator with torch 2's). The two alternate in chunks of `--steps`
steps (ours, reference, ours, ...) so that other load on the machine falls on both alike;
the table gives the median images per second of each and the median of the per-round
ratios. The first chunk of each is a warm-up and not counted. The reference is not part of
this project: point the flag at your own checkout.
"""
import argparse, os, statistics, sys, tempfile, time, types
from pathlib import Path

import cycle_encoding # before torch: its OpenMP wait policy applies
import torch


def reference_train(reference:str):
    "rosinality's `train`, `model` and `accumulate`, importable on a CPU without its CUDA ops or LMDB."
    import torch.utils.cpp_extension as ce
    ce.load = lambda *a, **k: types.SimpleNamespace()
    sys.modules.setdefault('lmdb', types.ModuleType('lmdb'))
    sys.path.insert(0, reference)
    import train, model, non_leaking
    def grid_backward(ctx, grad_output, input, grid): # its lookup of the ATen op predates torch 2's signature
        grad_input, grad_grid = torch.ops.aten.grid_sampler_2d_backward(grad_output, input, grid, 0, 0, False,
                                                                        [True, True])
        ctx.save_for_backward(grid)
        return grad_input, grad_grid
    non_leaking.GridSampleBackward.forward = staticmethod(grid_backward)
    return train, model


def ours(images, a):
    "Our trainer on the same architecture and recipe."
    from cycle_encoding.gan import GANTrainConfig, GANTrainer
    from cycle_encoding.generator import GeneratorConfig, channels_from_multiplier
    ch = channels_from_multiplier(a.size, a.channel_multiplier)
    g = GeneratorConfig(img_resolution=a.size, z_dim=512, w_dim=512, mapping_layers=8, channels=ch)
    cfg = GANTrainConfig(generator=g.to_dict(), d_channels=ch, batch_size=a.batch, lr=0.002, r1_gamma=10.,
                         r1_interval=16, pl_weight=2., pl_interval=4, style_mixing=0.9,
                         ada_target=0.6 if a.augment_p > 0 else None, ada_kimg=1e12) # p held where it is set
    t = GANTrainer(cfg, images)
    t.ada_p = a.augment_p
    return t


def reference(images, a, train, model):
    "The reference's models, optimizers, loader and arguments, as its `train.py` builds them."
    G = model.Generator(a.size, 512, 8, channel_multiplier=a.channel_multiplier)
    D = model.Discriminator(a.size, channel_multiplier=a.channel_multiplier)
    G_ema = model.Generator(a.size, 512, 8, channel_multiplier=a.channel_multiplier).eval()
    train.accumulate(G_ema, G, 0)
    gr, dr = 4 / 5, 16 / 17
    g_opt = torch.optim.Adam(G.parameters(), lr=0.002 * gr, betas=(0 ** gr, 0.99 ** gr))
    d_opt = torch.optim.Adam(D.parameters(), lr=0.002 * dr, betas=(0 ** dr, 0.99 ** dr))
    x = images.float() / 127.5 - 1
    sampler = torch.utils.data.RandomSampler(x, replacement=True, num_samples=2 ** 40)
    loader = torch.utils.data.DataLoader(x, a.batch, sampler=sampler, drop_last=True)
    args = argparse.Namespace(iter=a.steps, start_iter=1, batch=a.batch, latent=512, n_sample=4,
                              mixing=0.9, augment=a.augment_p > 0, augment_p=a.augment_p,
                              ada_target=0.6, ada_length=500000, ada_every=256, d_reg_every=16,
                              g_reg_every=4, r1=10., path_regularize=2., path_batch_shrink=2,
                              distributed=False, wandb=False, size=a.size)
    return lambda: train.train(args, loader, G, D, g_opt, d_opt, G_ema, 'cpu')


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--reference', required=True, help='a rosinality/stylegan2-pytorch checkout')
    p.add_argument('--data', required=True, help='a folder of images')
    p.add_argument('--size', type=int, default=64)
    p.add_argument('--channel-multiplier', type=int, default=1)
    p.add_argument('--batch', type=int, default=4)
    p.add_argument('--steps', type=int, default=16, help='steps per timed chunk, a multiple of 16 (one R1 step, four path-length steps)')
    p.add_argument('--rounds', type=int, default=2, help='timed chunks of each, after one warm-up')
    p.add_argument('--augment-p', type=float, default=0.2, help='augmentation probability (0: none)')
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()
    if a.steps % 16: p.error('--steps must be a multiple of 16, so that both run the same regularization steps')
    torch.set_num_threads(a.threads)
    from cycle_encoding.gan import folder_images
    images, _ = folder_images(a.data, a.size)
    train, model = reference_train(a.reference)
    torch.manual_seed(0)
    t = ours(images, a)
    run_ref = reference(images, a, train, model)
    work = tempfile.mkdtemp() # the reference writes its sample grids under ./sample
    os.chdir(work); os.makedirs('sample', exist_ok=True); os.makedirs('checkpoint', exist_ok=True)
    def run_ours():
        for _ in range(a.steps): t.train_step()
    times = {'ours': [], 'reference': []}
    for r in range(a.rounds + 1):
        for name, f in (('ours', run_ours), ('reference', run_ref)):
            s = time.perf_counter(); f(); dt = time.perf_counter() - s
            if r: times[name].append(a.steps * a.batch / dt)
    ratios = [o / f for o, f in zip(times['ours'], times['reference'])]
    print(f"{a.size} px, channel multiplier {a.channel_multiplier}, batch {a.batch}, augmentation p {a.augment_p}, "
          f"{a.threads} threads, {a.rounds} rounds of {a.steps} steps")
    print('| trainer | images / s (median) |\n|---|---|')
    for k, v in times.items(): print(f'| {k} | {statistics.median(v):.2f} |')
    print(f'ours / reference, median of the rounds: {statistics.median(ratios):.2f}x')


if __name__ == '__main__':
    main()
