"""decision_noise: the rounding worked by hand, the precision copy against plain linears, and
the agreement tally on results built by hand."""

import pytest
import torch
import torch.nn.functional as F

from adapler.decision_noise import SCHEMES, Agreement, Precision, compare, round_symmetric, schemes_named, with_precision
from adapler.fixtures import tiny_model
from adapler.reference import RowResult


def test_round_symmetric_per_row_by_hand():
    x = torch.tensor([[1.0, -0.5, 0.25, 0.1]])
    # scale 1/127: 0.5 * 127 = 63.5 rounds to 64 (half to even), 0.25 * 127 = 31.75 -> 32, 12.7 -> 13
    expected = torch.tensor([[127.0, -64.0, 32.0, 13.0]]) / 127
    assert torch.allclose(round_symmetric(x, 127), expected, rtol=0, atol=1e-7)


def test_round_symmetric_blocks_have_their_own_scale():
    x = torch.tensor([[1.0, -0.5, 0.25, 0.1]])
    # second block: scale 0.25/127, 0.1 / scale = 50.8 -> 51
    expected = torch.tensor([[1.0, -64 / 127, 0.25, 51 * 0.25 / 127]])
    assert torch.allclose(round_symmetric(x, 127, block=2), expected, rtol=0, atol=1e-7)
    with pytest.raises(ValueError, match="does not divide"):
        round_symmetric(x, 127, block=3)


def test_zero_vector_stays_zero():
    assert torch.equal(round_symmetric(torch.zeros(2, 4), 127), torch.zeros(2, 4))


def test_precision_copy_rounds_the_encoder_linears_only():
    model = tiny_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    low = with_precision(model, SCHEMES["int8"])
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items()), "the original changed"
    x = torch.randn(1, 5, model.geometry.hidden, generator=torch.Generator().manual_seed(3))
    q = low.layers[0].attention.query
    plain = model.layers[0].attention.query
    want = F.linear(round_symmetric(x, 127), round_symmetric(plain.weight, 127), plain.bias)
    assert torch.allclose(q(x), want, rtol=0, atol=1e-6)
    assert not torch.allclose(q(x), plain(x), rtol=0, atol=1e-6)
    # the Contribution Predictors, pooler and classifier are untouched
    for a, b in [(low.cps[1].dense, model.cps[1].dense), (low.pooler, model.pooler), (low.classifier, model.classifier)]:
        assert torch.equal(a(x), b(x))


def test_fp16_weights_leave_inputs_alone():
    model = tiny_model()
    low = with_precision(model, SCHEMES["fp16-weights"])
    x = torch.randn(1, 3, model.geometry.intermediate, generator=torch.Generator().manual_seed(4))
    out = model.layers[1].output
    assert torch.allclose(low.layers[1].output(x), F.linear(x, out.weight.half().float(), out.bias), rtol=0, atol=1e-6)


def _row(lengths, kept, logits):
    return RowResult(logits, lengths, kept[-1], [0.0] * len(lengths), kept)


def test_agreement_tally_by_hand():
    t = Agreement()
    a = _row([5, 3, 2], [[0, 1, 2, 3, 4], [0, 1, 2], [0, 2]], [0.1, 0.9])
    t.add(a, a)                                                                # all equal
    t.add(a, _row([5, 3, 2], [[0, 1, 2, 3, 4], [0, 1, 3], [0, 3]], [0.1, 0.9]))  # same lengths, other tokens
    t.add(a, _row([5, 4, 2], [[0, 1, 2, 3, 4], [0, 1, 2, 3], [0, 2]], [0.8, 0.2]))  # layer 1 longer, label flips
    s = t.summary()
    assert s["rows"] == 3
    assert s["layer_lengths_equal"] == round(2 / 3, 4)
    assert s["kept_positions_equal"] == round(1 / 3, 4)
    assert s["labels_equal"] == round(2 / 3, 4)
    assert s["layer_lengths_equal_per_layer"] == [1.0, round(2 / 3, 4), 1.0]


def test_compare_without_rounding_agrees_everywhere():
    model = tiny_model()
    g = torch.Generator().manual_seed(5)
    rows = [([101] + torch.randint(1000, 30000, (n,), generator=g).tolist() + [102], [0] * (n + 2))
            for n in (10, 25, 40)]
    report = compare(model, rows, [Precision("none", None, None)], eta_scale=1.0)["none"]
    assert report["rows"] == 3
    assert report["layer_lengths_equal"] == 1.0 and report["kept_positions_equal"] == 1.0
    assert report["labels_equal"] == 1.0


def test_schemes_by_name():
    assert [p.name for p in schemes_named("int8,fp16-weights")] == ["int8", "fp16-weights"]
    with pytest.raises(ValueError, match="unknown scheme"):
        schemes_named("int8,int3")
