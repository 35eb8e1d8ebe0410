#!/usr/bin/env bash
# Ships a finished spam training run as samples/models/NAME (default spam-minilm), with figures
# measured by the Java job on the committed test split:
#
#   model/scripts/ship-spam-model.sh build/runs/spam-minilm-full [eta scales] [NAME]
#   model/scripts/ship-spam-model.sh build/runs/spam-minilm-512 "" spam-minilm-512
#
# 1. exports the run's kept AdapLeR checkpoint (best.pt, fp16 storage) over the shipped bundle;
# 2. exports the run's teacher (best validation epoch) to build/models/NAME-teacher;
# 3. scores build/spam/test.jsonl through ./submit.sh calibrate: the teacher at eta scale 0,
#    the AdapLeR bundle at every eta scale of the grid;
# 4. writes those figures into the bundle's adapler.json (metrics.test_teacher and
#    metrics.test_tradeoff), the chart docs/NAME-tradeoff.svg, and copies the run's log and
#    validation history to docs/models/NAME/ (a --from-teacher branch's log begins with the log
#    of the run whose teacher it reused).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
run=$(cd "${1:?usage: $0 RUN_DIR [ETA_SCALES]}" && pwd)
scales=${2:-0,0.25,0.5,0.75,1,1.1,1.2,1.3,1.4,1.5,1.75}
name=${3:-spam-minilm}
python=${PYTHON:-/usr/bin/python3}
bundle="$root/samples/models/$name"
teacher="$root/build/models/$name-teacher"
docs="$root/docs/models/$name"
split="$root/build/spam/test.jsonl"
cal="$root/build/calibration"
[ -f "$run/best.pt" ] || { echo "error: $run/best.pt is missing: the run has not finished" >&2; exit 2; }
[ -f "$split" ] || "$root/model/scripts/prepare-spam-data.sh"

cd "$root/model"
teacher_ckpt=$("$python" - "$run" <<'EOF'
import sys, torch
from pathlib import Path
run = Path(sys.argv[1])
scores = torch.load(run / "state.pt", map_location="cpu")["teacher_scores"]
best = max(range(len(scores)), key=lambda e: scores[e])
print(run / f"teacher-epoch{best}.pt")
EOF
)
echo "[ship] AdapLeR: $run/best.pt; teacher: $teacher_ckpt"
"$python" -m adapler.export --checkpoint "$run/best.pt" --out "$bundle" --name "$name" --fp16
"$python" -m adapler.export --checkpoint "$teacher_ckpt" --out "$teacher" --name "$name-teacher" --fp16

cd "$root"
./submit.sh calibrate --input "$split" --input-format json --label-column label \
  --bundle "$teacher" --eta-scales 0 --output "$cal/$name-teacher-test" --mode overwrite
./submit.sh calibrate --input "$split" --input-format json --label-column label \
  --bundle "$bundle" --eta-scales "$scales" --output "$cal/$name-test" --mode overwrite

cd "$root/model"
"$python" -m adapler.java_report --bundle "$bundle" --teacher "$cal/$name-teacher-test/calibration.json" \
  --curve "$cal/$name-test/calibration.json"
# the chart from the figures just written, by the job's own chart code (as calibration.html)
"$root/submit.sh" chart --bundle "$bundle" --out "$root/docs/$name-tradeoff.svg"
mkdir -p "$docs"
# a --from-teacher branch's log starts with the log of the run whose teacher it reused
cp "$run/train.log" "$docs/train.log"
"$python" - "$bundle/adapler.json" "$docs/validation-history.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))["metrics"]
keep = {k: m[k] for k in ("teacher_validation_accuracy", "teacher_saliency_epochs",
                          "selected_epoch", "selection", "validation", "history") if k in m}
open(sys.argv[2], "w").write(json.dumps(keep, indent=2) + "\n")
EOF
echo "[ship] wrote $bundle, docs/$name-tradeoff.svg and docs/models/$name/"
