"""Graph rewrites: ONNX Runtime's fused operators and int8 linears (onnx_fusion, onnx_int8).

The fused graph must compute what the torch module computes (lengths and kept positions exact,
logits within 1e-4); the int8 graph must be batch-invariant (a row alone equals the same row in
a batch) and stay near the float graph. Graphs run through the numpy evaluator here; the Java
tests run them in ONNX Runtime and read back the operators it executes."""

import collections

import numpy as np
import onnx
import pytest
import torch

from adapler import Geometry, fixtures
from adapler.graph import OUTPUTS, example_batch, export_onnx, smoke_test
from adapler.onnx_eval import run_graph
from adapler.onnx_formats import rewrite_graph
from adapler.onnx_fusion import fuse
from adapler.onnx_int8 import quantize_linears, quantize_weight

G = Geometry(layers=2, hidden=16, intermediate=32, heads=2, classes=3, vocab_size=300, cp_width=8)


@pytest.fixture(scope="module")
def model():
    return fixtures.spread_model(G, [0.7, 0.9], seed=3)


@pytest.fixture(scope="module")
def plain(model):
    return export_onnx(model)


def ops(graph):
    return collections.Counter(n.op_type for n in graph.graph.node)


def feeds(ids, mask, types, scale):
    return {"input_ids": ids.numpy(), "attention_mask": mask.numpy(),
            "token_type_ids": types.numpy(), "eta_scale": np.array(scale, dtype=np.float32)}


def test_fused_graph_has_the_fused_operators_and_computes_the_same(model, plain):
    fused, record = rewrite_graph(plain, model, fuse=True)  # runs the smoke test itself
    c = ops(fused)
    # residual + LayerNorm twice per layer, and the embeddings' sum + LayerNorm once
    assert c["SkipLayerNormalization"] == 2 * G.layers + 1 and c["LayerNormalization"] == 0
    assert c["BiasGelu"] == 2 * G.layers and c["Erf"] == 0
    # one Attention per layer: Q, K, V, Q x K^T and scores x V are in it; the CP softmax stays
    # (the Transposes left are NonZero's, which list the packed layer's real tokens)
    transposes = [n for n in fused.graph.node if n.op_type == "Transpose"]
    nonzero_outputs = {n.output[0] for n in fused.graph.node if n.op_type == "NonZero"}
    assert c["Attention"] == G.layers and c["Split"] == 0 and c["NonZero"] == G.layers
    assert all(t.input[0] in nonzero_outputs for t in transposes)
    assert c["MatMul"] == ops(plain)["MatMul"] - 5 * G.layers
    assert c["Softmax"] == ops(plain)["Softmax"] - G.layers
    assert record == {"linears": "float32", "fused": record["fused"]} and len(record["fused"]) == 3
    assert [o.name for o in fused.graph.output] == OUTPUTS
    assert any(o.domain == "com.microsoft" for o in fused.opset_import)
    smoke_test(fused, model)


def test_passes_keep_an_extra_output_intact(model, plain):
    extra = onnx.ModelProto()
    extra.CopyFrom(plain)
    # the first compaction's hidden states: the tensor layer 0's Q, K and V MatMuls read
    readers = collections.Counter(i for n in extra.graph.node if n.op_type == "MatMul" for i in n.input)
    hidden = next(n.output[0] for n in extra.graph.node if readers[n.output[0]] == 3)
    extra.graph.output.append(onnx.helper.make_tensor_value_info(
        hidden, onnx.TensorProto.FLOAT, ["batch", "kept", G.hidden]))
    for graph in (fuse(extra, G.layers), fuse(extra, G.layers, quantize=quantize_linears)):
        assert [o.name for o in graph.graph.output] == OUTPUTS + [hidden]
        ids, mask, types = example_batch(model, 3, 9, seed=5)
        want = run_graph(extra, feeds(ids, mask, types, 1.0))[hidden]
        assert np.array_equal(run_graph(graph, feeds(ids, mask, types, 1.0))[hidden], want)


def test_an_unexpected_pattern_fails_the_fusion(plain):
    with pytest.raises(ValueError, match="packed QKV: 2 rewritten, 3 expected"):
        fuse(plain, 3)


def test_weights_are_quantized_per_output_channel():
    w = np.random.default_rng(0).normal(size=(16, 5)).astype(np.float32)
    w[:, 2] *= 100  # one loud channel must not cost the others their resolution
    q, scale = quantize_weight(w)
    assert q.dtype == np.int8 and scale.shape == (5,) and np.abs(q).max() <= 127
    assert np.array_equal(scale.astype(np.float16).astype(np.float32), scale)  # fp16-storable
    assert np.all(np.abs(q * scale - w) <= scale / 2 * 1.001)
    assert np.abs(q).max(axis=0).min() >= 126  # every channel uses its whole range


def test_int8_graph_has_integer_linears_only_in_the_encoder(model, plain):
    graph, record = rewrite_graph(plain, model, fuse=True, quantize="int8")
    c = ops(graph)
    assert c["MatMulIntegerToFloat"] == 4 * G.layers  # packed QKV, attention output, FFN in, out
    assert c["QuantizeLinear"] == 4 * G.layers  # one per distinct input (Q, K, V share one)
    assert c["MatMul"] == 4 * G.layers  # Q.K^T, scores.V, and the float CP: dense and score
    assert not {"DynamicQuantizeLinear", "DynamicQuantizeMatMul", "MatMulInteger"} & set(c)
    assert record["linears"] == "int8-per-channel-weights-per-token-activations"
    for n in graph.graph.node:  # activation scales: one per token row, never one per tensor
        if n.op_type == "QuantizeLinear":
            assert [a.i for a in n.attribute if a.name == "axis"] == [0]
        if n.op_type == "MatMulIntegerToFloat":
            assert n.input[2] in {t.name for t in graph.graph.initializer}  # constant a_scale


def test_standard_kernels_use_only_standard_ops(plain):
    graph = fuse(plain, G.layers, quantize=lambda m: quantize_linears(m, kernels="standard"))
    c = ops(graph)
    assert c["MatMulInteger"] == 4 * G.layers and "QuantizeLinear" not in c
    assert {n.domain for n in graph.graph.node if n.op_type in ("MatMulInteger", "Round", "Clip")} == {""}


@pytest.mark.parametrize("kernels", ["ort", "standard"])
def test_int8_rows_do_not_depend_on_their_batch(model, plain, kernels):
    graph = fuse(plain, G.layers, quantize=lambda m: quantize_linears(m, kernels=kernels))
    ids, mask, types = example_batch(model, 5, 13, seed=11)
    for scale in (0.0, 1.0):
        batch = run_graph(graph, feeds(ids, mask, types, scale))
        for row in range(5):
            n = int(mask[row].sum())
            one = run_graph(graph, feeds(ids[row:row + 1, :n], mask[row:row + 1, :n],
                                         types[row:row + 1, :n], scale))
            assert np.array_equal(one["layer_lengths"][0], batch["layer_lengths"][row])
            k = one["kept_positions"].shape[1]
            assert np.array_equal(one["kept_positions"][0], batch["kept_positions"][row, :k])
            np.testing.assert_allclose(one["logits"][0], batch["logits"][row], atol=1e-5)


def test_int8_logits_stay_near_the_float_model(model, plain):
    graph, _ = rewrite_graph(plain, model, fuse=True, quantize="int8")
    ids, mask, types = example_batch(model, 6, 17, seed=12)
    with torch.no_grad():
        want = model(ids, mask, types, torch.tensor(0.0))[0].numpy()
    got = run_graph(graph, feeds(ids, mask, types, 0.0))["logits"]
    spread = np.abs(want).max()
    assert np.abs(got - want).max() <= 0.05 * spread, (got, want)


def test_int8_without_fusion_keeps_the_plain_operators(model, plain):
    graph, record = rewrite_graph(plain, model, fuse=False, quantize="int8")
    c = ops(graph)
    assert c["MatMulIntegerToFloat"] == 6 * G.layers  # Q, K, V separate, attention output, FFN x2
    assert c["LayerNormalization"] == ops(plain)["LayerNormalization"] and "BiasGelu" not in c
    assert record == {"linears": "int8-per-channel-weights-per-token-activations", "fused": []}


def test_cli_writes_an_int8_fp16_bundle_with_its_format(tmp_path, capsys):
    from adapler.checkpoint import Checkpoint, TokenizerSettings
    from adapler.export import main as export_main
    tok = '{"version": "1.0", "truncation": null, "padding": null, "model": {"type": "WordPiece", "vocab": {"[PAD]": 0}}}'
    Checkpoint(fixtures.spread_model(G, [0.7, 0.9], seed=3), ["a", "b", "c"],
               TokenizerSettings(max_length=32), tok).save(tmp_path / "c.pt")
    assert export_main(["--checkpoint", str(tmp_path / "c.pt"), "--out", str(tmp_path / "b"),
                        "--quantize", "int8", "--fp16"]) == 0
    import json
    graph = json.loads((tmp_path / "b" / "adapler.json").read_text())["graph"]
    assert graph["weights_dtype"] == "float16" and graph["format"]["linears"].startswith("int8")
    assert "int8-per-channel" in capsys.readouterr().out
    stored = onnx.load(str(tmp_path / "b" / "model.onnx"))
    kinds = {t.data_type for t in stored.graph.initializer}
    assert onnx.TensorProto.FLOAT not in kinds and onnx.TensorProto.INT8 in kinds
