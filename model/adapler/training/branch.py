"""A new run that reuses a finished teacher: the AdapLeR phase again with other settings.

The teacher and its saliency targets do not depend on the AdapLeR settings, and on a 2-core
machine they are half of a run's time; trying another cp_lr, eta_lr, phi or lambda schedule
should not redo them. The new run directory gets the source run's initial checkpoint, data
cache, teacher epochs and saliency targets (hard links where the file system allows), and a
state at the start of the AdapLeR phase with the changed settings; it then trains, resumes
and selects like any other run.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import torch

from .run_state import ADAPLER_INITIAL, INITIAL, LOG, STATE, log, save_atomic, setup_logging
from .settings import TrainConfig

# Settings the teacher or its saliency targets depend on: a branch must keep them.
TEACHER_SETTINGS = ("data", "labels", "max_length", "teacher_epochs", "saliency_epochs", "metric")


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def branch_run(source, out, changes: dict) -> TrainConfig:
    """Creates run directory `out` from `source`'s teacher with `changes` applied to its
    config; returns the new config. `source` must have finished its teacher phase."""
    src, dst = Path(source), Path(out)
    state = torch.load(src / STATE, map_location="cpu")
    if state["phase"] == "teacher" or state.get("teacher_score") is None:
        raise ValueError(f"{src} has not finished its teacher phase (phase {state['phase']})")
    fixed = sorted(k for k in changes if k in TEACHER_SETTINGS and changes[k] != state["config"][k])
    if fixed:
        raise ValueError(f"a branch reuses the teacher, so it cannot change {', '.join(fixed)}")
    if (dst / STATE).exists():
        raise FileExistsError(f"{dst / STATE} exists: use --resume, or another --out")
    cfg = TrainConfig.from_saved(dict(state["config"], **changes))
    cfg.check()
    dst.mkdir(parents=True, exist_ok=True)
    if (src / LOG).exists() and not (dst / LOG).exists():
        shutil.copy2(src / LOG, dst / LOG)  # the teacher's epochs stay in the new run's log
    setup_logging(dst)
    names = [INITIAL, "tokenizer.json", "data-cache.pt", "saliency.pt"]
    if cfg.adapler_init and cfg.adapler_init != state["config"].get("adapler_init", ""):
        from ..checkpoint import Checkpoint
        initial = Checkpoint.load(src / INITIAL)
        start = Checkpoint.load(cfg.adapler_init)
        if start.model.geometry != initial.model.geometry or start.labels != initial.labels:
            raise ValueError(f"{cfg.adapler_init} does not fit the run (geometry or labels differ)")
        start.tokenizer, start.tokenizer_json = initial.tokenizer, initial.tokenizer_json
        start.save(dst / ADAPLER_INITIAL)
    elif cfg.adapler_init:
        names.append(ADAPLER_INITIAL)
    names += sorted(p.name for p in src.glob("teacher-epoch*.pt"))
    names += sorted(p.name for p in src.glob("saliency-teacher-epoch*.pt"))
    for name in names:
        if (src / name).exists() and not (dst / name).exists():
            _link_or_copy(src / name, dst / name)
    new_state = {"config": dataclasses.asdict(cfg), "phase": "adapler", "epoch": 0, "step": 0,
                 "teacher_scores": state["teacher_scores"], "teacher_score": state["teacher_score"],
                 "saliency_epochs_used": state["saliency_epochs_used"], "history": [],
                 "branched_from": str(src.resolve())}
    save_atomic(new_state, dst / STATE)
    changed = {k: v for k, v in dataclasses.asdict(cfg).items() if v != state["config"].get(k)}
    log.info("branched %s from the teacher of %s; changed %s", dst, src, changed)
    return cfg
