#!/usr/bin/env bash
# Spark GPU discovery script (spark.{driver,executor,worker}.resource.gpu.discoveryScript).
# Prints the resource JSON Spark expects, one address per GPU that nvidia-smi lists:
#   {"name": "gpu", "addresses": ["0", "1"]}
# CUDA_VISIBLE_DEVICES, when set, limits the list, and the addresses are then the ordinals
# CUDA gives the visible GPUs (0, 1, ...), since executors inherit the variable and CUDA
# renumbers what they can see.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-discovery.sh: nvidia-smi not found; is the NVIDIA driver installed on this node?" >&2
  exit 1
fi
ids=$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ')
if [ -n "${CUDA_VISIBLE_DEVICES:-}" ]; then
  visible=$(echo "$CUDA_VISIBLE_DEVICES" | tr ',' '\n' | grep -Fx -f <(echo "$ids") | wc -l)
  ids=$(seq 0 $((visible - 1)))
fi
printf '{"name": "gpu", "addresses": ['
sep=""
for id in $ids; do printf '%s"%s"' "$sep" "$id"; sep=", "; done
printf ']}\n'
