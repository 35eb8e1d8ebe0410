"""Command line: put the Java job's test-split figures into a bundle's adapler.json.

    python3 -m adapler.java_report --bundle ../samples/models/spam-minilm \\
        --teacher ../build/calibration/teacher-test/calibration.json \\
        --curve ../build/calibration/spam-test/calibration.json

Both JSON files are what `./submit.sh calibrate` writes: the teacher's bundle scored at eta
scale 0, and the AdapLeR bundle at a grid of eta scales, on the same labelled split. The
figures written (metrics.test_teacher, metrics.test_tradeoff) are the Java job's, not the
Python evaluator's, so the published table is what a user of the job gets; the job's test
ShippedModelMetricsTest scores the split again and compares. Prints the Markdown table; the
chart comes from the job too: `./submit.sh chart --bundle BUNDLE --out chart.svg`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .evaluate import markdown

MANIFEST = "adapler.json"


def rows_of(calibration: dict) -> list[dict]:
    """The curve's points in the manifest's shape (the Python evaluator's keys)."""
    rows = []
    for p in calibration["curve"]:
        rows.append({"eta_scale": round(p["eta_scale"], 4), "accuracy": p["accuracy"], "f1": p["f1"],
                     "speedup": p["flops_speedup"],
                     "mean_layer_lengths": p["mean_layer_lengths"],
                     "mean_input_length": round(calibration["mean_input_length"], 2),
                     "rows": calibration["rows"]})
    return rows


def until_drop(rows: list[dict], teacher: dict, drop: float) -> list[dict]:
    """The points up to the first whose accuracy is more than `drop` below the teacher's
    (that one included): past it the curve only shows the model failing."""
    kept = []
    for r in sorted(rows, key=lambda r: r["eta_scale"]):
        kept.append(r)
        if r["accuracy"] < teacher["accuracy"] - drop:
            break
    return kept


def teacher_of(calibration: dict) -> dict:
    """The teacher's point: its bundle scored at eta scale 0 (every token kept)."""
    at_zero = [r for r in rows_of(calibration) if r["eta_scale"] == 0.0]
    if not at_zero:
        raise ValueError("the teacher's calibration has no eta scale 0 point")
    return at_zero[0]


def check_same_split(teacher: dict, curve: dict) -> None:
    for key in ("input", "rows", "label_column"):
        a, b = teacher.get(key), curve.get(key)
        if key == "input":  # as given on each command line: relative or absolute
            a, b = Path(str(a)).name, Path(str(b)).name
        if a != b:
            raise ValueError(f"teacher and curve were measured on different data: {key} "
                             f"{teacher.get(key)!r} vs {curve.get(key)!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.java_report",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", required=True, help="bundle directory whose adapler.json to update")
    ap.add_argument("--teacher", required=True, help="calibration.json of the teacher's bundle")
    ap.add_argument("--curve", required=True, help="calibration.json of the AdapLeR bundle")
    ap.add_argument("--until-drop", type=float, default=0.03,
                    help="publish the points up to the first one this far below the teacher's "
                         "accuracy (default 0.03, 3 points)")
    args = ap.parse_args(argv)
    try:
        teacher_cal = json.loads(Path(args.teacher).read_text(encoding="utf-8"))
        curve_cal = json.loads(Path(args.curve).read_text(encoding="utf-8"))
        check_same_split(teacher_cal, curve_cal)
        teacher = teacher_of(teacher_cal)
        rows = until_drop(rows_of(curve_cal), teacher, args.until_drop)
    except (OSError, ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    path = Path(args.bundle) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    metrics = manifest.get("metrics") or {}
    metrics.update(test_teacher=teacher, test_tradeoff=rows,
                   test_measured_by=f"the Java job (./submit.sh calibrate) on {curve_cal['input']}, "
                                    f"{curve_cal['rows']} rows, label column {curve_cal['label_column']}")
    manifest["metrics"] = metrics
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(markdown(teacher, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
