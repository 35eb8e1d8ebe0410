"""Reads an AdapLeR bundle (adapler.json + model.onnx, as `adapler.export` writes it) back into a
Checkpoint: the way to warm-start training from a shipped model, e.g. a longer max_length.

    python3 -m adapler.bundle_import --bundle samples/models/spam-minilm --out build/spam-128.pt \
        --max-length 512

The graph may be plain or fused (com.microsoft Attention with packed QKV, SkipLayerNormalization,
BiasGelu), its initializers fp32 or fp16 (stored as X_fp16 with a Cast to X). Int8 graphs are
refused: their linears hold rounded integers, not the trained weights.

Where each weight is found:
- tensors the exporter kept under their parameter names (embeddings, LayerNorms, biases, CP
  score biases, pooler, classifier): by name, through Cast and Identity nodes (torch shares
  equal tensors through Identity);
- linear weights, which torch exports as transposed unnamed MatMul inputs: by the bias their
  MatMul's output meets next (an Add, a BiasGelu or a SkipLayerNormalization with
  `<module>.bias`), transposed back to `<module>.weight`;
- each fused Attention's packed QKV weight [H, 3H] and bias [3H]: split into query, key and
  value, for the layer whose `layers.<l>.attention_output.bias` follows it;
- eta and theta_pr (folded into constants of the graph): from adapler.json.
Every parameter of the model must be found exactly once and with its shape, else the import
fails naming what is missing; the caller's check against the graph's own outputs is
tests/test_bundle_import.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .bundle import MANIFEST, read_manifest
from .checkpoint import Checkpoint, TokenizerSettings
from .config import Geometry
from .modeling import AdaplerClassifier
from .onnx_graph import attrs

INT8_OPS = {"MatMulInteger", "MatMulIntegerToFloat", "QuantizeLinear", "DequantizeLinear",
            "DynamicQuantizeLinear", "QAttention", "QLinearMatMul"}
_FLOATS = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE}
_ATTENTION_OUTPUT = re.compile(r"^layers\.(\d+)\.attention_output\.bias$")


class _Graph:
    """Constant values of a graph (initializers, Constant nodes, Cast/Identity of them) as
    float32 arrays, and its producers and consumers."""

    def __init__(self, model: onnx.ModelProto):
        self.inits = {t.name: t for t in model.graph.initializer}
        self.nodes = list(model.graph.node)
        self.producer = {o: n for n in self.nodes for o in n.output}
        self.consumers: dict[str, list] = {}
        for n in self.nodes:
            for i in n.input:
                self.consumers.setdefault(i, []).append(n)

    def const(self, name: str):
        if name in self.inits:
            t = self.inits[name]
            return numpy_helper.to_array(t).astype(np.float32) if t.data_type in _FLOATS else None
        n = self.producer.get(name)
        if n is None:
            return None
        if n.op_type == "Constant":
            value = attrs(n).get("value")
            return None if value is None else numpy_helper.to_array(value).astype(np.float32)
        if n.op_type == "Identity" or (n.op_type == "Cast" and attrs(n).get("to") == onnx.TensorProto.FLOAT):
            return self.const(n.input[0])
        return None

    def bias_after(self, matmul) -> str | None:
        """The name of the bias the MatMul's output meets next, if it is a linear's."""
        out = matmul.output[0]
        for c in self.consumers.get(out, []):
            if c.op_type == "Add" and len(c.input) == 2:
                return c.input[1] if c.input[0] == out else c.input[0]
            if c.op_type == "BiasGelu" and c.input[0] == out:
                return c.input[1]
            if c.op_type == "SkipLayerNormalization" and c.input[0] == out and len(c.input) > 4:
                return c.input[4]
        return None

    def layer_after(self, node, depth: int = 6) -> int | None:
        """The encoder layer whose attention output bias is read within `depth` nodes downstream."""
        frontier = [node]
        for _ in range(depth):
            nxt = []
            for n in frontier:
                for c in (u for o in n.output for u in self.consumers.get(o, [])):
                    for i in c.input:
                        m = _ATTENTION_OUTPUT.match(i)
                        if m:
                            return int(m.group(1))
                    nxt.append(c)
            frontier = nxt
        return None


def refuse_int8(graph: onnx.ModelProto, manifest: dict, where) -> None:
    ops = sorted({n.op_type for n in graph.graph.node} & INT8_OPS)
    ints = [t.name for t in graph.graph.initializer
            if t.data_type in (onnx.TensorProto.INT8, onnx.TensorProto.UINT8)]
    linears = manifest.get("graph", {}).get("format", {}).get("linears", "float32")
    if ops or ints or linears != "float32":
        raise ValueError(f"{where}: an int8 graph ({linears}; {', '.join(ops) or 'int8 weights'}) cannot be "
                         "read back into trainable weights: import the float bundle it was exported from")


def graph_state_dict(graph: onnx.ModelProto, g: Geometry) -> dict[str, torch.Tensor]:
    """{parameter name: tensor} for every parameter of AdaplerClassifier(g) but eta and theta_pr."""
    want = {k: tuple(v.shape) for k, v in AdaplerClassifier(g).state_dict().items()
            if k not in ("eta", "theta_pr")}
    gr = _Graph(graph)
    found: dict[str, np.ndarray] = {}

    def put(name, value):
        if name in found and not np.array_equal(found[name], value):
            raise ValueError(f"{name} found twice in the graph with different values")
        found[name] = value

    for name in want:
        v = gr.const(name)
        if v is not None:
            put(name, v)
    for n in gr.nodes:
        if n.op_type == "Gemm" and n.input[1] in want:  # the head: torch's [out, in] unless transB=0
            w = gr.const(n.input[1])
            if w is not None and not attrs(n).get("transB", 0):
                found[n.input[1]] = w.T
        if n.op_type == "MatMul":
            w = gr.const(n.input[1])
            bias = gr.bias_after(n)
            if w is None or w.ndim != 2 or bias is None or not bias.endswith(".bias"):
                continue
            name = bias[:-len(".bias")] + ".weight"
            if name in want:
                put(name, w.T)
        if n.op_type == "Attention":
            w, b = gr.const(n.input[1]), gr.const(n.input[2])
            layer = gr.layer_after(n)
            sizes = attrs(n).get("qkv_hidden_sizes")
            if w is None or b is None or layer is None or w.shape != (g.hidden, 3 * g.hidden) \
                    or (sizes is not None and list(sizes) != [g.hidden] * 3):
                raise ValueError(f"Attention node {n.name}: not a packed [H, 3H] self-attention of a known layer")
            for k, part in enumerate(("query", "key", "value")):
                put(f"layers.{layer}.attention.{part}.weight", w[:, k * g.hidden:(k + 1) * g.hidden].T)
                put(f"layers.{layer}.attention.{part}.bias", b[k * g.hidden:(k + 1) * g.hidden])
    missing = sorted(set(want) - set(found))
    if missing:
        raise ValueError(f"the graph does not hold {len(missing)} parameter(s) where an exported AdapLeR "
                         f"graph does: {', '.join(missing[:8])}{' ...' if len(missing) > 8 else ''}")
    wrong = [f"{k} {found[k].shape} (expected {want[k]})" for k in want if found[k].shape != want[k]]
    if wrong:
        raise ValueError("shapes differ from the manifest's geometry: " + "; ".join(wrong[:8]))
    return {k: torch.from_numpy(np.ascontiguousarray(found[k])) for k in want}


def read_bundle(bundle_dir, max_length: int | None = None) -> Checkpoint:
    """The bundle in `bundle_dir` as a Checkpoint (CPs, eta and theta_pr included), its
    tokenizer's max_length replaced by `max_length` when given."""
    d = Path(bundle_dir)
    manifest = read_manifest(d)
    g = Geometry.from_dict(manifest["geometry"])
    graph = onnx.load(str(d / manifest["graph"]["file"]))
    refuse_int8(graph, manifest, d / manifest["graph"]["file"])
    model = AdaplerClassifier(g)
    state = graph_state_dict(graph, g)
    state["eta"] = torch.tensor(manifest["eta"], dtype=torch.float32)
    state["theta_pr"] = torch.tensor(manifest["theta_pr"], dtype=torch.float32)
    model.load_state_dict(state)
    tok = {k: v for k, v in manifest["tokenizer"].items() if k != "file"}
    settings = TokenizerSettings(**tok)
    if max_length is not None:
        if max_length > g.max_positions:
            raise ValueError(f"--max-length {max_length} exceeds the model's {g.max_positions} positions")
        settings = dataclasses.replace(settings, max_length=max_length)
    tokenizer_json = (d / manifest["tokenizer"]["file"]).read_text(encoding="utf-8")
    src = manifest.get("provenance", {})
    provenance = {k: v for k, v in src.items() if k != "training"}
    provenance["warm_start"] = {
        "bundle": manifest.get("name"), "path": str(d),
        "sha256": manifest["files"].get(manifest["graph"]["file"], {}).get("sha256"),
        "weights_dtype": manifest["graph"].get("weights_dtype"),
        "max_length": manifest["tokenizer"]["max_length"],
        "training": src.get("training"),
        "validation": manifest.get("metrics", {}).get("validation"),
    }
    return Checkpoint(model.eval(), list(manifest["labels"]), settings, tokenizer_json, provenance, {})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.bundle_import",
                                 description="Read an AdapLeR bundle back into a training checkpoint "
                                             "(for adapler.train --init or --adapler-init).")
    ap.add_argument("--bundle", required=True, help=f"bundle directory ({MANIFEST}, model.onnx, tokenizer.json)")
    ap.add_argument("--out", required=True, help="checkpoint file to write (.pt)")
    ap.add_argument("--max-length", type=int, help="the checkpoint's tokenizer max_length (default: the bundle's)")
    args = ap.parse_args(argv)
    try:
        ckpt = read_bundle(args.bundle, args.max_length)
    except (OSError, ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    ckpt.save(args.out)
    g = ckpt.model.geometry
    print(f"wrote {args.out}: {g.layers} layers, hidden {g.hidden}, labels {ckpt.labels}, "
          f"max_length {ckpt.tokenizer.max_length}, eta {[round(float(v), 4) for v in ckpt.model.eta]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
