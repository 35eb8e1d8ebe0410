"""A small numpy interpreter for the ONNX operators the exporter emits.

ONNX Runtime has no Python build here, and onnx 1.12 has no reference evaluator, so the
exporter runs its graph through this interpreter to smoke-test it at shapes other than the
trace input: a shape frozen into a constant during tracing shows up as a wrong result or a
failed broadcast. It is deliberately plain (no fusion, float32 throughout) and slow.
"""

from __future__ import annotations

import math

import numpy as np
import onnx
from onnx import numpy_helper

from .onnx_graph import attrs as node_attrs

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _axes(v, ndim):
    return tuple(int(a) % ndim for a in np.atleast_1d(v))


def _topk(x, k, axis, largest, sorted_):
    order = np.argsort(-x if largest else x, axis=axis, kind="stable")
    idx = np.take(order, np.arange(int(k)), axis=axis)
    return np.take_along_axis(x, idx, axis=axis), idx.astype(np.int64)


def _slice(x, starts, ends, axes=None, steps=None):
    axes = range(len(starts)) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    sl = [slice(None)] * x.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        sl[int(a) % x.ndim] = slice(int(s), int(e) if abs(int(e)) < 2**62 else None, int(st))
    return x[tuple(sl)]


def _layer_norm(x, scale, bias, axis=-1, epsilon=1e-5, **_):
    axes = tuple(range(axis % x.ndim, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    return ((x - mean) / np.sqrt(var + epsilon) * scale + bias).astype(x.dtype)


def _softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(x.dtype)


def _reduce(fn):
    def run(x, axes=None, keepdims=1, **attrs):
        if axes is None:
            axes = attrs.get("axes")
        ax = None if axes is None else _axes(axes, x.ndim)
        return np.asarray(fn(x, axis=ax, keepdims=bool(keepdims)))
    return run


def _gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    y = alpha * ((a.T if transA else a) @ (b.T if transB else b))
    return (y if c is None else y + beta * c).astype(a.dtype)


def _cumsum(x, axis, exclusive=0, reverse=0):
    if exclusive or reverse:
        raise NotImplementedError("CumSum with exclusive/reverse")
    return np.cumsum(x, axis=int(axis)).astype(x.dtype)


_OPS = {
    "Identity": lambda x: x,
    "Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
    "Div": lambda a, b: (a // b) if a.dtype.kind == "i" else np.divide(a, b).astype(a.dtype),
    "Pow": lambda a, b: np.power(a, b).astype(a.dtype), "Sqrt": np.sqrt, "Tanh": np.tanh,
    "Erf": lambda x: _erf(x).astype(x.dtype),
    "MatMul": lambda a, b: np.matmul(a, b),
    "Not": np.logical_not, "And": np.logical_and, "Or": np.logical_or,
    "Equal": np.equal, "Less": np.less, "Greater": np.greater,
    "GreaterOrEqual": np.greater_equal, "LessOrEqual": np.less_equal,
    "Where": np.where,
    "Shape": lambda x: np.array(x.shape, dtype=np.int64),
    "Reshape": lambda x, s, allowzero=0: x.reshape(
        [x.shape[i] if (d == 0 and not allowzero) else int(d) for i, d in enumerate(s)]),
    "Unsqueeze": lambda x, axes: np.expand_dims(x, _axes(axes, x.ndim + len(np.atleast_1d(axes)))),
    "Squeeze": lambda x, axes=None: np.squeeze(x, None if axes is None else _axes(axes, x.ndim)),
    "Concat": lambda *xs, axis: np.concatenate(xs, axis=axis),
    "Transpose": lambda x, perm=None: np.transpose(x, perm),
    "Gather": lambda x, i, axis=0: np.take(x, i, axis=axis),
    "GatherElements": lambda x, i, axis=0: np.take_along_axis(x, i, axis=axis),
    "Expand": lambda x, s: x * np.ones([int(d) for d in s], dtype=x.dtype),
    "Tile": lambda x, r: np.tile(x, [int(d) for d in r]),
    "ConstantOfShape": lambda s, value=None: np.full(
        [int(d) for d in s], 0.0 if value is None else numpy_helper.to_array(value).item(),
        dtype=np.float32 if value is None else numpy_helper.to_array(value).dtype),
    "Cast": lambda x, to: x.astype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[to]),
    "Slice": _slice, "CumSum": _cumsum,
    "NonZero": lambda x: np.array(np.nonzero(x), dtype=np.int64),
    "ReduceSum": _reduce(np.sum), "ReduceMax": _reduce(np.max), "ReduceMean": _reduce(np.mean),
    "Softmax": _softmax, "LayerNormalization": _layer_norm, "Gemm": _gemm,
    "Clip": lambda x, lo=None, hi=None: np.clip(x, lo, hi),
    "TopK": lambda x, k, axis=-1, largest=1, sorted=1: _topk(x, np.asarray(k).reshape(-1)[0], axis,
                                                            largest, sorted),
}


def register_ops(ops: dict) -> list[str]:
    """Adds the operators of `ops` this evaluator lacks (modules of more operators call it on
    import); returns the names added."""
    added = [k for k in ops if k not in _OPS]
    for k in added:
        _OPS[k] = ops[k]
    return added


def run_graph(model: onnx.ModelProto, feeds: dict) -> dict:
    """Evaluates `model` on numpy `feeds`; returns {output name: array}."""
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values.update({k: np.asarray(v) for k, v in feeds.items()})
    for node in model.graph.node:
        attrs = node_attrs(node)
        if node.op_type == "Constant":
            values[node.output[0]] = numpy_helper.to_array(attrs["value"])
            continue
        if node.op_type not in _OPS:
            raise NotImplementedError(f"onnx_eval: operator {node.op_type} ({node.name})")
        args = [values[i] if i else None for i in node.input]
        out = _OPS[node.op_type](*args, **attrs)
        outs = out if isinstance(out, tuple) else (out,)
        for name, v in zip(node.output, outs):
            values[name] = np.asarray(v)
    return {o.name: values[o.name] for o in model.graph.output}
