"""Operators that `onnx_eval` lacks but imported BERT-family graphs may use.

Importing this module registers them into `onnx_eval._OPS`; operators `onnx_eval` already has
are never replaced, so the exporter's own smoke tests run exactly as before. The graph of
all-MiniLM-L6-v2 (opset 11, PyTorch 2.0 export) needs none of these; they cover the other
common ways exporters write the same BERT (Hugging Face optimum, older PyTorch exports).
"""

from __future__ import annotations

import numpy as np

from . import onnx_eval


def _range(start, limit, delta):
    start, limit, delta = (np.asarray(v).reshape(-1)[0] for v in (start, limit, delta))
    return np.arange(start, limit, delta, dtype=np.asarray(start).dtype)


def _split(x, split=None, axis=0, num_outputs=None):
    if split is None:
        raise NotImplementedError("Split without explicit sizes")
    edges = np.cumsum(np.asarray(split).reshape(-1))[:-1]
    return tuple(np.split(x, edges, axis=axis))


EXTRA_OPS = {
    "Neg": np.negative, "Abs": np.abs, "Exp": lambda x: np.exp(x).astype(x.dtype),
    "Log": lambda x: np.log(x).astype(x.dtype),
    "Reciprocal": lambda x: (1 / x).astype(x.dtype),
    "Sigmoid": lambda x: (1 / (1 + np.exp(-x))).astype(x.dtype),
    "Relu": lambda x: np.maximum(x, 0).astype(x.dtype),
    "Max": lambda *xs: np.maximum.reduce(np.broadcast_arrays(*xs)),
    "Min": lambda *xs: np.minimum.reduce(np.broadcast_arrays(*xs)),
    "Range": _range, "Split": _split,
    "Flatten": lambda x, axis=1: x.reshape(int(np.prod(x.shape[:axis])), -1),
}


def register() -> list[str]:
    """Adds the operators onnx_eval lacks; returns the names added."""
    return onnx_eval.register_ops(EXTRA_OPS)


register()
