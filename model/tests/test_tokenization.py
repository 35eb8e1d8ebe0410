"""Tests of adapler.tokenization against facts a person can check by hand.

The ids are bert-base-uncased's (the vocab of all-MiniLM-L6-v2 and of the committed bundle
tokenizer): [CLS]=101, [SEP]=102, [UNK]=100, hello=7592, ","=1010, world=2088, "!"=999,
one..ten=2028 2048 2093 2176 2274 2416 2698 2809 3157 2702. Look them up in the vocab of
tokenizer.json if in doubt. Parity with the Rust `tokenizers` crate itself (via DJL) was
checked separately on every code point and on tens of thousands of random strings.
"""

import json
from pathlib import Path

import pytest

from adapler.bundle import bundle_tokenizer_json
from adapler.tokenization import WordPieceTokenizer, _longest_first

REPO = Path(__file__).resolve().parents[2]
CANDIDATES = [
    REPO / "samples" / "models" / "tiny-random" / "tokenizer.json",
    REPO / "build" / "backbones" / "all-minilm-l6-v2" / "tokenizer.json",
]

CLS, SEP, UNK = 101, 102, 100
NUMBERS = "one two three four five six seven eight nine ten".split()
NUMBER_IDS = [2028, 2048, 2093, 2176, 2274, 2416, 2698, 2809, 3157, 2702]


def _tokenizer_path() -> Path:
    for path in CANDIDATES:
        if path.exists():
            return path
    pytest.skip("no tokenizer.json (run model/scripts/fetch_backbone.sh)")


@pytest.fixture(scope="module")
def tok() -> WordPieceTokenizer:
    return WordPieceTokenizer.from_file(_tokenizer_path())


def test_hello_world(tok):
    enc = tok.encode("Hello, World!")
    assert enc.tokens == ["[CLS]", "hello", ",", "world", "!", "[SEP]"]
    assert enc.input_ids == [CLS, 7592, 1010, 2088, 999, SEP]
    assert enc.token_type_ids == [0] * 6
    assert enc.offsets == [(0, 0), (0, 5), (5, 6), (7, 12), (12, 13), (0, 0)]
    assert enc.truncated is False


def test_empty_and_whitespace_only(tok):
    for text in ["", "   ", "\t\n\r "]:
        enc = tok.encode(text)
        assert enc.input_ids == [CLS, SEP]
        assert enc.offsets == [(0, 0), (0, 0)]
    pair = tok.encode("", "")
    assert pair.input_ids == [CLS, SEP, SEP]
    assert pair.token_type_ids == [0, 0, 1]


def test_accents_are_stripped_offsets_point_at_original(tok):
    enc = tok.encode("Café")
    assert enc.tokens == ["[CLS]", "cafe", "[SEP]"]
    assert enc.offsets[1] == (0, 4)
    # Same ids whether or not the accents are there.
    assert tok.encode("Ångström naïve résumé").input_ids == tok.encode(
        "angstrom naive resume"
    ).input_ids
    # A decomposed accent (e + combining acute) is the same as the precomposed one.
    assert tok.encode("cafe\u0301").input_ids == enc.input_ids


def test_cjk_is_split_per_character(tok):
    enc = tok.encode("中文")
    assert enc.tokens == ["[CLS]", "中", "文", "[SEP]"]
    assert enc.input_ids == [CLS, 1746, 1861, SEP]
    assert enc.offsets[1:3] == [(0, 1), (1, 2)]


def test_word_longer_than_100_chars_is_unk(tok):
    enc = tok.encode("a" * 101)
    assert enc.input_ids == [CLS, UNK, SEP]
    assert enc.offsets[1] == (0, 101)
    # Exactly 100 characters is still split into word pieces.
    assert UNK not in tok.encode("a" * 100).input_ids


def test_punctuation_is_isolated_and_control_chars_removed(tok):
    assert tok.encode("a+b").tokens[1:-1] == ["a", "+", "b"]
    # A zero-width space is removed, so "a\u200bb" is the single word "ab" spanning 0..3.
    enc = tok.encode("a\u200bb")
    assert enc.tokens[1:-1] == ["ab"]
    assert enc.offsets[1] == (0, 3)


def test_special_token_in_text_is_kept_whole(tok):
    enc = tok.encode("x [SEP] y")
    assert enc.input_ids == [CLS, 1060, SEP, 1061, SEP]
    assert enc.offsets == [(0, 0), (0, 1), (2, 7), (8, 9), (0, 0)]


def test_single_truncation(tok):
    text = " ".join(NUMBERS)  # ten single-piece words
    full = tok.encode(text, max_length=12)
    assert full.input_ids == [CLS] + NUMBER_IDS + [SEP]
    assert full.truncated is False
    cut = tok.encode(text, max_length=6)
    assert cut.input_ids == [CLS] + NUMBER_IDS[:4] + [SEP]
    assert cut.truncated is True
    assert len(tok.encode(text, max_length=11).input_ids) == 11
    only_specials = tok.encode(text, max_length=2)
    assert only_specials.input_ids == [CLS, SEP] and only_specials.truncated


def test_pair_type_ids_and_offsets(tok):
    enc = tok.encode("one two", "three")
    assert enc.input_ids == [CLS, 2028, 2048, SEP, 2093, SEP]
    assert enc.token_type_ids == [0, 0, 0, 0, 1, 1]
    # Segment-B offsets are into text_pair.
    assert enc.offsets == [(0, 0), (0, 3), (4, 7), (0, 0), (0, 5), (0, 0)]


@pytest.mark.parametrize(
    "n_a, n_b, max_length, keep_a, keep_b",
    [
        (8, 3, 20, 8, 3),  # fits: 8 + 3 + 3 specials = 14
        (8, 3, 10, 4, 3),  # budget 7: the short one (3) stays, the long one gets 7 - 3
        (3, 8, 10, 3, 4),
        (8, 8, 10, 3, 4),  # both too long, odd budget 7: 3 + 4, the tie goes to the second
        (9, 8, 10, 4, 3),  # the longer one gets the odd piece
        (8, 8, 11, 4, 4),
        (5, 5, 3, 0, 0),  # room for the specials only
    ],
)
def test_pair_longest_first(tok, n_a, n_b, max_length, keep_a, keep_b):
    a = " ".join(NUMBERS[:n_a])
    b = " ".join(NUMBERS[:n_b])
    enc = tok.encode(a, b, max_length=max_length)
    assert enc.input_ids == [CLS] + NUMBER_IDS[:keep_a] + [SEP] + NUMBER_IDS[:keep_b] + [SEP]
    assert enc.token_type_ids == [0] * (keep_a + 2) + [1] * (keep_b + 1)
    assert enc.truncated is (keep_a < n_a or keep_b < n_b)


def test_longest_first_matches_upstream_table():
    # The table of the Rust crate's own unit test (max_length 7 for the two sequences).
    cases = {
        (0, 0): (0, 0), (0, 2): (0, 2), (0, 4): (0, 4), (0, 8): (0, 7),
        (2, 0): (2, 0), (2, 2): (2, 2), (2, 4): (2, 4), (2, 8): (2, 5),
        (4, 0): (4, 0), (4, 2): (4, 2), (4, 4): (3, 4), (4, 8): (3, 4),
        (8, 0): (7, 0), (8, 2): (5, 2), (8, 4): (4, 3), (8, 8): (3, 4),
    }  # fmt: skip
    for (n_a, n_b), expected in cases.items():
        assert _longest_first(n_a, n_b, 7) == expected, (n_a, n_b)
    assert _longest_first(4, 4, 0) == (0, 0)


def test_max_length_too_small_raises(tok):
    with pytest.raises(ValueError):
        tok.encode("hello", max_length=1)
    with pytest.raises(ValueError):
        tok.encode("hello", "world", max_length=2)


def test_bundle_tokenizer_json_is_deterministic(tmp_path):
    src = _tokenizer_path()
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(bundle_tokenizer_json(src.read_text(encoding="utf-8")), encoding="utf-8")
    second.write_text(bundle_tokenizer_json(first.read_text(encoding="utf-8")), encoding="utf-8")
    assert first.read_bytes() == second.read_bytes()
    config = json.loads(first.read_text(encoding="utf-8"))
    assert config["truncation"] is None and config["padding"] is None
    assert len(config["model"]["vocab"]) == 30522
    # The committed bundle tokenizer is exactly what bundle_tokenizer_json produces.
    if src == CANDIDATES[0]:
        assert src.read_bytes() == first.read_bytes()
