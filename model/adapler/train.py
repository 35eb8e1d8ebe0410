"""Command line: train AdapLeR on a text classification task (ADAPLER-SPEC.md, "Training recipe").

    python3 -m adapler.train --backbone build/backbones/all-minilm-l6-v2/model.onnx \
        --tokenizer build/backbones/all-minilm-l6-v2/tokenizer.json \
        --data build/spam --labels ham,spam --max-length 128 --out build/runs/spam-minilm

Phases, all in one run directory (resumable at every epoch boundary with --resume):
  1. teacher: the plain classifier (pre-trained encoder, no removal) fine-tuned on the task;
     after every epoch, its validation score and the saliency of every training row;
  2. saliency targets: the mean over the teacher's best --saliency-epochs epochs;
  3. AdapLeR: from the PRE-TRAINED encoder (not the teacher) with fresh CPs, eta and theta,
     soft removal with the lambda schedule, KL to the saliency targets, a separate Adam for
     eta/theta on CE + phi * soft lengths; after every epoch, validation with HARD removal
     (the batched forward at eta_scale 1): accuracy, F1 and FLOPs speedup;
  4. the kept checkpoint: the best validation speedup among the epochs whose validation score
     is within --tolerance of the teacher's; written to OUT/best.pt (an adapler Checkpoint,
     ready for `python3 -m adapler.export --checkpoint OUT/best.pt --out BUNDLE_DIR`).

Choices where the authors' code leaves room (theirs in brackets): the KL targets are constants
(their gradient tape also differentiates through the target's soft mask); the targets' [CLS]
step uses the model's theta_pr (their THETA, fixed at 1); BERT's hidden dropout 0.1, no
attention-probability dropout (theirs is commented out); unweighted cross-entropy (theirs
allows class weights); the teacher uses the same optimiser settings for --teacher-epochs epochs.

Data: a directory with train.jsonl, validation.jsonl (and optionally test.jsonl), one object
per line with "text", "label" and optionally "text_pair".
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import logging
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F

from .checkpoint import Checkpoint
from .flops import speedup
from .modeling import AdaplerClassifier
from .saliency import average_best, saliency_batch
from .soft_removal import kl_terms, soft_forward

STATE = "state.pt"
LOG = "train.log"
BEST = "best.pt"
INITIAL = "initial.pt"
log = logging.getLogger("adapler.train")


# -- settings --

@dataclass
class TrainConfig:
    data: str = ""
    labels: list = field(default_factory=list)
    max_length: int = 128
    epochs: int = 5                   # AdapLeR epochs
    teacher_epochs: int = 5
    saliency_epochs: int = 3          # the authors average the 3 best teacher epochs
    lambdas: list = field(default_factory=list)  # explicit per-epoch lambdas (default: schedule)
    batch_size: int = 32
    eval_batch_size: int = 64
    lr: float = 3e-5
    weight_decay: float = 0.01
    adam_eps: float = 1e-12
    warmup: float = 0.06
    max_grad_norm: float = 1.0
    eta_lr: float = 5e-4
    cp_lr: float = 0.0                # 0: the CP heads train at lr like the rest (the spec);
                                      # short runs may need more for the fresh heads to move
    gamma: float = 0.005
    phi: float = 0.0005
    dropout: float = 0.1
    metric: str = "accuracy"          # the validation score of the checkpoint rule
    tolerance: float = 0.01
    seed: int = 42
    limit_train: int = 0              # 0: all rows; else N rows drawn with the seed
    max_steps_per_epoch: int = 0      # 0: whole epochs; else cut (smoke runs)
    log_every: int = 20

    def check(self):
        if self.metric not in ("accuracy", "f1"):
            raise ValueError(f"--metric must be accuracy or f1, found {self.metric!r}")
        if self.saliency_epochs < 1 or self.teacher_epochs < 1 or self.epochs < 1:
            raise ValueError("epoch counts must be >= 1")
        if self.lambdas and len(self.lambdas) != self.epochs:
            raise ValueError(f"{len(self.lambdas)} lambdas given for {self.epochs} epochs")
        lambda_schedule(self.epochs, 0, self.lambdas)  # fails early on an unsupported count


def lambda_schedule(epochs: int, epoch: int, explicit=None) -> float:
    """lambda for epoch `epoch` (0-based) of an `epochs`-epoch run: the authors' schedules for
    5 (10 * 10^e), 10 (10 * 3^e) and 3 (50 * 50^e) epochs; for any other count >= 2 the
    geometric ramp 10 * 10^(4e / (epochs - 1)) from 10 to 1e5 (the 5-epoch schedule stretched).
    `explicit` (one value per epoch) overrides all of this."""
    if explicit:
        return float(explicit[epoch])
    if epochs == 5:
        return 10.0 * 10.0 ** epoch
    if epochs == 10:
        return 10.0 * 3.0 ** epoch
    if epochs == 3:
        return 50.0 * 50.0 ** epoch
    if epochs >= 2:
        return 10.0 * 10.0 ** (4.0 * epoch / (epochs - 1))
    raise ValueError(f"no lambda schedule for {epochs} epoch(s): use >= 2 epochs or give --lambdas")


# -- data --

def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                row = json.loads(line)
                if "text" not in row or "label" not in row:
                    raise ValueError(f"{path}:{i}: each row needs 'text' and 'label'")
                rows.append(row)
    return rows


def encode_split(rows, tok, labels: list[str], max_length: int) -> list[tuple]:
    index = {lab: i for i, lab in enumerate(labels)}
    out = []
    for r in rows:
        lab = str(r["label"])
        if lab not in index:
            raise ValueError(f"label {lab!r} is not one of {labels}")
        enc = tok.encode(r["text"], r.get("text_pair"), max_length=max_length)
        out.append((enc.input_ids, enc.token_type_ids, index[lab]))
    return out


def load_data(cfg: TrainConfig, tokenizer_path: Path, cache: Path) -> dict:
    """{split: [(ids, types, label)]}, tokenized once and cached in the run directory."""
    if cache.exists():
        data = torch.load(cache)
        if data.get("key") == [cfg.data, cfg.labels, cfg.max_length, cfg.limit_train, cfg.seed]:
            return data["splits"]
    from .tokenization import WordPieceTokenizer
    tok = WordPieceTokenizer.from_file(tokenizer_path)
    splits = {}
    for split in ("train", "validation", "test"):
        path = Path(cfg.data) / f"{split}.jsonl"
        if not path.exists():
            if split == "test":
                continue
            raise FileNotFoundError(f"{path} not found")
        rows = read_jsonl(path)
        if split == "train" and cfg.limit_train:
            # a sample, not the head: data files are often sorted (by label, by source)
            rows = random.Random(cfg.seed).sample(rows, min(cfg.limit_train, len(rows)))
        t0 = time.time()
        splits[split] = encode_split(rows, tok, cfg.labels, cfg.max_length)
        log.info("tokenized %s: %d rows in %.0f s", split, len(rows), time.time() - t0)
    torch.save({"key": [cfg.data, cfg.labels, cfg.max_length, cfg.limit_train, cfg.seed],
                "splits": splits}, cache)
    return splits


def collate(rows, device, saliency=None, index=None, pad_id: int = 0):
    T = max(len(r[0]) for r in rows)
    ids = torch.full((len(rows), T), pad_id, dtype=torch.int64)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for i, (r_ids, r_types, _) in enumerate(rows):
        ids[i, :len(r_ids)] = torch.tensor(r_ids)
        types[i, :len(r_types)] = torch.tensor(r_types)
        mask[i, :len(r_ids)] = 1
    labels = torch.tensor([r[2] for r in rows])
    sal = None
    if saliency is not None:
        sal = saliency[index][:, :T] * mask
    return [x.to(device) if x is not None else None for x in (ids, mask, types, labels, sal)]


def epoch_order(n: int, seed: int, epoch: int, phase: str) -> list[int]:
    order = list(range(n))
    random.Random(f"{seed}/{phase}/{epoch}").shuffle(order)
    return order


def batches_of(order, size, limit=0):
    out = [order[i:i + size] for i in range(0, len(order), size)]
    return out[:limit] if limit else out


# -- metrics --

def classification_metrics(preds: list[int], golds: list[int], classes: int) -> dict:
    acc = sum(p == g for p, g in zip(preds, golds)) / max(1, len(golds))

    def f1_of(c):
        tp = sum(p == c and g == c for p, g in zip(preds, golds))
        fp = sum(p == c and g != c for p, g in zip(preds, golds))
        fn = sum(p != c and g == c for p, g in zip(preds, golds))
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    # binary: F1 of class 1 (e.g. "spam", "positive"); more classes: macro F1
    f1 = f1_of(1) if classes == 2 else sum(f1_of(c) for c in range(classes)) / classes
    return {"accuracy": acc, "f1": f1}


@torch.no_grad()
def evaluate(model: AdaplerClassifier, rows, device, batch_size: int, eta_scale: float = 1.0) -> dict:
    """Hard removal: the batched forward that gets exported. Accuracy, F1, FLOPs speedup and the
    mean layer lengths; rows are sorted by length into batches (results do not depend on it)."""
    model.eval()
    order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
    preds, golds, lengths = [0] * len(rows), [r[2] for r in rows], [None] * len(rows)
    for chunk in batches_of(order, batch_size):
        ids, mask, types, _, _ = collate([rows[i] for i in chunk], device)
        logits, lens, _ = model(ids, mask, types, torch.tensor(float(eta_scale), device=device))
        for j, i in enumerate(chunk):
            preds[i] = int(logits[j].argmax())
            lengths[i] = lens[j].tolist()
    g = model.geometry
    out = classification_metrics(preds, golds, g.classes)
    out["speedup"] = speedup(((len(r[0]), lengths[i]) for i, r in enumerate(rows)), g)
    n_tokens = sum(len(r[0]) for r in rows)
    out["kept_share_per_layer"] = [round(sum(lengths[i][l] for i in range(len(rows))) / n_tokens, 4)
                                   for l in range(g.layers)]
    out["rows"] = len(rows)
    return out


# -- optimisation --

def make_optimizers(model: AdaplerClassifier, cfg: TrainConfig, total_steps: int, with_eta: bool):
    groups = {}  # (is a CP head with its own lr, no weight decay) -> params, in a fixed order
    for name, p in model.named_parameters():
        if name in ("eta", "theta_pr"):
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
    speed = torch.optim.Adam([model.eta, model.theta_pr], lr=cfg.eta_lr) if with_eta else None
    return main, sched, speed


def main_params(model):
    return [p for n, p in model.named_parameters() if n not in ("eta", "theta_pr")]


def teacher_step(model, batch, cfg, main, sched) -> dict:
    ids, mask, types, labels, _ = batch
    out = soft_forward(model, ids, mask, types, lam=1.0, removal=False, dropout=cfg.dropout)
    ce = F.cross_entropy(out.logits, labels)
    main.zero_grad(set_to_none=True)
    ce.backward()
    torch.nn.utils.clip_grad_norm_(main_params(model), cfg.max_grad_norm)
    main.step()
    sched.step()
    return {"ce": float(ce)}


def adapler_step(model: AdaplerClassifier, batch, cfg: TrainConfig, lam: float, main, sched, speed) -> dict:
    """One AdapLeR step. Model and CPs: CE + gamma * sum_l (L - l) KL_l (AdamW); eta and theta:
    CE + phi * sum_l softlen_l (Adam), then eta is clipped to [0.01, 1]."""
    ids, mask, types, labels, sal = batch
    out = soft_forward(model, ids, mask, types, lam=lam, dropout=cfg.dropout)
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


# -- state (resume) --

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
    log.setLevel(logging.INFO)
    for h in list(log.handlers):
        log.removeHandler(h)
        h.close()
    fmt = logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S")
    for h in (logging.StreamHandler(sys.stdout), logging.FileHandler(out / LOG, encoding="utf-8")):
        h.setFormatter(fmt)
        log.addHandler(h)
    log.propagate = False


def pick_best(history: list[dict], teacher_score: float, metric: str, tolerance: float) -> tuple[int, str]:
    """The epoch to keep: best validation speedup among the epochs whose validation score is
    within `tolerance` of the teacher's; if none is, the best score (and say so)."""
    ok = [h for h in history if h["validation"][metric] >= teacher_score - tolerance]
    if ok:
        best = max(ok, key=lambda h: (h["validation"]["speedup"], h["validation"][metric], h["epoch"]))
        return best["epoch"], f"best speedup within {tolerance} of the teacher's {metric}"
    best = max(history, key=lambda h: (h["validation"][metric], h["validation"]["speedup"], h["epoch"]))
    return best["epoch"], f"no epoch within {tolerance} of the teacher's {metric}: best {metric} kept"


# -- the run --

def train(out_dir, cfg: TrainConfig | None = None, initial: Checkpoint | None = None, tokenizer_path=None,
          device: str = "cpu", resume: bool = False, stop_after: int = 0) -> dict:
    """Runs (or resumes) the whole recipe in `out_dir`. `initial` is the pre-trained model with
    fresh heads (from the importer); on resume it is read back from the run directory.
    `stop_after` > 0 stops after that many epochs (teacher and AdapLeR together) of THIS call.
    Returns the state summary; OUT/best.pt is written when the run completes."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    setup_logging(out)
    dev = torch.device(device)
    state_path = out / STATE
    if resume:
        if not state_path.exists():
            raise FileNotFoundError(f"{state_path} not found: nothing to resume")
        state = torch.load(state_path, map_location="cpu")
        cfg = TrainConfig(**state["config"])
        initial = Checkpoint.load(out / INITIAL)
        log.info("resuming %s: phase %s, epoch %d", out, state["phase"], state["epoch"])
    else:
        if cfg is None or initial is None:
            raise ValueError("a new run needs a config and an initial checkpoint")
        if state_path.exists():
            raise FileExistsError(f"{state_path} exists: use --resume, or another --out")
        cfg.check()
        initial.save(out / INITIAL)
        (out / "tokenizer.json").write_text(initial.tokenizer_json, encoding="utf-8")
        state = {"config": dataclasses.asdict(cfg), "phase": "teacher", "epoch": 0, "teacher_scores": [],
                 "history": [], "teacher_score": None, "saliency_epochs_used": None}
        log.info("new run in %s: %s", out, json.dumps(state["config"]))
    tokenizer_path = tokenizer_path or out / "tokenizer.json"
    splits = load_data(cfg, Path(tokenizer_path), out / "data-cache.pt")
    train_rows, val_rows = splits["train"], splits["validation"]
    g = initial.model.geometry
    log.info("data: %s; model: %s", {k: len(v) for k, v in splits.items()}, json.dumps(g.to_dict()))
    steps = len(batches_of(list(range(len(train_rows))), cfg.batch_size, cfg.max_steps_per_epoch))
    done_now = 0

    # -- phase 1: teacher --
    if state["phase"] == "teacher":
        teacher = copy.deepcopy(initial.model).to(dev)
        main, sched, _ = make_optimizers(teacher, cfg, steps * cfg.teacher_epochs, with_eta=False)
        if state["epoch"] > 0:
            teacher.load_state_dict(state["teacher"]["model"])
            main.load_state_dict(state["teacher"]["optimizer"])
            sched.load_state_dict(state["teacher"]["scheduler"])
            set_rng_state(state["rng"])
        else:
            torch.manual_seed(cfg.seed)
        while state["epoch"] < cfg.teacher_epochs:
            if stop_after and done_now >= stop_after:
                return state
            e = state["epoch"]
            teacher.train()
            t0 = time.time()
            for b, idx in enumerate(batches_of(epoch_order(len(train_rows), cfg.seed, e, "teacher"),
                                               cfg.batch_size, cfg.max_steps_per_epoch)):
                stats = teacher_step(teacher, collate([train_rows[i] for i in idx], dev), cfg, main, sched)
                if (b + 1) % cfg.log_every == 0 or b + 1 == steps:
                    log.info("teacher epoch %d step %d/%d ce %.4f (%.2f s/step)", e, b + 1, steps,
                             stats["ce"], (time.time() - t0) / (b + 1))
            val = evaluate(teacher, val_rows, dev, cfg.eval_batch_size, eta_scale=0.0)
            sal = torch.zeros(len(train_rows), cfg.max_length)
            teacher.eval()
            for idx in batches_of(list(range(len(train_rows))), cfg.eval_batch_size):
                ids, mask, types, labels, _ = collate([train_rows[i] for i in idx], dev)
                s = saliency_batch(teacher, ids, mask, types, labels).cpu()
                sal[idx, :s.shape[1]] = s
            torch.save(sal, out / f"saliency-teacher-epoch{e}.pt")
            # the teacher itself, for the test report (the full-length baseline)
            Checkpoint(copy.deepcopy(teacher).cpu().eval(), initial.labels, initial.tokenizer,
                       initial.tokenizer_json, initial.provenance, {"validation": val}).save(
                           out / f"teacher-epoch{e}.pt")
            state["teacher_scores"].append(val[cfg.metric])
            state["epoch"] = e + 1
            state["teacher"] = {"model": teacher.state_dict(), "optimizer": main.state_dict(),
                                "scheduler": sched.state_dict()}
            state["rng"] = rng_state()
            save_atomic(state, state_path)
            log.info("teacher epoch %d: validation %s (%.0f s)", e, json.dumps(val), time.time() - t0)
            done_now += 1
        per_epoch = [torch.load(out / f"saliency-teacher-epoch{e}.pt") for e in range(cfg.teacher_epochs)]
        mean, used = average_best(per_epoch, state["teacher_scores"], cfg.saliency_epochs)
        torch.save(mean, out / "saliency.pt")
        state.update(phase="adapler", epoch=0, teacher_score=max(state["teacher_scores"]),
                     saliency_epochs_used=used, teacher=None)
        save_atomic(state, state_path)
        log.info("teacher done: best validation %s %.4f; saliency = mean of epochs %s",
                 cfg.metric, state["teacher_score"], used)

    # -- phase 2: AdapLeR from the pre-trained encoder --
    if state["phase"] == "adapler":
        saliency = torch.load(out / "saliency.pt")
        model = copy.deepcopy(initial.model).to(dev)
        main, sched, speed = make_optimizers(model, cfg, steps * cfg.epochs, with_eta=True)
        if state["epoch"] > 0:
            model.load_state_dict(state["adapler"]["model"])
            main.load_state_dict(state["adapler"]["optimizer"])
            sched.load_state_dict(state["adapler"]["scheduler"])
            speed.load_state_dict(state["adapler"]["eta_optimizer"])
            set_rng_state(state["rng"])
        else:
            torch.manual_seed(cfg.seed + 1)
        while state["epoch"] < cfg.epochs:
            if stop_after and done_now >= stop_after:
                return state
            e = state["epoch"]
            lam = lambda_schedule(cfg.epochs, e, cfg.lambdas)
            model.train()
            t0 = time.time()
            for b, idx in enumerate(batches_of(epoch_order(len(train_rows), cfg.seed, e, "adapler"),
                                               cfg.batch_size, cfg.max_steps_per_epoch)):
                batch = collate([train_rows[i] for i in idx], dev, saliency, torch.tensor(idx))
                stats = adapler_step(model, batch, cfg, lam, main, sched, speed)
                if (b + 1) % cfg.log_every == 0 or b + 1 == steps:
                    log.info("adapler epoch %d step %d/%d lambda %g ce %.4f kl %.4f soft_len %.1f "
                             "eta %s (%.2f s/step)", e, b + 1, steps, lam, stats["ce"], stats["kl"],
                             stats["soft_len"], [round(float(v), 3) for v in model.eta], (time.time() - t0) / (b + 1))
            val = evaluate(model, val_rows, dev, cfg.eval_batch_size, eta_scale=1.0)
            record = {"epoch": e, "lambda": lam, "validation": val,
                      "eta": [float(v) for v in model.eta], "theta_pr": [float(v) for v in model.theta_pr]}
            state["history"].append(record)
            Checkpoint(copy.deepcopy(model).cpu().eval(), initial.labels, initial.tokenizer,
                       initial.tokenizer_json, initial.provenance, {"validation": val}).save(
                           out / f"adapler-epoch{e}.pt")
            state["epoch"] = e + 1
            state["adapler"] = {"model": model.state_dict(), "optimizer": main.state_dict(),
                                "scheduler": sched.state_dict(), "eta_optimizer": speed.state_dict()}
            state["rng"] = rng_state()
            save_atomic(state, state_path)
            log.info("adapler epoch %d: validation %s (%.0f s)", e, json.dumps(val), time.time() - t0)
            done_now += 1
        state["phase"] = "select"

    # -- phase 3: keep one checkpoint --
    if state["phase"] == "select":
        epoch, why = pick_best(state["history"], state["teacher_score"], cfg.metric, cfg.tolerance)
        best = Checkpoint.load(out / f"adapler-epoch{epoch}.pt")
        metrics = {"teacher_validation_" + cfg.metric: state["teacher_score"],
                   "teacher_saliency_epochs": state["saliency_epochs_used"],
                   "selected_epoch": epoch, "selection": why,
                   "validation": state["history"][epoch]["validation"], "history": state["history"]}
        if "test" in splits:
            metrics["test"] = evaluate(best.model.to(dev), splits["test"], dev, cfg.eval_batch_size, 1.0)
            metrics["test_full_length"] = evaluate(best.model, splits["test"], dev, cfg.eval_batch_size, 0.0)
            best.model.cpu()
        best.metrics = metrics
        best.provenance = dict(initial.provenance, training={
            "recipe": "AdapLeR (ADAPLER-SPEC.md), adapler.train", **state["config"]})
        best.save(out / BEST)
        state.update(phase="done", adapler=None)
        save_atomic(state, state_path)
        log.info("kept epoch %d (%s): validation %s", epoch, why, json.dumps(metrics["validation"]))
        if "test" in metrics:
            log.info("test (hard removal, eta_scale 1): %s", json.dumps(metrics["test"]))
        log.info("wrote %s", out / BEST)
    return state


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.train", description=__doc__.splitlines()[0],
                                 epilog="\n".join(__doc__.splitlines()[1:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_argument_group("model and data (new runs)")
    src.add_argument("--backbone", help="pre-trained BERT-family encoder graph (ONNX), imported fresh")
    src.add_argument("--tokenizer", help="the backbone's tokenizer.json")
    src.add_argument("--init", help="or: an adapler checkpoint to start from (e.g. from adapler.importer --out)")
    src.add_argument("--heads", type=int, help="attention heads, if the graph does not show them")
    src.add_argument("--data", help="directory with train.jsonl, validation.jsonl [, test.jsonl]")
    src.add_argument("--labels", help="comma-separated labels in logit order (default: sorted train labels)")
    src.add_argument("--pair-inputs", action="store_true", help="rows carry text_pair")
    ap.add_argument("--out", required=True, help="run directory (state, logs, epoch checkpoints, best.pt)")
    ap.add_argument("--resume", action="store_true", help="continue the run in --out where it stopped")
    ap.add_argument("--device", default="auto", help="cpu, cuda, cuda:N or auto (default)")
    ap.add_argument("--stop-after", type=int, default=0, help="stop after N epochs of this invocation")
    defaults = TrainConfig()
    hp = ap.add_argument_group("hyper-parameters (defaults: the authors' SST-2 settings)")
    for f in dataclasses.fields(TrainConfig):
        if f.name in ("data", "labels", "lambdas"):
            continue
        hp.add_argument("--" + f.name.replace("_", "-"), type=type(getattr(defaults, f.name)),
                        default=getattr(defaults, f.name), help=f"default {getattr(defaults, f.name)}")
    hp.add_argument("--lambdas", help="comma-separated lambda per AdapLeR epoch (default: the schedule)")
    args = ap.parse_args(argv)
    torch.set_num_threads(os.cpu_count() or 1)
    device = args.device
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    elif device.startswith("cuda") and not torch.cuda.is_available():
        print("error: --device cuda but CUDA is not available", file=sys.stderr)
        return 2
    try:
        if args.resume:
            train(args.out, device=device, resume=True, stop_after=args.stop_after)
            return 0
        if not args.data:
            raise ValueError("--data is required for a new run")
        labels = args.labels.split(",") if args.labels else sorted(
            {str(r["label"]) for r in read_jsonl(Path(args.data) / "train.jsonl")})
        hp_values = {f.name: getattr(args, f.name) for f in dataclasses.fields(TrainConfig)
                     if f.name not in ("data", "labels", "lambdas")}
        lambdas = [float(x) for x in args.lambdas.split(",")] if args.lambdas else []
        cfg = TrainConfig(data=str(args.data), labels=labels, lambdas=lambdas, **hp_values)
        if args.init:
            initial = Checkpoint.load(args.init)
            if initial.labels != labels:
                raise ValueError(f"{args.init} has labels {initial.labels}, the data {labels}")
        elif args.backbone and args.tokenizer:
            from .importer import import_checkpoint
            initial = import_checkpoint(args.backbone, args.tokenizer, labels, cfg.max_length,
                                        args.heads, args.pair_inputs, cfg.seed)
        else:
            raise ValueError("give --backbone and --tokenizer, or --init")
        if initial.tokenizer.max_length != cfg.max_length:
            initial.tokenizer = dataclasses.replace(initial.tokenizer, max_length=cfg.max_length)
        train(args.out, cfg, initial, device=device, stop_after=args.stop_after)
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
