"""Command line: export a training checkpoint to a model bundle.

    python3 -m adapler.export --checkpoint run/best.pt --out samples/models/my-model [--fp16]
        [--no-fuse] [--quantize int8]
"""

from __future__ import annotations

import argparse
import sys

import torch

from .bundle import write_bundle
from .checkpoint import Checkpoint


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.export", description=__doc__.strip().splitlines()[0])
    ap.add_argument("--checkpoint", required=True, help="checkpoint file written by the trainer")
    ap.add_argument("--out", required=True, help="bundle directory to write (created if missing)")
    ap.add_argument("--name", help="bundle name in adapler.json (default: the directory name)")
    ap.add_argument("--fp16", action="store_true",
                    help="store weights as float16 on disk (cast to float32 inside the graph)")
    ap.add_argument("--no-fuse", dest="fuse", action="store_false",
                    help="keep the plain operators (default: ONNX Runtime's fused SkipLayerNormalization,"
                         " BiasGelu and one Attention per layer; int8: one packed QKV MatMul)")
    ap.add_argument("--quantize", choices=["int8"],
                    help="int8 encoder linears: per-channel weight scales, per-token activation scales")
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    try:
        ckpt = Checkpoint.load(args.checkpoint)
    except (OSError, ValueError) as e:
        print(f"error: cannot load checkpoint: {e}", file=sys.stderr)
        return 2
    name = args.name or args.out.rstrip("/").rsplit("/", 1)[-1]
    manifest = write_bundle(ckpt, args.out, name, fp16=args.fp16, fuse=args.fuse,
                            quantize=args.quantize)
    size = sum(f["bytes"] for f in manifest["files"].values())
    print(f"wrote bundle {name} to {args.out} ({size / 1e6:.1f} MB, "
          f"{manifest['graph']['weights_dtype']} weights, {manifest['graph']['format']['linears']} linears,"
          f" fused: {', '.join(manifest['graph']['format']['fused']) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
