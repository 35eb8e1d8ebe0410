"""The soft-removal training forward against the one-row hard loop, at a hard-step lambda."""

import random

import pytest
import torch

from adapler.reference import reference_row
from adapler.soft_removal import soft_forward, soft_removal_value, kl_terms

from test_batched import pad, random_rows, spread_model

HARD_LAMBDA = 1e9
MARGIN = 1e-3


@pytest.mark.parametrize("scale", [0.5, 1.0, 2.0])
def test_hard_step_lambda_keeps_exactly_the_one_row_loop_tokens(scale):
    model = spread_model()
    rng = random.Random(int(scale * 100) + 3)
    rows, refs = [], []
    for ids, types in random_rows(rng, 80):
        ref = reference_row(model, ids, types, scale)
        if min(ref.margins) >= MARGIN:  # a decision this close to its threshold may flip
            rows.append((ids, types))
            refs.append(ref)
    assert len(rows) >= 50
    dropped = 0
    for start in range(0, len(rows), 11):
        batch, expect = rows[start:start + 11], refs[start:start + 11]
        with torch.no_grad():
            out = soft_forward(model, *pad(batch), lam=HARD_LAMBDA, eta_scale=scale)
        for i, ref in enumerate(expect):
            n = len(batch[i][0])
            kept = [j for j in range(n) if out.final_mask[i, j] > 0.5]
            assert kept == ref.kept_positions
            # the soft mask is a hard 0/1 mask at this lambda
            assert torch.all((out.final_mask[i, :n] < 1e-6) | (out.final_mask[i, :n] > 1 - 1e-6))
            assert [round(float(s[i])) for s in out.soft_lengths] == ref.layer_lengths
            assert all(abs(float(s[i]) - r) < 1e-4 for s, r in zip(out.soft_lengths, ref.layer_lengths))
            assert torch.allclose(out.logits[i], torch.tensor(ref.logits), atol=1e-4, rtol=0)
            dropped += n - ref.layer_lengths[-1]
            # padding never gets probability, and the CP distributions sum to 1
            for p in out.cp_probs:
                assert float(p[i, n:].abs().sum()) == 0.0
                assert abs(float(p[i].sum()) - 1.0) < 1e-5
    assert dropped > 0, "the test model must really drop tokens"


def test_removal_off_is_the_full_length_model():
    model = spread_model()
    rows = random_rows(random.Random(5), 9)
    ids, mask, types = pad(rows)
    with torch.no_grad():
        out = soft_forward(model, ids, mask, types, lam=10.0, removal=False)
        full, lengths, _ = model(ids, mask, types, torch.tensor(0.0))
    assert torch.allclose(out.logits, full, atol=1e-5)
    assert out.cp_probs == [] and out.soft_lengths == []


def test_soft_value_shape_and_gradients():
    p = torch.tensor([0.0, 0.05, 0.1, 0.2, 0.5, 1.0], requires_grad=True)
    delta = torch.tensor(0.1)
    s = soft_removal_value(p, delta, lam=10.0)
    assert float(s.max()) <= 0.0 and float(s.min()) >= -10000.0
    assert abs(float(s[2]) - (-0.1 / 10.0)) < 1e-7     # at p = delta: -beta/lam
    assert float(s[0]) < float(s[1]) < float(s[2]) < float(s[3]) < float(s[5])
    assert abs(float(s[5])) < 1e-7                     # p = 1: nothing removed
    s.sum().backward()
    assert torch.all(p.grad >= 0)


def test_soft_mask_shrinks_gradually_at_small_lambda_and_eta_gets_gradients():
    model = spread_model().train()
    ids, mask, types = pad(random_rows(random.Random(9), 6))
    out = soft_forward(model, ids, mask, types, lam=10.0)
    real = mask.bool()
    inner = out.final_mask[real & (out.final_mask < 0.999) & (out.final_mask > 1e-6)]
    assert inner.numel() > 0, "a small lambda must leave some tokens half-removed"
    sal = torch.rand(ids.shape) * mask
    kl = kl_terms(out, sal, model)
    assert len(kl) == 4 and all(float(k) >= 0 for k in kl)
    length = torch.stack(out.soft_lengths).sum(0).mean()
    (g_eta,) = torch.autograd.grad(length, [model.eta])
    assert torch.all(torch.isfinite(g_eta)) and float(g_eta.abs().min()) > 0


def _kl_grads(detach: bool):
    model = spread_model().train()
    ids, mask, types = pad(random_rows(random.Random(11), 6))
    out = soft_forward(model, ids, mask, types, lam=10.0, detach_cp_input=detach)
    sal = torch.rand(ids.shape, generator=torch.Generator().manual_seed(3)) * mask
    kl = sum(kl_terms(out, sal, model))
    encoder = [p for n, p in model.named_parameters() if n.startswith(("layers.", "embeddings."))]
    cps = [p for n, p in model.named_parameters() if n.startswith("cps.")]
    grads = torch.autograd.grad(kl, encoder + cps, allow_unused=True)
    norm = lambda gs: sum(float(g.abs().sum()) for g in gs if g is not None)
    return out.logits.detach(), norm(grads[:len(encoder)]), norm(grads[len(encoder):])


def test_detached_cp_input_keeps_the_kl_term_off_the_encoder_and_the_forward_unchanged():
    shared_logits, shared_encoder, shared_cps = _kl_grads(detach=False)
    detached_logits, detached_encoder, detached_cps = _kl_grads(detach=True)
    assert shared_encoder > 0, "shared: the KL term reaches the encoder through the CPs"
    assert detached_encoder == 0.0
    # the CPs still learn from it (less than shared: a later CP's input no longer carries an
    # earlier CP's decision back to it)
    assert shared_cps > 0 and detached_cps > 0
    assert torch.allclose(shared_logits, detached_logits, atol=1e-6)
