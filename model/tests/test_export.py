"""The exporter: one graph with dynamic shapes, its guards, fp16 storage, the bundle files."""

import json

import numpy as np
import onnx
import pytest
import torch

from adapler import AdaplerClassifier, Geometry, fixtures, modeling
from adapler.bundle import read_manifest, sha256_file, write_bundle
from adapler.checkpoint import Checkpoint, TokenizerSettings
from adapler.export import main as export_main
from adapler.graph import example_batch, export_onnx
from adapler.onnx_eval import run_graph

G = Geometry(layers=2, hidden=16, intermediate=32, heads=2, classes=3, vocab_size=300, cp_width=8)
TOKENIZER_JSON = json.dumps({"version": "1.0", "truncation": {"max_length": 9}, "padding": None,
                             "model": {"type": "WordPiece", "vocab": {"[PAD]": 0}}})


def small_model(seed=1):
    return fixtures.spread_model(G, [0.7, 0.9], seed=seed)


def feeds(ids, mask, types, scale):
    return {"input_ids": ids.numpy(), "attention_mask": mask.numpy(),
            "token_type_ids": types.numpy(), "eta_scale": np.array(scale, dtype=np.float32)}


def test_graph_has_the_contract_signature_and_dynamic_axes():
    graph = export_onnx(small_model())
    assert [i.name for i in graph.graph.input] == ["input_ids", "attention_mask", "token_type_ids", "eta_scale"]
    assert [o.name for o in graph.graph.output] == ["logits", "layer_lengths", "kept_positions",
                                                    "token_layers"]
    assert graph.opset_import[0].version == 17
    types = {i.name: i.type.tensor_type.elem_type for i in graph.graph.input}
    assert types["input_ids"] == onnx.TensorProto.INT64 and types["eta_scale"] == onnx.TensorProto.FLOAT
    assert len(graph.graph.input[3].type.tensor_type.shape.dim) == 0  # eta_scale is a scalar
    ops = {n.op_type for n in graph.graph.node}
    assert {"TopK", "GatherElements", "LayerNormalization"} <= ops


def test_graph_runs_at_shapes_unlike_the_trace_and_really_shrinks():
    model = small_model()
    graph = export_onnx(model)
    ids, mask, types = example_batch(model, 6, 45, seed=9)
    with torch.no_grad():
        logits, lengths, kept = model(ids, mask, types, torch.tensor(1.5))
    got = run_graph(graph, feeds(ids, mask, types, 1.5))
    assert np.array_equal(got["layer_lengths"], lengths.numpy())
    assert np.allclose(got["logits"], logits.numpy(), atol=1e-5)
    assert got["kept_positions"].shape[1] < 45  # the sequence axis was cut inside the graph


def test_a_shape_frozen_at_trace_time_is_refused(monkeypatch):
    real = modeling.compact

    def frozen_compact(h, positions, keep, local, width):  # the classic mistake: a Python int from a tensor
        k = int(keep.sum(-1).max())
        idx = torch.topk((~keep).long() * (1 << 32) + positions, k, dim=1, largest=False).indices
        h2, p2, m2, l2, c2 = real(h, positions, keep, local, width)
        return h2, p2, m2[:, :k] if idx.shape[1] == k else m2, l2, c2

    monkeypatch.setattr(modeling, "compact", frozen_compact)
    with pytest.raises(ValueError, match="tracing froze a data-dependent value"):
        export_onnx(small_model())


def test_a_constant_k_is_refused(monkeypatch):
    def constant_k(h, positions, keep, local, width):  # no tracer warning, but k no longer follows the data
        idx = torch.topk((~keep).long() * (1 << 32) + positions, 3, dim=1, largest=False).indices
        mask = torch.gather(keep, 1, idx)
        return torch.gather(h, 1, idx.unsqueeze(-1).expand(-1, -1, h.shape[-1])), \
            torch.gather(positions, 1, idx), mask, modeling.iota(idx), mask.sum(-1)

    monkeypatch.setattr(modeling, "compact", constant_k)
    with pytest.raises(ValueError, match="k is a constant"):
        export_onnx(small_model())


def checkpoint(model):
    return Checkpoint(model, ["a", "b", "c"], TokenizerSettings(max_length=32), TOKENIZER_JSON,
                      provenance={"base_model": "test"}, metrics={"accuracy": 0.5})


def test_bundle_files_and_manifest(tmp_path):
    manifest = write_bundle(checkpoint(small_model()), tmp_path, "small")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adapler.json", "model.onnx", "tokenizer.json"]
    assert manifest == json.loads((tmp_path / "adapler.json").read_text())
    assert manifest["format_version"] == 1 and manifest["labels"] == ["a", "b", "c"]
    assert manifest["geometry"]["layers"] == 2 and manifest["geometry"]["classes"] == 3
    assert manifest["eta"] == pytest.approx([0.7, 0.9])
    assert manifest["tokenizer"]["max_length"] == 32
    for name in ("model.onnx", "tokenizer.json"):
        assert manifest["files"][name]["sha256"] == sha256_file(tmp_path / name)
        assert manifest["files"][name]["bytes"] == (tmp_path / name).stat().st_size
    tok = json.loads((tmp_path / "tokenizer.json").read_text())
    assert tok["truncation"] is None and tok["padding"] is None  # the manifest rules them
    read_manifest(tmp_path)
    with open(tmp_path / "model.onnx", "ab") as f:
        f.write(b"\0")
    with pytest.raises(ValueError, match="SHA-256"):
        read_manifest(tmp_path)


def test_eta_is_clipped_into_its_range_on_export(tmp_path):
    model = small_model()
    with torch.no_grad():
        model.eta.copy_(torch.tensor([0.001, 3.0]))
    assert write_bundle(checkpoint(model), tmp_path, "x")["eta"] == pytest.approx([0.01, 1.0])


def test_fp16_storage_halves_the_graph_and_computes_the_same(tmp_path):
    big = Geometry(layers=2, hidden=64, intermediate=128, heads=2, classes=2, vocab_size=2000)
    torch.manual_seed(3)
    model = AdaplerClassifier(big).eval()
    ckpt = Checkpoint(model, ["n", "p"], TokenizerSettings(), TOKENIZER_JSON)
    write_bundle(ckpt, tmp_path / "fp32", "m")
    manifest = write_bundle(ckpt, tmp_path / "fp16", "m", fp16=True)
    assert manifest["graph"]["weights_dtype"] == "float16"
    ratio = (tmp_path / "fp16/model.onnx").stat().st_size / (tmp_path / "fp32/model.onnx").stat().st_size
    assert ratio < 0.55
    graph = onnx.load(str(tmp_path / "fp16/model.onnx"))
    assert any(t.data_type == onnx.TensorProto.FLOAT16 for t in graph.graph.initializer)
    rounded = AdaplerClassifier(big).eval()
    rounded.load_state_dict(model.state_dict())
    with torch.no_grad():
        for p in rounded.parameters():
            p.copy_(p.half().float())
    ids, mask, types = example_batch(rounded, 3, 20, seed=4)
    with torch.no_grad():
        logits, lengths, _ = rounded(ids, mask, types, torch.tensor(1.0))
    got = run_graph(graph, feeds(ids, mask, types, 1.0))
    assert np.array_equal(got["layer_lengths"], lengths.numpy())
    assert np.allclose(got["logits"], logits.numpy(), atol=1e-5)


def test_cli_exports_a_checkpoint(tmp_path, capsys):
    checkpoint(small_model()).save(tmp_path / "best.pt")
    assert export_main(["--checkpoint", str(tmp_path / "best.pt"), "--out", str(tmp_path / "b")]) == 0
    assert "wrote bundle b" in capsys.readouterr().out
    assert read_manifest(tmp_path / "b")["name"] == "b"
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
    assert export_main(["--checkpoint", str(tmp_path / "junk.pt"), "--out", str(tmp_path / "c")]) == 2
    assert "cannot load checkpoint" in capsys.readouterr().err
