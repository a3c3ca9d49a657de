"""Every real-world feed document in ../shared/corpus/feeds parses, or is refused cleanly.

The corpus (about 1,260 documents: every RSS/Atom version, JSON Feed, broken
encodings, HTML and junk) is read in place, never copied. Its INDEX.tsv says
how many entries feedparser itself finds in each document and which format it
is; our parser must find entries wherever feedparser does, and JSON Feeds (which
feedparser cannot read) must give entries too.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.feeds import NotAFeed, parse_feed
from reader.feeds.fast import read_plain_feed
from reader.feeds.xmlfeed import parse_with_feedparser
from reader.text import has_unsafe_characters
from tests.conftest import SHARED, need_shared

CORPUS = SHARED / "corpus" / "feeds"
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")
"""What `clean_text(keep_newlines=True)` must have removed (a fast check for long text)."""

LINKLESS_REAL_FEEDS = {
    # Real feeds whose items carry no link at all (only feed-level or enclosure links).
    "node-feedparser/complexNamespaceFeed.xml",
    "rome/real-world/rss-playlist.xml",
}


@dataclass(frozen=True, slots=True)
class CorpusDocument:
    path: str
    provenance: str
    sniffed_format: str
    feedparser_entries: int


MISSING = CorpusDocument("needs-shared-corpus", "", "", 0)
"""The one parameter when ../shared is missing: its test skips (fails in CI) via need_shared."""


def _index() -> list[CorpusDocument]:
    if not CORPUS.exists():
        return [MISSING]
    with (CORPUS / "INDEX.tsv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        CorpusDocument(
            row["path"], row["provenance"], row["sniffed_format"], int(row["entries"] or 0)
        )
        for row in rows
    ]


DOCUMENTS = _index()


def test_the_corpus_is_there() -> None:
    need_shared("corpus", "feeds")
    assert len(DOCUMENTS) > 1200
    assert sum(doc.sniffed_format.startswith("jsonfeed") for doc in DOCUMENTS) >= 20


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda doc: doc.path)
def test_corpus_document(doc: CorpusDocument) -> None:
    need_shared("corpus", "feeds")
    body = (CORPUS / doc.path).read_bytes()
    url = f"https://corpus.example.test/{doc.path}"
    expects_entries = doc.feedparser_entries > 0 or doc.sniffed_format.startswith("jsonfeed")
    try:
        feed = parse_feed(body, url)
    except NotAFeed as refused:
        assert not expects_entries, f"refused a feed with entries: {refused.message}"
        assert refused.message.startswith("not a feed: ")
        assert not has_unsafe_characters(refused.message)
        return
    if expects_entries:
        assert feed.entries, "no entries came out"
    if doc.feedparser_entries:
        assert len(feed.entries) <= doc.feedparser_entries  # deduplicated, never invented
    assert feed.title and not has_unsafe_characters(feed.title)
    assert feed.kind in ("rss", "atom", "rdf", "json")
    for entry in feed.entries:
        assert entry.title, "an entry without a title"
        assert not has_unsafe_characters(entry.title)
        assert "\n" not in entry.title
        assert not UNSAFE.search(entry.summary), "control or bidi characters in a summary"
        if entry.url is not None:
            assert entry.url.startswith(("http://", "https://")), entry.url
            assert " " not in entry.url
        for stamp in (entry.published, entry.updated):
            assert stamp is None or (len(stamp) == 25 and stamp.endswith("+00:00")), stamp
    if doc.provenance.startswith("real") and feed.entries and doc.path not in LINKLESS_REAL_FEEDS:
        linked = sum(entry.url is not None for entry in feed.entries)
        assert linked >= len(feed.entries) / 2, f"only {linked} of {len(feed.entries)} linked"
    if read_plain_feed(body, url, None) is not None:
        # lxml read it (the fast path): feedparser must give exactly the same result.
        assert feed == parse_with_feedparser(body, url, None)


def test_the_fast_path_reads_most_real_feeds() -> None:
    need_shared("corpus", "feeds")
    real = [
        doc
        for doc in DOCUMENTS
        if doc.provenance.startswith("real")
        and doc.feedparser_entries
        and doc.sniffed_format.startswith(("rss", "atom"))
    ]
    fast = sum(
        read_plain_feed((CORPUS / doc.path).read_bytes(), "https://corpus.example.test/", None)
        is not None
        for doc in real
    )
    assert fast >= len(real) / 2, f"only {fast} of {len(real)} real feeds took the fast path"


def _bodies_that_are(kind: str) -> list[Path]:
    return [CORPUS / doc.path for doc in DOCUMENTS if doc.sniffed_format == kind]


def test_the_html_pages_in_the_corpus_are_refused_as_html() -> None:
    need_shared("corpus", "feeds")
    pages = _bodies_that_are("html") + sorted((CORPUS / "miniflux" / "encoding").glob("*.html"))
    assert pages
    for page in pages:
        with pytest.raises(NotAFeed, match="not a feed: HTML page"):
            parse_feed(page.read_bytes(), "https://corpus.example.test/page")
