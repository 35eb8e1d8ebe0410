#!/usr/bin/env bash
# Ships an int8 copy of a shipped model, converted from its bundle alone, when it keeps the
# accuracy: samples/models/NAME -> samples/models/NAME-int8.
#
#   model/scripts/ship-int8.sh spam-minilm-512 [eta scales]
#
# 1. converts the bundle (python3 -m adapler.export --bundle ... --quantize int8);
# 2. scores build/spam/test.jsonl through ./submit.sh calibrate at the eta scales (default
#    0,0.5,0.75,1,1.25), and writes those figures into the copy's adapler.json with the teacher
#    figure the source bundle already carries (adapler.java_report);
# 3. keeps the copy only when its test accuracy at eta scale 1 is within half a point of the
#    source bundle's (exit 3 and the copy removed otherwise).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
name=${1:?usage: $0 NAME [ETA_SCALES]}
scales=${2:-0,0.5,0.75,1,1.25}
python=${PYTHON:-/usr/bin/python3}
source="$root/samples/models/$name"
copy="$root/samples/models/$name-int8"
split="$root/build/spam/test.jsonl"
cal="$root/build/calibration"
[ -f "$source/adapler.json" ] || { echo "error: $source/adapler.json is missing" >&2; exit 2; }
[ -f "$split" ] || "$root/model/scripts/prepare-spam-data.sh"

(cd "$root/model" && "$python" -m adapler.export --bundle "$source" --out "$copy" --name "$name-int8" \
  --quantize int8)
cd "$root"
./submit.sh calibrate --input "$split" --input-format json --label-column label \
  --bundle "$copy" --eta-scales "$scales" --output "$cal/$name-int8-test" --mode overwrite
# the teacher's figure as measured for the source, in calibrate's shape
"$python" - "$source/adapler.json" "$cal/$name-int8-test/calibration.json" "$cal/$name-teacher-of-int8.json" <<'EOF'
import json, sys
t = json.load(open(sys.argv[1]))["metrics"]["test_teacher"]
c = json.load(open(sys.argv[2]))
point = {"eta_scale": 0.0, "accuracy": t["accuracy"], "f1": t["f1"], "flops_speedup": t["speedup"],
         "mean_layer_lengths": t["mean_layer_lengths"]}
json.dump({"input": c["input"], "rows": c["rows"], "label_column": c["label_column"],
           "mean_input_length": t["mean_input_length"], "curve": [point]}, open(sys.argv[3], "w"))
EOF
(cd "$root/model" && "$python" -m adapler.java_report --bundle "$copy" \
  --teacher "$cal/$name-teacher-of-int8.json" --curve "$cal/$name-int8-test/calibration.json")
"$python" - "$source/adapler.json" "$copy/adapler.json" <<'EOF' || { rm -rf "$copy"; exit 3; }
import json, sys
def at_one(path):
    points = json.load(open(path))["metrics"]["test_tradeoff"]
    return next(p["accuracy"] for p in points if p["eta_scale"] == 1.0)
fp32, int8 = at_one(sys.argv[1]), at_one(sys.argv[2])
print(f"[int8] test accuracy at eta scale 1: fp32 {fp32:.4f}, int8 {int8:.4f}")
if int8 < fp32 - 0.005:
    print("[int8] more than half a point below fp32: not shipped", file=sys.stderr)
    sys.exit(1)
EOF
echo "[int8] wrote $copy"
