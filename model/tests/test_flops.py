"""The FLOPs model: hand-computed values on a tiny geometry, and the authors' BERT-base fits."""

import random

import pytest

from adapler.config import Geometry
from adapler.flops import (adapler_flops, bert_flops, layer_flops, cp_flops, head_flops,
                           paper_adapler_base_flops, paper_bert_base_flops, speedup)

TINY = Geometry(layers=2, hidden=4, intermediate=8, heads=2, classes=3, vocab_size=10, cp_width=2)
BASE = Geometry(layers=12, hidden=768, intermediate=3072, heads=12, classes=2, vocab_size=30522)


def test_hand_computed_tiny_geometry():
    # one layer on n = 3 tokens, H = 4, I = 8, 2 heads:
    #   projections 4*3*4*4*2 = 384, bias adds 4*3*4 = 48
    #   scores + context 2*9*4*2 = 144, softmax etc. 7*2*9 = 126
    #   FFN 2*3*4*8*2 = 384, bias adds 3*(8+4) = 36, GELU 4*3*8 = 96
    #   residuals 2*3*4 = 24, LayerNorms 2*8*3*4 = 192
    assert layer_flops(3, TINY) == 384 + 48 + 144 + 126 + 384 + 36 + 96 + 24 + 192
    # CP on 3 tokens, w = 2: 3*(4*2 + 2)*2 = 60, GELU 4*3*2 = 24, score bias 6, softmax+threshold 18
    assert cp_flops(3, TINY) == 60 + 24 + 6 + 18
    # pooler 2*16 + 3*4 = 44, classifier (2*4 + 1)*3 = 27
    assert head_flops(TINY) == 44 + 27
    # embeddings 10*3*4 = 120
    assert bert_flops(3, TINY) == 120 + 2 * layer_flops(3, TINY) + 71
    # AdapLeR, lengths [2, 1]: CP_0 on 3, layer 0 on 2, CP_1 on 2, layer 1 on 1
    assert adapler_flops(3, [2, 1], TINY) == (120 + 71 + cp_flops(3, TINY) + layer_flops(2, TINY)
                                              + cp_flops(2, TINY) + layer_flops(1, TINY))


@pytest.mark.parametrize("n", [1, 8, 64, 128, 256, 512])
def test_full_bert_base_within_3_percent_of_the_paper(n):
    assert bert_flops(n, BASE) == pytest.approx(paper_bert_base_flops(n, 2), rel=0.03)
    five = Geometry(**{**BASE.to_dict(), "classes": 5})
    assert bert_flops(n, five) == pytest.approx(paper_bert_base_flops(n, 5), rel=0.03)


def test_adapler_bert_base_within_3_percent_of_the_paper():
    rng = random.Random(0)
    for _ in range(200):
        n = rng.choice([4, 16, 64, 128, 512])
        lengths, c = [], n
        for _ in range(12):
            c = max(1, int(c * rng.uniform(0.6, 1.0)))
            lengths.append(c)
        assert adapler_flops(n, lengths, BASE) == pytest.approx(paper_adapler_base_flops(lengths, 2), rel=0.03)


def test_speedup_is_a_ratio_of_sums():
    rows = [(100, [50] * 12), (10, [10] * 12)]
    expect = (bert_flops(100, BASE) + bert_flops(10, BASE)) / (
        adapler_flops(100, [50] * 12, BASE) + adapler_flops(10, [10] * 12, BASE))
    assert speedup(rows, BASE) == pytest.approx(expect)
    assert speedup([(20, [20] * 12)], BASE) < 1.0  # nothing dropped: the CPs only cost
    with pytest.raises(ValueError):
        adapler_flops(5, [5, 5], BASE)
