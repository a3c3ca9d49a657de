"""End to end through `reader.article.clean()` on fixture articles we wrote ourselves.

Each `tests/data/articles/NAME.html|txt` has a `NAME.json` beside it with the exact
expected subheadings, captions, takeaways, quotes (text, speaker and the heading
of their section) and related links. A quote's `paragraph` must point at the
paragraph holding it. Subheadings leave out the untitled lead section and a
key-points box's own label, whose place in the section list is the page side's
choice (its own section, or none), so the semantic expectations do not hang on it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.article import clean
from reader.article.sections import is_key_points_heading
from reader.model import Article

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
SOURCES = sorted(p for p in ARTICLES.iterdir() if p.suffix in (".html", ".txt"))


def _load(source: Path) -> tuple[Article, dict]:
    expected = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))
    article = clean(source.read_bytes(), url=expected["url"], plain_text=source.suffix == ".txt")
    return article, expected


def test_there_are_enough_fixtures() -> None:
    assert len(SOURCES) >= 7
    assert any(source.suffix == ".txt" for source in SOURCES)


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_sections_and_captions(source: Path) -> None:
    article, expected = _load(source)
    headings = [section.heading for section in article.sections]
    assert None not in headings[1:]  # only the lead may be untitled
    assert [h for h in headings if h is not None and not is_key_points_heading(h)] == expected[
        "headings"
    ]
    assert article.captions == expected["captions"]
    body = " ".join(p for section in article.sections for p in section.paragraphs)
    for caption in article.captions:
        assert caption not in body


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_quotes_and_speakers(source: Path) -> None:
    article, expected = _load(source)
    got = [
        {"text": q.text, "speaker": q.speaker, "heading": article.sections[q.section].heading}
        for q in article.quotes
    ]
    assert got == expected["quotes"]
    for quote in article.quotes:
        paragraph = article.sections[quote.section].paragraphs[quote.paragraph]
        assert quote.text.split()[0] in paragraph


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_takeaways(source: Path) -> None:
    article, expected = _load(source)
    assert article.takeaways == expected["takeaways"]
    assert 0 < len(article.takeaways) <= 6


@pytest.mark.parametrize("source", SOURCES, ids=[s.name for s in SOURCES])
def test_related(source: Path) -> None:
    article, expected = _load(source)
    assert [{"title": r.title, "url": r.url} for r in article.related] == expected["related"]


def test_reference_story_attribution_shapes() -> None:
    """The issue's reference story: every attribution shape gets its clean speaker."""
    article, _ = _load(ARTICLES / "presidents_call.html")
    speakers = {q.text.split()[0]: q.speaker for q in article.quotes}
    assert speakers["frank"] == "the Kremlin"  # X described ... as "..."
    assert speakers["will"] == "Yuri Ushakov"  # He told reporters that ... "..."
    assert speakers["I"] == "Volodymyr Zelenskyy"  # "...," Mr. Zelenskyy said.
    assert speakers["exclusively"] == "Yuri Ushakov"  # According to Mr. Ushakov, ...
    assert article.captions == ["Russian President Vladimir Putin speaks in Moscow"]
    assert article.related[0].title == "the US pause in weapons shipments to Ukraine"
    assert any(t.startswith("Key takeaways from the call include") for t in article.takeaways)
