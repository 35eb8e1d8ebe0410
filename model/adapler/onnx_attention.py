"""Rewrites each encoder layer's attention into ONNX Runtime's one com.microsoft.Attention operator.

After `onnx_fusion.pack_qkv` a layer's self-attention is 19 nodes: the packed QKV MatMul, its
bias Add and Split, three head-split Reshapes and Transposes, Q x K^T, the 1/sqrt(d) Div, the
mask bias Add, Softmax, scores x V, the head-merge Transpose and Reshape, plus the Shape/Concat
nodes that compute the Reshape targets and the Not/Cast/Unsqueeze/Mul that turn the layer's
token mask into an additive bias. Once AdapLeR has dropped most tokens, each of these runs on a
handful of activations and its per-node cost (a kernel launch, a shape computation) outweighs
its arithmetic. Attention computes the same thing in one kernel from the layer input, the packed
weights and the layer's token mask as a 2-D raw mask (1 = attend, 0 = padding), which is exactly
what the in-graph compaction produces: kept tokens at the front of each row, padding after.

The raw mask adds `mask_filter_value` (-10000 by default) where the graph added finfo(float).min:
both underflow to exactly 0 after Softmax's max subtraction, since [CLS] is always kept.
"""

from __future__ import annotations

import math

import numpy as np
import onnx
from onnx import TensorProto, helper

from .onnx_graph import MS_DOMAIN, GraphIndex, attrs, linear_bias, rebuild


def _through(index: GraphIndex, name: str, ops: list[tuple[str, list | None]]):
    """Walks producers from `name` through nodes of the given op types (and Transpose perms);
    returns the name reached, or None where the graph differs."""
    for op, perm in ops:
        n = index.producer.get(name)
        if n is None or n.op_type != op or (perm is not None and attrs(n).get("perm") != perm):
            return None
        name = n.input[0]
    return name


def _mask_of(index: GraphIndex, bias: str):
    """The bool token mask m of bias = Unsqueeze(Unsqueeze(Cast(Not(m)))) * very negative."""
    mul = index.producer.get(bias)
    if mul is None or mul.op_type != "Mul":
        return None
    for k in (0, 1):
        c = index.scalar(mul.input[k])
        if c is not None and c <= -1e4:
            return _through(index, mul.input[1 - k], [("Unsqueeze", None), ("Unsqueeze", None),
                                                       ("Cast", None), ("Not", None)])
    return None


def fuse_attention(model: onnx.ModelProto) -> int:
    """Replaces every packed-QKV self-attention by one Attention node; returns how many."""
    index = GraphIndex(model)
    new, remove = [], []
    heads_merge = [("Transpose", [0, 2, 1, 3])]
    for sm in model.graph.node:
        if sm.op_type != "Softmax" or attrs(sm).get("axis", -1) != -1:
            continue
        add = index.producer.get(sm.input[0])
        if add is None or add.op_type != "Add":
            continue
        div = next((index.producer[i] for i in add.input
                    if i in index.producer and index.producer[i].op_type == "Div"), None)
        if div is None:
            continue
        bias = add.input[1] if add.input[0] == div.output[0] else add.input[0]
        scale = index.scalar(div.input[1])  # sqrt(head size)
        qk = index.producer.get(div.input[0])
        pv = index.only_consumer(sm.output[0])
        if scale is None or qk is None or qk.op_type != "MatMul" \
                or pv is None or pv.op_type != "MatMul" or pv.input[0] != sm.output[0]:
            continue
        merge_t = index.only_consumer(pv.output[0])
        merge = index.only_consumer(merge_t.output[0]) if merge_t is not None else None
        if merge is None or merge.op_type != "Reshape" or _through(index, merge.input[0], heads_merge) != pv.output[0]:
            continue
        q = _through(index, qk.input[0], [("Transpose", [0, 2, 1, 3]), ("Reshape", None)])
        k = _through(index, qk.input[1], [("Transpose", [0, 2, 3, 1]), ("Reshape", None)])
        v = _through(index, pv.input[1], [("Transpose", [0, 2, 1, 3]), ("Reshape", None)])
        split = index.producer.get(q) if q is not None else None
        if split is None or split.op_type != "Split" or list(split.output) != [q, k, v]:
            continue
        qkv_add = index.producer.get(split.input[0])
        tb = linear_bias(index, qkv_add) if qkv_add is not None else None
        mm = index.producer.get(tb[0]) if tb is not None else None
        mask = _mask_of(index, bias)
        if mm is None or mm.op_type != "MatMul" or not index.is_init(mm.input[1]) or mask is None:
            continue
        w = index.const(mm.input[1])
        head_dim = scale ** 2
        heads = int(round(w.shape[1] / 3 / head_dim))
        if heads < 1 or abs(heads * head_dim * 3 - w.shape[1]) > 1e-3 * w.shape[1]:
            continue
        stem = index.fresh("attention")
        bias_name = next(i for i in qkv_add.input if i != tb[0])
        new += [helper.make_node("Cast", [mask], [stem + "_mask"], name=stem + "/MaskCast", to=TensorProto.INT32),
                helper.make_node("Attention", [mm.input[0], mm.input[1], bias_name, stem + "_mask"],
                                 [merge.output[0]], name=stem + "/Attention", domain=MS_DOMAIN,
                                 num_heads=heads, scale=1.0 / scale)]
        remove += [mm, qkv_add, split, qk, div, add, sm, pv, merge_t, merge]
    rebuild(model, remove, new)  # also drops the now unread reshapes, transposes and mask bias
    return len(new) // 2


def attention_reference(x, weights, bias, mask, num_heads, scale=None, mask_filter_value=-10000.0):
    """numpy com.microsoft.Attention for a 2-D raw mask (the smoke test's evaluator)."""
    b, s, _ = x.shape
    qkv = x.astype(np.float64) @ weights + bias
    q, k, v = np.split(qkv, 3, axis=-1)
    d = q.shape[-1] // num_heads
    split = lambda t: t.reshape(b, s, num_heads, d).transpose(0, 2, 1, 3)  # noqa: E731
    q, k, v = split(q), split(k), split(v)
    scores = q @ k.transpose(0, 1, 3, 2) * (1 / math.sqrt(d) if scale is None else scale)
    scores = scores + (1 - mask.astype(np.float64))[:, None, None, :] * mask_filter_value
    p = np.exp(scores - scores.max(-1, keepdims=True))
    p = p / p.sum(-1, keepdims=True)
    return (p @ v).transpose(0, 2, 1, 3).reshape(b, s, num_heads * d).astype(np.float32)
