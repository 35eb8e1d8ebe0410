"""Validation and test figures: accuracy, F1 and, with hard removal, the FLOPs speedup."""

from __future__ import annotations

import torch

from ..flops import speedup
from ..modeling import AdaplerClassifier
from .data import batches_of, collate, length_order


def classification_metrics(preds: list[int], golds: list[int], classes: int) -> dict:
    acc = sum(p == g for p, g in zip(preds, golds)) / max(1, len(golds))

    def f1_of(c):
        tp = sum(p == c and g == c for p, g in zip(preds, golds))
        fp = sum(p == c and g != c for p, g in zip(preds, golds))
        fn = sum(p != c and g == c for p, g in zip(preds, golds))
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    # binary: F1 of class 1 (e.g. "spam", "positive"); more classes: macro F1
    f1 = f1_of(1) if classes == 2 else sum(f1_of(c) for c in range(classes)) / classes
    return {"accuracy": acc, "f1": f1}


@torch.no_grad()
def evaluate(model: AdaplerClassifier, rows, device, batch_size: int, eta_scale: float = 1.0) -> dict:
    """Hard removal: the batched forward that gets exported. Accuracy, F1, FLOPs speedup and the
    mean layer lengths; rows are sorted by length into batches (results do not depend on it)."""
    model.eval()
    order = length_order([len(r[0]) for r in rows])
    preds, golds, lengths = [0] * len(rows), [r[2] for r in rows], [None] * len(rows)
    for chunk in batches_of(order, batch_size):
        ids, mask, types, _, _ = collate([rows[i] for i in chunk], device)
        logits, lens, _ = model(ids, mask, types, torch.tensor(float(eta_scale), device=device))
        for j, i in enumerate(chunk):
            preds[i] = int(logits[j].argmax())
            lengths[i] = lens[j].tolist()
    g = model.geometry
    out = classification_metrics(preds, golds, g.classes)
    out["speedup"] = speedup(((len(r[0]), lengths[i]) for i, r in enumerate(rows)), g)
    n_tokens = sum(len(r[0]) for r in rows)
    out["kept_share_per_layer"] = [round(sum(lengths[i][l] for i in range(len(rows))) / n_tokens, 4)
                                   for l in range(g.layers)]
    out["rows"] = len(rows)
    return out
