#!/usr/bin/env bash
# Regenerates samples/models/tiny-random/ (bundle + golden.jsonl) and tiny-random-int8/ (the same model, int8). Deterministic: running it
# again gives byte-identical bundle files and goldens equal in everything exact (ids, lengths,
# kept positions; logits within 1e-5 on another CPU kind). Needs Maven (for the vocabulary) and Debian's python3-torch.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
"$root/model/scripts/fetch_backbone.sh"
cd "$root/model"
"$python" -m adapler.fixtures \
  --tokenizer "$root/build/backbones/all-minilm-l6-v2/tokenizer.json" \
  --out "$root/samples/models/tiny-random" \
  --int8-out "$root/samples/models/tiny-random-int8"
