"""Toy-domain throughput on this machine: rendering, GAN training steps, generator sampling.

    python bench/toy.py [--steps 10] [--precision fp32|bf16] [--batch 32]

Run it on an otherwise idle machine: another CPU-bound process on the same cores slows
PyTorch many times over.
"""
import argparse, time
import numpy as np
import torch

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--steps', type=int, default=10); p.add_argument('--batch', type=int, default=32)
    p.add_argument('--precision', default='bf16', choices=['fp32', 'bf16'])
    a = p.parse_args()
    from cycle_encoding.toyfaces import render, sample_params
    from cycle_encoding.gan import GANTrainConfig, GANTrainer
    from cycle_encoding.generator import Generator, GeneratorConfig
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    rng = np.random.default_rng(0); ps = [sample_params(rng) for _ in range(50)]
    t = time.perf_counter(); [render(q) for q in ps]; tr = (time.perf_counter() - t) / 50
    t = time.perf_counter(); [render(q, photo_seed=i) for i, q in enumerate(ps)]; tp = (time.perf_counter() - t) / 50
    print(f"render: {tr*1000:.1f} ms per train face, {tp*1000:.1f} ms per photos face (64 px)")
    cfg = GANTrainConfig.of('toy'); cfg.batch_size, cfg.precision = a.batch, a.precision
    tr_ = GANTrainer(cfg, torch.randint(0, 256, (512, 3, 64, 64), dtype=torch.uint8))
    for _ in range(3): tr_.train_step()
    t = time.perf_counter()
    for _ in range(a.steps): tr_.train_step()
    dt = (time.perf_counter() - t) / a.steps
    print(f"GAN training ({a.precision}, batch {a.batch}): {dt:.3f} s/step, {a.batch/dt:.1f} images/s")
    G = Generator(GeneratorConfig.of('toy')).eval()
    with torch.no_grad():
        ws = G.mapping(torch.randn(64, G.z_dim)); G.synthesis(ws)
        t = time.perf_counter()
        for _ in range(5): G.synthesis(ws)
        dt = (time.perf_counter() - t) / 5
    print(f"sampling (fp32, batch 64): {64/dt:.0f} images/s")

if __name__ == '__main__': main()
