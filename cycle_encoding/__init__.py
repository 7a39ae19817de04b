__version__ = "0.1.0"

import os as _os
# OpenMP reads its wait policy once, when torch loads it: set it before any import of torch.
# Threads that spin while they wait take the cores from any other process (another notebook
# kernel, a command, a training run): two tuning runs side by side took 52 s each with
# spinning threads, 18 s with sleeping ones (10-12 s alone). `bench/sharing.py` measures it.
# A policy the user chose (OMP_WAIT_POLICY, GOMP_SPINCOUNT or KMP_BLOCKTIME) is kept.
if not any(v in _os.environ for v in ('OMP_WAIT_POLICY', 'GOMP_SPINCOUNT', 'KMP_BLOCKTIME')):
    _os.environ['OMP_WAIT_POLICY'] = 'PASSIVE'

from .generator import Generator, GeneratorConfig
from .checkpoints import load_generator, save_generator, convert_generator, CheckpointError
from .encoder import Encoder, EncoderConfig
from .train_encoder import load_encoder, save_encoder
