"""Fuzzing the parsers and the engine with hypothesis, bounded to run in seconds.

Inputs: random bytes; real feeds, OPML files and article pages from
../shared/corpus mutated with hostile edits (bit flips, cuts, repeats, escape
sequences, entity tricks, stray CDATA ends); random JSON Feed documents; random
text with unbalanced quote marks; 10,000 nested elements; very long lines.
Properties: the feed and OPML parsers return data or raise `ReaderError` (never
anything else); `clean()` never raises; whatever comes out holds no escape
sequence, control character or bidi override; each example stays within a time
and memory budget. `RELIABILITY_FUZZ_SCALE=N` multiplies the example counts (and
turns off derandomisation) for a longer run:
`RELIABILITY_FUZZ_SCALE=20 .venv/bin/python -m pytest -q tests/reliability/test_fuzz.py`;
bench/fuzz_atheris.py is the coverage-guided counterpart.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import random
import time
import tracemalloc
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.article import clean
from reader.errors import ReaderError
from reader.feeds import MAX_TITLE, ParsedFeed, parse_feed, parse_opml
from reader.model import Article
from reader.text import has_unsafe_characters
from tests.conftest import SHARED, need_shared

FEEDS = SHARED / "corpus" / "feeds"
ARTICLES = SHARED / "corpus" / "articles"
URL = "https://fuzz.test/feed"
SCALE = max(1, int(os.environ.get("RELIABILITY_FUZZ_SCALE", "1")))
SECONDS_PER_EXAMPLE = 10.0
"""Generous: the machine is shared; a parser stuck in a loop takes far longer."""
PEAK_BYTES = 200 * 2**20


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        derandomize=SCALE == 1,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


T = TypeVar("T")


def _bounded(run: Callable[[], T], *, memory: bool = False) -> T:
    """Run one example within the time (and, if asked, memory) budget."""
    if memory:
        tracemalloc.start()
    started = time.monotonic()
    try:
        result = run()
        peak = tracemalloc.get_traced_memory()[1] if memory else 0
    finally:
        if memory:
            tracemalloc.stop()
    seconds = time.monotonic() - started
    assert seconds < SECONDS_PER_EXAMPLE, f"{seconds:.1f} s"
    assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MB"
    return result


# ------------------------------------------------------------------ inputs


@cache
def _corpus_feeds() -> tuple[Path, ...]:
    """Real feed documents (every format, encodings, JSON Feed) under 40 kB."""
    need_shared("corpus", "feeds")
    with (FEEDS / "INDEX.tsv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    chosen = [
        FEEDS / row["path"]
        for row in rows
        if row["provenance"].startswith("real") and int(row["bytes"]) < 40_000
    ]
    assert len(chosen) > 50
    return tuple(chosen)


@cache
def _corpus_opml() -> tuple[Path, ...]:
    need_shared("corpus", "feeds")
    found = tuple(sorted(FEEDS.rglob("*.opml")))
    assert found
    return found


@cache
def _corpus_pages() -> tuple[Path, ...]:
    """Real article pages small enough to clean in well under a second."""
    need_shared("corpus", "articles")
    pages = [p for p in ARTICLES.rglob("source.html") if p.stat().st_size < 60_000]
    pages += [p for p in ARTICLES.rglob("*.html.gz") if p.stat().st_size < 15_000]
    assert len(pages) > 40
    return tuple(sorted(pages))


def _read(path: Path) -> bytes:
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as handle:
            return handle.read()
    return path.read_bytes()


HOSTILE = [
    b"\x1b]0;pwned\x07",
    b"\x1b[2J",
    b"\x1b]52;c;ZXZpbA==\x07",
    b"\x00",
    b"\x07",
    "\u202e".encode(),
    "\u2066".encode(),
    b"&#x1b;[31m",
    b"&#27;",
    b"&#0;",
    b"&#x202e;",
    b"]]>",
    b"<![CDATA[",
    b"&amp;amp;lt;",
    b"&lt;script&gt;",
    b"[bold red]",
    b"[/",
    b"<!DOCTYPE rss [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>",
    b"&b;",
    b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
    b"&x;",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<",
    b">",
    b"&",
    b'"',
    b"'",
    b"\xe2\x80\x9c",
    b"<item>",
    b"</channel>",
    b"<entry>",
    b"<title>",
    b"</title>",
    b"<link>javascript:alert(1)</link>",
    b"\r",
    b"\xc3",
    b"&#55296;",
    b"&#xDFFF;",
    b"&#x110000;",
]
"""Snippets a mutation may insert: escapes, controls, bidi, entity tricks, stray syntax."""

_MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 2**24), st.integers(0, 255)),
    st.tuples(st.just("cut"), st.integers(0, 2**24), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 2**24), st.integers(0, len(HOSTILE) - 1)),
    st.tuples(st.just("repeat"), st.integers(0, 2**24), st.integers(2, 200)),
    st.tuples(st.just("delete"), st.integers(0, 2**24), st.integers(1, 400)),
)


def _mutate(data: bytes, mutations: list[tuple[str, int, int]]) -> bytes:
    for kind, position, value in mutations:
        at = position % (len(data) + 1)
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([value]) + data[at + 1 :]
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data = data[:at] + HOSTILE[value] + data[at:]
        elif kind == "repeat":
            piece = data[at : at + 64]
            data = data[:at] + piece * value + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + value :]
    return data


CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/rss+xml",
        "application/atom+xml",
        "text/xml",
        "application/xml",
        "text/html",
        "application/feed+json",
        "application/json",
        "text/plain; charset=utf-8",
        "application/rss+xml; charset=iso-8859-1",
        "application/xml; charset=bogus-8",
    ]
)


# ------------------------------------------------------------------ checks


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _check_feed(parsed: ParsedFeed) -> None:
    assert isinstance(parsed, ParsedFeed)
    assert not has_unsafe_characters(parsed.title)
    for entry in parsed.entries:
        for text in (entry.title, entry.summary, entry.author or ""):
            assert not has_unsafe_characters(text), text
        assert len(entry.title) <= MAX_TITLE
        assert entry.url is None or entry.url.startswith(("http://", "https://"))


def _parse(body: bytes, content_type: str | None) -> None:
    """parse_feed gives a clean feed or a ReaderError, within budget."""

    def run() -> ParsedFeed | None:
        try:
            return parse_feed(body, URL, content_type)
        except ReaderError as error:
            assert error.message and "\n" not in error.message
            return None

    parsed = _bounded(run)
    if parsed is not None:
        _check_feed(parsed)


def _check_article(article: Article) -> None:
    assert isinstance(article, Article)
    document = article.to_json()
    json.dumps(document)
    unsafe = [text for text in _strings(document) if has_unsafe_characters(text)]
    assert unsafe == [], unsafe[:3]


# ------------------------------------------------------------------ feeds


@_settings(150)
@given(body=st.binary(max_size=4096), content_type=CONTENT_TYPES)
def test_feed_parser_on_random_bytes(body: bytes, content_type: str | None) -> None:
    _parse(body, content_type)


@_settings(60)
@given(
    index=st.integers(0, 10**6),
    mutations=st.lists(_MUTATION, min_size=1, max_size=6),
    content_type=CONTENT_TYPES,
)
def test_feed_parser_on_mutated_real_feeds(
    index: int, mutations: list[tuple[str, int, int]], content_type: str | None
) -> None:
    feeds = _corpus_feeds()
    _parse(_mutate(_read(feeds[index % len(feeds)]), mutations), content_type)


_JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=40)
    | st.sampled_from([h.decode("latin-1") for h in HOSTILE]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
_JSON_ITEM = st.fixed_dictionaries(
    {},
    optional={
        "id": _JSON_VALUE,
        "url": st.one_of(_JSON_VALUE, st.just("/relative/path"), st.just("javascript:alert(1)")),
        "title": _JSON_VALUE,
        "content_html": _JSON_VALUE,
        "content_text": _JSON_VALUE,
        "summary": _JSON_VALUE,
        "date_published": st.one_of(_JSON_VALUE, st.just("2025-13-45")),
        "authors": _JSON_VALUE,
        "author": _JSON_VALUE,
        "external_url": _JSON_VALUE,
    },
)


@_settings(80)
@given(
    document=st.fixed_dictionaries(
        {
            "version": st.sampled_from(
                ["https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1", "bogus"]
            )
        },
        optional={
            "title": _JSON_VALUE,
            "home_page_url": _JSON_VALUE,
            "feed_url": _JSON_VALUE,
            "items": st.one_of(st.lists(_JSON_ITEM, max_size=6), _JSON_VALUE),
        },
    ),
    content_type=st.sampled_from([None, "application/feed+json", "application/json"]),
)
def test_json_feed_parser_on_random_documents(
    document: dict[str, Any], content_type: str | None
) -> None:
    _parse(json.dumps(document).encode(), content_type)


# ------------------------------------------------------------------ OPML


@_settings(120)
@given(index=st.integers(0, 10**6), mutations=st.lists(_MUTATION, max_size=6))
def test_opml_import_on_mutated_real_files(
    index: int, mutations: list[tuple[str, int, int]]
) -> None:
    files = _corpus_opml()
    data = _mutate(_read(files[index % len(files)]), mutations)

    def run() -> None:
        try:
            outlines = parse_opml(data, "fuzz.opml")
        except ReaderError as error:
            assert error.message and "\n" not in error.message and error.where == "fuzz.opml"
            return
        for outline in outlines:
            assert isinstance(outline.url, str)

    _bounded(run)


# ------------------------------------------------------------------ the article engine


@_settings(30)
@given(
    index=st.integers(0, 10**6), mutations=st.lists(_MUTATION, max_size=5), as_bytes=st.booleans()
)
def test_engine_on_mutated_real_pages(
    index: int, mutations: list[tuple[str, int, int]], as_bytes: bool
) -> None:
    pages = _corpus_pages()
    page = _mutate(_read(pages[index % len(pages)]), mutations)
    source: str | bytes = page if as_bytes else page.decode("utf-8", "replace")
    _check_article(_bounded(lambda: clean(source, "https://news.fuzz.test/story")))


_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a\u2039\u203a\u300c\u300d"
_WORDS = st.sampled_from(
    [
        "said",
        "told",
        "reporters",
        "Mr.",
        "Ushakov",
        "she",
        "he",
        "according",
        "to",
        "the",
        "Kremlin",
        "added",
        ":",
        ",",
        ".",
        "\n\n",
        "\n",
        "Key",
        "takeaways",
        "For",
        "more",
        "on",
        "read",
        "this",
        "related",
        "article",
        "Putin",
        "Zelenskyy",
        "[/",
        "[b]",
    ]
)
_QUOTED_TEXT = st.lists(
    st.one_of(_WORDS, st.sampled_from(list(_QUOTE_MARKS)), st.text(max_size=12)), max_size=300
).map(" ".join)


@_settings(60)
@given(text=_QUOTED_TEXT, as_html=st.booleans())
def test_engine_on_text_with_unbalanced_quote_marks(text: str, as_html: bool) -> None:
    if as_html:
        paragraphs = "".join(f"<p>{part}</p>" for part in text.split("\n\n"))
        article = _bounded(
            lambda: clean(
                f"<html><body><article>{paragraphs}</article></body></html>", "https://q.fuzz.test/"
            )
        )
    else:
        article = _bounded(lambda: clean(text, plain_text=True))
    _check_article(article)


NESTING = 10_000


@pytest.mark.parametrize("tag", ["div", "blockquote", "b", "span", "table", "q", "li"])
def test_engine_survives_ten_thousand_nested_elements(tag: str) -> None:
    opening = "<ul>" if tag == "li" else ""
    inner = (
        f"<{tag}>" * NESTING
        + "Deep text, said Ann Lee, the harbour master."
        + (f"</{tag}>" * NESTING if tag != "b" else "")
    )  # unclosed <b>: a common break
    page = (
        f"<html><body><article><h1>Nested</h1><p>Lead paragraph of the story, long "
        f"enough to be kept.</p>{opening}{inner}</article></body></html>"
    )
    _check_article(_bounded(lambda: clean(page, "https://deep.fuzz.test/"), memory=True))


def test_feed_parsers_survive_ten_thousand_nested_elements() -> None:
    nested = b"<x>" * NESTING + b"deep" + b"</x>" * NESTING
    documents = [
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item>"
        b"<title>a</title><link>http://a.test/</link><description>"
        + nested
        + b"</description></item></channel></rss>",
        b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>"
        b"<entry><title>a</title>" + nested + b"</entry></feed>",
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item><title>a"
        b"</title><description><![CDATA[" + b"<div>" * NESTING + b"]]></description>"
        b"</item></channel></rss>",
        b"[" * NESTING + b"]" * NESTING,
        b'{"version": "https://jsonfeed.org/version/1.1", "items": '
        + b"[" * NESTING
        + b"]" * NESTING
        + b"}",
    ]
    for body in documents:  # time-bounded by _parse (tracing memory makes feedparser 8x slower)
        _parse(body, None)
    opml = (
        b"<opml version='2.0'><body>"
        + b"<outline text='f'>" * NESTING
        + b"<outline xmlUrl='http://a.test/f'/>"
        + b"</outline>" * NESTING
        + b"</body></opml>"
    )

    def import_deep() -> None:
        try:
            parse_opml(opml, "deep.opml")
        except ReaderError as error:
            assert "\n" not in error.message

    _bounded(import_deep, memory=True)


def _prose(words: int, seed: int = 7) -> str:
    """Non-repeating prose (a repeated phrase would read as a glued caption)."""
    rng = random.Random(seed)
    vocabulary = [
        "harbour",
        "board",
        "minister",
        "council",
        "storm",
        "ferry",
        "budget",
        "election",
        "union",
        "port",
        "vote",
        "tariff",
        "drought",
        "rail",
        "strike",
        "pension",
        "summit",
        "treaty",
    ]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


@pytest.mark.parametrize(
    "shape",
    ["long-paragraph", "one-long-word", "long-title", "many-quote-marks", "long-plain-text-line"],
)
def test_engine_on_very_long_lines(shape: str) -> None:
    if shape == "long-paragraph":  # about 200 kB in one line
        page = f"<html><body><article><p>{_prose(30_000)}.</p></article></body></html>"
    elif shape == "one-long-word":
        page = f"<html><body><article><p>{'x' * 500_000}</p></article></body></html>"
    elif shape == "long-title":
        page = f"<html><head><title>{_prose(20_000)}</title></head><body><p>Body.</p></body>"
    elif shape == "many-quote-marks":
        page = (
            "<html><body><article><p>"
            + "\u201c said Ann " * 20_000
            + "</p><p>"
            + '" x ' * 20_000
            + "</p></article></body></html>"
        )
    else:
        page = _prose(30_000) + "\n\nSecond paragraph."
    plain = shape == "long-plain-text-line"
    _check_article(
        _bounded(lambda: clean(page, "https://long.fuzz.test/", plain_text=plain), memory=True)
    )


def test_feed_parser_on_very_long_lines() -> None:
    title = _prose(100_000).encode()
    body = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>"
        + title
        + b"</title><item><title>"
        + title
        + b"</title><link>http://a.test/"
        + b"x" * 100_000
        + b"</link><description>"
        + title * 3
        + b"</description></item></channel></rss>"
    )
    parsed = _bounded(lambda: parse_feed(body, URL, "application/rss+xml"), memory=True)
    _check_feed(parsed)
    assert len(parsed.title) <= MAX_TITLE or not parsed.title
