"""Command line: export a training checkpoint to a model bundle, or convert a bundle.

    python3 -m adapler.export --checkpoint run/best.pt --out samples/models/my-model [--fp16]
        [--no-fuse] [--quantize int8]
    python3 -m adapler.export --bundle samples/models/spam-minilm --out build/models/spam-minilm-int8 \
        --quantize int8

--bundle reads the weights, CPs, eta and theta back from a bundle's graph (adapler.bundle_import),
so an int8 (or unfused) copy needs no training checkpoint. The copy keeps the source's weight
storage (fp16 when the source has it) and records the source in provenance.converted_from; the
source's measured metrics are not carried over (they hold for its own format): measure the copy.
"""

from __future__ import annotations

import argparse
import sys

import torch

from .bundle import write_bundle
from .bundle_import import read_bundle
from .checkpoint import Checkpoint


def converted(bundle_dir) -> Checkpoint:
    """A bundle as a checkpoint to export again: its provenance says where it came from, and it
    carries no metrics (those of the source were measured on the source's format)."""
    ckpt = read_bundle(bundle_dir)
    source = ckpt.provenance.pop("warm_start")
    ckpt.provenance["converted_from"] = {k: v for k, v in source.items() if k != "training"}
    if source.get("training") is not None:
        ckpt.provenance["training"] = source["training"]
    ckpt.metrics = {}
    return ckpt


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.export", description=__doc__.strip().splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="checkpoint file written by the trainer")
    src.add_argument("--bundle", help="or: a bundle directory to convert (fp32 graph, plain or fused)")
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
    fp16 = args.fp16
    try:
        if args.bundle:
            ckpt = converted(args.bundle)
            fp16 = fp16 or ckpt.provenance["converted_from"]["weights_dtype"] == "float16"
        else:
            ckpt = Checkpoint.load(args.checkpoint)
    except (OSError, ValueError, KeyError) as e:
        print(f"error: cannot load {'bundle' if args.bundle else 'checkpoint'}: {e}", file=sys.stderr)
        return 2
    name = args.name or args.out.rstrip("/").rsplit("/", 1)[-1]
    manifest = write_bundle(ckpt, args.out, name, fp16=fp16, fuse=args.fuse, quantize=args.quantize)
    size = sum(f["bytes"] for f in manifest["files"].values())
    print(f"wrote bundle {name} to {args.out} ({size / 1e6:.1f} MB, "
          f"{manifest['graph']['weights_dtype']} weights, {manifest['graph']['format']['linears']} linears,"
          f" fused: {', '.join(manifest['graph']['format']['fused']) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
