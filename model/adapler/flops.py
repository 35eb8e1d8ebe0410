"""FLOPs of the full BERT classifier and of AdapLeR, derived from the model's geometry.

One multiply-add counts 2 FLOPs. Per token, per layer (n tokens in the layer, H hidden,
I intermediate, h heads, w CP width, C classes):

    attention projections  4 * n * H * H * 2   (Q, K, V, output)  + 4 n H   bias adds
    scores and context     2 * n^2 * H * 2                       + 7 h n^2 scale, mask, softmax
    feed-forward           2 * n * H * I * 2                     + n (I + H) bias adds + 4 n I GELU
    residuals, LayerNorms  2 * n * H  +  2 * 8 n H
    CP (AdapLeR only, on the n' tokens that enter the layer)
                           n' * (H * w + w) * 2 + 4 n' w GELU + 6 n' (softmax and threshold)
    embeddings             10 n H (three-way sum and LayerNorm)
    head                   2 H^2 + 3 H (pooler, tanh)  +  (2 H + 1) C (classifier)

For BERT-base geometry this agrees with the authors' fitted formulas (docs/method.md) within
about 0.5% (tests/test_flops.py). Speedup over a corpus is a ratio of sums.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from .config import Geometry

_LN = 8          # FLOPs per element of a LayerNorm (mean, centre, square, mean, rsqrt, scale, shift)
_SOFTMAX = 7     # per attention score: scale, mask add, max, subtract, exp, sum, divide
_GELU = 4        # per activation element (erf GELU counted as 4 elementwise operations)


def embeddings_flops(n: int, g: Geometry) -> int:
    return (2 + _LN) * n * g.hidden


def layer_flops(n: int, g: Geometry) -> int:
    """One encoder layer on n tokens."""
    H, I = g.hidden, g.intermediate
    proj = 4 * n * H * H * 2 + 4 * n * H
    attn = 2 * n * n * H * 2 + _SOFTMAX * g.heads * n * n
    ffn = 2 * n * H * I * 2 + n * (I + H) + _GELU * n * I
    norms = 2 * n * H + 2 * _LN * n * H
    return proj + attn + ffn + norms


def cp_flops(n: int, g: Geometry) -> int:
    """One Contribution Predictor scoring n tokens, with its softmax and threshold test."""
    w = g.cp_width
    return n * (g.hidden * w + w) * 2 + _GELU * n * w + n * 2 + 6 * n


def head_flops(g: Geometry) -> int:
    H = g.hidden
    return 2 * H * H + 3 * H + (2 * H + 1) * g.classes


def bert_flops(n: int, g: Geometry) -> int:
    """The full classifier on a row of n real tokens (no CPs)."""
    return embeddings_flops(n, g) + g.layers * layer_flops(n, g) + head_flops(g)


def adapler_flops(n: int, layer_lengths: Sequence[int], g: Geometry) -> int:
    """AdapLeR on a row of n real tokens whose layer l processed layer_lengths[l] tokens.
    CP_l scores the tokens entering layer l: n for l = 0, else layer_lengths[l - 1]."""
    if len(layer_lengths) != g.layers:
        raise ValueError(f"{len(layer_lengths)} layer lengths for a model with {g.layers} layers")
    total = embeddings_flops(n, g) + head_flops(g)
    entering = n
    for length in layer_lengths:
        total += cp_flops(entering, g) + layer_flops(int(length), g)
        entering = int(length)
    return total


def speedup(rows: Iterable[tuple[int, Sequence[int]]], g: Geometry) -> float:
    """Total full-model FLOPs over total AdapLeR FLOPs for rows of (n, layer_lengths)."""
    full = adaptive = 0
    for n, lengths in rows:
        full += bert_flops(int(n), g)
        adaptive += adapler_flops(int(n), lengths, g)
    return full / adaptive if adaptive else 1.0


# The authors' fitted formulas for BERT-base (H=768, I=3072, L=12), for tests and comparisons.

def paper_bert_base_flops(n: int, classes: int) -> int:
    return 37872 * n * n + 170216500 * n + 1181953 + 1537 * classes


def paper_adapler_base_flops(layer_lengths: Sequence[int], classes: int) -> int:
    return (1183537 + 1537 * (classes - 1) + 6152 * layer_lengths[0]
            + sum(3156 * x * x + 14233554 * x for x in layer_lengths))
