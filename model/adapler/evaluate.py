"""Command line: the test-split report of a finished training run.

    python3 -m adapler.evaluate --run ../build/runs/spam-minilm --chart ../docs/spam-minilm-tradeoff.svg

Evaluates the full-length teacher and the kept AdapLeR model (hard removal, the exported
forward) at several eta scales on the run's test split: accuracy, F1, FLOPs speedup (a ratio
of sums) and mean tokens per layer. Prints a Markdown table, writes an SVG chart of accuracy
against speedup, and stores the figures in the run's best.pt, so the exported adapler.json
carries them.
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


def svg_chart(teacher: dict, rows: list[dict]) -> str:
    """Accuracy against FLOPs speedup, one point per eta scale; the teacher as a point at 1x
    and a dashed line across."""
    w, h, pad = 520, 320, 50
    xs = [r["speedup"] for r in rows]
    ys = [r["accuracy"] for r in rows] + [teacher["accuracy"]]
    x0, x1 = 0.0, max(xs) * 1.1
    y0, y1 = min(ys) - 0.02, min(1.0, max(ys) + 0.01)

    def px(x):
        return pad + (x - x0) / (x1 - x0) * (w - 2 * pad)

    def py(y):
        return h - pad - (y - y0) / (y1 - y0) * (h - 2 * pad)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
             f'<rect width="{w}" height="{h}" fill="white"/>',
             f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="black"/>',
             f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/>',
             f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">FLOPs speedup (test split, ratio of sums)</text>',
             f'<text x="14" y="{h / 2}" transform="rotate(-90 14 {h / 2})" text-anchor="middle">accuracy</text>',
             f'<line x1="{pad}" y1="{py(teacher["accuracy"]):.1f}" x2="{w - pad}" y2="{py(teacher["accuracy"]):.1f}" '
             f'stroke="#999" stroke-dasharray="4 3"/>',
             f'<text x="{w - pad}" y="{py(teacher["accuracy"]) - 4:.1f}" text-anchor="end" fill="#666">teacher</text>']
    for t in range(5):
        xv, yv = x0 + (x1 - x0) * t / 4, y0 + (y1 - y0) * t / 4
        parts.append(f'<text x="{px(xv):.1f}" y="{h - pad + 14}" text-anchor="middle">{xv:.1f}</text>')
        parts.append(f'<text x="{pad - 4}" y="{py(yv) + 4:.1f}" text-anchor="end">{yv:.3f}</text>')
    # The teacher as its own point: full length, so speedup 1 by definition.
    tx, ty = px(1.0), py(teacher["accuracy"])
    parts.append(f'<rect x="{tx - 4:.1f}" y="{ty - 4:.1f}" width="8" height="8" fill="#d8573b"/>')
    parts.append(f'<text x="{tx + 6:.1f}" y="{ty + 14:.1f}" fill="#d8573b">teacher</text>')
    points = " ".join(f"{px(r['speedup']):.1f},{py(r['accuracy']):.1f}" for r in rows)
    parts.append(f'<polyline points="{points}" fill="none" stroke="#3b7dd8"/>')
    last_label = None
    for r in rows:
        x, y = px(r["speedup"]), py(r["accuracy"])
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#3b7dd8"/>')
        if last_label is None or abs(x - last_label[0]) > 28 or abs(y - last_label[1]) > 12:
            parts.append(f'<text x="{x + 5:.1f}" y="{y - 5:.1f}">s={r["eta_scale"]:g}</text>')
            last_label = (x, y)  # crowded points (little speedup apart) stay unlabelled
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("--run", required=True, help="a finished adapler.train run directory")
    ap.add_argument("--scales", default=",".join(f"{s:g}" for s in SCALES))
    ap.add_argument("--chart", help="write the accuracy/speedup chart (SVG) here")
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
    publish(teacher, rows, args.chart)
    return 0


def publish(teacher: dict, rows: list[dict], chart: str | None) -> None:
    """Prints the Markdown table and, if asked, writes the SVG chart."""
    print(markdown(teacher, rows))
    if chart:
        Path(chart).parent.mkdir(parents=True, exist_ok=True)
        Path(chart).write_text(svg_chart(teacher, rows), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
