"""The numeric formats a bundle's graph can be written in, and the manifest record of each.

`rewrite_graph` takes the plain exported graph and applies the fusion (`onnx_fusion`) and int8
(`onnx_int8`) passes, then smoke-tests the result at several shapes against the torch module:
a fused graph must agree with it exactly in lengths and kept positions and within 1e-4 in the
logits (the same check as the plain graph); an int8 graph within `INT8_SMOKE_ATOL`, its
decisions being allowed to differ only where a CP score sits near its threshold.
"""

from __future__ import annotations

import onnx

from . import onnx_eval_fused  # noqa: F401  (registers the fused and integer operators)
from .graph import smoke_test
from .onnx_fusion import fuse as fuse_graph
from .onnx_int8 import FORMAT as INT8_FORMAT
from .onnx_int8 import quantize_linears

FUSED_OPS = ["com.microsoft.SkipLayerNormalization", "com.microsoft.BiasGelu"]
# the float graph's attention is one operator; the int8 graph keeps its integer QKV MatMul
FLOAT_ATTENTION = "com.microsoft.Attention (packed QKV)"
INT8_ATTENTION = "packed QKV MatMul + Split"


def rewrite_graph(graph: onnx.ModelProto, model, fuse: bool = True, quantize: str | None = None):
    """Returns (graph, format record for adapler.json's graph section)."""
    if quantize not in (None, "int8"):
        raise ValueError(f"quantize must be None or 'int8', found {quantize!r}")
    layers = model.geometry.layers
    record = {"linears": "float32", "fused": [FLOAT_ATTENTION] + FUSED_OPS if fuse else []}
    if quantize == "int8":
        record = {"linears": INT8_FORMAT, "fused": [INT8_ATTENTION] + FUSED_OPS if fuse else []}
    if fuse:
        graph = fuse_graph(graph, layers, quantize=quantize_linears if quantize else None)
    elif quantize:
        graph = _copy(graph)
        quantize_linears(graph)
        onnx.checker.check_model(graph)
    if fuse and not quantize:
        smoke_test(graph, model)
    return graph, record


def _copy(graph: onnx.ModelProto) -> onnx.ModelProto:
    out = onnx.ModelProto()
    out.CopyFrom(graph)
    return out
