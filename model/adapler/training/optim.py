"""The optimisers: AdamW with linear warm-up and decay for the model and CPs, and a separate
Adam for eta and theta (docs/method.md: lr 5e-4, on CE + phi * soft lengths)."""

from __future__ import annotations

import torch

from ..modeling import AdaplerClassifier
from .settings import TrainConfig

SPEED_PARAMS = ("eta", "theta_pr")


def make_optimizers(model: AdaplerClassifier, cfg: TrainConfig, total_steps: int, with_eta: bool):
    """(AdamW, its LambdaLR schedule, the eta/theta Adam or None)."""
    groups = {}  # (is a CP head with its own lr, no weight decay) -> params, in a fixed order
    for name, p in model.named_parameters():
        if name in SPEED_PARAMS:
            continue
        own_lr = cfg.cp_lr > 0 and name.startswith("cps.")
        no_decay = name.endswith("bias") or "norm" in name.lower()
        groups.setdefault((own_lr, no_decay), []).append(p)
    main = torch.optim.AdamW([{"params": ps, "weight_decay": 0.0 if nd else cfg.weight_decay,
                               **({"lr": cfg.cp_lr} if own else {})}
                              for (own, nd), ps in groups.items()], lr=cfg.lr, eps=cfg.adam_eps)
    warm = max(1, int(round(cfg.warmup * total_steps)))

    def linear(step):
        if step < warm:
            return (step + 1) / warm
        return max(0.0, (total_steps - step) / max(1, total_steps - warm))
    sched = torch.optim.lr_scheduler.LambdaLR(main, linear)
    speed = torch.optim.Adam([model.eta, model.theta_pr], lr=cfg.eta_lr_for(total_steps)) if with_eta else None
    return main, sched, speed


def main_params(model):
    """Every parameter the AdamW trains (all but eta and theta), for gradient clipping."""
    return [p for n, p in model.named_parameters() if n not in SPEED_PARAMS]
