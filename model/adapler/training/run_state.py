"""A run directory: its state file (what makes a run resumable at every epoch boundary and, from
the saves every few minutes, within an epoch), its log and the RNG state saved with it.

The state is a plain dict saved with torch.save: config, phase ("teacher", "adapler", "select",
"done"), epoch (the next epoch of the phase), step (the steps of that epoch already trained:
0 at an epoch boundary), teacher_scores, teacher_score, history,
saliency_epochs_used, rng, and the current phase's model/optimiser states under its name.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import torch

STATE = "state.pt"
LOG = "train.log"
BEST = "best.pt"
INITIAL = "initial.pt"
ADAPLER_INITIAL = "adapler-initial.pt"  # the AdapLeR phase's start, when not INITIAL
log = logging.getLogger("adapler.train")


def rng_state() -> dict:
    state = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_atomic(obj, path: Path) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def setup_logging(out: Path) -> None:
    """Log lines go to stdout and to OUT/train.log (appended: a resumed run continues it)."""
    log.setLevel(logging.INFO)
    for h in list(log.handlers):
        log.removeHandler(h)
        h.close()
    fmt = logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S")
    for h in (logging.StreamHandler(sys.stdout), logging.FileHandler(out / LOG, encoding="utf-8")):
        h.setFormatter(fmt)
        log.addHandler(h)
    log.propagate = False


class RunState:
    """The state of one run directory, and how many epochs this invocation may still train."""

    def __init__(self, out: Path, state: dict, stop_after: int = 0, stop_after_steps: int = 0):
        self.out = out
        self.state = state
        self.stop_after = stop_after
        self.stop_after_steps = stop_after_steps
        self.epochs_done_now = 0
        self.steps_done_now = 0

    def __getitem__(self, key):
        return self.state[key]

    def __setitem__(self, key, value):
        self.state[key] = value

    def update(self, **values) -> None:
        self.state.update(values)

    def save(self) -> None:
        save_atomic(self.state, self.out / STATE)

    def should_stop(self) -> bool:
        """True when --stop-after N epochs of this invocation are done."""
        return bool(self.stop_after) and self.epochs_done_now >= self.stop_after

    def should_stop_steps(self) -> bool:
        """True when --stop-after-steps N optimisation steps of this invocation are done."""
        return bool(self.stop_after_steps) and self.steps_done_now >= self.stop_after_steps
