"""Int8 linear layers for an exported AdapLeR graph, batch-invariant by construction.

Each encoder linear (packed or separate Q/K/V, attention output, FFN in and out) becomes

    s_t   = max(|x_t|) / 127                       one scale per token row (ReduceMax over hidden)
    x_q   = Cast<uint8>(Clip(Round(x / s_t) + 128, 0, 255))      zero point 128
    y     = Cast<float>(MatMulInteger(x_q, W_q, 128)) * s_t * w_scale + bias

with W_q int8, symmetric, one scale per output channel (w_scale[n] = max|W[:, n]| / 127). The
activation scale is a function of the token's own vector only, so a row's result never depends
on which other rows share its batch, unlike DynamicQuantizeLinear or ONNX Runtime's
DynamicQuantizeMatMul / MatMulIntegerToFloat dynamic path, which compute one scale over the
whole input tensor. u8 x s8 is ONNX Runtime's (MLAS) fast path on VNNI CPUs.

The Contribution Predictors (H -> 32 -> 1), the pooler and the classifier stay float32: they
cost little (a CP is 32/(12 H) of a layer per token; the head runs on one token per row) and
the CPs decide which tokens survive, so they keep full precision.

Caveat: on x86 CPUs without VNNI, MLAS computes u8 x s8 with VPMADDUBSW, whose int16 pair sums
can saturate for large activations times large weights; results stay batch-invariant, but can
lose accuracy there. The machines this was measured on have AVX-512 VNNI.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

from .onnx_graph import MS_DOMAIN, GraphIndex, linear_bias, rebuild

FORMAT = "int8-per-channel-weights-per-token-activations"
ZERO_POINT = 128


def quantize_weight(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric per-output-channel int8: returns (W_q int8 [K, N], scale float32 [N])."""
    amax = np.abs(w).max(axis=0)
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    # Round each scale UP to a float16 value, so an fp16-stored bundle holds it exactly and
    # no weight is clipped; this costs at most 0.1% of the int8 resolution.
    half = scale.astype(np.float16)
    half = np.where(half.astype(np.float32) < scale, np.nextafter(half, np.float16(np.inf)), half)
    scale = half.astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def _is_encoder_linear(index: GraphIndex, node) -> bool:
    """A MatMul by a 2-D float initializer followed by a bias Add, that is not part of a CP
    (by its exported name, and by structure: a CP's GELU feeds a 1-column score MatMul). The
    pooler and classifier run on 2-D [CLS] states and are exported as Gemm, so never match."""
    if node.op_type != "MatMul" or not index.is_init(node.input[1]) or node.name.startswith("/cps."):
        return False
    w = index.const(node.input[1])
    add = index.only_consumer(node.output[0])
    if w.ndim != 2 or w.dtype != np.float32 or add is None or linear_bias(index, add) is None:
        return False
    return not _feeds_cp_score(index, add)


def _feeds_cp_score(index: GraphIndex, add, depth: int = 6) -> bool:
    """True if, within a few nodes, the path reaches a MatMul with a 1-column weight (a CP score)."""
    frontier = [add.output[0]]
    for _ in range(depth):
        nxt = []
        for name in frontier:
            for u in index.consumers.get(name, []):
                if u.op_type == "MatMul" and index.is_init(u.input[1]) \
                        and index.const(u.input[1]).shape[-1] == 1:
                    return True
                if u.op_type in ("Div", "Erf", "Add", "Mul"):
                    nxt.extend(u.output)
        frontier = nxt
    return False


def quantize_linears(model: onnx.ModelProto, kernels: str = "ort") -> int:
    """Rewrites every encoder linear's MatMul (in place) to the per-token int8 form above;
    the bias Add that follows is left for the fusion passes. Returns how many were rewritten.

    kernels="ort" (default) writes the quantization as one per-axis QuantizeLinear over the
    [tokens, hidden] view (axis 0: one scale per token) and the product as com.microsoft
    MatMulIntegerToFloat with a constant activation scale 1 and the per-channel weight scales,
    then multiplies by the token scales: two fewer passes over the output and four over the
    input than kernels="standard", which uses only the ops named in the module docstring."""
    if kernels not in ("ort", "standard"):
        raise ValueError(f"kernels must be 'ort' or 'standard', found {kernels!r}")
    index = GraphIndex(model)
    targets = [n for n in model.graph.node if _is_encoder_linear(index, n)]
    c = _Constants(index)
    quantized: dict[str, dict] = {}  # input tensor -> its quantized form, shared by readers
    new = []
    for mm in targets:
        x = mm.input[0]
        wq, ws = quantize_weight(index.const(mm.input[1]))
        if x not in quantized:
            quantized[x] = (_quantize_ort if kernels == "ort" else _quantize_standard)(index, c, x, wq.shape[0], new)
        q = quantized[x]
        stem = index.fresh("int8_linear")
        wq_name = index.add_init(stem + "_weight_s8", wq)
        ws_name = index.add_init(stem + "_weight_scale", ws)
        if kernels == "standard":
            new += [
                helper.make_node("MatMulInteger", [q["q"], wq_name, c.zp], [stem + "_i32"], name=stem + "/MatMulInteger"),
                helper.make_node("Cast", [stem + "_i32"], [stem + "_f"], name=stem + "/Cast", to=TensorProto.FLOAT),
                helper.make_node("Mul", [stem + "_f", ws_name], [stem + "_ws"], name=stem + "/WeightScale"),
                helper.make_node("Mul", [stem + "_ws", q["scale"]], [mm.output[0]], name=stem + "/TokenScale"),
            ]
            continue
        n_out = index.add_init(stem + "_n", np.array([wq.shape[1]], np.int64))
        new += [
            helper.make_node("MatMulIntegerToFloat", [q["q"], wq_name, c.one, ws_name, c.zp],
                             [stem + "_f"], name=stem + "/MatMulIntegerToFloat", domain=MS_DOMAIN),
            helper.make_node("Mul", [stem + "_f", q["scale_col"]], [stem + "_2d"], name=stem + "/TokenScale"),
            helper.make_node("Concat", [q["rows_shape"], n_out], [stem + "_shape"], name=stem + "/Shape", axis=0),
            helper.make_node("Reshape", [stem + "_2d", stem + "_shape"], [mm.output[0]], name=stem + "/Reshape"),
        ]
    rebuild(model, targets, new)
    return len(targets)


class _Constants:
    def __init__(self, index: GraphIndex):
        add = index.add_init
        self.zp = add("int8_act_zero_point", np.array(ZERO_POINT, np.uint8))
        self.c127 = add("int8_127", np.array(127.0, np.float32))
        self.tiny = add("int8_min_absmax", np.array(2.0 ** -24, np.float32))
        self.c128 = add("int8_128", np.array(float(ZERO_POINT), np.float32))
        self.lo = add("int8_0", np.array(0.0, np.float32))
        self.hi = add("int8_255", np.array(255.0, np.float32))
        self.one = add("int8_1", np.array(1.0, np.float32))
        self.flat = add("int8_flat", np.array([-1], np.int64))
        self.col = add("int8_col", np.array([-1, 1], np.int64))
        self.first2 = (add("int8_s0", np.array([0], np.int64)), add("int8_s2", np.array([2], np.int64)))


def _token_scale(c: _Constants, x: str, s: str, new: list) -> str:
    """s_t = max(|x_t|, 2^-24) / 127, shape [B, t, 1]."""
    new += [
        helper.make_node("Abs", [x], [s + "_abs"], name=s + "/Abs"),
        helper.make_node("ReduceMax", [s + "_abs"], [s + "_amax"], name=s + "/ReduceMax", axes=[-1], keepdims=1),
        helper.make_node("Max", [s + "_amax", c.tiny], [s + "_amax_nz"], name=s + "/Max"),
        helper.make_node("Div", [s + "_amax_nz", c.c127], [s + "_scale"], name=s + "/Scale"),
    ]
    return s + "_scale"


def _quantize_standard(index, c: _Constants, x: str, k: int, new: list) -> dict:
    s = index.fresh("int8_act")
    scale = _token_scale(c, x, s, new)
    new += [
        helper.make_node("Div", [x, scale], [s + "_scaled"], name=s + "/Div"),
        helper.make_node("Round", [s + "_scaled"], [s + "_round"], name=s + "/Round"),
        helper.make_node("Add", [s + "_round", c.c128], [s + "_shift"], name=s + "/Shift"),
        helper.make_node("Clip", [s + "_shift", c.lo, c.hi], [s + "_clip"], name=s + "/Clip"),
        helper.make_node("Cast", [s + "_clip"], [s + "_q"], name=s + "/Cast", to=TensorProto.UINT8),
    ]
    return {"q": s + "_q", "scale": scale}


def _quantize_ort(index, c: _Constants, x: str, k: int, new: list) -> dict:
    """QuantizeLinear over the [B*t, K] view with one scale (and zero point) per row."""
    s = index.fresh("int8_act")
    scale = _token_scale(c, x, s, new)
    k_shape = index.add_init(s + "_rows_k", np.array([-1, k], np.int64))
    new += [
        helper.make_node("Reshape", [x, k_shape], [s + "_x2d"], name=s + "/Rows"),
        helper.make_node("Reshape", [scale, c.flat], [s + "_scale_1d"], name=s + "/ScaleRows"),
        helper.make_node("Reshape", [scale, c.col], [s + "_scale_col"], name=s + "/ScaleCol"),
        helper.make_node("Shape", [s + "_scale_1d"], [s + "_n_rows"], name=s + "/RowCount"),
        helper.make_node("Expand", [c.zp, s + "_n_rows"], [s + "_zp"], name=s + "/ZeroPoints"),
        helper.make_node("QuantizeLinear", [s + "_x2d", s + "_scale_1d", s + "_zp"], [s + "_q"],
                         name=s + "/QuantizeLinear", axis=0),
        helper.make_node("Shape", [x], [s + "_shape"], name=s + "/Shape"),
        helper.make_node("Slice", [s + "_shape", *c.first2], [s + "_bt"], name=s + "/BatchTokens"),
    ]
    return {"q": s + "_q", "scale_col": s + "_scale_col", "rows_shape": s + "_bt"}
