"""Saliency targets for the Contribution Predictors (docs/method.md, "Training recipe", 2).

Gradient x input at the embedding output (after the embeddings' LayerNorm), with respect to
the gold-label logit, L2 norm over the hidden dimension, masked to the real tokens ([CLS] and
[SEP] included), not normalised. Computed on the fine-tuned teacher in eval mode (no dropout),
full length (no removal), and averaged over the teacher's best epochs by the trainer.
"""

from __future__ import annotations

import torch

from .modeling import AdaplerClassifier
from .soft_removal import soft_forward


def saliency_batch(model: AdaplerClassifier, input_ids, attention_mask, token_type_ids, labels,
                   encoder_dtype=None):
    """[B, T] saliency of every token of a padded batch (0 on padding); `encoder_dtype` as in
    soft_forward."""
    was_training = model.training
    model.eval()
    holder = {}

    def leaf(emb):
        holder["emb"] = emb.detach().requires_grad_(True)
        return holder["emb"]

    with torch.enable_grad():
        out = soft_forward(model, input_ids, attention_mask, token_type_ids, lam=1.0, removal=False,
                           embeddings_hook=leaf, encoder_dtype=encoder_dtype)
        gold = out.logits.gather(1, labels[:, None]).sum()  # rows are independent: one backward
        (grad,) = torch.autograd.grad(gold, holder["emb"])
    model.train(was_training)
    return ((grad * holder["emb"]).norm(dim=-1) * (attention_mask > 0)).detach()


def average_best(per_epoch: list[torch.Tensor], scores: list[float], best: int) -> tuple[torch.Tensor, list[int]]:
    """The mean of the saliencies of the `best` epochs with the highest validation scores (all
    epochs if there are fewer; ties go to the later epoch). Returns (mean, epochs used)."""
    if not per_epoch or len(per_epoch) != len(scores):
        raise ValueError(f"{len(per_epoch)} saliency tensors for {len(scores)} epoch scores")
    order = sorted(range(len(scores)), key=lambda e: (scores[e], e), reverse=True)
    chosen = sorted(order[:max(1, best)])
    return torch.stack([per_epoch[e] for e in chosen]).mean(0), chosen
