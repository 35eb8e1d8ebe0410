"""ONNX export of the adaptive forward, with the guards that keep its shapes dynamic.

Tracing turns any data-dependent size that reaches Python into a constant, and the graph then
breaks, or silently gives wrong answers, at other shapes. So: any tracer warning fails the export;
after export the graph is checked statically (dynamic input axes, TopK's k computed in the
graph) and run through `onnx_eval` at several (batch, length) shapes different from the trace
input, against the torch module.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .modeling import AdaplerClassifier
from .onnx_eval import run_graph

OPSET = 17  # at 17 ONNX Runtime fuses every GELU and uses native LayerNormalization
INPUTS = ["input_ids", "attention_mask", "token_type_ids", "eta_scale"]
OUTPUTS = ["logits", "layer_lengths", "kept_positions", "token_layers"]
_DYNAMIC = {
    "input_ids": {0: "batch", 1: "sequence"},
    "attention_mask": {0: "batch", 1: "sequence"},
    "token_type_ids": {0: "batch", 1: "sequence"},
    "logits": {0: "batch"},
    "layer_lengths": {0: "batch"},
    "kept_positions": {0: "batch", 1: "kept"},
    "token_layers": {0: "batch", 1: "sequence"},
}
_TRACE_SHAPE = (2, 11)
SMOKE_SHAPES = ((1, 1), (3, 7), (4, 29))


def example_batch(model: AdaplerClassifier, batch: int, length: int, seed: int):
    """Random right-padded ids with mixed row lengths; row 0 has the full length."""
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, model.geometry.vocab_size, (batch, length), generator=g)
    lengths = torch.randint(1, length + 1, (batch,), generator=g)
    lengths[0] = length
    mask = (torch.arange(length)[None] < lengths[:, None]).long()
    types = (torch.rand(batch, length, generator=g) > 0.5).long() * mask
    return ids * mask, mask, types


def export_onnx(model: AdaplerClassifier) -> onnx.ModelProto:
    """Exports the batched adaptive forward as one opset-17 graph with dynamic axes."""
    model = model.eval()
    ids, mask, types = example_batch(model, *_TRACE_SHAPE, seed=0)
    buf = io.BytesIO()
    with _token_layers_on(model), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")
        torch.onnx.export(model, (ids, mask, types, torch.tensor(1.0)), buf,
                          opset_version=OPSET, input_names=INPUTS, output_names=OUTPUTS,
                          dynamic_axes=_DYNAMIC, do_constant_folding=True)
    frozen = [w for w in caught if issubclass(w.category, torch.jit.TracerWarning)]
    if frozen:  # a tracer warning means a data-dependent value became a constant
        w = frozen[0]
        raise ValueError(f"tracing froze a data-dependent value at {w.filename}:{w.lineno}: {w.message}")
    graph = onnx.load_from_string(buf.getvalue())
    check_dynamic(graph)
    smoke_test(graph, model)
    return graph


@contextlib.contextmanager
def _token_layers_on(model: AdaplerClassifier):
    """The graph has the optional token_layers output; the module's default stays as it was."""
    before = model.emit_token_layers
    model.emit_token_layers = True
    try:
        yield
    finally:
        model.emit_token_layers = before


def check_dynamic(graph: onnx.ModelProto) -> None:
    """Fails if an input axis or the compaction's k was frozen into a constant."""
    onnx.checker.check_model(graph, full_check=True)
    for inp in graph.graph.input:
        dims = inp.type.tensor_type.shape.dim
        if inp.name != "eta_scale" and any(d.HasField("dim_value") for d in dims):
            raise ValueError(f"input {inp.name} has a fixed axis: {dims}")
    fixed = {t.name for t in graph.graph.initializer}
    fixed |= {o for n in graph.graph.node if n.op_type == "Constant" for o in n.output}
    producers = {o: n for n in graph.graph.node for o in n.output}
    topks = [n for n in graph.graph.node if n.op_type == "TopK"]
    if not topks:
        raise ValueError("the graph has no TopK: token compaction is missing")
    for node in topks:
        k = node.input[1]
        while k in producers and producers[k].op_type in ("Reshape", "Cast", "Unsqueeze", "Squeeze"):
            k = producers[k].input[0]
        if k in fixed or k not in producers:
            raise ValueError(f"{node.name}: k is a constant; the kept length was frozen at trace time")


def smoke_test(graph: onnx.ModelProto, model: AdaplerClassifier, atol: float = 1e-4) -> None:
    """Runs the graph at shapes other than the trace's and compares with the torch module."""
    with _token_layers_on(model):
        _compare_at_smoke_shapes(graph, model, atol)


def _compare_at_smoke_shapes(graph: onnx.ModelProto, model: AdaplerClassifier, atol: float) -> None:
    for i, (batch, length) in enumerate(SMOKE_SHAPES):
        ids, mask, types = example_batch(model, batch, length, seed=100 + i)
        for scale in (0.0, 1.0, 2.0):
            with torch.no_grad():
                logits, lengths, kept, token_layers = model(ids, mask, types, torch.tensor(scale))
            got = run_graph(graph, {"input_ids": ids.numpy(), "attention_mask": mask.numpy(),
                                    "token_type_ids": types.numpy(),
                                    "eta_scale": np.array(scale, dtype=np.float32)})
            where = f"smoke test at batch {batch}, length {length}, eta_scale {scale}"
            if not np.array_equal(got["layer_lengths"], lengths.numpy()):
                raise ValueError(f"{where}: layer lengths {got['layer_lengths'].tolist()} "
                                 f"!= torch {lengths.tolist()}")
            if not np.array_equal(got["kept_positions"], kept.numpy()):
                raise ValueError(f"{where}: kept positions differ from torch")
            if not np.array_equal(got["token_layers"], token_layers.numpy()):
                raise ValueError(f"{where}: token layers differ from torch")
            err = float(np.abs(got["logits"] - logits.numpy()).max())
            if err > atol:
                raise ValueError(f"{where}: logits differ from torch by {err}")


def round_weights_to_fp16_(model: AdaplerClassifier) -> None:
    """Rounds every parameter to the nearest fp16 value (kept in fp32), so that the torch
    module and an fp16-stored graph hold exactly the same numbers."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())


def to_fp16_storage(graph: onnx.ModelProto) -> onnx.ModelProto:
    """Stores every float32 initializer as float16, with a Cast back to float32 in front of
    the graph: half the bytes on disk, the same fp32 arithmetic."""
    out = onnx.ModelProto()
    out.CopyFrom(graph)
    casts, keep = [], []
    for t in out.graph.initializer:
        if t.data_type != onnx.TensorProto.FLOAT:
            keep.append(t)
            continue
        arr = numpy_helper.to_array(t)
        half = arr.astype(np.float16)
        if not np.array_equal(half.astype(np.float32), arr):
            raise ValueError(f"initializer {t.name} is not fp16-exact: round the weights first")
        keep.append(numpy_helper.from_array(half, t.name + "_fp16"))
        casts.append(onnx.helper.make_node("Cast", [t.name + "_fp16"], [t.name],
                                           to=onnx.TensorProto.FLOAT, name=f"{t.name}_to_fp32"))
    del out.graph.initializer[:]
    out.graph.initializer.extend(keep)
    nodes = casts + list(out.graph.node)
    del out.graph.node[:]
    out.graph.node.extend(nodes)
    onnx.checker.check_model(out, full_check=True)
    return out
