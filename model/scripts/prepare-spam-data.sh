#!/usr/bin/env bash
# Downloads the SpamAssassin corpus (npm) and writes the fixed train/validation/test split
# (build/spam/*.jsonl), the committed test ids and the job's sample corpus. Deterministic.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-/usr/bin/python3}
"$root/model/scripts/fetch_spam_corpus.sh"
"$root/model/scripts/fetch_backbone.sh"   # its tokenizer reports word pieces per mail
cd "$root/model"
"$python" -m adapler.spam_data \
  --tokenizer "$root/build/backbones/all-minilm-l6-v2/tokenizer.json" \
  --sample-out "$root/samples/data/spam-assassin-sample.jsonl"
