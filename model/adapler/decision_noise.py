"""How many rows change their layer lengths when the encoder's linear layers run in a lower
precision: the one-row reference loop in fp32 against the same loop with those layers'
weights and inputs rounded the way a precision would round them (simulated in PyTorch).

Why this exists: an int8 bundle's rows are only interchangeable with the fp32 bundle's where
every keep decision comes out the same. A decision is a hard threshold on a continuous score,
so any arithmetic noise flips the tokens that sit close enough to their threshold, and a row
holds 100-300 such decisions. This tool measures that before anyone exports or ships:

    /usr/bin/python3 -m adapler.decision_noise --checkpoint build/runs/spam-minilm-cpu2/best.pt \\
        --data ../build/spam/test.jsonl [--schemes int8,fp16-weights] [--eta-scale 1] [--limit N]

Schemes (symmetric rounding, one scale per output channel for weights and per token for
activations unless a block is named, which gives every run of 32 values along the reduced
axis its own scale): `int8` is what `adapler.export --quantize int8` writes (per-channel int8
weights, per-token int8 activations); the others bound what any finer 8-bit format could reach.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import torch

from .checkpoint import Checkpoint
from .modeling import AdaplerClassifier
from .reference import RowResult, reference_row
from .tokenization import WordPieceTokenizer

Rounding = Callable[[torch.Tensor], torch.Tensor]


def round_symmetric(x: torch.Tensor, qmax: int, block: int = 0) -> torch.Tensor:
    """x rounded to the grid scale * {-qmax..qmax}, scale = max|x| / qmax over the last axis
    (or over each run of `block` values along it)."""
    shape = x.shape
    if block:
        if shape[-1] % block:
            raise ValueError(f"block {block} does not divide the last axis ({shape[-1]})")
        x = x.reshape(*shape[:-1], shape[-1] // block, block)
    scale = x.abs().amax(-1, keepdim=True) / qmax
    scale = torch.where(scale > 0, scale, torch.ones_like(scale))
    return (torch.clamp(torch.round(x / scale), -qmax, qmax) * scale).reshape(shape)


def _int8(block: int = 0) -> Rounding:
    return lambda x: round_symmetric(x, 127, block)


def _fp16(x: torch.Tensor) -> torch.Tensor:
    return x.half().float()


@dataclass(frozen=True)
class Precision:
    name: str
    weights: Rounding | None      # applied to each [out, in] weight (rows = output channels)
    activations: Rounding | None  # applied to each linear's input, per token


SCHEMES = {p.name: p for p in (
    Precision("int8", _int8(), _int8()),
    Precision("int8-block32", _int8(32), _int8(32)),
    Precision("int8-weights", _int8(), None),
    Precision("int8-weights-block32", _int8(32), None),
    Precision("fp16-weights", _fp16, None),
)}

ENCODER_LINEARS = ("attention.query", "attention.key", "attention.value", "attention_output",
                   "intermediate", "output")


def with_precision(model: AdaplerClassifier, precision: Precision) -> AdaplerClassifier:
    """A copy of the model whose encoder linear layers compute in `precision`; the embeddings,
    the Contribution Predictors, the pooler and the classifier stay fp32, as in the int8 export."""
    low = copy.deepcopy(model).eval()
    for layer in low.layers:
        for name in ENCODER_LINEARS:
            linear = layer.get_submodule(name)
            if precision.weights is not None:
                with torch.no_grad():
                    linear.weight.copy_(precision.weights(linear.weight))
            if precision.activations is not None:
                rounding = precision.activations
                linear.register_forward_pre_hook(lambda _m, args, r=rounding: (r(args[0]),))
    return low


@dataclass
class Agreement:
    rows: int = 0
    lengths_equal: int = 0
    kept_equal: int = 0
    labels_equal: int = 0
    per_layer_equal: list[int] | None = None

    def add(self, a: RowResult, b: RowResult) -> None:
        if self.per_layer_equal is None:
            self.per_layer_equal = [0] * len(a.layer_lengths)
        self.rows += 1
        self.lengths_equal += a.layer_lengths == b.layer_lengths
        self.kept_equal += a.kept_per_layer == b.kept_per_layer
        self.labels_equal += _argmax(a.logits) == _argmax(b.logits)
        for l, (x, y) in enumerate(zip(a.layer_lengths, b.layer_lengths)):
            self.per_layer_equal[l] += x == y

    def summary(self) -> dict:
        share = lambda k: round(k / self.rows, 4) if self.rows else None  # noqa: E731
        return {"rows": self.rows, "layer_lengths_equal": share(self.lengths_equal),
                "kept_positions_equal": share(self.kept_equal), "labels_equal": share(self.labels_equal),
                "layer_lengths_equal_per_layer": [share(k) for k in self.per_layer_equal or []]}


def _argmax(values) -> int:
    return max(range(len(values)), key=values.__getitem__)


def schemes_named(names: str) -> list[Precision]:
    unknown = [n for n in names.split(",") if n not in SCHEMES]
    if unknown:
        raise ValueError(f"unknown scheme(s) {unknown}; known: {sorted(SCHEMES)}")
    return [SCHEMES[n] for n in names.split(",")]


def compare(model: AdaplerClassifier, rows, precisions: list[Precision], eta_scale: float) -> dict:
    """{precision name: agreement summary} over `rows`, [(input_ids, token_type_ids)]."""
    lows = {p.name: with_precision(model, p) for p in precisions}
    tallies = {name: Agreement() for name in lows}
    for ids, types in rows:
        exact = reference_row(model, ids, types, eta_scale)
        for s, low in lows.items():
            tallies[s].add(exact, reference_row(low, ids, types, eta_scale))
    return {s: t.summary() for s, t in tallies.items()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m adapler.decision_noise", description=__doc__.split("\n\n")[0])
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", required=True, help="JSON lines with a 'text' field (and 'text_pair')")
    ap.add_argument("--schemes", default=",".join(SCHEMES))
    ap.add_argument("--eta-scale", type=float, default=1.0)
    ap.add_argument("--limit", type=int, default=0, help="first N rows only (0: all)")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: every CPU)")
    args = ap.parse_args(argv)
    if args.threads or torch.get_num_threads() == 1:  # Debian's torch starts with one thread
        torch.set_num_threads(args.threads or os.cpu_count() or 1)
    try:
        precisions = schemes_named(args.schemes)  # before the slow part
        ckpt = Checkpoint.load(args.checkpoint)
    except (ValueError, OSError) as e:
        ap.error(str(e))
    tok = WordPieceTokenizer(json.loads(ckpt.tokenizer_json))
    rows = []
    with open(args.data, encoding="utf-8") as f:
        for line in f:
            if line.strip() and (not args.limit or len(rows) < args.limit):
                r = json.loads(line)
                enc = tok.encode(r["text"], r.get("text_pair"), max_length=ckpt.tokenizer.max_length)
                rows.append((enc.input_ids, enc.token_type_ids))
    report = compare(ckpt.model, rows, precisions, args.eta_scale)
    print(json.dumps({"checkpoint": str(Path(args.checkpoint)), "data": args.data, "eta_scale": args.eta_scale,
                      "schemes": report}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
