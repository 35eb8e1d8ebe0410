"""Training with the encoder layers in bf16 (--precision bf16) against fp32 on the same model."""

import random

import pytest
import torch

from adapler.saliency import saliency_batch
from adapler.soft_removal import run_layer, soft_forward
from adapler.train import train

from test_batched import pad, random_rows, spread_model
from test_train import data_dir, small_config, tiny_initial  # noqa: F401 (fixture)

# bf16 keeps 8 bits of mantissa (relative rounding 2^-9 ~ 0.2%); four layers of this test model
# (logits up to ~2.5) move a logit by up to ~0.05 (about 0.01 on the 512-token spam model).
LOGIT_TOLERANCE = 0.1


def batch(seed=11, count=12):
    return pad(random_rows(random.Random(seed), count))


def test_an_encoder_layer_in_bf16_returns_fp32_close_to_the_fp32_layer():
    model = spread_model()
    h = torch.randn(3, 10, model.geometry.hidden)
    bias = torch.zeros(3, 1, 1, 10)
    with torch.no_grad():
        full = run_layer(model.layers[0], h, bias, 0.0, False)
        half = run_layer(model.layers[0], h, bias, 0.0, False, torch.bfloat16)
    assert half.dtype == torch.float32
    diff = (full - half).abs().max().item()
    assert 0 < diff < 0.1, diff  # rounded (so bf16 really ran), yet close


def test_the_teacher_forward_in_bf16_keeps_the_fp32_logits():
    model = spread_model()
    ids, mask, types = batch()
    with torch.no_grad():
        full = soft_forward(model, ids, mask, types, lam=1.0, removal=False)
        half = soft_forward(model, ids, mask, types, lam=1.0, removal=False, encoder_dtype=torch.bfloat16)
    assert half.logits.dtype == torch.float32
    diff = (full.logits - half.logits).abs().max().item()
    assert 0 < diff < LOGIT_TOLERANCE, diff


def test_the_soft_removal_forward_in_bf16_keeps_most_rows_decisions():
    """A steep lambda turns the rounding of a score that sits at its threshold into a different
    decision, so a row or two may move further; the rest keep their logits and lengths."""
    model = spread_model()
    ids, mask, types = batch()
    with torch.no_grad():
        full = soft_forward(model, ids, mask, types, lam=100.0)
        half = soft_forward(model, ids, mask, types, lam=100.0, encoder_dtype=torch.bfloat16)
    assert all(p.dtype == torch.float32 for p in half.cp_probs)
    close_logits = (full.logits - half.logits).abs().max(1).values < LOGIT_TOLERANCE
    close_lengths = (torch.stack(full.soft_lengths) - torch.stack(half.soft_lengths)).abs().max(0).values < 1.0
    assert int(close_logits.sum()) >= 10 and int(close_lengths.sum()) >= 10, (close_logits, close_lengths)


def test_saliency_in_bf16_ranks_the_tokens_as_fp32_does():
    model = spread_model()
    ids, mask, types = batch(seed=4)
    labels = torch.tensor([i % 2 for i in range(ids.shape[0])])
    full = saliency_batch(model, ids, mask, types, labels)
    half = saliency_batch(model, ids, mask, types, labels, torch.bfloat16)
    real = mask > 0
    corr = torch.corrcoef(torch.stack([full[real], half[real]]))[0, 1].item()
    assert corr > 0.98, corr
    assert float(half[~real].abs().sum()) == 0.0


def test_a_run_records_the_precision_of_each_invocation(data_dir, tmp_path):  # noqa: F811
    cfg = small_config(data_dir, max_steps_per_epoch=2)
    part = train(tmp_path / "run", cfg, tiny_initial(), stop_after=1, precision="bf16")
    assert part["precision"] == [{"phase": "teacher", "epoch": 0, "step": 0, "precision": "bf16"}]
    done = train(tmp_path / "run", resume=True, precision="fp32")
    assert done["phase"] == "done"
    assert [p["precision"] for p in done["precision"]] == ["bf16", "fp32"]
    assert done["precision"][1]["epoch"] == 1
    with pytest.raises(ValueError, match="precision 'fp16'"):
        train(tmp_path / "other", cfg, tiny_initial(), precision="fp16")
