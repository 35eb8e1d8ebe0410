"""Reading a bundle back into a Checkpoint, checked against the bundle's own graph.

Truth here is independent of the reader: the shipped graphs run through the project's ONNX
interpreter (onnx_eval, with the fused operators), and tiny-random's goldens. The checkpoint's
one-row reference loop (reference.py) and batched forward must give the graph's layer lengths
and kept positions exactly and its logits within LOGITS_ATOL (the graph's Attention adds -10000
where torch adds finfo.min, and sums in another order)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from adapler import onnx_eval_fused  # noqa: F401  (registers the fused operators)
from adapler.bundle import write_bundle
from adapler.bundle_import import read_bundle
from adapler.onnx_eval import run_graph
from adapler.reference import reference_row
from adapler.tokenization import WordPieceTokenizer

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "samples" / "models"
LOGITS_ATOL = 1e-4
MAILS = [
    "Subject: Re: meeting tomorrow\n\nHi Tom, can we move the design review to 3pm? The build "
    "server is down until noon and I'd like the benchmark numbers first. Thanks, Anna",
    "Subject: URGENT: You have WON $1,000,000!!!\n\nDear friend, claim your prize now by sending "
    "your bank details to our agent. Limited offer, act today! Click http://win.example.com",
    "Subject: [dev] patch for the scheduler\n\nThe attached patch fixes the race in the queue "
    "drain; please review before Friday's release. Tests pass locally on x86 and arm.",
    "Subject: Cheap meds online - no prescription\n\nBest prices on pills, fast discreet "
    "shipping worldwide. Order now and save 80%. Unsubscribe: reply REMOVE.",
    "Subject: photos from the weekend\n\nHere are the pictures from the lake. The kids loved it.",
    "Subject: Re: [ILUG] kernel panic on boot\n\nTry booting with noapic and check dmesg; "
    "if it still hangs, post the full oops to the list and the output of lspci -v.",
]


def batch_of(encs):
    T = max(len(e.input_ids) for e in encs)
    ids = np.zeros((len(encs), T), np.int64)
    types, mask = np.zeros_like(ids), np.zeros_like(ids)
    for i, e in enumerate(encs):
        ids[i, :len(e.input_ids)] = e.input_ids
        types[i, :len(e.token_type_ids)] = e.token_type_ids
        mask[i, :len(e.input_ids)] = 1
    return ids, mask, types


def check_against_graph(bundle: Path, texts, scales=(0.0, 1.0, 2.0)):
    ckpt = read_bundle(bundle)
    graph = onnx.load(str(bundle / "model.onnx"))
    tok = WordPieceTokenizer.from_file(bundle / "tokenizer.json")
    encs = [tok.encode(t, max_length=ckpt.tokenizer.max_length) for t in texts]
    ids, mask, types = batch_of(encs)
    dropped = 0
    for s in scales:
        got = run_graph(graph, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types,
                                "eta_scale": np.array(s, np.float32)})
        with torch.no_grad():
            logits, lengths, kept = ckpt.model(*map(torch.from_numpy, (ids, mask, types)), torch.tensor(s))
        assert np.array_equal(lengths.numpy(), got["layer_lengths"]), s
        assert np.array_equal(kept.numpy(), got["kept_positions"]), s
        assert np.abs(logits.numpy() - got["logits"]).max() <= LOGITS_ATOL, s
        for i, e in enumerate(encs):
            row = reference_row(ckpt.model, e.input_ids, e.token_type_ids, s)
            assert row.layer_lengths == got["layer_lengths"][i].tolist(), (s, i)
            assert np.abs(np.array(row.logits) - got["logits"][i]).max() <= LOGITS_ATOL, (s, i)
            dropped += len(e.input_ids) - row.layer_lengths[-1]
    assert dropped > 0  # the check covers real removal, not only full-length rows
    return ckpt


def test_tiny_random_read_back_matches_its_graph_and_goldens():
    bundle = MODELS / "tiny-random"
    ckpt = check_against_graph(bundle, MAILS)
    assert ckpt.labels == json.loads((bundle / "adapler.json").read_text())["labels"]
    for line in (bundle / "golden.jsonl").read_text().splitlines()[:12]:
        g = json.loads(line)
        for run in g["runs"]:
            r = reference_row(ckpt.model, g["input_ids"], g["token_type_ids"], run["eta_scale"])
            assert r.layer_lengths == run["layer_lengths"]
            assert r.kept_positions == run["kept_positions"]
            assert np.abs(np.array(r.logits) - run["logits"]).max() <= LOGITS_ATOL


def test_the_shipped_spam_model_read_back_matches_its_fused_fp16_graph():
    bundle = MODELS / "spam-minilm"
    texts = list(MAILS)
    test = ROOT / "build" / "spam" / "test.jsonl"
    if test.exists():  # and a few of the corpus' own mails, long ones truncated at 128
        texts += [json.loads(line)["text"] for line in test.read_text(encoding="utf-8").splitlines()[:4]]
    ckpt = check_against_graph(bundle, texts, scales=(0.0, 1.0))
    manifest = json.loads((bundle / "adapler.json").read_text())
    assert [float(v) for v in ckpt.model.eta] == manifest["eta"]
    assert ckpt.provenance["warm_start"]["bundle"] == "spam-minilm"


@pytest.mark.parametrize("fuse,fp16", [(False, False), (True, True)])
def test_export_then_read_back_gives_the_same_weights(tmp_path, fuse, fp16):
    from test_train import tiny_initial
    ckpt = tiny_initial(seed=5)
    with torch.no_grad():
        ckpt.model.eta.copy_(torch.tensor([0.3, 0.5, 0.7]))
        ckpt.model.theta_pr.copy_(torch.tensor([1.25, 0.75]))
    write_bundle(ckpt, tmp_path / "b", "tiny", fp16=fp16, fuse=fuse)
    back = read_bundle(tmp_path / "b")
    for name, want in ckpt.model.state_dict().items():
        want = want.half().float() if fp16 else want
        assert torch.equal(back.model.state_dict()[name], want), name
    assert back.tokenizer == ckpt.tokenizer and back.labels == ckpt.labels


def test_int8_bundles_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="int8 graph .* cannot be read back"):
        read_bundle(MODELS / "tiny-random-int8")


def test_cli_writes_a_checkpoint_with_a_new_max_length(tmp_path):
    out = tmp_path / "tiny.pt"
    r = subprocess.run([sys.executable, "-m", "adapler.bundle_import", "--bundle", str(MODELS / "tiny-random"),
                        "--out", str(out), "--max-length", "512"], capture_output=True, text=True, cwd=ROOT / "model")
    assert r.returncode == 0, r.stderr
    from adapler.checkpoint import Checkpoint
    assert Checkpoint.load(out).tokenizer.max_length == 512
    r = subprocess.run([sys.executable, "-m", "adapler.bundle_import", "--bundle", str(MODELS / "tiny-random"),
                        "--out", str(out), "--max-length", "513"], capture_output=True, text=True, cwd=ROOT / "model")
    assert r.returncode == 2 and "exceeds" in r.stderr


def test_a_bundle_converted_to_int8_equals_the_int8_export_of_its_checkpoint(tmp_path):
    """An int8 copy from the bundle alone: the same graph as the trainer's checkpoint exported to
    int8 directly (fp16 storage rounds the weights the same way twice), with its source named."""
    from adapler.export import main as export_main
    from onnx import numpy_helper
    from test_train import tiny_initial
    ckpt = tiny_initial(seed=9)
    ckpt.metrics = {"test": {"accuracy": 0.5}}
    ckpt.save(tmp_path / "c.pt")
    write_bundle(ckpt, tmp_path / "fp32", "tiny", fp16=True, fuse=True)
    assert export_main(["--checkpoint", str(tmp_path / "c.pt"), "--out", str(tmp_path / "direct"),
                        "--quantize", "int8", "--fp16"]) == 0
    assert export_main(["--bundle", str(tmp_path / "fp32"), "--out", str(tmp_path / "converted"),
                        "--quantize", "int8"]) == 0
    direct = {t.name: numpy_helper.to_array(t) for t in onnx.load(str(tmp_path / "direct" / "model.onnx")).graph.initializer}
    conv = {t.name: numpy_helper.to_array(t) for t in onnx.load(str(tmp_path / "converted" / "model.onnx")).graph.initializer}
    assert direct.keys() == conv.keys()
    for name, value in direct.items():
        assert np.array_equal(value, conv[name]), name
    manifest = json.loads((tmp_path / "converted" / "adapler.json").read_text())
    source = json.loads((tmp_path / "fp32" / "adapler.json").read_text())
    assert manifest["graph"]["weights_dtype"] == "float16"             # kept from the source
    assert manifest["graph"]["format"]["linears"].startswith("int8")
    assert manifest["provenance"]["converted_from"]["sha256"] == source["files"]["model.onnx"]["sha256"]
    assert manifest["metrics"] == {}                                    # fp32's figures do not carry over
    assert manifest["eta"] == source["eta"] and manifest["tokenizer"] == source["tokenizer"]


def test_converting_a_missing_or_int8_bundle_fails_with_a_reason(tmp_path, capsys):
    from adapler.export import main as export_main
    assert export_main(["--bundle", str(tmp_path / "none"), "--out", str(tmp_path / "o")]) == 2
    assert "cannot load bundle" in capsys.readouterr().err
    assert export_main(["--bundle", str(MODELS / "tiny-random-int8"), "--out", str(tmp_path / "o"),
                        "--quantize", "int8"]) == 2
    assert "cannot be read back" in capsys.readouterr().err
