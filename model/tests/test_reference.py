"""The one-row reference loop against decisions worked out by hand.

The encoder is replaced by transparent stand-ins so the CP scores are known exactly: the
embedding of token id w is the vector [ln w, 0, ...], layers are the identity, and the CP
returns the first feature. Then p_j = w_j / sum of the kept w, and every threshold is eta/n.
"""

import math

import pytest
import torch
from torch import nn

from adapler import AdaplerClassifier, Geometry
from adapler.reference import reference_row

G = Geometry(layers=3, hidden=4, intermediate=8, heads=1, classes=2, vocab_size=100)


class LogEmbedding(nn.Module):
    def forward(self, ids, types, positions):
        h = torch.zeros(*ids.shape, G.hidden)
        h[..., 0] = torch.log(ids.float())
        return h


class IdentityLayer(nn.Module):
    def forward(self, h, bias=None):
        return h


class FirstFeature(nn.Module):
    def forward(self, h):
        return h[..., 0]


def transparent_model(eta, theta=(1.0, 1.0)):
    m = AdaplerClassifier(G).eval()
    m.embeddings = LogEmbedding()
    m.layers = nn.ModuleList(IdentityLayer() for _ in range(G.layers))
    m.cps = nn.ModuleList(FirstFeature() for _ in range(G.layers))
    with torch.no_grad():
        m.eta.copy_(torch.tensor(eta))
        m.theta_pr.copy_(torch.tensor(theta))
    return m


def run(model, weights, scale=1.0):
    return reference_row(model, weights, [0] * len(weights), scale)


def test_drops_below_eta_over_n_and_never_brings_tokens_back():
    # layer 0: p = [.5, .3, .15, .05], delta = .8/4 = .2 -> keep CLS and the .3 token
    # layer 1: p = [5/8, 3/8], delta = .8/2 = .4 -> 3/8 < .4 -> CLS alone
    # layer 2: only CLS is left
    r = run(transparent_model([0.8, 0.8, 0.8]), [50, 30, 15, 5])
    assert r.layer_lengths == [2, 1, 1]
    assert r.kept_positions == [0]


def test_cls_is_kept_even_with_the_lowest_score():
    # p = [1/151, 50/151, 50/151, 50/151]; delta = .9/4 = .225: the three 50s (0.331) stay, CLS stays
    r = run(transparent_model([0.9, 0.9, 0.9]), [1, 50, 50, 50])
    assert r.layer_lengths == [4, 4, 4]
    assert r.kept_positions == [0, 1, 2, 3]


def test_threshold_is_inclusive():
    # uniform scores: p = 1/4 exactly, delta = 1.0 * 1.0 / 4 exactly -> p >= delta keeps all
    r = run(transparent_model([1.0, 1.0, 1.0]), [7, 7, 7, 7])
    assert r.layer_lengths == [4, 4, 4]


def test_eta_scale_zero_keeps_everything_and_larger_scales_drop_more():
    m = transparent_model([0.8, 0.8, 0.8])
    weights = [50, 30, 15, 5, 1, 12]
    assert run(m, weights, 0.0).layer_lengths == [6, 6, 6]
    lengths = [run(m, weights, s).layer_lengths for s in (0.5, 1.0, 2.0)]
    for shorter, longer in zip(lengths[1:], lengths):
        assert all(a <= b for a, b in zip(shorter, longer))
    # scale 0.5: delta = .8 * .5 / 6 = .0667; p = w / 113 -> 5/113 = .044 and 1/113 = .009 drop
    assert lengths[0][0] == 4


def test_theta_scales_cls_before_later_decisions_only():
    # theta_pr[0] = 3 multiplies p_CLS before layer 1's decision.
    # layer 0: p = [20, 30, 25, 25]/100, delta = .9/4 = .225 -> all kept (.2 < .225 but CLS)
    # layer 1 with theta 3: [60, 30, 25, 25]/140 -> delta .225: 30/140 = .214 and 25/140 = .179 drop
    m = transparent_model([0.9, 0.9, 0.9], theta=(3.0, 1.0))
    r = run(m, [20, 30, 25, 25])
    assert r.layer_lengths == [4, 1, 1]
    # with theta 1 layer 1 sees the layer-0 scores again and keeps all but CLS's low score
    assert run(transparent_model([0.9, 0.9, 0.9]), [20, 30, 25, 25]).layer_lengths == [4, 4, 4]


def test_margins_report_distance_to_threshold():
    r = run(transparent_model([0.8, 0.8, 0.8]), [50, 30, 15, 5])
    # layer 0: delta .2; closest non-CLS score is .15 -> |.15 - .2| / .2 = .25
    assert r.margins[0] == pytest.approx(0.25, rel=1e-5)
    assert math.isinf(r.margins[2])  # only CLS left: nothing to decide
