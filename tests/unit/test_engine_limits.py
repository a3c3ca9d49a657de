"""What one article keeps is bounded: a hostile page cannot make every later step slow."""

from __future__ import annotations

import time
from pathlib import Path

from reader.article import clean
from reader.article.document import (
    MAX_BLOCK_TEXT,
    MAX_BLOCKS,
    MAX_CAPTION,
    MAX_TITLE,
)


def test_huge_title_caption_and_paragraph_count_are_cut() -> None:
    title = "Harbour " * 100_000
    paragraphs = "".join(f"<p>Paragraph {n} about the harbour wall.</p>" for n in range(12_000))
    caption = "A crane at dawn " * 5_000
    giant = "word " * 10_000
    page = (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<figure><img src='a.jpg'><figcaption>{caption}</figcaption></figure>"
        f"<p>{giant}</p>{paragraphs}</article></body></html>"
    )
    started = time.monotonic()
    article = clean(page, "https://example.test/story")
    assert time.monotonic() - started < 60
    assert len(article.title) <= MAX_TITLE and article.title.endswith("…")
    assert all(len(caption) <= MAX_CAPTION for caption in article.captions)
    blocks = [p for section in article.sections for p in section.paragraphs]
    assert 0 < len(blocks) <= MAX_BLOCKS
    assert all(len(block) <= MAX_BLOCK_TEXT for block in blocks)


def test_cut_after_keeps_the_first_elements_in_document_order() -> None:
    import lxml.html

    from reader.article.page import cut_after

    tree = lxml.html.document_fromstring(
        "<html><body><div><p>one</p><p>two</p></div><section><p>three</p></section>"
        "<p>four</p></body></html>"
    )
    assert not cut_after(tree, 100)
    assert cut_after(tree, 5)  # html, body, div, p, p
    assert [e.tag for e in tree.iter()] == ["html", "body", "div", "p", "p"]
    assert tree.text_content() == "onetwo"


def test_a_page_of_a_million_tiny_paragraphs_is_read_only_to_its_cap(tmp_path: Path) -> None:
    """Past MAX_ELEMENTS nothing is read: `reader article` on 10 MB of `<p>a</p>` peaked
    at 1.3 GB and 37 s before the cut; it stays under 700 MB (about 400 here)."""
    import os
    import subprocess
    import sys

    page = tmp_path / "tiny.html"
    page.write_text("<html><body><article>" + "<p>a</p>" * 1_240_000 + "</article></body></html>")
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "reader", "article", "--json", str(page)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak, no other's
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, errors.read_text()[-500:]
    peak_mb = usage.ru_maxrss / 1024
    assert peak_mb < 700, f"{peak_mb:.0f} MB"
