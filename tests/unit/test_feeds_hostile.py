"""Hostile feeds found by the outside attack (issue 9): entity bombs past the old guard,
feeds cut short, links a fetch could not use, OPML files past the cap.

Every bomb is built here, small, and parsed under a time and memory bound; the
library tests run the real refresh against a loopback server into a real SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.feeds import NotAFeed, ParsedFeed, parse_feed, parse_opml
from reader.feeds.opml import MAX_FEEDS
from reader.feeds.xmlfeed import parse_with_feedparser
from reader.library import Library
from tests.loopback import LoopbackServer, Response

FEED_URL = "https://harbour.example.test/feed.xml"
RSS = "application/rss+xml"
LEVELS = 7
"""Seven levels of ten: "lol" a million times (3 MB) if anything expands it."""


def bomb(*, encoding: str = "utf-8", padding: str = "", separator: str = "\n") -> bytes:
    """A billion-laughs RSS document with one item, `padding` inside a comment before the DOCTYPE."""
    declarations = ['<!ENTITY e0 "lol">'] + [
        f'<!ENTITY e{level} "{f"&e{level - 1};" * 10}">' for level in range(1, LEVELS)
    ]
    document = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<!--{padding}-->\n'
        f"<!DOCTYPE rss [{separator.join(declarations)}]>\n"
        '<rss version="2.0"><channel><title>Harbour news</title>'
        f"<item><title>Tide &e{LEVELS - 1}; report</title>"
        "<link>https://harbour.example.test/tide</link></item></channel></rss>"
    )
    return document.encode(encoding)


BOMBS = {
    "ebcdic": bomb(encoding="cp037", padding=" <a> "),
    "ebcdic-one-line": bomb(encoding="cp037", padding=" <a> ", separator=""),
    "late-doctype": bomb(padding=" <a> " + "x" * 70_000),
    "late-doctype-one-line": bomb(padding=" <a> " + "x" * 70_000, separator=""),
    "late-doctype-plain-padding": bomb(padding="x" * 70_000),
    "utf-16": bomb(encoding="utf-16", padding=" <a> "),
    "utf-16-late": bomb(encoding="utf-16", padding=" <a> " + "x" * 70_000),
}


@pytest.fixture(scope="module", autouse=True)
def _imports_done() -> None:
    """feedparser, chardet and the EBCDIC codec imported before anything is timed."""
    ebcdic = '<?xml version="1.0" encoding="cp037"?><rss version="2.0"><channel><title>x'
    for body in (ebcdic.encode("cp037"), b"<rss><channel><title>a & b</title><item>"):
        with contextlib.suppress(NotAFeed):
            parse_feed(body, FEED_URL)


def bounded_parse(body: bytes) -> tuple[ParsedFeed | NotAFeed, float, int]:
    """(feed or the refusal, CPU seconds, peak traced MB) of one parse."""
    tracemalloc.start()
    start = time.process_time()
    try:
        result: ParsedFeed | NotAFeed = parse_feed(body, FEED_URL, "application/rss+xml")
    except NotAFeed as refused:
        result = refused
    seconds = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


@pytest.mark.parametrize("name", list(BOMBS))
def test_entity_bombs_are_never_expanded(name: str) -> None:
    result, seconds, peak = bounded_parse(BOMBS[name])
    # Expanded, the title alone is 3 MB and the parse takes seconds and tens of MB.
    assert seconds < 1.0, f"{name}: {seconds:.2f} s of CPU"
    assert peak < 10, f"{name}: {peak:.0f} MB"
    if isinstance(result, NotAFeed):
        assert result.message == (
            "not a feed: entity declarations refused (possible billion-laughs attack)"
        )
        assert "\n" not in str(result)
    else:
        assert all("lollol" not in entry.title for entry in result.entries)
        assert all(len(entry.title) < 100 for entry in result.entries)
        assert result.warning is not None and "entity" in result.warning


def test_a_doctype_past_the_first_kilobytes_is_left_to_the_guarded_path() -> None:
    from reader.feeds.fast import read_plain_feed

    body = (
        '<?xml version="1.0"?><!--' + "x" * 8000 + '--><!DOCTYPE rss [<!ENTITY co "Acme">]>'
        '<rss version="2.0"><channel><title>Harbour</title>'
        "<item><title>Tide</title><link>https://harbour.example.test/t</link></item>"
        "</channel></rss>"
    ).encode()
    assert read_plain_feed(body, FEED_URL, None) is None
    assert [entry.title for entry in parse_feed(body, FEED_URL).entries] == ["Tide"]


def test_a_long_entity_value_cannot_multiply_the_document() -> None:
    """One level but a long value, referenced many times: quadratic, not exponential."""
    value = "harbour " * 2000
    references = "&big;" * 20_000
    body = (
        f'<?xml version="1.0"?>\n<!-- <a> -->\n<!DOCTYPE rss [<!ENTITY big "{value}">]>\n'
        f'<rss version="2.0"><channel><title>T</title><item><title>x</title>'
        f"<description>{references}</description>"
        "<link>https://harbour.example.test/1</link></item></channel></rss>"
    ).encode()
    result, seconds, peak = bounded_parse(body)
    assert seconds < 1.0 and peak < 40, (seconds, peak)
    assert isinstance(result, NotAFeed) or all(
        "harbour harbour" not in entry.summary for entry in result.entries
    )


def test_a_short_entity_used_too_often_is_not_expanded() -> None:
    """Each use is within bounds, but 40,000 uses would add 1.3 MB: the DOCTYPE goes."""
    value = "y" * 32
    body = (
        f'<?xml version="1.0"?>\n<!-- <a> --><!DOCTYPE rss [<!ENTITY w "{value}">]>\n'
        '<rss version="2.0"><channel><title>T</title><item><title>x</title>'
        f"<description>{'&w; ' * 40_000}</description>"
        "<link>https://harbour.example.test/1</link></item></channel></rss>"
    ).encode()
    result, seconds, peak = bounded_parse(body)
    assert seconds < 5.0 and peak < 40, (seconds, peak)
    assert isinstance(result, ParsedFeed)
    assert value not in result.entries[0].summary
    assert result.warning is not None and "entity declarations refused" in result.warning


def test_short_plain_entities_still_work_in_every_position() -> None:
    for padding in ("", "x" * 70_000, " <a> " + "x" * 70_000):
        body = (
            f'<?xml version="1.0"?>\n<!--{padding}-->'
            '<!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY co "Acme">]>'
            '<rss version="2.0"><channel><title>&co;&nbsp;news</title>'
            "<item><title>&co; report</title><guid>1</guid></item></channel></rss>"
        ).encode()
        feed = parse_feed(body, FEED_URL)
        assert (feed.title, feed.entries[0].title, feed.warning) == (
            "Acme news",
            "Acme report",
            None,
        )


def test_a_parse_past_its_cpu_budget_is_refused_in_one_line() -> None:
    # Malformed, so feedparser's slow loose parser reads it; a budget of 0 s ends it at once.
    items = "".join(
        f"<item><title>Story {n}</title><link>https://harbour.example.test/{n}</link></item>"
        for n in range(300)
    )
    body = f'<rss version="2.0"><channel><title>A & B</title>{items}</channel></rss>'.encode()
    assert len(parse_with_feedparser(body, FEED_URL, None).entries) == 300
    with pytest.raises(NotAFeed) as refused:
        parse_with_feedparser(body, FEED_URL, None, cpu_seconds=0.0)
    assert refused.value.message == "not a feed: took more than 0 s to parse"


def test_a_document_past_the_size_cap_is_refused() -> None:
    from reader.feeds import MAX_DOCUMENT

    body = b'<rss version="2.0"><channel><title>T</title>' + b" " * MAX_DOCUMENT
    with pytest.raises(NotAFeed) as refused:
        parse_feed(body, FEED_URL)
    assert refused.value.message == "not a feed: larger than 16 MB"


# --------------------------------------------------------------------------- cut short

GOOD_ITEMS = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Harbour</title>\n'
    "<item><title>Ferry back</title><link>https://harbour.example.test/ferry</link></item>\n"
    "<item><title>Crane fixed</title><link>https://harbour.example.test/crane</link></item>\n"
)


@pytest.mark.parametrize(
    "tail", ["<item><ti", "<item><title>Gulls ret", "<item>", "<it", "<item><description>half"]
)
def test_a_feed_cut_inside_an_item_keeps_the_good_entries_and_says_so(tail: str) -> None:
    feed = parse_feed((GOOD_ITEMS + tail).encode(), FEED_URL)
    assert [entry.title for entry in feed.entries] == ["Ferry back", "Crane fixed"]
    assert feed.warning is not None
    assert feed.warning.startswith("the feed is cut short (")
    assert feed.warning.endswith("read the 2 entries before the cut")


def test_a_cut_item_that_has_a_link_is_kept() -> None:
    tail = "<item><title>Gulls return</title><link>https://harbour.example.test/gulls</link><desc"
    feed = parse_feed((GOOD_ITEMS + tail).encode(), FEED_URL)
    assert [entry.title for entry in feed.entries][-1] == "Gulls return"
    assert feed.warning is not None and "cut short" in feed.warning


def test_untitled_linkless_items_of_a_whole_feed_are_not_dropped() -> None:
    body = GOOD_ITEMS + "<item><description>Only a note</description></item></channel></rss>"
    feed = parse_feed(body.encode(), FEED_URL)
    assert len(feed.entries) == 3 and feed.warning is None


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    opened = Library(tmp_path / "data", timeout=2, deadline=4)
    yield opened
    opened.close()


def test_the_library_records_that_a_feed_was_cut_short(
    library: Library, loopback: LoopbackServer
) -> None:
    whole = GOOD_ITEMS + "</channel></rss>"
    loopback.routes["/feed"] = Response(whole, content_type=RSS)
    feed = asyncio.run(library.add_feed(loopback.url("/feed")))
    assert feed.last_error is None
    loopback.routes["/feed"] = Response(
        GOOD_ITEMS + "<item><ti", content_type="application/rss+xml"
    )
    asyncio.run(library.refresh())
    feed = library.feed(feed.id)
    assert feed.last_error is not None and feed.last_error.startswith("the feed is cut short")
    titles = sorted(entry.title for entry in library.entries(feed_id=feed.id))
    assert titles == ["Crane fixed", "Ferry back"]
    loopback.routes["/feed"] = Response(whole, content_type=RSS)
    asyncio.run(library.refresh())
    assert library.feed(feed.id).last_error is None


def test_a_malformed_but_whole_feed_is_not_marked_as_failing(
    library: Library, loopback: LoopbackServer
) -> None:
    broken = GOOD_ITEMS.replace("<title>Harbour</title>", "<title>Harbour & sea</title>")
    loopback.routes["/feed"] = Response(broken + "</channel></rss>", content_type=RSS)
    feed = asyncio.run(library.add_feed(loopback.url("/feed")))
    assert parse_feed((broken + "</channel></rss>").encode(), FEED_URL).warning is not None
    assert library.feed(feed.id).last_error is None
    assert len(library.entries(feed_id=feed.id)) == 2


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize(
    "link",
    [
        "http://harbour.example.test:99999/x",
        "http://harbour.example.test:abc/",
        "http://harbour.example.test:0/",
        "javascript:alert(1)",
        "http://:80/x",
        "data:text/html,hi",
    ],
)
@pytest.mark.parametrize("path", ["fast", "feedparser", "json"])
def test_links_a_fetch_could_not_use_are_stored_as_no_link(link: str, path: str) -> None:
    from html import escape
    from json import dumps

    if path == "json":
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Harbour",
            "home_page_url": link,
            "items": [{"id": "1", "title": "Tide", "url": link}],
        }
        body = dumps(document).encode()
    else:
        broken = " & " if path == "feedparser" else ""  # a bare & sends it to feedparser
        body = (
            f'<rss version="2.0"><channel><title>Harbour{broken}</title>'
            f"<link>{escape(link)}</link><item><title>Tide</title><link>{escape(link)}</link>"
            "<guid isPermaLink='false'>1</guid></item></channel></rss>"
        ).encode()
    feed = parse_feed(body, FEED_URL)
    assert [(entry.title, entry.url) for entry in feed.entries] == [("Tide", None)]
    assert feed.site_url is None


def test_good_ports_are_kept() -> None:
    body = (
        b'<rss version="2.0"><channel><title>Harbour</title>'
        b"<item><title>A</title><link>http://harbour.example.test:8080/a</link></item>"
        b"<item><title>B</title><link>https://harbour.example.test:65535/b</link></item>"
        b"</channel></rss>"
    )
    assert [entry.url for entry in parse_feed(body, FEED_URL).entries] == [
        "http://harbour.example.test:8080/a",
        "https://harbour.example.test:65535/b",
    ]


def test_opml_outlines_with_unusable_urls_are_skipped() -> None:
    data = (
        b"<opml version='2.0'><body>"
        b"<outline text='bad port' xmlUrl='http://harbour.example.test:99999/rss'/>"
        b"<outline text='not a port' xmlUrl='http://harbour.example.test:abc/rss'/>"
        b"<outline text='good' xmlUrl='http://harbour.example.test:8080/rss'/>"
        b"</body></opml>"
    )
    assert [feed.url for feed in parse_opml(data, "subs.opml")] == [
        "http://harbour.example.test:8080/rss"
    ]


# --------------------------------------------------------------------------- OPML past the cap


def big_opml(count: int) -> bytes:
    outlines = "".join(
        f"<outline text='Feed {n}' xmlUrl='https://feeds{n % 97}.example.test/{n}.xml'/>"
        for n in range(count)
    )
    return f"<opml version='2.0'><body>{outlines}</body></opml>".encode()


def test_opml_past_the_cap_says_how_many_outlines_were_not_read() -> None:
    feeds = parse_opml(big_opml(MAX_FEEDS * 2), "big.opml")
    assert len(feeds) == MAX_FEEDS
    assert feeds.skipped == MAX_FEEDS
    assert feeds.skipped_note() == (
        "10,000 more feed outlines not read (at most 10,000 feeds are read from one file)"
    )
    small = parse_opml(big_opml(3), "small.opml")
    assert (len(small), small.skipped, small.skipped_note()) == (3, 0, None)


def test_reader_import_says_what_it_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main

    path = tmp_path / "big.opml"
    path.write_bytes(big_opml(MAX_FEEDS + 5))
    with Library(tmp_path / "data") as library:  # already subscribed: the import fetches nothing
        library.import_opml(path)
    assert main(["import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "imported 0 new feeds" in out
    assert "5 more feed outlines not read (at most 10,000 feeds are read from one file)" in out
