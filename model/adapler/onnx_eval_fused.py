"""Operators of the fused and int8 bundles (`onnx_fusion`, `onnx_int8`) for `onnx_eval`.

Importing this module registers them, so the exporter smoke-tests a rewritten graph the same
way as a plain one. Contrib operators follow ONNX Runtime's com.microsoft definitions; integer
arithmetic is exact (int32), so the int8 path here matches ONNX Runtime up to float rounding.
"""

from __future__ import annotations

import math

import numpy as np

from . import onnx_eval, onnx_eval_extra  # noqa: F401  (registers Split, Max, Abs)
from .onnx_attention import attention_reference

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _skip_layer_norm(x, skip, gamma, beta=None, bias=None, epsilon=1e-12):
    s = x + skip + (0 if bias is None else bias)
    mean = s.mean(-1, keepdims=True)
    var = ((s - mean) ** 2).mean(-1, keepdims=True)
    y = (s - mean) / np.sqrt(var + epsilon) * gamma + (0 if beta is None else beta)
    return y.astype(np.float32)


def _bias_gelu(x, bias):
    v = (x + bias).astype(np.float64)
    return (0.5 * v * (1 + _erf(v / math.sqrt(2)))).astype(np.float32)


def _matmul_integer(a, b, a_zero=None, b_zero=None):
    a = a.astype(np.int32) - (0 if a_zero is None else np.int32(a_zero))
    b = b.astype(np.int32) - (0 if b_zero is None else np.int32(b_zero))
    return np.matmul(a, b).astype(np.int32)


def _quantize_linear(x, scale, zero=None, axis=1):
    shape = [1] * x.ndim
    if np.ndim(scale) == 1:
        shape[axis % x.ndim] = -1
    zero = np.zeros((), np.uint8) if zero is None else zero
    q = np.rint(x / np.reshape(scale, shape)) + np.reshape(zero, shape).astype(np.float32)
    info = np.iinfo(zero.dtype)
    return np.clip(q, info.min, info.max).astype(zero.dtype)


def _matmul_integer_to_float(a, b, a_scale, b_scale, a_zero=None, b_zero=None, bias=None):
    y = _matmul_integer(a, b, a_zero, b_zero).astype(np.float32) * (a_scale * b_scale).astype(np.float32)
    return y if bias is None else y + bias


FUSED_OPS = {
    "QuantizeLinear": _quantize_linear, "MatMulIntegerToFloat": _matmul_integer_to_float,
    "SkipLayerNormalization": _skip_layer_norm, "BiasGelu": _bias_gelu,
    "MatMulInteger": _matmul_integer, "Attention": attention_reference, "Round": lambda x: np.rint(x).astype(x.dtype),
}


def register() -> list[str]:
    """Adds the operators onnx_eval lacks; returns the names added."""
    return onnx_eval.register_ops(FUSED_OPS)


register()
