"""Encoder training speed of `train-encoder` against e4e's own training loop (`training/coach.py`
`Coach.train`) on this machine, for a 256 px generator of config-f's widths (rosinality's
`Generator(256, 512, 8, channel_multiplier=2)`, ours `GeneratorConfig.of('ffhq', img_resolution=256)`),
the IR-SE-50 encoder, the same images, batch, Ranger at lr 1e-4, and e4e's FFHQ recipe (L2 1.0,
delta regularization over the active deltas, progressive deltas from step 20,000, one more every
2,000, the latent discriminator at lambda 0.1 with lr 2e-5, pools of 50 codes and R1 every 16 steps),
both in fp32 on the CPU, from random weights.

    python bench/encoder_speed.py --reference PATH_TO_E4E_CHECKOUT
                                  [--batch 8] [--steps 4] [--rounds 3] [--threads 2]

The generator is one random `Generator`, saved as `.safetensors` for ours (whose trainer is built
as `cycle-encoding train-encoder --generator G.safetensors --schedule e4e --perceptual none
--identity none` builds it) and as rosinality's `.pt` for the reference's decoder, so
both reconstruct through the same weights and the same average latent. Neither the ArcFace
IR-SE-50 weights (identity loss, encoder start) nor LPIPS' AlexNet are at hand, so the identity
and perceptual terms are off on both sides (`id_lambda=0`, `lpips_lambda=0`; ours `none`) and
both encoders start from random weights. What remains is the same on both: the encoder forward
under `no_grad` for the discriminator's fakes, the discriminator's update, the encoder forward,
the generator's synthesis, L2 + delta + adversarial losses, backward and Ranger.

Each side is timed at two points of the schedule: step 0 (stage 0, pure W: one code head, no
delta term) and step 50,000 (all 13 deltas of a 256 px generator on, every head and the whole
pyramid in use); the discriminator runs at both, as in e4e's FFHQ recipe. The reference runs
through its own `Coach` (its `pSp`, losses, discriminator step, pools and Ranger): its options
come from its own parser and `setup_progressive_steps`; its dataset is replaced by the same
random images, its logging, validation and checkpoints are skipped, and its CUDA extension
loading is stubbed with pure-PyTorch kernels (the fused leaky ReLU written out here, its own
`upfirdn2d_native` for the FIR filter) under its own autograd functions. The two alternate in
chunks of `--steps` steps (ours, reference, ours, ...) so that other load on the machine falls on
both alike; the table gives the median steps per second of each and the median of the per-round
ratios. The first chunk of each stage is a warm-up and not counted. The reference is not part of
this project: point the flag at your own checkout. Both trainers live in one process: at batch 2
they peak near 12.5 GiB, most of it the two encoders' weights, gradients and Ranger state. On a
2-core CPU a batch-2 step takes 15 to 45 s: `--batch 2 --steps 2` keeps the run near 15 minutes.
"""
import argparse, contextlib, io, resource, statistics, sys, tempfile, time, types
from pathlib import Path

import cycle_encoding # before torch: its OpenMP wait policy applies
import torch
import torch.nn.functional as F

STAGES = (('W: stage 0', 0), ('W+: all deltas', 50000)) # (what, step) timed on both sides


def fused_bias_act(x, bias, ref, act, grad, alpha, scale):
    "The reference's `fused_bias_act` kernel, leaky ReLU (act 3): forward, or the gradient masked by `ref`."
    if bias.numel(): x = x + bias.view(1, -1, *[1] * (x.dim() - 2)) # bias along channels
    if grad == 0: return F.leaky_relu(x, alpha) * scale
    return torch.where(ref > 0, x, x * alpha) * scale


def reference_modules(reference:str):
    "e4e's `Coach`, options and progressive steps, importable on a CPU without its CUDA ops or TensorBoard."
    import torch.utils.cpp_extension as ce
    fir = lambda *a: sys.modules['models.stylegan2.op.upfirdn2d'].upfirdn2d_native(*a)
    kernels = {'fused': types.SimpleNamespace(fused_bias_act=fused_bias_act),
               'upfirdn2d': types.SimpleNamespace(upfirdn2d=fir)}
    ce.load = lambda name, **k: kernels[name]
    board = types.ModuleType('torch.utils.tensorboard') # logging is skipped: no writer needed
    board.SummaryWriter = lambda **k: None
    sys.modules['torch.utils.tensorboard'] = board
    sys.path.insert(0, reference)
    import models.stylegan2.op # the package's `upfirdn2d` names the function: the module is in sys.modules
    sys.modules['models.stylegan2.op.upfirdn2d'].F = F # its native FIR uses F without importing it
    from training import coach
    from options.train_options import TrainOptions
    from scripts.train import setup_progressive_steps
    return coach, TrainOptions, setup_progressive_steps


def random_generator(work:Path):
    "One random 256 px config-f generator, as our `.safetensors` and as rosinality's `.pt`."
    from cycle_encoding.checkpoints import save_generator, save_rosinality
    from cycle_encoding.generator import Generator, GeneratorConfig
    G = Generator(GeneratorConfig.of('ffhq', img_resolution=256))
    G.mapping.w_avg.copy_(G.mean_w()) # a trained generator's average latent, not zeros
    return save_generator(G, work/'G.safetensors'), save_rosinality(G, work/'G.pt')


def ours(gen:Path, images:torch.Tensor, a, work:Path):
    "Our trainer, built as `cycle-encoding train-encoder --generator G.safetensors` builds it."
    from cycle_encoding.checkpoints import load_generator
    from cycle_encoding.cli import _encoder_config, _preset_name, build_parser
    from cycle_encoding.train_encoder import EncoderTrainer
    args = build_parser().parse_args(['train-encoder', '--generator', str(gen), '--out', str(work/'run'),
                                      '--schedule', 'e4e', '--perceptual', 'none', '--identity', 'none',
                                      '--batch-size', str(a.batch), '--threads', str(a.threads)])
    args.preset = _preset_name(args)
    G = load_generator(args.generator)
    return EncoderTrainer(_encoder_config(args, G), G, images)


def reference_coach(coach):
    "e4e's `Coach` on the CPU, over given images, with its logging, validation and checkpoints skipped."
    class CPUCoach(coach.Coach):
        device = property(lambda self: 'cpu', lambda self, v: None) # its __init__ sets 'cuda:0'
        steps_run = 0
        def configure_datasets(self): return self.images, self.images
        def calc_loss(self, *args):
            self.steps_run += 1
            return super().calc_loss(*args)
        def parse_and_log_images(self, *args, **kw): pass
        def print_metrics(self, *args, **kw): pass
        def log_metrics(self, *args, **kw): pass
        def validate(self): return None
        def checkpoint_me(self, *args, **kw): pass
    return CPUCoach


def reference(images:torch.Tensor, pt:Path, a, work:Path, modules):
    "The reference's coach with its FFHQ recipe's options, for this generator and batch."
    coach, TrainOptions, setup_progressive_steps = modules
    empty = work/'no_ir_se50.pth' # no ArcFace weights: its encoder loads nothing, strict=False
    torch.save({}, empty)
    sys.modules['models.psp'].model_paths['ir_se50'] = str(empty)
    opts = TrainOptions().parser.parse_args(['--dataset_type', 'ffhq_encode', '--exp_dir', str(work/'e4e'),
        '--start_from_latent_avg', '--use_w_pool', '--w_discriminator_lambda', '0.1',
        '--progressive_start', '20000', '--id_lambda', '0', '--lpips_lambda', '0',
        '--stylegan_size', '256', '--stylegan_weights', str(pt), '--workers', '0', '--test_workers', '0',
        '--batch_size', str(a.batch)])
    setup_progressive_steps(opts)
    CPUCoach = reference_coach(coach)
    x = images.float() / 127.5 - 1
    CPUCoach.images = torch.utils.data.TensorDataset(x, x) # its FFHQ source and target are the same image
    with contextlib.redirect_stdout(io.StringIO()): c = CPUCoach(opts)
    _check_decoder(c, pt)
    c.net.train()
    return c


def _check_decoder(c, pt:Path):
    "The reference's decoder holds every tensor of the saved generator (it loads with strict=False)."
    sd = torch.load(pt, map_location='cpu')['g_ema']
    own = c.net.decoder.state_dict()
    if set(sd) != set(own) or any(not torch.equal(sd[k], own[k]) for k in sd):
        raise RuntimeError(f"{pt}: the reference's decoder did not load every generator tensor")


def reference_steps(c, n:int):
    "`n` steps of the reference's own `Coach.train` loop from its current step."
    start, ran = c.global_step, c.steps_run
    c.opts.max_steps = start + n - 1 # its loop also runs the step that equals max_steps
    with contextlib.redirect_stdout(io.StringIO()): c.train()
    c.global_step += 1 # its loop stops before counting the last step
    if c.steps_run - ran != n: raise RuntimeError(f"the reference ran {c.steps_run - ran} steps, not {n}")


def set_step(t, c, step:int):
    "Both trainers at `step`: ours through its schedule, the reference through its resume path."
    t.step = step
    c.global_step = step
    with contextlib.redirect_stdout(io.StringIO()):
        c.check_for_progressive_training_update(is_resume_from_ckpt=True)
    stage, ref_stage = t.sched.stage(step), c.net.encoder.progressive_stage.value
    if stage != ref_stage:
        raise RuntimeError(f"step {step}: stage {stage} here, {ref_stage} in the reference")
    return stage


def steps_per_second(f, n:int) -> float:
    "Steps per second of `f`, which runs `n` steps."
    began = time.perf_counter()
    f()
    return n / (time.perf_counter() - began)


def time_stage(t, c, a) -> tuple:
    "Both trainers from their step, alternating: `({'ours': [...], 'reference': [...]}, ratios)` after a warm-up."
    def run_ours():
        for _ in range(a.steps): t.train_step()
    runs = {'ours': run_ours, 'reference': lambda: reference_steps(c, a.steps)}
    times = {name: [] for name in runs}
    for r in range(a.rounds + 1):
        for name, f in runs.items():
            v = steps_per_second(f, a.steps)
            if r: times[name].append(v) # the first round warms up
    return times, [o / f for o, f in zip(times['ours'], times['reference'])]


def print_table(rows:list, a, params:tuple, minutes:float):
    "The run's settings and a row per stage: medians of each and of the per-round ratios."
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2 ** 20 # GiB (Linux reports KiB)
    print(f"256 px config-f generator, IR-SE-50 encoder, batch {a.batch}, {a.threads} threads, "
          f"{a.rounds} rounds of {a.steps} steps per stage after a warm-up; L2 + delta + latent "
          f"discriminator (identity and perceptual off); parameters {params[0]:,} ours, "
          f"{params[1]:,} reference; {minutes:.1f} min, peak memory {peak:.1f} GiB")
    print('| stage | ours steps / s | reference steps / s | ours / reference (median of rounds) |')
    print('|---|---|---|---|')
    for what, times, ratios in rows:
        o, r = statistics.median(times['ours']), statistics.median(times['reference'])
        print(f"| {what} | {o:.4f} | {r:.4f} | {statistics.median(ratios):.2f}x |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--reference', required=True, help='an omertov/encoder4editing checkout')
    p.add_argument('--batch', type=int, default=8, help="images per step (the official recipe's 8)")
    p.add_argument('--steps', type=int, default=4, help='steps per timed chunk (at least 2)')
    p.add_argument('--rounds', type=int, default=3, help='timed chunks of each per stage, after one warm-up')
    p.add_argument('--threads', type=int, default=2)
    a = p.parse_args()
    if a.steps < 2: p.error('--steps must be at least 2 (the reference loop runs at least two steps a call)')
    torch.set_num_threads(a.threads)
    work = Path(tempfile.mkdtemp())
    modules = reference_modules(a.reference)
    gen, pt = random_generator(work)
    seed = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (2 * a.batch, 3, 256, 256), dtype=torch.uint8, generator=seed)
    t = ours(gen, images, a, work)
    c = reference(images, pt, a, work, modules)
    params = (sum(q.numel() for q in (*t.encoder.parameters(), *t.G.parameters())),
              sum(q.numel() for q in c.net.parameters()))
    rows, began = [], time.perf_counter()
    for what, step in STAGES:
        stage = set_step(t, c, step)
        rows.append((f'{what} (step {step}, {stage} deltas)', *time_stage(t, c, a)))
    print_table(rows, a, params, (time.perf_counter() - began) / 60)


if __name__ == '__main__':
    main()
