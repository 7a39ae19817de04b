"""The FFHQ road end to end, on files in the official formats with the real architectures.

    python bench/official_path.py [--resolution 256] [--refine-steps 1] [--tune-steps 2]
                                  [--device cpu] [--threads N] [--keep DIR]

No pretrained weights are needed: the script builds, in a temporary folder, a config-f
StyleGAN2 of the given resolution as a rosinality `.pt`, an e4e encoder (IR-SE-50, 256 px
input) as an official e4e `.pt` with that generator as its decoder, random AlexNet
weights where LPIPS looks for torchvision's, and one photo; all with random weights. It
then runs the commands a user with the official files runs,

    cycle-encoding invert PHOTO --generator G.pt --encoder E.pt --preset ffhq ...
    cycle-encoding edit OUT/photo --direction age.pt --strengths -2,0,2 ...

and prints the sizes of the files, the seconds of each stage (from metrics.json) and the
wall time of each command. With random weights the pictures mean nothing; the figures
are the cost of the road. `--resolution 1024 --refine-steps 15 --tune-steps 350` on a GPU
is the published recipe's cost per image.
"""
import argparse, json, os, subprocess, sys, tempfile, time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

def build_files(d:Path, resolution:int) -> dict:
    "Official-format generator, encoder, direction and a photo in `d`; LPIPS' backbone."
    import torchvision
    from cycle_encoding.generator import Generator, GeneratorConfig, channels_from_multiplier
    from cycle_encoding.checkpoints import save_rosinality
    from cycle_encoding.encoder import Encoder, EncoderConfig, save_official_encoder
    from cycle_encoding.losses import torchvision_weights_path
    torch.manual_seed(0)
    G = Generator(GeneratorConfig(img_resolution=resolution,
                                  channels=channels_from_multiplier(resolution, 2)))
    files = {'generator': save_rosinality(G, d/'stylegan2.pt')}
    cfg = EncoderConfig.of('ffhq')
    cfg.num_ws = G.num_ws
    E = Encoder(cfg, latent_avg=G.w_avg)
    files['encoder'] = save_official_encoder(E, d/'e4e_ffhq_encode.pt', G)
    files['direction'] = d/'age.pt'
    torch.save(torch.nn.functional.normalize(torch.randn(1, G.w_dim), dim=1), files['direction'])
    backbone = torchvision_weights_path('alex')
    if not backbone.exists():
        backbone.parent.mkdir(parents=True, exist_ok=True)
        alex = torchvision.models.alexnet().features.state_dict()
        torch.save({f'features.{k}': v for k, v in alex.items()}, backbone)
    pixels = np.random.default_rng(0).integers(0, 255, (resolution, resolution, 3), np.uint8)
    files['photo'] = d/'photo.png'
    Image.fromarray(pixels).save(files['photo'])
    return files

def run(cmd:list) -> float:
    "Run a command, fail loudly, return its wall time."
    t = time.time()
    subprocess.run(cmd, check=True)
    return time.time() - t

def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--resolution', type=int, default=256)
    p.add_argument('--refine-steps', type=int, default=1)
    p.add_argument('--tune-steps', type=int, default=2)
    p.add_argument('--device', default='cpu')
    p.add_argument('--threads', type=int, default=None)
    p.add_argument('--keep', default=None, help='build the files here and keep them')
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(a.keep or tmp)
        d.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault('TORCH_HOME', str(d/'torch')) # random AlexNet, not a real one
        t = time.time()
        files = build_files(d, a.resolution)
        print(f"built the files in {time.time() - t:.1f} s:")
        for k, f in files.items(): print(f"  {k:9s} {f.name:22s} {f.stat().st_size / 2**20:8.1f} MiB")
        exe = [sys.executable, '-m', 'cycle_encoding.cli']
        threads = ['--threads', str(a.threads)] if a.threads else []
        inv = [*exe, 'invert', str(files['photo']), '--generator', str(files['generator']),
               '--encoder', str(files['encoder']), '--preset', 'ffhq', '--n-reg', '16',
               '--refine-steps', str(a.refine_steps), '--tune-steps', str(a.tune_steps),
               '--device', a.device, *threads, '--out', str(d/'out')]
        t_inv = run(inv)
        m = json.loads((d/'out'/'photo'/'metrics.json').read_text())
        edit = [*exe, 'edit', str(d/'out'/'photo'), '--direction', str(files['direction']),
                '--strengths', '-2,0,2', '--out', str(d/'edit.png')]
        t_edit = run(edit)
    print(f"\n{a.resolution} px, {a.device}, torch {torch.__version__}; reading {m['reading']} "
          f"(stage {m['stage']}), refinement {a.refine_steps} steps, tuning {m['tune_steps']} steps")
    for k, v in m['seconds'].items(): print(f"  {k:7s} {v:8.2f} s")
    print(f"  invert command {t_inv:8.2f} s (loading the models included)")
    print(f"  edit command   {t_edit:8.2f} s")

if __name__ == '__main__': main()
