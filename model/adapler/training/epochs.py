"""The epoch loop every training phase shares: seeded row order, one optimisation step per
batch, progress lines, then the phase's end-of-epoch work and a state save, so that a run
stopped at any epoch boundary resumes exactly where it was."""

from __future__ import annotations

import json
import time
from typing import Protocol

import torch

from .data import batches_of, epoch_order
from .run_state import RunState, log, rng_state, set_rng_state
from .settings import TrainConfig


class Phase(Protocol):
    """One trained phase: its name is its state key and its log prefix."""
    name: str
    epochs: int
    seed: int          # torch's seed at the phase's first epoch
    model: torch.nn.Module

    def step(self, epoch: int, rows: list[int]) -> str:
        """One optimisation step on these training rows; returns what the progress line shows."""

    def end_epoch(self, epoch: int) -> dict:
        """Validation and the epoch's files; returns the validation figures."""

    def snapshot(self) -> dict:
        """Model and optimiser states, for resuming."""

    def restore(self, snapshot: dict) -> None:
        """Loads what snapshot() returned."""


def run_epochs(run: RunState, phase: Phase, cfg: TrainConfig, train_rows: int) -> bool:
    """Trains the phase's remaining epochs. Returns False when --stop-after ended it early."""
    if run["epoch"] > 0:
        phase.restore(run[phase.name])
        set_rng_state(run["rng"])
    else:
        torch.manual_seed(phase.seed)
    while run["epoch"] < phase.epochs:
        if run.should_stop():
            return False
        e = run["epoch"]
        phase.model.train()
        t0 = time.time()
        batches = batches_of(epoch_order(train_rows, cfg.seed, e, phase.name), cfg.batch_size,
                             cfg.max_steps_per_epoch)
        for b, rows in enumerate(batches):
            shown = phase.step(e, rows)
            if (b + 1) % cfg.log_every == 0 or b + 1 == len(batches):
                log.info("%s epoch %d step %d/%d %s (%.2f s/step)", phase.name, e, b + 1,
                         len(batches), shown, (time.time() - t0) / (b + 1))
        val = phase.end_epoch(e)
        run.update(epoch=e + 1, rng=rng_state())
        run[phase.name] = phase.snapshot()
        run.save()
        log.info("%s epoch %d: validation %s (%.0f s)", phase.name, e, json.dumps(val), time.time() - t0)
        run.epochs_done_now += 1
    return True
