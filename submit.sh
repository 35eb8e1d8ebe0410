#!/usr/bin/env bash
# Runs the AdapLeR scoring job.
#
#   ./submit.sh                          score the sample corpus with conf/job.conf
#   ./submit.sh --help                   every job option
#   ./submit.sh --input s3a://b/corpus --input-format parquet --text-column body \
#               --output s3a://b/scores --bundle s3a://b/models/spam
#   ./submit.sh --master spark://host:7077 --executor-memory 8g -- --input ... (cluster)
#   ./submit.sh calibrate --input labelled.parquet --label-column label --bundle B --output DIR
#                                        choose the eta scale on labelled data (--help: options)
#   ./submit.sh chart --bundle B --out chart.svg
#                                        draw a bundle's measured trade-off (accuracy vs speedup)
#
# With $SPARK_HOME set, it calls $SPARK_HOME/bin/spark-submit with the application jar: the
# arguments before `--` (or the known spark-submit flags when there is no `--`) go to
# spark-submit, the rest to the job. Without $SPARK_HOME it builds the jars on first use and
# runs the job in local mode in one JVM, with the JVM flags Spark 4 needs on Java 17.
# With no job option at all, the job reads conf/job.conf.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
jar="$root/job/target/adapler-job.jar"
main_class=io.adapler.job.ScoringJob
if [ "${1:-}" = calibrate ]; then
  main_class=io.adapler.job.CalibrationJob
  shift
elif [ "${1:-}" = chart ]; then # no Spark needed: always the local JVM
  main_class=io.adapler.job.ModelChart
  shift
fi
classpath_file="$root/job/target/local-classpath.txt"

# spark-submit flags that take a value, and those that don't.
spark_valued=" --master --deploy-mode --class --name --jars --packages --exclude-packages --repositories --py-files --files --archives --conf -c --properties-file --driver-memory --driver-java-options --driver-library-path --driver-class-path --driver-cores --executor-memory --executor-cores --total-executor-cores --num-executors --queue --principal --keytab --proxy-user "
spark_flags=" --verbose -v --supervise "

spark_args=()
job_args=()
if printf '%s\n' "$@" | grep -qx -- '--'; then
  seen_sep=0
  for a in "$@"; do
    if [ "$seen_sep" = 0 ] && [ "$a" = "--" ]; then seen_sep=1; continue; fi
    if [ "$seen_sep" = 0 ]; then spark_args+=("$a"); else job_args+=("$a"); fi
  done
else
  while [ $# -gt 0 ]; do
    a=$1; name=${a%%=*}
    if [[ "$spark_valued" == *" $name "* ]]; then
      spark_args+=("$a")
      if [ "$name" = "$a" ]; then shift; spark_args+=("${1:?$a needs a value}"); fi
    elif [[ "$spark_flags" == *" $a "* ]]; then
      spark_args+=("$a")
    else
      job_args+=("$a")
    fi
    shift
  done
fi
if [ ${#job_args[@]} -eq 0 ]; then
  if [ "$main_class" = io.adapler.job.ScoringJob ]; then
    job_args=(--config conf/job.conf)
  else
    job_args=(--help)
  fi
fi

# Native libraries: no telemetry, no downloads, a known place to unpack.
export ORT_DISABLE_TELEMETRY=1 OPT_OUT_TRACKING=true
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$root/build/djl-cache}
# Local runs stay on loopback.
[ -z "${SPARK_HOME:-}" ] && export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}

build_if_needed() {
  if [ ! -f "$jar" ] || [ ! -f "$classpath_file" ] || \
     [ -n "$(find "$root/udf/src" "$root/job/src" "$root/pom.xml" "$root/udf/pom.xml" "$root/job/pom.xml" -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
    command -v mvn >/dev/null || { echo "submit.sh: Maven (mvn) is needed to build the job" >&2; exit 1; }
    echo "[submit.sh] building the job (mvn package, tests skipped)..." >&2
    mvn -B -q -ntp -DskipTests package >&2
  fi
}

build_if_needed
if [ -n "${SPARK_HOME:-}" ] && [ "$main_class" != io.adapler.job.ModelChart ]; then
  exec "$SPARK_HOME/bin/spark-submit" \
    --class "$main_class" \
    --conf spark.executorEnv.ORT_DISABLE_TELEMETRY=1 \
    --conf spark.executorEnv.OPT_OUT_TRACKING=true \
    --driver-java-options "-Dai.djl.offline=true" \
    ${spark_args[@]+"${spark_args[@]}"} "$jar" "${job_args[@]}"
fi

if [ ${#spark_args[@]} -gt 0 ]; then
  echo "submit.sh: spark-submit options (${spark_args[*]}) need \$SPARK_HOME; without it the job runs in local mode" >&2
  exit 2
fi
# The opens Spark 4 needs on Java 17 (org.apache.spark.launcher.JavaModuleOptions), one per
# line in conf/java17-opens.txt (bench.sh reads the same file; pom.xml keeps its own copy).
opens=$(cat "$root/conf/java17-opens.txt")
# The local JVM's heap and JIT (conf/local-jvm-options.txt; $JAVA_OPTS replaces them): C1 only,
# since C2 spent ~10 core-s compiling Spark in every run while the scoring is native code
# (docs/operations.md); the bench's job section reads the same file.
jvm_opts=${JAVA_OPTS:-$(cat "$root/conf/local-jvm-options.txt")}
# shellcheck disable=SC2086
exec java $jvm_opts $opens -Dai.djl.offline=true \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$jar:$(cat "$classpath_file")" "$main_class" "${job_args[@]}"
