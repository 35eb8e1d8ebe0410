"""Phase 4: the checkpoint kept, the best validation speedup among the AdapLeR epochs whose
validation score is within a tolerance of the teacher's; written to OUT/best.pt with the
run's figures (and the test split's, when the data has one) and its provenance."""

from __future__ import annotations

import json

from ..checkpoint import Checkpoint
from .metrics import evaluate
from .run_state import BEST, log


def pick_best(history: list[dict], teacher_score: float, metric: str, tolerance: float) -> tuple[int, str]:
    """The epoch to keep: best validation speedup among the epochs whose validation score is
    within `tolerance` of the teacher's; if none is, the best score (and say so)."""
    ok = [h for h in history if h["validation"][metric] >= teacher_score - tolerance]
    if ok:
        best = max(ok, key=lambda h: (h["validation"]["speedup"], h["validation"][metric], h["epoch"]))
        return best["epoch"], f"best speedup within {tolerance} of the teacher's {metric}"
    best = max(history, key=lambda h: (h["validation"][metric], h["validation"]["speedup"], h["epoch"]))
    return best["epoch"], f"no epoch within {tolerance} of the teacher's {metric}: best {metric} kept"


def select(run, cfg, initial: Checkpoint, splits: dict, device) -> None:
    epoch, why = pick_best(run["history"], run["teacher_score"], cfg.metric, cfg.tolerance)
    best = Checkpoint.load(run.out / f"adapler-epoch{epoch}.pt")
    metrics = {"teacher_validation_" + cfg.metric: run["teacher_score"],
               "teacher_saliency_epochs": run["saliency_epochs_used"],
               "selected_epoch": epoch, "selection": why,
               "validation": run["history"][epoch]["validation"], "history": run["history"]}
    if "test" in splits:
        metrics["test"] = evaluate(best.model.to(device), splits["test"], device, cfg.eval_batch_size, 1.0)
        metrics["test_full_length"] = evaluate(best.model, splits["test"], device, cfg.eval_batch_size, 0.0)
        best.model.cpu()
    best.metrics = metrics
    best.provenance = dict(initial.provenance, training={
        "recipe": "AdapLeR (docs/method.md), adapler.train", **run["config"]})
    best.save(run.out / BEST)
    run.update(phase="done", adapler=None)
    run.save()
    log.info("kept epoch %d (%s): validation %s", epoch, why, json.dumps(metrics["validation"]))
    if "test" in metrics:
        log.info("test (hard removal, eta_scale 1): %s", json.dumps(metrics["test"]))
    log.info("wrote %s", run.out / BEST)
