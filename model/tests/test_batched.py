"""The batched adaptive forward against the one-row reference loop."""

import random

import pytest
import torch

from adapler import Geometry, fixtures
from adapler.reference import reference_row

G = Geometry(layers=4, hidden=32, intermediate=64, heads=4, classes=3, vocab_size=500)


def spread_model(seed=7):
    # theta_pr away from 1 exercises the authors' knob too
    return fixtures.spread_model(G, [0.5, 0.7, 0.9, 1.0], theta=[1.0, 1.7, 0.6], seed=seed)


def random_rows(rng, count, max_len=40):
    rows = []
    for _ in range(count):
        n = rng.choice([1, 2, 3, rng.randint(4, max_len)])
        ids = [101] + [rng.randrange(1, G.vocab_size) for _ in range(n - 1)]
        types = [0] * n
        if n > 3 and rng.random() < 0.3:
            cut = rng.randint(2, n - 1)
            types = [0] * cut + [1] * (n - cut)
        rows.append((ids, types))
    return rows


def pad(rows):
    T = max(len(ids) for ids, _ in rows)
    ids = torch.zeros(len(rows), T, dtype=torch.int64)
    types, mask = torch.zeros_like(ids), torch.zeros_like(ids)
    for i, (r, t) in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        types[i, :len(t)] = torch.tensor(t)
        mask[i, :len(r)] = 1
    return ids, mask, types


@pytest.mark.parametrize("scale", [0.0, 0.5, 1.0, 2.0])
def test_batched_equals_one_row_loop_on_mixed_lengths(scale):
    model = spread_model()
    rng = random.Random(int(scale * 10) + 1)
    rows, refs = [], []
    for ids, types in random_rows(rng, 60):
        ref = reference_row(model, ids, types, scale)
        if min(ref.margins) >= 1e-4:  # a near-tie could flip on summation order alone
            rows.append((ids, types))
            refs.append(ref)
    assert len(rows) >= 50
    dropped = 0
    for start in range(0, len(rows), 13):  # several batches of different compositions
        batch, expect = rows[start:start + 13], refs[start:start + 13]
        with torch.no_grad():
            logits, lengths, kept = model(*pad(batch), torch.tensor(scale))
        for i, ref in enumerate(expect):
            assert lengths[i].tolist() == ref.layer_lengths
            assert [p for p in kept[i].tolist() if p >= 0] == ref.kept_positions
            assert all(p == -1 for p in kept[i].tolist()[len(ref.kept_positions):])
            assert torch.allclose(logits[i], torch.tensor(ref.logits), atol=1e-5, rtol=0)
            dropped += len(batch[i][0]) - ref.layer_lengths[-1]
    if scale > 0:
        assert dropped > 0, "the test model must really drop tokens"
    else:
        assert dropped == 0


def test_kept_sequence_axis_shrinks_to_longest_kept_row():
    model = spread_model()
    rows = random_rows(random.Random(3), 8, max_len=60)
    with torch.no_grad():
        _, lengths, kept = model(*pad(rows), torch.tensor(2.0))
    assert kept.shape[1] == int(lengths[:, -1].max())
    assert kept.shape[1] < max(len(r) for r, _ in rows)


def test_rows_do_not_depend_on_batch_company_or_order():
    model = spread_model()
    rows = random_rows(random.Random(11), 24)
    with torch.no_grad():
        logits, lengths, _ = model(*pad(rows), torch.tensor(1.0))
        order = list(range(len(rows)))
        random.Random(5).shuffle(order)
        logits2, lengths2, _ = model(*pad([rows[i] for i in order]), torch.tensor(1.0))
    for j, i in enumerate(order):
        assert lengths2[j].tolist() == lengths[i].tolist()
        assert torch.allclose(logits2[j], logits[i], atol=1e-5, rtol=0)


@pytest.mark.parametrize("scale", [0.0, 1.0, 2.0])
def test_token_layers_count_the_layers_that_ran_on_each_position(scale):
    """token_layers[j] is the number of the reference loop's per-layer kept sets holding j."""
    model = spread_model()
    model.emit_token_layers = True
    rows = random_rows(random.Random(int(scale * 10) + 21), 26)
    refs = [reference_row(model, ids, types, scale) for ids, types in rows]
    keep = [i for i, ref in enumerate(refs) if min(ref.margins) >= 1e-4]
    rows, refs = [rows[i] for i in keep], [refs[i] for i in keep]
    ids, mask, types = pad(rows)
    with torch.no_grad():
        _, lengths, _, token_layers = model(ids, mask, types, torch.tensor(scale))
    assert token_layers.shape == ids.shape
    seen = set()
    for i, ((row_ids, _), ref) in enumerate(zip(rows, refs)):
        n = len(row_ids)
        expect = [sum(j in kept for kept in ref.kept_per_layer) for j in range(n)]
        assert token_layers[i].tolist() == expect + [-1] * (ids.shape[1] - n)
        assert expect[0] == G.layers                        # [CLS] runs through every layer
        assert sorted(expect, reverse=True)[:ref.layer_lengths[-1]] == [G.layers] * ref.layer_lengths[-1]
        for l in range(G.layers):                           # layer l ran on layer_lengths[l] tokens
            assert sum(v > l for v in expect) == ref.layer_lengths[l]
        seen.update(expect)
    if scale > 0:
        assert len(seen) > 2, "the test model must drop tokens at several layers"


def test_token_layers_are_off_by_default():
    model = spread_model()
    with torch.no_grad():
        out = model(*pad(random_rows(random.Random(2), 3)), torch.tensor(1.0))
    assert len(out) == 3
