"""Two of the library's processes on one machine: each workload alone, then two copies side by side,
under several OpenMP wait policies.

    python bench/sharing.py [--policies libgomp,library,passive] [--workloads tune,sample] [--reps 3]

Workloads (the shipped toy models, CPU, torch's default thread count):
  tune    80 steps of pivotal tuning (toy preset's losses, no early stop)
  sample  512 toy images (`generate_images`, batches of 16)

Policies (environment of both processes):
  libgomp  GOMP_SPINCOUNT=300000: libgomp's own default, threads spin ~0.3 M iterations
           before they sleep (what a process got before the library set a policy)
  library  nothing set: the policy `cycle_encoding` sets at import when the user has not
           (GOMP_SPINCOUNT=1000 and KMP_BLOCKTIME=0; set in `cycle_encoding/__init__.py`)
  passive  OMP_WAIT_POLICY=PASSIVE: threads sleep as soon as they wait
  spin1k   GOMP_SPINCOUNT=1000 (spin4k: 4000, spin30k: 30000; any spin<N>k): spin briefly, then sleep

Each line gives the seconds of one process alone and of each of two started together; with
--reps R the policies take turns R times and each figure is the median of its R runs.
"""
import argparse, os, statistics, subprocess, sys, time

WORKLOAD = r'''
import sys, time
import cycle_encoding # before torch: the library's wait policy applies
import torch
from cycle_encoding.checkpoints import load_generator
what = sys.argv[1]
G = load_generator()
if what == 'tune':
    from cycle_encoding.attributes import load_attribute_net
    from cycle_encoding.losses import ToyPerceptual
    from cycle_encoding.tune import TuneConfig, tune_generator
    P = ToyPerceptual(load_attribute_net())
    torch.manual_seed(0)
    pivot = G.mapping(torch.randn(1, G.z_dim)).detach()
    target = torch.rand(1, 3, G.img_resolution, G.img_resolution) * 2 - 1
    cfg = TuneConfig.of('toy')
    cfg.max_steps, cfg.threshold = 80, 0.
    run = lambda: tune_generator(G, pivot, target, P, cfg)
else:
    from cycle_encoding.generator import generate_images
    run = lambda: generate_images(G, 512, seed=0, batch_size=16)
t = time.perf_counter()
run()
print(f"{time.perf_counter() - t:.2f}")
'''

POLICIES = {'libgomp': {'GOMP_SPINCOUNT': '300000'},
            'library': {},
            'passive': {'OMP_WAIT_POLICY': 'PASSIVE'},
            'spin1k': {'GOMP_SPINCOUNT': '1000'},
            'spin4k': {'GOMP_SPINCOUNT': '4000'}}


def environment(policy:str) -> dict:
    "This process's environment without any wait policy, plus `policy`'s."
    drop = ('OMP_WAIT_POLICY', 'GOMP_SPINCOUNT', 'KMP_BLOCKTIME')
    env = {k: v for k, v in os.environ.items() if k not in drop}
    if policy not in POLICIES and policy.startswith('spin') and policy.endswith('k'):
        return {**env, 'GOMP_SPINCOUNT': str(int(policy[4:-1]) * 1000)}
    return {**env, **POLICIES[policy]}


def run_together(what:str, policy:str, n:int) -> list:
    "Seconds of each of `n` copies of workload `what`, started together."
    ps = [subprocess.Popen([sys.executable, '-c', WORKLOAD, what], env=environment(policy),
                           stdout=subprocess.PIPE, text=True) for _ in range(n)]
    out = [p.communicate()[0] for p in ps]
    return [float(o.strip().splitlines()[-1]) for o in out]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--policies', default='libgomp,library,spin1k')
    p.add_argument('--workloads', default='tune,sample')
    p.add_argument('--reps', type=int, default=1, help="rounds of all policies (figures: medians)")
    a = p.parse_args()
    import torch
    print(f"torch {torch.__version__}, {os.cpu_count()} CPUs, {torch.get_num_threads()} threads per process")
    print(f"{'workload':>8} {'policy':>8} | {'alone s':>7} | {'side by side s (each)':>22}")
    for what in a.workloads.split(','):
        policies = a.policies.split(',')
        runs = {k: {'alone': [], 'a': [], 'b': []} for k in policies}
        for _ in range(a.reps): # the policies take turns, so that drift in the machine falls on all
            for policy in policies:
                runs[policy]['alone'].append(run_together(what, policy, 1)[0])
                pa, pb = sorted(run_together(what, policy, 2))
                runs[policy]['a'].append(pa); runs[policy]['b'].append(pb)
        for policy, r in runs.items():
            m = {k: statistics.median(v) for k, v in r.items()}
            print(f"{what:>8} {policy:>8} | {m['alone']:7.2f} | {m['a']:10.2f} {m['b']:10.2f}", flush=True)


if __name__ == '__main__': main()
