"""Mail parsing and the fixed split of the SpamAssassin corpus."""

import base64
from pathlib import Path

import pytest

from adapler.spam_data import (DEFAULT_CORPUS, DEFAULT_TEST_IDS, html_to_text, label_of, mail_text,
                               read_corpus, split_of)

QP_HTML = """From: a@example.com
Subject: =?iso-8859-1?q?Caf=E9_offer?=
MIME-Version: 1.0
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><head><title>t</title><style>p {color: red}</style></head><body><p>Cr=E8me =
br=FBl=E9e &amp; more</p><script>var x = 1;</script><br>Click&nbsp;here</body></html>
"""

body64 = base64.b64encode("plain words here\n".encode()).decode()
MULTIPART = f"""From: b@example.com
Subject: Re: build
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="XX"

--XX
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

{body64}
--XX
Content-Type: text/html

<p>html twin</p>
--XX
Content-Type: application/octet-stream; name="a.bin"
Content-Disposition: attachment; filename="a.bin"

AAAA
--XX--
"""


def test_quoted_printable_html_mail():
    text = mail_text(QP_HTML)
    assert text.splitlines()[0] == "Café offer"
    assert "Crème brûlée & more" in text and "Click here" in text
    assert "color" not in text and "var x" not in text and "<" not in text


def test_multipart_prefers_plain_text_and_skips_attachments():
    text = mail_text(MULTIPART)
    assert text == "Re: build\nplain words here"


def test_broken_input_does_not_raise():
    assert mail_text("not a mail at all") == "not a mail at all"  # no headers: all body
    assert "unclosed tags ©" in html_to_text("<p>unclosed <b>tags &copy; <")
    assert mail_text("Subject: x\nContent-Type: text/plain; charset=no-such-charset\n\n\xe9t\xe9") == "x\nété"


def test_split_is_a_fixed_function_of_the_raw_message():
    assert split_of("hello") == split_of("hello")
    counts = {"train": 0, "validation": 0, "test": 0}
    for i in range(5000):
        counts[split_of(f"message {i}")] += 1
    assert 0.77 < counts["train"] / 5000 < 0.83
    assert 0.08 < counts["test"] / 5000 < 0.12
    assert label_of("spam-2") == "spam" and label_of("hard-ham-1") == "ham" and label_of("easy-ham-2") == "ham"


@pytest.mark.skipif(not (Path(DEFAULT_CORPUS) / "file_list.json").exists(),
                    reason="corpus not fetched (model/scripts/fetch_spam_corpus.sh)")
def test_committed_test_ids_match_the_corpus():
    ids = [r["id"] for r in read_corpus(DEFAULT_CORPUS) if r["split"] == "test"]
    assert Path(DEFAULT_TEST_IDS).read_text().splitlines() == ids
