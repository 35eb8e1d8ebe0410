"""The epoch loop every training phase shares: seeded batches (length-bucketed by default), one
optimisation step per batch, progress lines, the run state saved every few minutes or steps
within an epoch and at its end, then the phase's end-of-epoch work and a state save. A run
stopped anywhere (--stop-after, --stop-after-steps, or killed) resumes from its last save with
the same batches, the same RNG and the same model and optimiser states as if it had not stopped."""

from __future__ import annotations

import json
import time
from typing import Protocol

import torch

from .data import epoch_batches
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


def save_progress(run: RunState, phase: Phase, step: int) -> None:
    """The state after `step` steps of the current epoch: the phase's model and optimisers and
    the RNG, written atomically (a kill during the write leaves the previous save)."""
    run.update(step=step, rng=rng_state())
    run[phase.name] = phase.snapshot()
    run.save()


def run_epochs(run: RunState, phase: Phase, cfg: TrainConfig, lengths: list[int]) -> bool:
    """Trains the phase's remaining epochs; `lengths` are the training rows' token counts (the
    buckets). Returns False when --stop-after or --stop-after-steps ended it early."""
    if run["epoch"] > 0 or run.state.get("step", 0) > 0:
        phase.restore(run[phase.name])
        set_rng_state(run["rng"])
    else:
        torch.manual_seed(phase.seed)
    while run["epoch"] < phase.epochs:
        if run.should_stop():
            return False
        e = run["epoch"]
        batches = epoch_batches(lengths, cfg, e, phase.name)
        start = run.state.get("step", 0)
        if start:
            log.info("%s epoch %d: resuming at step %d/%d", phase.name, e, start, len(batches))
        phase.model.train()
        t0 = last_save = time.time()
        for b in range(start, len(batches)):
            shown = phase.step(e, batches[b])
            done = b + 1
            run.steps_done_now += 1
            if done % cfg.log_every == 0 or done == len(batches):
                per = (time.time() - t0) / (done - start)
                log.info("%s epoch %d step %d/%d %s (%.2f s/step, ~%.0f min left in the epoch's steps)",
                         phase.name, e, done, len(batches), shown, per, per * (len(batches) - done) / 60)
            due = (cfg.save_every_steps and done % cfg.save_every_steps == 0) or \
                (cfg.save_every_minutes and time.time() - last_save >= 60 * cfg.save_every_minutes)
            if done == len(batches) or due or run.should_stop_steps():
                # also after the last step: the end-of-epoch passes can take long at 512 tokens
                save_progress(run, phase, done)
                last_save = time.time()
                if run.should_stop_steps() and done < len(batches):
                    log.info("%s epoch %d: stopped after step %d/%d (resumable)", phase.name, e, done,
                             len(batches))
                    return False
        val = phase.end_epoch(e)
        run.update(epoch=e + 1, step=0, rng=rng_state())
        run[phase.name] = phase.snapshot()
        run.save()
        log.info("%s epoch %d: validation %s (%.0f s)", phase.name, e, json.dumps(val), time.time() - t0)
        run.epochs_done_now += 1
        if run.should_stop_steps():
            return False
    return True
