"""Pure-Python BERT WordPiece tokenizer that reads a Hugging Face ``tokenizer.json``.

It re-implements, with the standard library only, exactly the pipeline the model bundle's
``tokenizer.json`` describes (see ``docs/bundle-format.md``)::

    added tokens   the special tokens ([CLS], [SEP], [PAD], [UNK], [MASK]) are matched in the
                   raw text first (leftmost-longest) and become single tokens
    normalizer     BertNormalizer: clean_text, handle_chinese_chars, strip_accents (null means
                   "same as lowercase"), lowercase
    pre-tokenizer  BertPreTokenizer: split on whitespace, isolate every punctuation char
    model          WordPiece: greedy longest-match-first, "##" continuation prefix, a word longer
                   than max_input_chars_per_word (or with no segmentation) becomes [UNK]
    truncation     single text: keep the first pieces; pair: Hugging Face ``longest_first``
    post-processor TemplateProcessing: [CLS] A [SEP] and [CLS] A [SEP] B [SEP], type ids 0/1

The result is token-for-token what the Rust ``tokenizers`` crate (0.21, as shipped in DJL
0.38) gives with ``add_special_tokens=True``, truncation ``longest_first`` at ``max_length``
and no padding: the same ids, type ids and character offsets. That was checked against DJL on
every Unicode code point and on thousands of random texts and pairs.

To match the crate bit for bit, the character classes follow the Unicode tables the crate
uses rather than Python's (newer) ``unicodedata`` where the two disagree; see
``_CRATE_CATEGORY_OVERRIDES`` below.

Public API::

    tok = WordPieceTokenizer.from_file("tokenizer.json")
    enc = tok.encode("Hello, World!", max_length=64)
    enc.input_ids, enc.token_type_ids, enc.tokens, enc.offsets, enc.truncated
"""

from __future__ import annotations

import bisect
import json
import unicodedata
from dataclasses import dataclass
from typing import Optional

__all__ = ["Encoding", "WordPieceTokenizer"]


# --------------------------------------------------------------------------------------------
# Character classes, as the Rust crate defines them.
# --------------------------------------------------------------------------------------------

# Rust's char::is_whitespace (the Unicode White_Space property). Python's str.isspace differs
# (it also accepts U+001C..U+001F).
_RUST_WHITESPACE = frozenset(
    "\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)

# Where the Rust crate's Unicode tables (its `unicode_categories` dependency is built from an
# old Unicode release, about 8.0; Python 3.11 has 14.0) classify a code point differently
# from Python's unicodedata, this table gives the class the crate effectively uses:
#   "Lo"  a plain character: not control, not a nonspacing mark, not punctuation
#         (mostly code points the old tables do not know at all),
#   "Po"  punctuation (split off by the pre-tokenizer),
#   "Mn"  a nonspacing mark (removed when stripping accents).
# Inclusive ranges (lo, hi, class), sorted. Derived by running every code point of planes
# 0-3 and 14-16 through DJL 0.38 (tokenizers 0.21) as "a<c>b" and comparing with this module;
# after applying the table the two agree on all of them.
_CRATE_CATEGORY_OVERRIDES: tuple[tuple[int, int, str], ...] = (
    (0x61D, 0x61D, "Lo"), (0x7FD, 0x7FD, "Lo"), (0x890, 0x891, "Lo"), (0x898, 0x89F, "Lo"),
    (0x8CA, 0x8E2, "Lo"), (0x9FD, 0x9FE, "Lo"), (0xA76, 0xA76, "Lo"), (0xAFA, 0xAFF, "Lo"),
    (0xB55, 0xB55, "Lo"), (0xC04, 0xC04, "Lo"), (0xC3C, 0xC3C, "Lo"), (0xC77, 0xC77, "Lo"),
    (0xC84, 0xC84, "Lo"), (0xD00, 0xD00, "Lo"), (0xD3B, 0xD3C, "Lo"), (0xD81, 0xD81, "Lo"),
    (0xEBA, 0xEBA, "Lo"), (0x166D, 0x166D, "Po"), (0x1734, 0x1734, "Mn"), (0x180F, 0x180F, "Lo"),
    (0x1885, 0x1886, "Lo"), (0x1ABF, 0x1ACE, "Lo"), (0x1B7D, 0x1B7E, "Lo"),
    (0x1DF6, 0x1DFB, "Lo"), (0x2E43, 0x2E4F, "Lo"), (0x2E52, 0x2E5D, "Lo"),
    (0xA82C, 0xA82C, "Lo"), (0xA8C5, 0xA8C5, "Lo"), (0xA8FF, 0xA8FF, "Lo"),
    (0xA9BD, 0xA9BD, "Lo"), (0x10D24, 0x10D27, "Lo"), (0x10EAB, 0x10EAD, "Lo"),
    (0x10F46, 0x10F50, "Lo"), (0x10F55, 0x10F59, "Lo"), (0x10F82, 0x10F89, "Lo"),
    (0x11070, 0x11070, "Lo"), (0x11073, 0x11074, "Lo"), (0x110C2, 0x110C2, "Lo"),
    (0x110CD, 0x110CD, "Lo"), (0x111C9, 0x111C9, "Po"), (0x111CF, 0x111CF, "Lo"),
    (0x1123E, 0x1123E, "Lo"), (0x1133B, 0x1133B, "Lo"), (0x11438, 0x1143F, "Lo"),
    (0x11442, 0x11444, "Lo"), (0x11446, 0x11446, "Lo"), (0x1144B, 0x1144F, "Lo"),
    (0x1145A, 0x1145B, "Lo"), (0x1145D, 0x1145E, "Lo"), (0x11660, 0x1166C, "Lo"),
    (0x116B9, 0x116B9, "Lo"), (0x1182F, 0x11837, "Lo"), (0x11839, 0x1183B, "Lo"),
    (0x1193B, 0x1193C, "Lo"), (0x1193E, 0x1193E, "Lo"), (0x11943, 0x11946, "Lo"),
    (0x119D4, 0x119D7, "Lo"), (0x119DA, 0x119DB, "Lo"), (0x119E0, 0x119E0, "Lo"),
    (0x119E2, 0x119E2, "Lo"), (0x11A01, 0x11A0A, "Lo"), (0x11A33, 0x11A38, "Lo"),
    (0x11A3B, 0x11A47, "Lo"), (0x11A51, 0x11A56, "Lo"), (0x11A59, 0x11A5B, "Lo"),
    (0x11A8A, 0x11A96, "Lo"), (0x11A98, 0x11A9C, "Lo"), (0x11A9E, 0x11AA2, "Lo"),
    (0x11C30, 0x11C36, "Lo"), (0x11C38, 0x11C3D, "Lo"), (0x11C3F, 0x11C3F, "Lo"),
    (0x11C41, 0x11C45, "Lo"), (0x11C70, 0x11C71, "Lo"), (0x11C92, 0x11CA7, "Lo"),
    (0x11CAA, 0x11CB0, "Lo"), (0x11CB2, 0x11CB3, "Lo"), (0x11CB5, 0x11CB6, "Lo"),
    (0x11D31, 0x11D36, "Lo"), (0x11D3A, 0x11D3A, "Lo"), (0x11D3C, 0x11D3D, "Lo"),
    (0x11D3F, 0x11D45, "Lo"), (0x11D47, 0x11D47, "Lo"), (0x11D90, 0x11D91, "Lo"),
    (0x11D95, 0x11D95, "Lo"), (0x11D97, 0x11D97, "Lo"), (0x11EF3, 0x11EF4, "Lo"),
    (0x11EF7, 0x11EF8, "Lo"), (0x11FFF, 0x11FFF, "Lo"), (0x12FF1, 0x12FF2, "Lo"),
    (0x13430, 0x13438, "Lo"), (0x16E97, 0x16E9A, "Lo"), (0x16F4F, 0x16F4F, "Lo"),
    (0x16FE2, 0x16FE2, "Lo"), (0x16FE4, 0x16FE4, "Lo"), (0x1CF00, 0x1CF2D, "Lo"),
    (0x1CF30, 0x1CF46, "Lo"), (0x1E000, 0x1E006, "Lo"), (0x1E008, 0x1E018, "Lo"),
    (0x1E01B, 0x1E021, "Lo"), (0x1E023, 0x1E024, "Lo"), (0x1E026, 0x1E02A, "Lo"),
    (0x1E130, 0x1E136, "Lo"), (0x1E2AE, 0x1E2AE, "Lo"), (0x1E2EC, 0x1E2EF, "Lo"),
    (0x1E944, 0x1E94A, "Lo"), (0x1E95E, 0x1E95F, "Lo"),
)
_OVERRIDE_STARTS = [lo for lo, _, _ in _CRATE_CATEGORY_OVERRIDES]


# Non-starters (combining class > 0) in Python's tables that the crate's normalization tables
# (an old Unicode release, about 9.0) do not know, so treats as starters: canonical
# reordering never moves them. Found the same way, from " <c>\u0334" for every such c.
_CRATE_STARTER_RANGES: tuple[tuple[int, int], ...] = (
    (0x7FD, 0x7FD), (0x898, 0x89F), (0x8CA, 0x8D3), (0x9FE, 0x9FE), (0xC3C, 0xC3C),
    (0xD3B, 0xD3C), (0xEBA, 0xEBA), (0x1715, 0x1715), (0x1ABF, 0x1ACE), (0x1DF6, 0x1DFA),
    (0xA82C, 0xA82C), (0x10D24, 0x10D27), (0x10EAB, 0x10EAC), (0x10F46, 0x10F50),
    (0x10F82, 0x10F85), (0x11070, 0x11070), (0x1133B, 0x1133B), (0x1145E, 0x1145E),
    (0x11839, 0x1183A), (0x1193D, 0x1193E), (0x11943, 0x11943), (0x119E0, 0x119E0),
    (0x11A34, 0x11A34), (0x11A47, 0x11A47), (0x11A99, 0x11A99), (0x11D42, 0x11D42),
    (0x11D44, 0x11D45), (0x11D97, 0x11D97), (0x16FF0, 0x16FF1), (0x1E130, 0x1E136),
    (0x1E2AE, 0x1E2AE), (0x1E2EC, 0x1E2EF),
)
_CRATE_STARTERS = frozenset(
    chr(cp) for lo, hi in _CRATE_STARTER_RANGES for cp in range(lo, hi + 1)
)


def _category(c: str) -> str:
    """General category of ``c`` as the Rust crate sees it."""
    cp = ord(c)
    k = bisect.bisect_right(_OVERRIDE_STARTS, cp) - 1
    if k >= 0 and cp <= _CRATE_CATEGORY_OVERRIDES[k][1]:
        return _CRATE_CATEGORY_OVERRIDES[k][2]
    return unicodedata.category(c)


def _is_overridden(c: str) -> bool:
    cp = ord(c)
    k = bisect.bisect_right(_OVERRIDE_STARTS, cp) - 1
    return k >= 0 and cp <= _CRATE_CATEGORY_OVERRIDES[k][1]


def _is_whitespace(c: str) -> bool:
    return c in _RUST_WHITESPACE


def _is_control(c: str) -> bool:
    # BertNormalizer: \t \n \r are whitespace, not control; otherwise Cc, Cf or Co.
    if c in "\t\n\r":
        return False
    return _category(c) in ("Cc", "Cf", "Co")


def _is_chinese_char(c: str) -> bool:
    cp = ord(c)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B920 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


def _is_punctuation(c: str) -> bool:
    # BertPreTokenizer: any ASCII punctuation (this includes $ + < = > ^ ` | ~) or Unicode P*.
    if c.isascii():
        return c in '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
    return _category(c).startswith("P")


def _nfd(c: str) -> str:
    return unicodedata.normalize("NFD", c)


def _ccc(c: str) -> int:
    """Canonical combining class as the crate's normalization tables give it."""
    if c in _CRATE_STARTERS:
        return 0
    return unicodedata.combining(c)


# --------------------------------------------------------------------------------------------
# Normalization with alignment tracking. A normalized text is a list of characters, each
# with the (start, end) character span of the original text it comes from.
# --------------------------------------------------------------------------------------------

_Chars = list  # list[str], one code point each
_Aligns = list  # list[tuple[int, int]]


def _nfd_aligned(chars: _Chars, aligns: _Aligns, base: int) -> tuple[_Chars, _Aligns]:
    """NFD over the whole sequence, with the crate's alignment rule.

    Each input char decomposes into a first char (which "replaces" it) and possibly more
    ("inserted" after it). Canonical reordering sorts every run of non-starters by combining
    class, moving chars together with their replaced/inserted flag. Spans are then handed
    out in output order: a replacing char takes the span of the next input char, an inserted
    char repeats the span last handed out ((base, base) if there is none yet).
    """
    items: list[tuple[str, bool]] = []  # (char, inserted)
    for c in chars:
        d = _nfd(c)
        items.append((d[0], False))
        items.extend((x, True) for x in d[1:])
    i, n = 0, len(items)
    while i < n:
        if _ccc(items[i][0]) == 0:
            i += 1
            continue
        j = i
        while j < n and _ccc(items[j][0]) != 0:
            j += 1
        if j - i > 1:
            items[i:j] = sorted(items[i:j], key=lambda it: _ccc(it[0]))
        i = j
    out_c: list[str] = []
    out_a: list[tuple[int, int]] = []
    src = 0
    last = (base, base)
    for ch, inserted in items:
        if not inserted:
            last = aligns[src]
            src += 1
        out_c.append(ch)
        out_a.append(last)
    return out_c, out_a


@dataclass(frozen=True)
class _NormalizerConfig:
    clean_text: bool
    handle_chinese_chars: bool
    strip_accents: bool
    lowercase: bool


def _normalize(text: str, base: int, cfg: _NormalizerConfig) -> tuple[_Chars, _Aligns]:
    chars: list[str] = []
    aligns: list[tuple[int, int]] = []
    for i, c in enumerate(text):
        a = (base + i, base + i + 1)
        if cfg.clean_text:
            if c == "\x00" or c == "\ufffd" or _is_control(c):
                continue
            if _is_whitespace(c):
                c = " "
        if cfg.handle_chinese_chars and _is_chinese_char(c):
            chars.extend((" ", c, " "))
            aligns.extend((a, a, a))
        else:
            chars.append(c)
            aligns.append(a)
    if cfg.strip_accents:
        chars, aligns = _nfd_aligned(chars, aligns, base)
        keep = [k for k, c in enumerate(chars) if _category(c) != "Mn"]
        chars = [chars[k] for k in keep]
        aligns = [aligns[k] for k in keep]
    if cfg.lowercase:
        low_c: list[str] = []
        low_a: list[tuple[int, int]] = []
        for c, a in zip(chars, aligns):
            for d in c.lower():
                low_c.append(d)
                low_a.append(a)
        chars, aligns = low_c, low_a
    return chars, aligns


def _pre_tokenize(chars: _Chars, aligns: _Aligns) -> list[tuple[str, _Aligns]]:
    """Split on whitespace (dropped) and isolate punctuation; returns (word, char spans)."""
    words: list[tuple[str, _Aligns]] = []
    start = None
    for k, c in enumerate(chars):
        if _is_whitespace(c):
            if start is not None:
                words.append(("".join(chars[start:k]), aligns[start:k]))
                start = None
        elif _is_punctuation(c):
            if start is not None:
                words.append(("".join(chars[start:k]), aligns[start:k]))
                start = None
            words.append((c, aligns[k : k + 1]))
        elif start is None:
            start = k
    if start is not None:
        words.append(("".join(chars[start:]), aligns[start:]))
    return words


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoding:
    """One encoded input, special tokens included, no padding.

    ``offsets`` are (start, end) code-point offsets into the original ``text`` (or into
    ``text_pair`` for tokens of the second segment), ``(0, 0)`` for the template's special
    tokens. ``truncated`` is True iff ``max_length`` cut off at least one token.
    """

    input_ids: list[int]
    token_type_ids: list[int]
    tokens: list[str]
    offsets: list[tuple[int, int]]
    truncated: bool


# A token before post-processing: (id, token string, (start, end)).
_Token = tuple


class WordPieceTokenizer:
    """A BERT WordPiece tokenizer configured from a Hugging Face ``tokenizer.json``."""

    def __init__(self, config: dict):
        model = config.get("model") or {}
        if model.get("type") != "WordPiece":
            raise ValueError(f"unsupported model type {model.get('type')!r}, need WordPiece")
        self._vocab: dict[str, int] = dict(model["vocab"])
        self._unk_token: str = model.get("unk_token", "[UNK]")
        if self._unk_token not in self._vocab:
            raise ValueError(f"unk token {self._unk_token!r} is not in the vocab")
        self._unk_id = self._vocab[self._unk_token]
        self._prefix: str = model.get("continuing_subword_prefix", "##")
        self._max_chars: int = int(model.get("max_input_chars_per_word", 100))

        norm = config.get("normalizer")
        if norm is None:
            self._norm = _NormalizerConfig(False, False, False, False)
        elif norm.get("type") == "BertNormalizer":
            lowercase = bool(norm.get("lowercase", True))
            strip = norm.get("strip_accents")
            self._norm = _NormalizerConfig(
                clean_text=bool(norm.get("clean_text", True)),
                handle_chinese_chars=bool(norm.get("handle_chinese_chars", True)),
                strip_accents=lowercase if strip is None else bool(strip),
                lowercase=lowercase,
            )
        else:
            raise ValueError(f"unsupported normalizer {norm.get('type')!r}")

        pre = config.get("pre_tokenizer") or {}
        if pre.get("type") != "BertPreTokenizer":
            raise ValueError(f"unsupported pre_tokenizer {pre.get('type')!r}")

        self._added: dict[str, int] = {}
        for tok in config.get("added_tokens") or []:
            if tok.get("normalized") or tok.get("lstrip") or tok.get("rstrip") or tok.get(
                "single_word"
            ):
                raise ValueError(f"unsupported added token options: {tok!r}")
            if tok["content"]:
                self._added[tok["content"]] = int(tok["id"])
        # Longest first, so that a scan picks the longest token matching at a position.
        self._added_by_len = sorted(self._added, key=len, reverse=True)
        self._added_first_chars = frozenset(t[0] for t in self._added)

        self._single, self._pair = self._parse_post_processor(config.get("post_processor"))

    @classmethod
    def from_file(cls, path) -> "WordPieceTokenizer":
        """Load a tokenizer from a ``tokenizer.json`` path."""
        with open(path, encoding="utf-8") as f:
            return cls(json.load(f))

    # ---- configuration -----------------------------------------------------------------

    def _parse_post_processor(self, pp):
        if pp is None or pp.get("type") != "TemplateProcessing":
            raise ValueError("unsupported post_processor, need TemplateProcessing")
        specials = pp.get("special_tokens") or {}

        def parse(template, allowed):
            items = []
            for piece in template:
                if "SpecialToken" in piece:
                    name = piece["SpecialToken"]["id"]
                    spec = specials[name]
                    for tid, ttok in zip(spec["ids"], spec["tokens"]):
                        items.append(("special", (int(tid), ttok), piece["SpecialToken"]["type_id"]))
                else:
                    seq = piece["Sequence"]["id"]
                    if seq not in allowed:
                        raise ValueError(f"bad sequence id {seq!r} in template")
                    items.append(("seq", seq, piece["Sequence"]["type_id"]))
            return items

        return parse(pp["single"], ("A",)), parse(pp["pair"], ("A", "B"))

    @property
    def vocab_size(self) -> int:
        return len(self._vocab)

    def token_to_id(self, token: str) -> Optional[int]:
        return self._vocab.get(token, self._added.get(token))

    def num_special_tokens(self, pair: bool = False) -> int:
        """How many template tokens ([CLS], [SEP], ...) a single text or a pair gets."""
        template = self._pair if pair else self._single
        return sum(1 for kind, _, _ in template if kind == "special")

    # ---- tokenization ------------------------------------------------------------------

    def _wordpiece(self, word: str, aligns: _Aligns) -> list[_Token]:
        n = len(word)
        if n > self._max_chars:
            return [(self._unk_id, self._unk_token, (aligns[0][0], aligns[-1][1]))]
        pieces: list[_Token] = []
        start = 0
        while start < n:
            end = n
            found = None
            while start < end:
                sub = word[start:end]
                if start > 0:
                    sub = self._prefix + sub
                tid = self._vocab.get(sub)
                if tid is not None:
                    found = (tid, sub, (aligns[start][0], aligns[end - 1][1]))
                    break
                end -= 1
            if found is None:
                return [(self._unk_id, self._unk_token, (aligns[0][0], aligns[-1][1]))]
            pieces.append(found)
            start = end
        return pieces

    def _tokenize_piece(self, text: str, base: int) -> list[_Token]:
        chars, aligns = _normalize(text, base, self._norm)
        out: list[_Token] = []
        for word, word_aligns in _pre_tokenize(chars, aligns):
            out.extend(self._wordpiece(word, word_aligns))
        return out

    def _tokenize(self, text: str) -> list[_Token]:
        """Word pieces of one segment, special tokens of the template not included."""
        out: list[_Token] = []
        if not self._added:
            return self._tokenize_piece(text, 0)
        last = 0
        i = 0
        n = len(text)
        while i < n:
            match = None
            if text[i] in self._added_first_chars:
                for tok in self._added_by_len:
                    if text.startswith(tok, i):
                        match = tok
                        break
            if match is None:
                i += 1
                continue
            if last < i:
                out.extend(self._tokenize_piece(text[last:i], last))
            out.append((self._added[match], match, (i, i + len(match))))
            i += len(match)
            last = i
        if last < n:
            out.extend(self._tokenize_piece(text[last:], last))
        return out

    def encode(
        self, text: str, text_pair: Optional[str] = None, max_length: Optional[int] = None
    ) -> Encoding:
        """Encode ``text`` (and ``text_pair``) with special tokens, without padding.

        ``max_length`` counts every token, special tokens included; ``None`` means no
        truncation. A single text keeps its first ``max_length - 2`` word pieces; a pair is
        cut with Hugging Face's ``longest_first`` rule. Raises ValueError if ``max_length``
        cannot even hold the special tokens.
        """
        is_pair = text_pair is not None
        a = self._tokenize(text)
        b = self._tokenize(text_pair) if is_pair else None
        truncated = False
        if max_length is not None:
            n_special = self.num_special_tokens(is_pair)
            if max_length < n_special:
                raise ValueError(
                    f"max_length={max_length} cannot hold the {n_special} special tokens"
                )
            target = max_length - n_special
            if b is None:
                if len(a) > target:
                    a, truncated = a[:target], True
            else:
                n_a, n_b = _longest_first(len(a), len(b), target)
                if n_a < len(a) or n_b < len(b):
                    truncated = True
                a, b = a[:n_a], b[:n_b]

        ids: list[int] = []
        types: list[int] = []
        toks: list[str] = []
        offs: list[tuple[int, int]] = []
        for kind, value, type_id in self._pair if is_pair else self._single:
            if kind == "special":
                tid, ttok = value
                ids.append(tid)
                toks.append(ttok)
                offs.append((0, 0))
                types.append(type_id)
            else:
                for tid, ttok, off in a if value == "A" else b:
                    ids.append(tid)
                    toks.append(ttok)
                    offs.append(off)
                    types.append(type_id)
        return Encoding(
            input_ids=ids, token_type_ids=types, tokens=toks, offsets=offs, truncated=truncated
        )


def _longest_first(n_a: int, n_b: int, target: int) -> tuple[int, int]:
    """Lengths the two segments keep under ``longest_first`` for ``target`` pieces in all.

    The Rust crate's rule: if both fit, keep both. Otherwise, with s <= l the shorter and
    longer lengths: if the shorter fits in half the budget the longer gets the rest
    (``target - s``), else each gets half and an odd leftover goes to the longer one (to
    the second segment on a tie).
    """
    if n_a + n_b <= target:
        return n_a, n_b
    swap = n_a > n_b
    short, long_ = (n_b, n_a) if swap else (n_a, n_b)
    if short > target:
        long_ = short
    else:
        long_ = max(short, target - short)
    if short + long_ > target:
        short = target // 2
        long_ = short + target % 2
    return (long_, short) if swap else (short, long_)
