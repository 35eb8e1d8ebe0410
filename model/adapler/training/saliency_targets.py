"""Phase 2: the CPs' saliency targets, the mean saliency of the teacher's best epochs (the
authors average their 3 best fine-tuning epochs). Ends the teacher phase: the run moves on to
AdapLeR with the teacher's best validation score as the selection rule's reference."""

from __future__ import annotations

import torch

from ..saliency import average_best
from .run_state import log

TARGETS = "saliency.pt"


def write_targets(run, cfg) -> None:
    per_epoch = [torch.load(run.out / f"saliency-teacher-epoch{e}.pt") for e in range(cfg.teacher_epochs)]
    mean, used = average_best(per_epoch, run["teacher_scores"], cfg.saliency_epochs)
    torch.save(mean, run.out / TARGETS)
    run.update(phase="adapler", epoch=0, step=0, teacher_score=max(run["teacher_scores"]),
               saliency_epochs_used=used, teacher=None)
    run.save()
    log.info("teacher done: best validation %s %.4f; saliency = mean of epochs %s",
             cfg.metric, run["teacher_score"], used)


def read_targets(run) -> torch.Tensor:
    return torch.load(run.out / TARGETS)
