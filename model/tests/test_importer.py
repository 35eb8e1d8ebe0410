"""The backbone importer against the ORIGINAL all-MiniLM-L6-v2 graph (run by the numpy
interpreter). Needs model/scripts/fetch_backbone.sh to have run; skipped otherwise."""

import json
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from adapler.importer import (BackboneImportError, encoder_hidden, graph_hidden, hidden_golden,
                              import_checkpoint, import_onnx, pad_batch)
from adapler.tokenization import WordPieceTokenizer

ROOT = Path(__file__).resolve().parents[2]
BACKBONE = ROOT / "build" / "backbones" / "all-minilm-l6-v2"
ONNX, TOKENIZER = BACKBONE / "model.onnx", BACKBONE / "tokenizer.json"
GOLDEN = Path(__file__).parent / "data" / "minilm_hidden_golden.json"

pytestmark = pytest.mark.skipif(not ONNX.exists(), reason="backbone not fetched (model/scripts/fetch_backbone.sh)")

TEXTS = [
    "Dear friend, I am a banker in Lagos and need your help to move $25,000,000.",
    "Hi all, the meeting moved to 3pm; agenda attached. -- Bob",
    "[SPAM] ¡Gánalo todo! 100% GRATIS!!! <b>click</b> http://example.com/?id=1",
    "x",
    "Re: Re: patch for the tokenizer\n> does it handle accents?\nYes: café, naïve, Zürich.",
    "short",
]


@pytest.fixture(scope="module")
def imported():
    return import_onnx(ONNX, classes=2)


def test_geometry_read_from_the_graph(imported):
    model, info = imported
    g = model.geometry
    assert (g.layers, g.hidden, g.intermediate, g.heads) == (6, 384, 1536, 12)
    assert (g.vocab_size, g.max_positions, g.type_vocab_size) == (30522, 512, 2)
    assert g.layer_norm_eps == 1e-12
    assert info["pooler"].startswith("random")
    assert torch.all(model.eta == 0.25) and torch.all(model.theta_pr == 1.0)


def test_encoder_equals_the_original_graph_on_a_padded_batch(imported):
    model, _ = imported
    tok = WordPieceTokenizer.from_file(TOKENIZER)
    ids, mask, types = pad_batch([tok.encode(t, max_length=48) for t in TEXTS])
    assert len(set(mask.sum(1).tolist())) > 3  # really mixed lengths
    with torch.no_grad():
        ours = encoder_hidden(model, ids, mask, types).numpy()
    theirs = graph_hidden(ONNX, ids.numpy(), mask.numpy(), types.numpy())
    assert ours.shape == theirs.shape
    real = mask.numpy().astype(bool)
    assert np.abs(ours - theirs)[real].max() < 1e-4
    assert np.abs(ours - theirs).max() < 1e-4  # padding positions too


def test_golden_file_matches_the_imported_encoder(imported):
    model, _ = imported
    golden = json.loads(GOLDEN.read_text())
    ids, mask, types = (torch.tensor(golden[k]) for k in ("input_ids", "attention_mask", "token_type_ids"))
    with torch.no_grad():
        hidden = encoder_hidden(model, ids, mask, types)[:, :golden["tokens"]]
    assert np.abs(hidden.numpy() - np.array(golden["last_hidden_state_first_tokens"])).max() < 1e-5
    tok = WordPieceTokenizer.from_file(TOKENIZER)
    for text, row, m in zip(golden["texts"], golden["input_ids"], golden["attention_mask"]):
        assert tok.encode(text, max_length=golden["max_length"]).input_ids == row[:sum(m)]


def test_missing_weight_is_named(tmp_path):
    graph = onnx.load(str(ONNX))
    victim = next(t for t in graph.graph.initializer if t.name == "encoder.layer.2.output.LayerNorm.bias")
    graph.graph.initializer.remove(victim)
    onnx.save(graph, str(tmp_path / "broken.onnx"))
    with pytest.raises(BackboneImportError, match=r"encoder\.layer\.2\.output\.LayerNorm\.bias"):
        import_onnx(tmp_path / "broken.onnx", classes=2)


def test_wrong_head_count_is_refused():
    with pytest.raises(BackboneImportError, match="12 heads"):
        import_onnx(ONNX, classes=2, heads=6)


def test_checkpoint_carries_tokenizer_settings():
    ckpt = import_checkpoint(ONNX, TOKENIZER, ["ham", "spam"], max_length=128)
    assert ckpt.tokenizer.lower_case is True
    assert (ckpt.tokenizer.cls_token_id, ckpt.tokenizer.sep_token_id, ckpt.tokenizer.pad_token_id) == (101, 102, 0)
    assert ckpt.labels == ["ham", "spam"] and ckpt.model.geometry.classes == 2
