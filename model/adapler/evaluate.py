"""Command line: the test-split report of a finished training run.

    python3 -m adapler.evaluate --run ../build/runs/spam-minilm

Evaluates the full-length teacher and the kept AdapLeR model (hard removal, the exported
forward) at several eta scales on the run's test split: accuracy, F1, FLOPs speedup (a ratio
of sums) and mean tokens per layer. Prints a Markdown table and stores the figures in the
run's best.pt, so the exported adapler.json carries them. The model's chart is drawn by the
job (`./submit.sh chart --bundle BUNDLE --out chart.svg`), from the figures the job measures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import torch

from .checkpoint import Checkpoint
from .train import BEST, STATE, evaluate

SCALES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


def with_mean_lengths(result: dict, rows) -> dict:
    mean_input = sum(len(r[0]) for r in rows) / len(rows)
    result["mean_input_length"] = round(mean_input, 2)
    result["mean_layer_lengths"] = [round(s * mean_input, 2) for s in result["kept_share_per_layer"]]
    return result


def teacher_of(run: Path):
    """The teacher epoch with the best validation score (the trainer saves every epoch)."""
    scores = torch.load(run / STATE, map_location="cpu")["teacher_scores"]
    best = max(range(len(scores)), key=lambda e: scores[e])
    path = run / f"teacher-epoch{best}.pt"
    if not path.exists():
        raise ValueError(f"{path} is missing: the teacher of this run was not saved")
    return Checkpoint.load(path).model


def markdown(teacher: dict, rows: list[dict]) -> str:
    lines = ["| model | eta scale | accuracy | F1 (spam) | FLOPs speedup | mean tokens per layer |",
             "|---|---|---|---|---|---|",
             f"| teacher (full length) | - | {teacher['accuracy']:.4f} | {teacher['f1']:.4f} | 1.00 "
             f"| {teacher['mean_input_length']:.1f} (all) |"]
    for r in rows:
        lengths = " / ".join(f"{x:.1f}" for x in r["mean_layer_lengths"])
        lines.append(f"| AdapLeR | {r['eta_scale']:g} | {r['accuracy']:.4f} | {r['f1']:.4f} | "
                     f"{r['speedup']:.2f} | {lengths} |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("--run", required=True, help="a finished adapler.train run directory")
    ap.add_argument("--scales", default=",".join(f"{s:g}" for s in SCALES))
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args(argv)
    torch.set_num_threads(os.cpu_count() or 1)
    run = Path(args.run)
    test = torch.load(run / "data-cache.pt")["splits"].get("test")
    if not test:
        print(f"error: {run} has no test split", file=sys.stderr)
        return 2
    best = Checkpoint.load(run / BEST)
    dev = torch.device("cpu")
    teacher = with_mean_lengths(evaluate(teacher_of(run), test, dev,
                                         args.batch_size, eta_scale=0.0), test)
    rows = []
    for s in (float(x) for x in args.scales.split(",")):
        r = with_mean_lengths(evaluate(best.model, test, dev, args.batch_size, eta_scale=s), test)
        rows.append({"eta_scale": s, **r})
        print(f"eta_scale {s:g}: {json.dumps(r)}", flush=True)
    best.metrics = dict(best.metrics, test_teacher=teacher, test_tradeoff=rows)
    best.save(run / BEST)
    print(markdown(teacher, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
