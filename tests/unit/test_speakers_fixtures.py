"""Whole invented articles with every quote's expected speaker and role (tests/data/quotes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.article.document import Block, Document, DraftSection
from reader.article.quotes import find_quotes

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "quotes"
ARTICLES = sorted(FIXTURES.glob("*.json")) + sorted((FIXTURES / "heldout").glob("*.json"))


def test_there_are_enough_annotated_articles() -> None:
    assert len(ARTICLES) >= 10


@pytest.mark.parametrize("path", ARTICLES, ids=[path.stem for path in ARTICLES])
def test_every_quote_has_its_speaker_and_role(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    blocks = [
        Block(p) if isinstance(p, str) else Block(p["text"], p["kind"]) for p in data["paragraphs"]
    ]
    found = find_quotes(Document(title=data["title"], sections=[DraftSection(None, 1, blocks)]))
    got = [(q.text, q.speaker, q.speaker_role) for q in found]
    assert len(found) == len(data["quotes"]), got
    for quote, want in zip(found, data["quotes"], strict=True):
        assert want["text"] in quote.text, (want, got)
        assert (quote.speaker, quote.speaker_role) == (want["speaker"], want["role"]), quote.text
