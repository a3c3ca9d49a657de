"""Property tests: the engine never raises and always returns the documented shape.

Inputs mix HTML tags, quote marks (curly, straight, guillemets, unbalanced),
reporting verbs, names, labels and control characters, which is where the
semantic passes could trip. Bounded so the whole file runs in a few seconds.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.article import clean
from reader.article.document import Anchor, Block, Document, DraftSection
from reader.article.quotes import find_quotes
from reader.article.related import find_related
from reader.article.takeaways import pick_takeaways
from reader.model import Article

WORDS = [
    "“",
    "”",
    '"',
    "«",
    "»",
    "„",
    "‘",
    "’",
    "said",
    "Mr.",
    "Ushakov",
    "Yuri",
    "he",
    "she",
    "the Kremlin",
    "according to",
    "told reporters",
    "For more on",
    "read this related article",
    "Related:",
    "See also:",
    "Key points",
    ",",
    ".",
    ":",
    "U.S.",
    "\x1b[31m",
    "\u202e",
    "\x00",
    "a",
    "spokesperson",
    "for",
    "the",
    "ministry",
    "added",
    "\n\n",
    "Summary",
    "—",
]
TAGS = [
    "<p>",
    "</p>",
    "<h2>",
    "</h2>",
    "<ul><li>",
    "</li></ul>",
    "<blockquote>",
    "</blockquote>",
    "<figure><img alt='Photo'><figcaption>",
    "</figcaption></figure>",
    "<a href='/x'>",
    "</a>",
    "<aside class='pullquote'>",
    "</aside>",
    "<nav>",
    "</nav>",
    "<div class='related'>",
    "</div>",
    "<h3>More on this story</h3>",
    "<br>",
    "<script>x</script>",
    "<!--",
    "-->",
    "<",
]

text_pieces = st.one_of(st.sampled_from(WORDS), st.text(max_size=12))
prose = st.lists(text_pieces, max_size=40).map(" ".join)
html = st.lists(st.one_of(st.sampled_from(TAGS), text_pieces), max_size=60).map("".join)
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _check_shape(article: Article) -> None:
    data = article.to_json()
    json.dumps(data)
    assert isinstance(data["title"], str)
    assert all(isinstance(s["paragraphs"], list) for s in data["sections"])
    assert all(isinstance(t, str) and t for t in article.takeaways)
    for quote in article.quotes:
        assert quote.text and 0 <= quote.section < len(article.sections)
        assert 0 <= quote.paragraph < len(article.sections[quote.section].paragraphs)
        assert quote.speaker is None or 0 < len(quote.speaker.split()) <= 10
    for link in article.related:
        assert link.title
        assert link.url is None or link.url.startswith(("http://", "https://"))


@PROPERTY_SETTINGS
@given(html)
def test_clean_never_raises_on_html(page: str) -> None:
    _check_shape(clean(page, url="https://news.example/a/story"))


@PROPERTY_SETTINGS
@given(st.binary(max_size=300))
def test_clean_never_raises_on_bytes(page: bytes) -> None:
    _check_shape(clean(page))


@PROPERTY_SETTINGS
@given(prose)
def test_clean_never_raises_on_plain_text(text: str) -> None:
    _check_shape(clean(text, plain_text=True))


block_kinds = st.sampled_from(["paragraph", "list_item", "blockquote", "pullquote", "embed"])
blocks = st.builds(
    lambda text, kind, linked: Block(
        text,
        kind,
        [Anchor(text[:8], "https://n.example/r", 0)] if linked else [],
        1 if kind == "list_item" else None,
    ),
    prose,
    block_kinds,
    st.booleans(),
)
documents = st.builds(
    lambda title, sections, description, points: Document(
        title=title,
        sections=[DraftSection(h, 2, b) for h, b in sections],
        description=description,
        key_points=points,
        url="https://n.example/a",
    ),
    prose,
    st.lists(st.tuples(st.one_of(st.none(), prose), st.lists(blocks, max_size=6)), max_size=4),
    st.one_of(st.none(), prose),
    st.one_of(st.none(), st.lists(prose, max_size=3)),
)


@PROPERTY_SETTINGS
@given(documents)
def test_semantic_passes_never_raise_on_documents(document: Document) -> None:
    printed = [
        [b for b in s.blocks if b.kind in ("paragraph", "list_item", "blockquote")]
        for s in document.sections
    ]
    for quote in find_quotes(document):
        assert quote.text
        assert 0 <= quote.paragraph < len(printed[quote.section])
    takeaways = pick_takeaways(document)
    assert document.key_points or len(takeaways) <= 6
    assert len(set(takeaways)) == len(takeaways)
    for link in find_related(document):
        assert link.url is None or link.url.startswith("https://")


def test_unbalanced_quotes_never_swallow_the_article() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story about the harbour goes on here.</p>" for n in range(40)
    )
    page = (
        f"<html><body><article><p>The mayor said “this quote never closes at all</p>"
        f"{paragraphs}</article></body></html>"
    )
    article = clean(page)
    assert all(len(quote.text) < 200 for quote in article.quotes)
