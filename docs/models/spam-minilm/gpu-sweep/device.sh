#!/usr/bin/env bash
# On the GPU machine: the full recipe (teacher 5 epochs + saliency) then AdapLeR branches in
# parallel, a pick by validation, and the packed checkpoints into $OUT.
# SMOKE=1: a tiny local run on CPU. BUDGET: seconds for the whole script.
set -uo pipefail
export PYTHONUNBUFFERED=1 PYTHONPATH=model
OUT=${OUT:-/tmp/gpu-out}; mkdir -p "$OUT"
W=${W:-/tmp/work}; mkdir -p "$W/runs"
BUDGET=${BUDGET:-540}
START=$(date +%s)
exec > >(tee -a "$OUT/device.log") 2>&1
el() { echo $(( $(date +%s) - START )); }
DEV=cuda; EXTRA=()
if [ "${SMOKE:-0}" = 1 ]; then DEV=cpu; EXTRA=(--max-steps-per-epoch 2); fi
nvidia-smi --query-gpu=name,memory.total --format=csv 2>/dev/null
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.is_available())"

python3 .gpu/runner.py init .gpu/initial-fp16.pt "$W/initial.pt" || exit 1
T=$W/runs/teacher; mkdir -p "$T"; cp "${CACHE:-.gpu/data-cache.pt}" "$T/data-cache.pt"
echo "[$(el)s] teacher"
python3 .gpu/runner.py train --init "$W/initial.pt" --data build/spam --labels ham,spam --max-length 128 \
  --out "$T" --device $DEV --stop-after 5 "${EXTRA[@]}" > "$W/teacher.log" 2>&1
rc=$?; grep -E "validation|teacher done|error|Error" "$W/teacher.log" | cut -c1-220
[ $rc = 0 ] || { tail -30 "$W/teacher.log"; exit 1; }
echo "[$(el)s] teacher done"

LEFT=$(( BUDGET - $(el) - 75 ))
echo "branches get ${LEFT}s"
common=(--from-teacher "$T" --device $DEV --cp-lr 0.001 --eta-lr 0.002 --tolerance 0.005 "${EXTRA[@]}")
L3=50,2500,125000
branch() { local n=$1; shift
  timeout "$LEFT" python3 .gpu/runner.py train "${common[@]}" --out "$W/runs/$n" "$@" > "$W/$n.log" 2>&1 &
}
branch h8p2 --epochs 8 --phi 0.002 --lambdas $L3,125000,125000,125000,125000,125000
branch e10p05 --epochs 10 --phi 0.0005
branch e10p1 --epochs 10 --phi 0.001
branch e10p2 --epochs 10 --phi 0.002
branch h8p05 --epochs 8 --phi 0.0005 --lambdas $L3,125000,125000,125000,125000,125000
branch h8p1 --epochs 8 --phi 0.001 --lambdas $L3,125000,125000,125000,125000,125000
branch e5p1 --epochs 5 --phi 0.001
branch h10p1lr --epochs 10 --phi 0.001 --lr 5e-5 --lambdas $L3,125000,125000,125000,125000,125000,125000,125000
sleep 5; nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv 2>/dev/null
while [ -n "$(jobs -r)" ]; do sleep 10; done
echo "[$(el)s] branches done"
for f in "$W"/*.log; do echo "== $f"; grep -E "adapler epoch [0-9]+:|kept|Error|error" "$f" | cut -c1-200 | tail -12; done

P=$W/pick; mkdir -p "$P/a" "$P/b"
python3 .gpu/runner.py pick "$W/runs" "$T" "$P/a" 0.005
python3 .gpu/runner.py pick "$W/runs" "$T" "$P/b" 0.01 | grep -E "PICK|test"
teacher_best=$(python3 -c "
import torch,sys; s=torch.load('$T/state.pt',weights_only=False)['teacher_scores']; print(max(range(len(s)), key=lambda e: s[e]))")
echo "teacher epoch kept: $teacher_best"
echo "[$(el)s] packing"
pids=()
python3 .gpu/runner.py pack "$P/a/best.pt" .gpu/initial-fp16.pt "$P/a.pack" & pids+=($!)
python3 .gpu/runner.py pack "$T/teacher-epoch$teacher_best.pt" .gpu/initial-fp16.pt "$P/teacher.pack" & pids+=($!)
if [ -f "$P/b/best.pt" ]; then python3 .gpu/runner.py pack "$P/b/best.pt" .gpu/initial-fp16.pt "$P/b.pack" & pids+=($!); fi
wait "${pids[@]}"  # a bare wait would also wait for the tee of the exec above, for ever
mkdir -p "$P/logs"; cp "$W"/*.log "$P/logs/"; cp "$T/train.log" "$P/logs/teacher-run.log"
cp "$P/a/state.pt" "$P/logs/a-state.pt"; cp "$P/a/sweep.json" "$P/logs/"; [ -f "$P/b/state.pt" ] && cp "$P/b/state.pt" "$P/logs/b-state.pt"
cp "$T/state.pt" "$P/logs/teacher-state-full.pt" 2>/dev/null; python3 - "$T/state.pt" "$P/logs/teacher-state.pt" <<'EOF'
import sys, torch
s = torch.load(sys.argv[1], weights_only=False)
torch.save({k: v for k, v in s.items() if k in ("config", "teacher_scores", "teacher_score", "saliency_epochs_used", "phase")}, sys.argv[2])
EOF
rm -f "$P/logs/teacher-state-full.pt"
tar -C "$P" -czf "$OUT/logs.tgz" logs
# payload: a, teacher, then b; chunks of 15 MiB, at most 60 MiB now, the rest waits in $P/rest
cat "$P/a.pack" "$P/teacher.pack" $( [ -f "$P/b.pack" ] && echo "$P/b.pack") > "$P/payload"
ls -l "$P"/*.pack | awk '{print $5, $9}' | tee "$OUT/sizes.txt"
mkdir -p "$P/rest"; split -b 15M -d -a 2 "$P/payload" "$P/rest/chunk."
n=0; for c in "$P"/rest/chunk.*; do [ $n -lt 4 ] && mv "$c" "$OUT/" ; n=$((n+1)); done
ls -l "$OUT" "$P/rest"
echo "[$(el)s] done"
