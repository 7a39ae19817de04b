__version__ = "0.1.0"

from .generator import Generator, GeneratorConfig
from .checkpoints import load_generator, save_generator, convert_generator, CheckpointError
from .encoder import Encoder, EncoderConfig
from .train_encoder import load_encoder, save_encoder
