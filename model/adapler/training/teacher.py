"""Phase 1: the teacher, the plain classifier (pre-trained encoder, no removal) fine-tuned on the
task. After every epoch: its validation score at full length, the saliency of every training
row (phase 2 averages the best epochs') and the teacher itself (the full-length baseline of the
test report)."""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F

from ..checkpoint import Checkpoint
from ..saliency import saliency_batch
from ..soft_removal import soft_forward
from .data import batches_of, collate, length_order
from .metrics import evaluate
from .optim import main_params, make_optimizers


def teacher_step(model, batch, cfg, main, sched, encoder_dtype=None) -> dict:
    ids, mask, types, labels, _ = batch
    out = soft_forward(model, ids, mask, types, lam=1.0, removal=False, dropout=cfg.dropout,
                       encoder_dtype=encoder_dtype)
    ce = F.cross_entropy(out.logits, labels)
    main.zero_grad(set_to_none=True)
    ce.backward()
    torch.nn.utils.clip_grad_norm_(main_params(model), cfg.max_grad_norm)
    main.step()
    sched.step()
    return {"ce": float(ce)}


class TeacherPhase:
    name = "teacher"

    def __init__(self, run, cfg, initial: Checkpoint, splits: dict, device, steps_per_epoch: int,
                 encoder_dtype=None):
        self.run, self.cfg, self.initial, self.device = run, cfg, initial, device
        self.encoder_dtype = encoder_dtype
        self.train_rows, self.val_rows = splits["train"], splits["validation"]
        self.epochs, self.seed = cfg.teacher_epochs, cfg.seed
        self.model = copy.deepcopy(initial.model).to(device)
        self.main, self.sched, _ = make_optimizers(self.model, cfg, steps_per_epoch * cfg.teacher_epochs,
                                                   with_eta=False)

    def step(self, epoch: int, rows: list[int]) -> str:
        batch = collate([self.train_rows[i] for i in rows], self.device)
        stats = teacher_step(self.model, batch, self.cfg, self.main, self.sched, self.encoder_dtype)
        return f"ce {stats['ce']:.4f}"

    def end_epoch(self, epoch: int) -> dict:
        cfg, out = self.cfg, self.run.out
        val = evaluate(self.model, self.val_rows, self.device, cfg.eval_batch_size, eta_scale=0.0)
        torch.save(self.saliency(), out / f"saliency-teacher-epoch{epoch}.pt")
        Checkpoint(copy.deepcopy(self.model).cpu().eval(), self.initial.labels, self.initial.tokenizer,
                   self.initial.tokenizer_json, self.initial.provenance, {"validation": val}).save(
                       out / f"teacher-epoch{epoch}.pt")
        self.run["teacher_scores"].append(val[cfg.metric])
        return val

    def saliency(self) -> torch.Tensor:
        """[rows, max_length] saliency of every training row under the current teacher."""
        sal = torch.zeros(len(self.train_rows), self.cfg.max_length)
        self.model.eval()
        order = length_order([len(r[0]) for r in self.train_rows])  # batches of similar length
        for idx in batches_of(order, self.cfg.eval_batch_size):
            ids, mask, types, labels, _ = collate([self.train_rows[i] for i in idx], self.device)
            s = saliency_batch(self.model, ids, mask, types, labels, self.encoder_dtype).cpu()
            sal[idx, :s.shape[1]] = s
        return sal

    def snapshot(self) -> dict:
        return {"model": self.model.state_dict(), "optimizer": self.main.state_dict(),
                "scheduler": self.sched.state_dict()}

    def restore(self, snapshot: dict) -> None:
        self.model.load_state_dict(snapshot["model"])
        self.main.load_state_dict(snapshot["optimizer"])
        self.sched.load_state_dict(snapshot["scheduler"])
