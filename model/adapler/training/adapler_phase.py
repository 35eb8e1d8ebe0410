"""Phase 3: AdapLeR, from the PRE-TRAINED encoder (not the teacher) with fresh CPs, eta and
theta; soft removal with the lambda schedule, KL of the CP scores to the saliency targets, and a
separate Adam for eta/theta on CE + phi * soft lengths. After every epoch: validation with HARD
removal (the batched forward at eta_scale 1): accuracy, F1 and FLOPs speedup."""

from __future__ import annotations

import copy

import torch
import torch.nn.functional as F

from ..checkpoint import Checkpoint
from ..modeling import AdaplerClassifier
from ..soft_removal import kl_terms, soft_forward
from .data import collate
from .metrics import evaluate
from .optim import main_params, make_optimizers
from .run_state import log
from .settings import TrainConfig, lambda_schedule


def adapler_step(model: AdaplerClassifier, batch, cfg: TrainConfig, lam: float, main, sched, speed,
                 encoder_dtype=None) -> dict:
    """One AdapLeR step. Model and CPs: CE + gamma * sum_l (L - l) KL_l (AdamW); eta and theta:
    CE + phi * sum_l softlen_l (Adam), then eta is clipped to [0.01, 1]."""
    ids, mask, types, labels, sal = batch
    out = soft_forward(model, ids, mask, types, lam=lam, dropout=cfg.dropout, encoder_dtype=encoder_dtype,
                       detach_cp_input=cfg.cp_input == "detached")
    ce = F.cross_entropy(out.logits, labels)
    kls = kl_terms(out, sal, model)
    L = model.geometry.layers
    kl = sum((L - l) * k for l, k in enumerate(kls))
    total = ce + cfg.gamma * kl
    length = torch.stack(out.soft_lengths).sum(0).mean()
    combined = ce + cfg.phi * length
    eta_grads = torch.autograd.grad(combined, [model.eta, model.theta_pr], retain_graph=True, allow_unused=True)
    main.zero_grad(set_to_none=True)
    speed.zero_grad(set_to_none=True)
    total.backward()
    torch.nn.utils.clip_grad_norm_(main_params(model), cfg.max_grad_norm)
    main.step()
    sched.step()
    for p, g in zip((model.eta, model.theta_pr), eta_grads):
        p.grad = torch.zeros_like(p) if g is None else g
    speed.step()
    model.clamp_eta_()
    return {"ce": float(ce), "kl": float(kl), "soft_len": float(length)}


class AdaplerPhase:
    name = "adapler"

    def __init__(self, run, cfg, initial: Checkpoint, splits: dict, device, steps_per_epoch: int,
                 saliency: torch.Tensor, encoder_dtype=None):
        self.run, self.cfg, self.initial, self.device = run, cfg, initial, device
        self.encoder_dtype = encoder_dtype
        self.train_rows, self.val_rows = splits["train"], splits["validation"]
        self.saliency = saliency
        self.epochs, self.seed = cfg.epochs, cfg.seed + 1
        self.model = copy.deepcopy(initial.model).to(device)
        if cfg.start_eta_scale != 1.0:  # an operating point off its curve; a resume restores its own eta
            with torch.no_grad():
                self.model.eta.mul_(cfg.start_eta_scale)
            self.model.clamp_eta_()
            log.info("adapler: starts from eta x %g: %s", cfg.start_eta_scale,
                     [round(float(v), 4) for v in self.model.eta])
        self.main, self.sched, self.speed = make_optimizers(self.model, cfg, steps_per_epoch * cfg.epochs,
                                                            with_eta=True)
        log.info("adapler: eta/theta Adam lr %g (eta_lr %g, eta_travel %g over %d steps)",
                 cfg.eta_lr_for(steps_per_epoch * cfg.epochs), cfg.eta_lr, cfg.eta_travel,
                 steps_per_epoch * cfg.epochs)

    def lam(self, epoch: int) -> float:
        return lambda_schedule(self.cfg.epochs, epoch, self.cfg.lambdas, self.cfg.lambda_schedule)

    def step(self, epoch: int, rows: list[int]) -> str:
        batch = collate([self.train_rows[i] for i in rows], self.device, self.saliency, torch.tensor(rows))
        lam = self.lam(epoch)
        s = adapler_step(self.model, batch, self.cfg, lam, self.main, self.sched, self.speed,
                         self.encoder_dtype)
        return (f"lambda {lam:g} ce {s['ce']:.4f} kl {s['kl']:.4f} soft_len {s['soft_len']:.1f} "
                f"eta {[round(float(v), 3) for v in self.model.eta]}")

    def end_epoch(self, epoch: int) -> dict:
        val = evaluate(self.model, self.val_rows, self.device, self.cfg.eval_batch_size, eta_scale=1.0)
        self.run["history"].append({"epoch": epoch, "lambda": self.lam(epoch), "validation": val,
                                    "eta": [float(v) for v in self.model.eta],
                                    "theta_pr": [float(v) for v in self.model.theta_pr]})
        Checkpoint(copy.deepcopy(self.model).cpu().eval(), self.initial.labels, self.initial.tokenizer,
                   self.initial.tokenizer_json, self.initial.provenance, {"validation": val}).save(
                       self.run.out / f"adapler-epoch{epoch}.pt")
        return val

    def snapshot(self) -> dict:
        return {"model": self.model.state_dict(), "optimizer": self.main.state_dict(),
                "scheduler": self.sched.state_dict(), "eta_optimizer": self.speed.state_dict()}

    def restore(self, snapshot: dict) -> None:
        self.model.load_state_dict(snapshot["model"])
        self.main.load_state_dict(snapshot["optimizer"])
        self.sched.load_state_dict(snapshot["scheduler"])
        self.speed.load_state_dict(snapshot["eta_optimizer"])
