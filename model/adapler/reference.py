"""The one-row reference loop with hard token removal (docs/method.md, "Reference loop").

This is the ground truth of the whole project: the batched forward, the exported graph and
the Java runtime are all tested against it. It runs one row with no padding at all, so
nothing here can be confused by masks. Keep it short and obviously right.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .modeling import AdaplerClassifier


@dataclass(frozen=True)
class RowResult:
    logits: list[float]
    layer_lengths: list[int]
    kept_positions: list[int]   # original positions of the tokens that reach the last layer
    margins: list[float]        # per layer: min |p_j - delta| / delta over the non-[CLS] tokens
    kept_per_layer: list[list[int]]  # per layer: original positions of the tokens it ran on

    def token_layers(self, length: int) -> list[int]:
        """For each of the row's `length` positions, how many layers ran on it."""
        return [sum(j in kept for kept in self.kept_per_layer) for j in range(length)]


@torch.no_grad()
def reference_row(model: AdaplerClassifier, input_ids, token_type_ids, eta_scale: float) -> RowResult:
    ids = torch.as_tensor(input_ids, dtype=torch.int64)[None]
    types = torch.as_tensor(token_type_ids, dtype=torch.int64)[None]
    T = ids.shape[1]
    h = model.embeddings(ids, types, torch.arange(T)[None])[0]   # [T, H]
    kept = list(range(T))                                        # original positions, in order
    lengths, margins, kept_per_layer = [], [], []
    for l in range(model.geometry.layers):
        n = len(kept)
        p = torch.softmax(model.cps[l](h), dim=-1)
        c = model.cls_scale(l)
        if c is not None:
            p = p.clone()
            p[0] = p[0] * c
            p = p / p.sum()
        delta = model.eta[l] * eta_scale / n
        decision = p >= delta
        decision[0] = True                                       # [CLS] is always kept
        if n > 1 and delta > 0:
            margins.append(float(((p[1:] - delta).abs() / delta).min()))
        else:
            margins.append(float("inf"))
        h = h[decision]
        kept = [j for j, d in zip(kept, decision.tolist()) if d]
        lengths.append(len(kept))
        kept_per_layer.append(kept)
        h = model.layers[l](h[None])[0]
    logits = model.classify(h[0])
    return RowResult(logits.tolist(), lengths, kept, margins, kept_per_layer)
