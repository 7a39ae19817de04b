"""Encoder throughput on this machine: inference images/s for the toy and FFHQ presets, and
the toy training step time with 1 and 2 processes (torchrun, gloo).

    python bench/encoder.py [--reps 3] [--train-steps 10]

Run it on an otherwise idle machine.
"""
import argparse, json, os, subprocess, sys, tempfile, time
import torch

TRAIN = r'''
import sys, time, json, torch
from cycle_encoding.generator import Generator, GeneratorConfig
from cycle_encoding.train_encoder import EncoderTrainConfig, EncoderTrainer, init_distributed
rank, world, device = init_distributed()
torch.manual_seed(0)
G = Generator(GeneratorConfig.of('toy')).eval()
cfg = EncoderTrainConfig.of('toy'); cfg.perceptual = cfg.identity = 'toy'
t = EncoderTrainer(cfg, G, torch.randint(0, 256, (256, 3, 64, 64), dtype=torch.uint8))
t.step = t.sched.w_steps + 10 * t.sched.add_every # a stage with deltas on
for _ in range(2): t.train_step()
n = int(sys.argv[1]); s = time.perf_counter()
for _ in range(n): t.train_step()
if rank == 0: print(json.dumps({'sec_per_step': (time.perf_counter() - s) / n}))
'''

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--reps', type=int, default=3); p.add_argument('--train-steps', type=int, default=10)
    a = p.parse_args()
    from cycle_encoding.encoder import Encoder, EncoderConfig
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name, cfg, batch in (('toy', EncoderConfig.of('toy'), 32), ('ffhq', EncoderConfig.of('ffhq'), 4)):
        E = Encoder(cfg).eval()
        x = torch.randn(batch, 3, cfg.in_resolution, cfg.in_resolution)
        with torch.no_grad():
            E(x); t = time.perf_counter()
            for _ in range(a.reps): E(x)
        dt = (time.perf_counter() - t) / a.reps
        print(f"encoder inference {name} ({cfg.in_resolution} px, batch {batch}, all deltas): {batch/dt:.1f} images/s")
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'train.py'); open(f, 'w').write(TRAIN)
        for n in (1, 2):
            env = {**os.environ, 'OMP_NUM_THREADS': str(max(1, torch.get_num_threads() // n))}
            cmd = [sys.executable, f, str(a.train_steps)] if n == 1 else [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', f, str(a.train_steps)]
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
            line = [l for l in r.stdout.splitlines() if l.startswith('{')]
            print(f"toy encoder training, {n} process(es), global batch 8: " + (f"{json.loads(line[-1])['sec_per_step']:.3f} s/step" if line else f"failed: {r.stderr[-300:]}"))

if __name__ == '__main__': main()
