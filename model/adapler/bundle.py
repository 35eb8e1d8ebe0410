"""Writes and reads model bundles (docs/bundle-format.md): model.onnx, tokenizer.json and the
adapler.json manifest with a SHA-256 of every other file."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
from pathlib import Path

import onnx

from .checkpoint import Checkpoint
from .graph import INPUTS, OPSET, OUTPUTS, export_onnx, round_weights_to_fp16_, to_fp16_storage
from .onnx_formats import rewrite_graph

FORMAT_VERSION = 1
MANIFEST = "adapler.json"
GRAPH = "model.onnx"
TOKENIZER = "tokenizer.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def bundle_tokenizer_json(text: str) -> str:
    """The tokenizer.json text a bundle holds: the manifest rules truncation and padding, so
    the file's own settings are nulled. Deterministic, so regenerating gives the same bytes."""
    data = json.loads(text)
    data["truncation"] = None
    data["padding"] = None
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_bundle(ckpt: Checkpoint, out_dir, name: str, fp16: bool = False, fuse: bool = True,
                 quantize: str | None = None) -> dict:
    """Exports `ckpt` into the bundle directory `out_dir`; returns the manifest written.
    `fuse` writes ONNX Runtime's fused operators, `quantize="int8"` int8 linears (onnx_formats)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model = copy.deepcopy(ckpt.model).eval()
    model.clamp_eta_()
    if fp16:
        round_weights_to_fp16_(model)
    graph = export_onnx(model)
    graph, graph_format = rewrite_graph(graph, model, fuse=fuse, quantize=quantize)
    if fp16:
        graph = to_fp16_storage(graph)
    onnx.save(graph, str(out / GRAPH))
    (out / TOKENIZER).write_text(bundle_tokenizer_json(ckpt.tokenizer_json), encoding="utf-8")
    manifest = {
        "format_version": FORMAT_VERSION,
        "name": name,
        "labels": list(ckpt.labels),
        "tokenizer": {"file": TOKENIZER, **dataclasses.asdict(ckpt.tokenizer)},
        "geometry": model.geometry.to_dict(),
        "eta": [float(v) for v in model.eta.detach()],
        "theta_pr": [float(v) for v in model.theta_pr.detach()],
        "graph": {"file": GRAPH, "opset": OPSET, "weights_dtype": "float16" if fp16 else "float32",
                  "format": graph_format, "inputs": INPUTS, "outputs": OUTPUTS},
        "provenance": ckpt.provenance,
        "metrics": ckpt.metrics,
        "files": {f: {"sha256": sha256_file(out / f), "bytes": (out / f).stat().st_size}
                  for f in (GRAPH, TOKENIZER)},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def read_manifest(bundle_dir) -> dict:
    """Reads adapler.json and verifies the format version and every checksum."""
    d = Path(bundle_dir)
    manifest = json.loads((d / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"{d / MANIFEST}: format_version {manifest.get('format_version')}, "
                         f"expected {FORMAT_VERSION}")
    for f, meta in manifest["files"].items():
        found = sha256_file(d / f)
        if found != meta["sha256"]:
            raise ValueError(f"{d / f}: SHA-256 {found} does not match the manifest's {meta['sha256']}")
    return manifest
