"""What one article keeps is bounded: a hostile page cannot make every later step slow."""

from __future__ import annotations

import time

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
