__version__ = "0.1.0"

import os as _os
# OpenMP reads its wait policy once, when torch loads it: set it before any import of torch.
# Threads that spin while they wait take the cores from any other process (another notebook
# kernel, a command, a training run). With libgomp's default spin (300,000 iterations), two
# toy tuning runs side by side on 2 cores took 26-40 s each against 7 s alone. Threads that
# spin 1,000 iterations and then sleep took 12.5 s each side by side, for 8-16% more alone;
# sleeping at once (PASSIVE) 11-13 s side by side, for 25-30% more alone; longer spins bring
# back the fight (10,000: 24 s each). `bench/sharing.py` measures it. GOMP_SPINCOUNT is
# libgomp's (torch's OpenMP on Linux; OMP_WAIT_POLICY=PASSIVE would override it with no spin at
# all); KMP_BLOCKTIME=0 is the same idea for LLVM's and Intel's runtimes, which sleep at once.
# A policy the user chose (OMP_WAIT_POLICY, GOMP_SPINCOUNT or KMP_BLOCKTIME) is kept.
if not any(v in _os.environ for v in ('OMP_WAIT_POLICY', 'GOMP_SPINCOUNT', 'KMP_BLOCKTIME')):
    _os.environ['GOMP_SPINCOUNT'] = '1000'
    _os.environ['KMP_BLOCKTIME'] = '0'

from .generator import Generator, GeneratorConfig
from .files import CheckpointError
from .checkpoints import load_generator, save_generator, convert_generator
from .encoder import Encoder, EncoderConfig, load_encoder, save_encoder
