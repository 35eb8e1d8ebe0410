"""Rewrites an exported AdapLeR graph to use ONNX Runtime's fused CPU/CUDA operators.

ONNX Runtime's own optimizer fuses BiasGelu in our graph but NOT SkipLayerNormalization: its
SkipLayerNormFusion only fires when both inputs of the residual Add have known, equal 3-D shapes,
and after the in-graph token compaction (GatherElements with a computed index shape, the
head-merge Reshape with a computed target shape) shape inference cannot even tell their rank.
So the fusions are written into the graph here, where the structure is known:

- one packed QKV projection: the three MatMuls that read the same hidden state and feed the
  head-split Reshapes become one MatMul with concatenated weights, one bias Add and a Split;
- residual Add (+ the linear's bias) + LayerNormalization -> com.microsoft SkipLayerNormalization,
  and the embeddings' sum + LayerNormalization likewise (no bias);
- bias Add + exact (erf) GELU -> com.microsoft BiasGelu (FastGelu's tanh approximation would
  move logits by more than the 1e-4 the goldens allow, so it is not used).

- float graphs only: the packed projection, the attention core and the head split/merge ->
  com.microsoft Attention (`onnx_attention`). Its FLOPs are the same; what it saves is ~20
  nodes per layer, whose fixed cost dominates once most tokens are dropped. The int8 graph keeps
  its integer QKV MatMul and plain attention (QAttention quantizes a whole batch with one scale).

Each pass returns how many patterns it rewrote; `fuse` checks the counts against the number of
layers, so a change in the exported pattern fails the export instead of silently not fusing.
Outputs, inputs and any other nodes are left as they are.
"""

from __future__ import annotations

import math

import numpy as np
import onnx
from onnx import helper

from .onnx_attention import fuse_attention
from .onnx_graph import MS_DOMAIN, GraphIndex, attrs, linear_bias, rebuild


def _weight(index: GraphIndex, node):
    """The 2-D float initializer a MatMul multiplies by (its second input), else None."""
    if node.op_type != "MatMul" or not index.is_init(node.input[1]):
        return None
    w = index.const(node.input[1])
    return w if w.ndim == 2 and w.dtype == np.float32 else None


def pack_qkv(model: onnx.ModelProto) -> int:
    """Packs each attention's Q, K, V projections into one MatMul + bias Add + Split."""
    index = GraphIndex(model)
    groups: dict[str, list] = {}
    for n in model.graph.node:
        w = _weight(index, n)
        add = index.only_consumer(n.output[0]) if w is not None else None
        fit = add is not None and linear_bias(index, add) is not None
        # the head split: a Reshape (and the Shape nodes that compute its target shape)
        users = {u.op_type for u in index.consumers.get(add.output[0], [])} if fit else set()
        if "Reshape" in users and users <= {"Reshape", "Shape"}:
            groups.setdefault(n.input[0], []).append((n, add, w, linear_bias(index, add)[1]))
    remove, new, packed = [], [], 0
    for x, group in groups.items():
        if len(group) != 3:
            continue
        stem = index.fresh("qkv_packed")
        w = index.add_init(stem + "_weight", np.concatenate([g[2] for g in group], axis=1))
        b = index.add_init(stem + "_bias", np.concatenate([g[3] for g in group]))
        sizes = index.add_init(stem + "_split", np.array([g[2].shape[1] for g in group], np.int64))
        new += [helper.make_node("MatMul", [x, w], [stem + "_mm"], name=stem + "/MatMul"),
                helper.make_node("Add", [stem + "_mm", b], [stem + "_out"], name=stem + "/Add"),
                helper.make_node("Split", [stem + "_out", sizes], [g[1].output[0] for g in group],
                                 name=stem + "/Split", axis=-1)]
        remove += [g[0] for g in group] + [g[1] for g in group]
        packed += 1
    rebuild(model, remove, new)
    return packed


def _norm_of_sum(index: GraphIndex, ln):
    """(the Add, epsilon) when `ln` is a last-axis LayerNormalization with scale and bias of an
    Add that feeds nothing else; else (None, None)."""
    if ln.op_type != "LayerNormalization" or len(ln.input) < 3 or len(ln.output) != 1:
        return None, None
    ln_attrs = attrs(ln)
    add = index.producer.get(ln.input[0])
    if ln_attrs.get("axis", -1) != -1 or add is None or add.op_type != "Add" \
            or index.only_consumer(add.output[0]) is not ln:
        return None, None
    return add, float(ln_attrs.get("epsilon", 1e-5))


def fuse_skip_layer_norm(model: onnx.ModelProto) -> int:
    """LayerNormalization(residual + (T + bias)) -> SkipLayerNormalization(T, residual, ..., bias)."""
    index = GraphIndex(model)
    remove, new = [], []
    for ln in model.graph.node:
        add, epsilon = _norm_of_sum(index, ln)
        if add is None:
            continue
        for k in (0, 1):
            inner = index.producer.get(add.input[k])
            tb = linear_bias(index, inner) if inner is not None else None
            if tb is None or index.only_consumer(inner.output[0]) is not add:
                continue
            bias = next(i for i in inner.input if i != tb[0])
            new.append(helper.make_node(
                "SkipLayerNormalization", [tb[0], add.input[1 - k], ln.input[1], ln.input[2], bias],
                [ln.output[0]], name=ln.name + "/SkipLayerNorm", domain=MS_DOMAIN,
                epsilon=epsilon))
            remove += [ln, add, inner]
            break
    rebuild(model, remove, new)
    return len(new)


def fuse_embedding_norm(model: onnx.ModelProto) -> int:
    """LayerNormalization(a + b) with no linear bias (the embeddings' sum) -> SkipLayerNormalization
    (a, b). The same arithmetic; ONNX Runtime's CPU LayerNormalization took 1.5 ms on an 8 x 128
    batch of the spam model, its SkipLayerNormalization kernel a fraction of that. Run after
    `fuse_skip_layer_norm`, so only the LayerNorms it left are rewritten."""
    index = GraphIndex(model)
    remove, new = [], []
    for ln in model.graph.node:
        add, epsilon = _norm_of_sum(index, ln)
        if add is None or linear_bias(index, add) is not None:
            continue
        new.append(helper.make_node(
            "SkipLayerNormalization", [add.input[0], add.input[1], ln.input[1], ln.input[2]],
            [ln.output[0]], name=ln.name + "/SkipLayerNorm", domain=MS_DOMAIN, epsilon=epsilon))
        remove += [ln, add]
    rebuild(model, remove, new)
    return len(new)


def fuse_bias_gelu(model: onnx.ModelProto) -> int:
    """(T + b) * 0.5 * (1 + erf((T + b) / sqrt 2)), as torch exports it -> BiasGelu(T, b)."""
    index = GraphIndex(model)
    remove, new = [], []
    for erf in model.graph.node:
        if erf.op_type != "Erf":
            continue
        div = index.producer.get(erf.input[0])
        if div is None or div.op_type != "Div" or not _close(index.scalar(div.input[1]), math.sqrt(2)):
            continue
        x = div.input[0]
        badd = index.producer.get(x)
        tb = linear_bias(index, badd) if badd is not None else None
        one = index.only_consumer(erf.output[0])
        mul = index.only_consumer(one.output[0]) if one is not None else None
        half = index.only_consumer(mul.output[0]) if mul is not None else None
        if tb is None or one is None or one.op_type != "Add" or mul is None or mul.op_type != "Mul" \
                or half is None or half.op_type != "Mul" or x not in mul.input \
                or not _close(index.scalar(_other(one, erf.output[0])), 1.0) \
                or not _close(index.scalar(_other(half, mul.output[0])), 0.5) \
                or {id(c) for c in index.consumers[x]} != {id(div), id(mul)} or x in index.outputs:
            continue
        bias = next(i for i in badd.input if i != tb[0])
        new.append(helper.make_node("BiasGelu", [tb[0], bias], [half.output[0]],
                                    name=badd.name + "/BiasGelu", domain=MS_DOMAIN))
        remove += [badd, div, erf, one, mul, half]
    rebuild(model, remove, new)
    return len(new)


def _other(node, name):
    return node.input[1] if node.input[0] == name else node.input[0]


def _close(v, want) -> bool:
    return v is not None and abs(v - want) <= 1e-6 * abs(want)


def fuse(model: onnx.ModelProto, layers: int, quantize=None) -> onnx.ModelProto:
    """Returns a copy of `model` with packed QKV, optional int8 linears (`quantize`, a pass
    that rewrites MatMuls in place), SkipLayerNormalization and BiasGelu, and without `quantize`
    one Attention operator per layer. Fails unless every one of the `layers` encoder layers was
    rewritten (BiasGelu also covers one CP per layer)."""
    out = onnx.ModelProto()
    out.CopyFrom(model)
    counts = {"packed QKV": (pack_qkv(out), layers)}
    if quantize is not None:
        quantize(out)
    else:
        counts["Attention"] = (fuse_attention(out), layers)
    counts["SkipLayerNormalization"] = (fuse_skip_layer_norm(out), 2 * layers)
    counts["embeddings' LayerNorm"] = (fuse_embedding_norm(out), 1)
    counts["BiasGelu"] = (fuse_bias_gelu(out), 2 * layers)
    wrong = {k: v for k, v in counts.items() if v[0] != v[1]}
    if wrong:
        raise ValueError("fusion found an unexpected graph pattern: "
                         + ", ".join(f"{k}: {got} rewritten, {want} expected" for k, (got, want) in wrong.items()))
    onnx.checker.check_model(out)
    return out
