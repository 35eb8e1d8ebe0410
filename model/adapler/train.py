"""Command line: train AdapLeR on a text classification task (docs/method.md, "Training recipe").

    python3 -m adapler.train --backbone build/backbones/all-minilm-l6-v2/model.onnx \
        --tokenizer build/backbones/all-minilm-l6-v2/tokenizer.json \
        --data build/spam --labels ham,spam --max-length 128 --out build/runs/spam-minilm

Warm start from a shipped bundle (e.g. a 128-token model trained further at 512):

    python3 -m adapler.bundle_import --bundle samples/models/spam-minilm --out build/spam-512.pt \
        --max-length 512
    python3 -m adapler.train --init build/spam-512.pt --data build/spam --labels ham,spam \
        --max-length 512 --out build/runs/spam-minilm-512 [hyper-parameters]

Phases, all in one run directory, each a module of adapler.training sharing one epoch loop
(training/epochs.py). Training batches hold rows of similar length (--bucket-batches); the state
is saved at every epoch boundary and every --save-every-minutes within an epoch, and --resume
continues from the last save with the same batches:
  1. teacher: the plain classifier (pre-trained encoder, no removal) fine-tuned on the task;
     after every epoch, its validation score and the saliency of every training row;
  2. saliency targets: the mean over the teacher's best --saliency-epochs epochs;
  3. AdapLeR: from the PRE-TRAINED encoder (not the teacher) with fresh CPs, eta and theta
     (the initial checkpoint; --adapler-init gives this phase its own, e.g. a trained model),
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

--precision bf16 runs the encoder layers under bf16 autocast (embeddings, CPs, soft masks, losses
and the optimiser stay fp32): about 3x faster steps on CPUs with AMX (Sapphire Rapids and later)
and on CUDA GPUs; it may be changed on --resume (the run state records which steps used which).

Data: a directory with train.jsonl, validation.jsonl (and optionally test.jsonl), one object
per line with "text", "label" and optionally "text_pair".
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

import torch

from .checkpoint import Checkpoint
from .training.adapler_phase import AdaplerPhase, adapler_step
from .training.branch import branch_run
from .training.data import collate, encode_split, epoch_batches, load_data, read_jsonl
from .training.epochs import run_epochs
from .training.metrics import classification_metrics, evaluate
from .training.optim import make_optimizers
from .training.run_state import ADAPLER_INITIAL, BEST, INITIAL, LOG, STATE, RunState, log, setup_logging
from .training.saliency_targets import read_targets, write_targets
from .training.selection import pick_best, select
from .training.settings import TrainConfig, lambda_schedule
from .training.teacher import TeacherPhase, teacher_step

__all__ = ["BEST", "INITIAL", "LOG", "STATE", "TrainConfig", "adapler_step", "classification_metrics",
           "collate", "encode_split", "evaluate", "lambda_schedule", "load_data", "make_optimizers",
           "pick_best", "read_jsonl", "teacher_step", "train", "main"]


def open_run(out: Path, cfg, initial, resume: bool, stop_after: int, stop_after_steps: int = 0):
    """The run's state: read back on --resume, else a new one (refusing to overwrite a run)."""
    state_path = out / STATE
    if resume:
        if not state_path.exists():
            raise FileNotFoundError(f"{state_path} not found: nothing to resume")
        state = torch.load(state_path, map_location="cpu")
        cfg = TrainConfig.from_saved(state["config"])
        initial = Checkpoint.load(out / INITIAL)
        log.info("resuming %s: phase %s, epoch %d", out, state["phase"], state["epoch"])
    else:
        if cfg is None or initial is None:
            raise ValueError("a new run needs a config and an initial checkpoint")
        if state_path.exists():
            raise FileExistsError(f"{state_path} exists: use --resume, or another --out")
        cfg.check()
        if cfg.adapler_init:
            start = Checkpoint.load(cfg.adapler_init)
            check_adapler_init(start, initial)
            # the run's tokenizer settings (its max_length) hold for both phases
            start.tokenizer, start.tokenizer_json = initial.tokenizer, initial.tokenizer_json
            start.save(out / ADAPLER_INITIAL)
        initial.save(out / INITIAL)
        (out / "tokenizer.json").write_text(initial.tokenizer_json, encoding="utf-8")
        state = {"config": dataclasses.asdict(cfg), "phase": "teacher", "epoch": 0, "step": 0, "teacher_scores": [],
                 "history": [], "teacher_score": None, "saliency_epochs_used": None}
        log.info("new run in %s: %s", out, json.dumps(state["config"]))
    return RunState(out, state, stop_after, stop_after_steps), cfg, initial


def check_adapler_init(start: Checkpoint, initial: Checkpoint) -> None:
    """The AdapLeR phase's starting checkpoint must fit the run: same geometry and labels."""
    if start.model.geometry != initial.model.geometry:
        raise ValueError(f"--adapler-init has geometry {start.model.geometry.to_dict()}, "
                         f"the run's initial checkpoint {initial.model.geometry.to_dict()}")
    if start.labels != initial.labels:
        raise ValueError(f"--adapler-init has labels {start.labels}, the run {initial.labels}")


PRECISIONS = {"fp32": None, "bf16": torch.bfloat16}


def train(out_dir, cfg: TrainConfig | None = None, initial: Checkpoint | None = None, tokenizer_path=None,
          device: str = "cpu", resume: bool = False, stop_after: int = 0, stop_after_steps: int = 0,
          precision: str = "fp32") -> dict:
    """Runs (or resumes) the whole recipe in `out_dir`. `initial` is the pre-trained model with
    fresh heads (from the importer); on resume it is read back from the run directory.
    `stop_after` > 0 stops after that many epochs (teacher and AdapLeR together) of THIS call,
    `stop_after_steps` > 0 after that many optimisation steps (saving the state there).
    `precision` "bf16" runs the encoder layers under bf16 autocast (--precision).
    Returns the state summary; OUT/best.pt is written when the run completes."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision {precision!r}: use one of {', '.join(PRECISIONS)}")
    encoder_dtype = PRECISIONS[precision]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    setup_logging(out)
    dev = torch.device(device)
    run, cfg, initial = open_run(out, cfg, initial, resume, stop_after, stop_after_steps)
    run.state.setdefault("precision", []).append(
        {"phase": run["phase"], "epoch": run["epoch"], "step": run.state.get("step", 0), "precision": precision})
    log.info("encoder precision %s from phase %s, epoch %d, step %d", precision, run["phase"], run["epoch"],
             run.state.get("step", 0))
    splits = load_data(cfg, Path(tokenizer_path or out / "tokenizer.json"), out / "data-cache.pt")
    log.info("data: %s; model: %s", {k: len(v) for k, v in splits.items()},
             json.dumps(initial.model.geometry.to_dict()))
    lengths = [len(r[0]) for r in splits["train"]]
    steps = len(epoch_batches(lengths, cfg, 0, "teacher"))

    if run["phase"] == "teacher":
        if not run_epochs(run, TeacherPhase(run, cfg, initial, splits, dev, steps, encoder_dtype), cfg, lengths):
            return run.state
        write_targets(run, cfg)
    if run["phase"] == "adapler":
        start = Checkpoint.load(out / ADAPLER_INITIAL) if (out / ADAPLER_INITIAL).exists() else initial
        phase = AdaplerPhase(run, cfg, start, splits, dev, steps, read_targets(run), encoder_dtype)
        if not run_epochs(run, phase, cfg, lengths):
            return run.state
        run["phase"] = "select"
    if run["phase"] == "select":
        select(run, cfg, initial, splits, dev)
    return run.state


def explicit_settings(argv: list[str]) -> list[str]:
    """The TrainConfig fields given on the command line (not left at their defaults)."""
    names = {f.name for f in dataclasses.fields(TrainConfig)} - {"data", "labels"}
    given = []
    for a in argv:
        if a.startswith("--"):
            name = a[2:].split("=", 1)[0].replace("-", "_")
            if name in names:
                given.append(name)
    return given


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
    ap.add_argument("--from-teacher", metavar="RUN",
                    help="a new run reusing RUN's teacher and saliency targets: the AdapLeR phase "
                         "again, with the hyper-parameters given here changed (training/branch.py)")
    ap.add_argument("--device", default="auto", help="cpu, cuda, cuda:N or auto (default)")
    ap.add_argument("--precision", default="fp32", choices=sorted(PRECISIONS),
                    help="encoder layers in fp32 (default) or bf16 autocast (about 3x faster on CPUs "
                         "with AMX and on GPUs); new runs and --resume")
    ap.add_argument("--stop-after", type=int, default=0, help="stop after N epochs of this invocation")
    ap.add_argument("--stop-after-steps", type=int, default=0,
                    help="stop after N optimisation steps of this invocation (the state is saved there)")
    defaults = TrainConfig()
    hp = ap.add_argument_group("hyper-parameters (defaults: the settings that trained the shipped spam "
                                   "model; training/settings.py names the authors' where they differ)")
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
            train(args.out, device=device, resume=True, stop_after=args.stop_after,
                  stop_after_steps=args.stop_after_steps, precision=args.precision)
            return 0
        if args.from_teacher:
            given = explicit_settings(argv if argv is not None else sys.argv[1:])
            changes = {k: getattr(args, k) for k in given}
            if "lambdas" in changes:
                changes["lambdas"] = [float(x) for x in args.lambdas.split(",")] if args.lambdas else []
            branch_run(args.from_teacher, args.out, changes)
            train(args.out, device=device, resume=True, stop_after=args.stop_after,
                  stop_after_steps=args.stop_after_steps, precision=args.precision)
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
        train(args.out, cfg, initial, device=device, stop_after=args.stop_after,
              stop_after_steps=args.stop_after_steps, precision=args.precision)
    except (OSError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
