"""Property tests: whatever bytes arrive, the parsers answer with data or a ReaderError.

Random bytes, real feeds from ../shared/corpus/feeds with hostile mutations,
random JSON and JSON-Feed-shaped documents, random and mutated OPML. Bounded
(`max_examples`) so the whole file runs in a few seconds.
"""

from __future__ import annotations

import csv
import json
from urllib.parse import urljoin
from xml.sax.saxutils import quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.errors import ReaderError
from reader.feeds import (
    MAX_SUMMARY,
    MAX_TITLE,
    PLAIN_ABSOLUTE_URL,
    NotAFeed,
    ParsedFeed,
    parse_feed,
    parse_opml,
    write_opml,
)
from reader.model import Feed
from reader.text import clean_text, has_unsafe_characters
from tests.conftest import SHARED, need_shared

CORPUS = SHARED / "corpus" / "feeds"
URL = "https://fuzz.example.test/feed"
HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
BOUNDED = settings(max_examples=120, deadline=None, suppress_health_check=HEALTH)
SLOW = settings(max_examples=50, deadline=None, suppress_health_check=HEALTH)
"""For properties whose examples each run feedparser on a real document or build big trees."""


def _small_real_feeds() -> list[bytes]:
    if not CORPUS.exists():
        return []  # the test that uses them skips (fails in CI) through need_shared
    with (CORPUS / "INDEX.tsv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    chosen = [
        row["path"]
        for row in rows
        if row["provenance"].startswith("real")
        and int(row["entries"] or 0) > 0
        and int(row["bytes"]) < 15_000
    ]
    json_feeds = [row["path"] for row in rows if row["sniffed_format"].startswith("jsonfeed")]
    return [(CORPUS / path).read_bytes() for path in chosen[:40] + json_feeds[:8]]


REAL_FEEDS = _small_real_feeds()

HOSTILE_SNIPPETS = [
    b"<!DOCTYPE rss [<!ENTITY a '&b;&b;'><!ENTITY b 'lol'>]>",
    b"<!ENTITY x SYSTEM 'file:///etc/passwd'>",
    b"&#27;]0;title&#7;",
    b"\x1b[2J",
    b"\x1b]52;c;aGk=\x07",
    "\u202e".encode(),
    b"\x00",
    b"\xff\xfe",
    b"<![CDATA[",
    b"]]>",
    b"</item>",
    b"<item>",
    b"<entry>",
    b"&amp;amp;ldquo;",
    b"&#xD800;",
    b"<title>",
    b"</title>",
    b"<link>javascript:alert(1)</link>",
    b"xml:base='..//'",
    b"<script>",
    b"{",
    b'"items": [',
    b"<" * 50,
    b"&" * 50,
]


def check_feed(feed: ParsedFeed) -> None:
    """What every parsed feed promises, however hostile its source."""
    assert feed.kind in ("rss", "atom", "rdf", "json")
    assert feed.title and not has_unsafe_characters(feed.title)
    for entry in feed.entries:
        assert entry.title and len(entry.title) <= MAX_TITLE
        assert not has_unsafe_characters(entry.title)
        assert len(entry.summary) <= MAX_SUMMARY
        assert not has_unsafe_characters(entry.summary.replace("\n", " "))
        assert entry.url is None or entry.url.startswith(("http://", "https://"))
        assert entry.author is None or not has_unsafe_characters(entry.author)


def parse_or_refuse(body: bytes, content_type: str | None = None) -> None:
    try:
        feed = parse_feed(body, URL, content_type)
    except NotAFeed as refused:
        assert refused.message.startswith("not a feed: ")
        return
    check_feed(feed)


@BOUNDED
@given(
    body=st.one_of(
        st.binary(max_size=3000),
        st.binary(max_size=2000).map(lambda b: b"<?xml version='1.0'?><rss version='2.0'>" + b),
        st.binary(max_size=2000).map(lambda b: b"<feed xmlns='http://www.w3.org/2005/Atom'>" + b),
        st.binary(max_size=2000).map(lambda b: b"{" + b),
        st.text(max_size=2000).map(str.encode),
    ),
    content_type=st.sampled_from(
        [
            None,
            "application/rss+xml",
            "text/html",
            "application/json",
            "text/xml; charset=utf-16",
            "application/xml; charset=bogus",
        ]
    ),
)
def test_random_bytes_never_raise_anything_but_not_a_feed(
    body: bytes, content_type: str | None
) -> None:
    parse_or_refuse(body, content_type)


mutation = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.sampled_from(HOSTILE_SNIPPETS)),
    st.tuples(st.just("random"), st.floats(0, 1), st.binary(min_size=1, max_size=40)),
    st.tuples(st.just("repeat"), st.floats(0, 1), st.integers(1, 400)),
)


def mutate(body: bytes, operations: list[tuple]) -> bytes:  # type: ignore[type-arg]
    for operation in operations:
        at = int(operation[1] * len(body))
        if operation[0] == "truncate":
            body = body[:at]
        elif operation[0] == "insert":
            body = body[:at] + operation[2] + body[at:]
        elif operation[0] == "random":
            body = body[:at] + operation[2] + body[at + len(operation[2]) :]
        else:
            body = body[:at] + body[at : at + operation[2]] * 4 + body[at + operation[2] :]
    return body


@SLOW
@given(index=st.integers(0, max(len(REAL_FEEDS) - 1, 0)), operations=st.lists(mutation, max_size=4))
def test_mutated_real_feeds_never_raise_anything_but_not_a_feed(
    index: int, operations: list[tuple]
) -> None:  # type: ignore[type-arg]
    need_shared("corpus", "feeds")
    parse_or_refuse(mutate(REAL_FEEDS[index], operations))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)
ITEM_KEYS = [
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "date_published",
    "date_modified",
    "author",
    "authors",
]
json_feed_like = st.fixed_dictionaries(
    {
        "version": st.sampled_from(
            ["https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1", "1.1"]
        )
        | json_values,
        "items": st.lists(
            st.dictionaries(st.sampled_from(ITEM_KEYS), json_values, max_size=8) | json_values,
            max_size=6,
        )
        | json_values,
    },
    optional={"title": json_values, "home_page_url": json_values, "feed_url": json_values},
)


@SLOW
@given(document=json_values | json_feed_like)
def test_random_json_never_raises_anything_but_not_a_feed(document: object) -> None:
    parse_or_refuse(json.dumps(document).encode(), "application/feed+json")


@BOUNDED
@given(
    url=st.from_regex(PLAIN_ABSOLUTE_URL, fullmatch=True),
    base=st.sampled_from(["http://b.example.test/x/y", "https://b.example.test/", ""]),
)
def test_plain_absolute_urls_are_what_urljoin_returns(url: str, base: str) -> None:
    """The shortcut that skips urljoin must never change a URL."""
    assert urljoin(base, url) == url


def test_deeply_nested_json_is_refused() -> None:
    parse_or_refuse(b"[" * 100_000 + b"]" * 100_000, "application/json")
    parse_or_refuse(b'{"version": "1.1", "items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")


outline_text = st.text(max_size=30)
outlines = st.recursive(
    st.builds(
        lambda title, url: f"<outline text={quoteattr(title)} xmlUrl={quoteattr(url)}/>",
        outline_text,
        st.sampled_from(
            [
                "https://a.example.test/f",
                "http://b.example.test/",
                "|cmd",
                "",
                "feed://c.example.test/x",
            ]
        )
        | outline_text,
    ),
    lambda children: st.builds(
        lambda name, inner: f"<outline text={quoteattr(name)}>{''.join(inner)}</outline>",
        outline_text,
        st.lists(children, max_size=4),
    ),
    max_leaves=20,
)


@SLOW
@given(body=st.lists(outlines, max_size=6), operations=st.lists(mutation, max_size=2))
def test_random_opml_never_raises_anything_but_reader_error(
    body: list[str], operations: list[tuple]
) -> None:  # type: ignore[type-arg]
    document = f"<?xml version='1.0'?><opml version='2.0'><body>{''.join(body)}</body></opml>"
    try:
        data = document.encode()
    except UnicodeEncodeError:  # lone surrogates from st.text
        data = document.encode("utf-8", "replace")
    for candidate in (data, mutate(data, operations)):
        try:
            feeds = parse_opml(candidate, "fuzz.opml")
        except ReaderError as refused:
            assert refused.message.startswith("not valid OPML")
            continue
        for feed in feeds:
            assert feed.url.startswith(("http://", "https://"))
            assert feed.title is None or not has_unsafe_characters(feed.title)


printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), max_size=40)
folder_name = st.text("abcdefghij XYZ-_.", min_size=1, max_size=8).filter(lambda s: s.strip())


@SLOW
@given(
    feeds=st.lists(
        st.tuples(st.integers(0, 10**6), printable, st.lists(folder_name, max_size=3)),
        max_size=12,
        unique_by=lambda feed: feed[0],
    )
)
def test_opml_export_round_trips(feeds: list[tuple[int, str, list[str]]]) -> None:
    subscriptions = [
        Feed(
            n,
            f"https://s{n}.example.test/f?a=1&b=2",
            title,
            categories=("/".join(folders),) if folders else (),
        )
        for n, title, folders in feeds
    ]
    parsed = parse_opml(write_opml(subscriptions).encode(), "export.opml")
    assert sorted((f.url, f.title, f.category) for f in parsed) == sorted(
        (
            feed.url,
            clean_text(feed.title)[:300] or feed.url,
            "/".join(clean_text(part) for part in (feed.category or "").split("/")) or None,
        )
        for feed in subscriptions
    )


xml_text = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="<&")
    | st.sampled_from(
        [
            "&amp;",
            "&lt;b&gt;",
            "&amp;amp;",
            "&#233;",
            "\u202e",
            "&#x26;",
            " ",
            "\n",
            "Ã©",
            "\x93",
            "&amp;ldquo;",
            "<![CDATA[x<b>y</b>]]>",
        ]
    ),
    max_size=12,
).map("".join)
link_text = st.sampled_from(
    [
        "https://l.example.test/a",
        "/rel/path",
        "rel2",
        "../up",
        "http://l.example.test/q?a=1&amp;b=2",
        "HTTP://L.EXAMPLE.TEST/X",
        "  https://l.example.test/spaced  ",
        "javascript:alert(1)",
        "",
        "https://l.example.test/x?",
        "//cdn.example.test/p",
    ]
)
date_text = st.sampled_from(
    [
        "Thu, 03 Jul 2025 10:00:00 GMT",
        "2025-07-03T10:00:00Z",
        "2025-07-03T10:00:00+05:30",
        "03 Jul 2025",
        "not a date",
        "",
        "Thu, 31 Feb 2025 10:00:00 GMT",
        "2025-07-03",
    ]
)


def _element(name: str, text: str, attrs: str = "") -> str:
    return f"<{name}{attrs}>{text}</{name}>"


rss_child = st.one_of(
    xml_text.map(lambda t: _element("title", t)),
    link_text.map(lambda t: _element("link", t)),
    st.tuples(link_text, st.sampled_from(["", " isPermaLink='false'", " isPermaLink='true'"])).map(
        lambda g: _element("guid", g[0], g[1])
    ),
    xml_text.map(lambda t: _element("description", t)),
    xml_text.map(lambda t: _element("content:encoded", t)),
    date_text.map(lambda t: _element("pubDate", t)),
    date_text.map(lambda t: _element("dc:date", t)),
    st.sampled_from(["a@example.test (Ann)", "Bob", "c@example.test", "(Dee)", ""]).map(
        lambda t: _element("author", t)
    ),
    xml_text.map(lambda t: _element("dc:creator", t)),
    st.just("<media:thumbnail url='https://m.example.test/t.jpg'/>"),
    xml_text.map(lambda t: f"<media:group>{_element('media:title', t)}</media:group>"),
    link_text.map(lambda t: f"<atom:link rel='alternate' type='text/html' href='{t}'/>"),
    st.just("<category>c</category>"),
)
rss_item = st.tuples(
    st.lists(rss_child, max_size=7),
    st.sampled_from(["", " xml:base='https://base.example.test/dir/'", " xml:base='sub/'"]),
)


@SLOW
@given(items=st.lists(rss_item, min_size=1, max_size=5), channel_title=xml_text)
def test_the_fast_path_agrees_with_feedparser_on_generated_rss(
    items: list[tuple[list[str], str]], channel_title: str
) -> None:
    """Differential test: whenever lxml reads a document, feedparser reads it the same way."""
    from reader.feeds.fast import read_plain_feed
    from reader.feeds.xmlfeed import assemble, parse_with_feedparser

    body = (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
        "xmlns:content='http://purl.org/rss/1.0/modules/content/' "
        "xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:atom='http://www.w3.org/2005/Atom' "
        "xmlns:media='http://search.yahoo.com/mrss/'><channel>"
        f"{_element('title', channel_title)}<link>/home</link>"
        + "".join(f"<item{base}>{''.join(children)}</item>" for children, base in items)
        + "</channel></rss>"
    ).encode()
    plain = read_plain_feed(body, URL, None)
    if plain is not None:
        assert assemble(*plain, URL, None) == parse_with_feedparser(body, URL, None)


atom_child = st.one_of(
    st.tuples(xml_text, st.sampled_from(["", " type='text'", " type='html'"])).map(
        lambda t: _element("title", t[0], t[1])
    ),
    st.tuples(
        link_text,
        st.sampled_from(
            [
                "",
                " rel='alternate'",
                " rel='self'",
                " rel='related'",
                " rel='alternate' type='text/html'",
                " rel='alternate' type='application/pdf'",
            ]
        ),
    ).map(lambda t: f"<link href='{t[0]}'{t[1]}/>"),
    link_text.map(lambda t: _element("id", t)),
    st.tuples(xml_text, st.sampled_from(["", " type='html'", " type='text'"])).map(
        lambda t: _element("summary", t[0], t[1])
    ),
    st.tuples(
        xml_text,
        st.sampled_from(["", " type='html'", " type='text'", " src='https://s.example.test/'"]),
    ).map(lambda t: _element("content", t[0], t[1])),
    date_text.map(lambda t: _element("published", t)),
    date_text.map(lambda t: _element("updated", t)),
    st.tuples(xml_text, st.sampled_from(["", "<email>e@example.test</email>"])).map(
        lambda t: f"<author><name>{t[0]}</name>{t[1]}</author>"
    ),
    st.just("<category term='c'/>"),
)
atom_entry = st.tuples(
    st.lists(atom_child, max_size=7),
    st.sampled_from(["", " xml:base='https://base.example.test/dir/'", " xml:base='sub/'"]),
)


@SLOW
@given(
    entries=st.lists(atom_entry, min_size=1, max_size=5),
    feed_children=st.lists(atom_child, max_size=3),
)
def test_the_fast_path_agrees_with_feedparser_on_generated_atom(
    entries: list[tuple[list[str], str]], feed_children: list[str]
) -> None:
    from reader.feeds.fast import read_plain_feed
    from reader.feeds.xmlfeed import assemble, parse_with_feedparser

    body = (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        f"xml:base='https://feed.example.test/blog/'>{''.join(feed_children)}"
        + "".join(f"<entry{base}>{''.join(children)}</entry>" for children, base in entries)
        + "</feed>"
    ).encode()
    plain = read_plain_feed(body, URL, None)
    if plain is not None:
        assert assemble(*plain, URL, None) == parse_with_feedparser(body, URL, None)


@BOUNDED
@given(
    page=st.one_of(
        st.binary(max_size=2000),
        st.lists(
            st.sampled_from(
                [
                    "<link rel=alternate type=application/rss+xml href=",
                    "<link ",
                    "rel='alternate'",
                    ' type="application/atom+xml"',
                    " href='/f'",
                    ' href="javascript:x"',
                    ">",
                    "<",
                    "<base href='//cdn.example.test/'>",
                    "&amp;",
                    "\x00",
                    "\u202e",
                    "'",
                    '"',
                    " ",
                ]
            ),
            max_size=30,
        ).map("".join),
    )
)
def test_discovery_never_raises_and_returns_http_urls(page: bytes | str) -> None:
    from reader.feeds import discover_feeds

    for url in discover_feeds(page, "https://page.example.test/a/b.html"):
        assert url.startswith(("http://", "https://"))
