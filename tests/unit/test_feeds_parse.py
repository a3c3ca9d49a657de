"""Feed parsing on small feeds written for these tests: every format and every trap."""

from __future__ import annotations

import json

import pytest

from reader.errors import ReaderError
from reader.feeds import (
    MAX_ENTRIES,
    MAX_SUMMARY,
    NotAFeed,
    ParsedFeed,
    looks_like_html,
    parse_feed,
)
from reader.text import has_unsafe_characters

FEED_URL = "https://news.example.test/feeds/main.xml"


def rss(
    items: str,
    *,
    channel: str = "<title>Example News</title><link>https://news.example.test/</link>",
) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{channel}'
        f"{items}</channel></rss>"
    ).encode()


def test_rss2_entries_with_dates_authors_and_content() -> None:
    body = rss(
        "<item><title>Budget vote passes</title><link>https://news.example.test/a/1</link>"
        "<guid>urn:example:1</guid><pubDate>Thu, 03 Jul 2025 10:00:00 +0200</pubDate>"
        "<author>desk@example.test (Ana Silva)</author>"
        "<description>&lt;p&gt;The council &lt;b&gt;approved&lt;/b&gt; it.&lt;/p&gt;"
        "&lt;p&gt;Second paragraph.&lt;/p&gt;</description></item>"
    )
    body = body.replace(
        b'version="2.0">',
        b'version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    ).replace(
        b"</description>",
        b"</description><content:encoded><![CDATA[<p>Full <em>text</em></p>]]></content:encoded>",
    )
    feed = parse_feed(body, FEED_URL, "application/rss+xml; charset=utf-8")
    assert feed.kind == "rss"
    assert feed.title == "Example News"
    assert feed.site_url == "https://news.example.test/"
    assert feed.warning is None
    [entry] = feed.entries
    assert entry.guid == "urn:example:1"
    assert entry.title == "Budget vote passes"
    assert entry.url == "https://news.example.test/a/1"
    assert entry.published == "2025-07-03T08:00:00+00:00"
    assert entry.author == "Ana Silva"
    assert entry.summary == "The council approved it.\n\nSecond paragraph."
    assert entry.content_html == "<p>Full <em>text</em></p>"


def test_rss1_rdf_feed() -> None:
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="https://rdf.example.test/"><title>RDF Site</title>
  <link>https://rdf.example.test/</link><description>d</description></channel>
 <item rdf:about="https://rdf.example.test/story/9"><title>Harbour reopens</title>
  <link>https://rdf.example.test/story/9</link><dc:date>2025-07-01T09:30:00Z</dc:date>
  <description>Ships are back.</description></item>
</rdf:RDF>"""
    feed = parse_feed(body, "https://rdf.example.test/index.rdf")
    assert feed.kind == "rdf"
    assert feed.title == "RDF Site"
    [entry] = feed.entries
    assert (entry.title, entry.url) == ("Harbour reopens", "https://rdf.example.test/story/9")
    assert entry.published == "2025-07-01T09:30:00+00:00"
    assert entry.summary == "Ships are back."


def test_atom_resolves_xml_base_and_relative_links() -> None:
    body = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example.test/blog/">
 <title type="html">Notes &amp;amp; Links</title><id>tag:atom.example.test,2025:feed</id>
 <link rel="alternate" href="/"/><updated>2025-07-02T12:00:00Z</updated>
 <entry><title>Entry one</title><id>tag:atom.example.test,2025:1</id>
  <link rel="alternate" href="posts/one.html"/>
  <published>2025-07-01T08:00:00-05:00</published><updated>2025-07-02T12:00:00Z</updated>
  <summary type="html">&lt;p&gt;Short&lt;/p&gt;</summary>
  <content type="html">&lt;p&gt;Long &lt;a href="x.html"&gt;body&lt;/a&gt;&lt;/p&gt;</content>
 </entry>
 <entry xml:base="https://other.example.test/root/"><title>Entry two</title>
  <id>tag:atom.example.test,2025:2</id><link href="two"/>
  <updated>2025-07-02T13:00:00Z</updated></entry>
</feed>"""
    feed = parse_feed(body, "https://atom.example.test/feed.atom", "application/atom+xml")
    assert feed.kind == "atom"
    assert feed.title == "Notes & Links"
    assert feed.site_url == "https://atom.example.test/"
    one, two = feed.entries
    assert one.url == "https://atom.example.test/blog/posts/one.html"
    assert one.published == "2025-07-01T13:00:00+00:00"
    assert one.updated == "2025-07-02T12:00:00+00:00"
    assert one.summary == "Short"
    assert one.content_html is not None and 'href="x.html"' in one.content_html
    assert two.url == "https://other.example.test/root/two"
    assert two.published == two.updated == "2025-07-02T13:00:00+00:00"


def test_relative_links_resolve_against_the_feed_url() -> None:
    body = rss(
        "<item><title>Rel</title><link>/stories/7.html</link></item>"
        "<item><title>Rel2</title><link>../up.html</link></item>",
        channel="<title>T</title><link>/</link>",
    )
    feed = parse_feed(body, FEED_URL)
    assert [e.url for e in feed.entries] == [
        "https://news.example.test/stories/7.html",
        "https://news.example.test/up.html",
    ]
    assert feed.site_url == "https://news.example.test/"


def test_non_http_links_are_dropped() -> None:
    body = rss(
        "<item><title>JS</title><link>javascript:alert(1)</link></item>"
        "<item><title>Mail</title><link>mailto:x@example.test</link></item>"
    )
    assert [e.url for e in parse_feed(body, FEED_URL).entries] == [None, None]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("&amp;ldquo;Quoted&amp;rdquo; &amp;amp; more", "\u201cQuoted\u201d & more"),
        ("AT&amp;amp;T profits", "AT&T profits"),
        ("Caf&amp;#233; opens", "Café opens"),
        ("&lt;b&gt;Bold&lt;/b&gt; claim", "Bold claim"),
        ("Plain &amp; simple", "Plain & simple"),
        ("  spaced\n\t out  ", "spaced out"),
    ],
)
def test_titles_are_unescaped_once_and_stripped_of_tags(raw: str, expected: str) -> None:
    body = rss(f"<item><title>{raw}</title><link>https://news.example.test/x</link></item>")
    assert parse_feed(body, FEED_URL).entries[0].title == expected


def test_escape_sequences_and_bidi_overrides_never_reach_titles() -> None:
    hostile = "\x1b]0;pwned\x07Real \u202eeltit\u202c title\x1b[2J\x00"
    items = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": hostile,
            "items": [
                {
                    "id": "1",
                    "title": hostile,
                    "content_text": hostile,
                    "url": "https://j.example.test/1",
                }
            ],
        }
    ).encode()
    json_feed = parse_feed(items, "https://j.example.test/feed.json")
    # XML cannot carry raw ESC, so feeds use character references; feedparser's
    # lenient parser decodes them.
    xml_feed = parse_feed(
        rss(
            "<item><title>&#27;]0;pwned&#7;Real \u202eeltit\u202c title&#27;[2J</title>"
            "<link>https://news.example.test/x</link></item>"
        ),
        FEED_URL,
    )
    for feed in (json_feed, xml_feed):
        entry = feed.entries[0]
        assert entry.title == "Real eltit title"
        assert not has_unsafe_characters(entry.title)
        assert not has_unsafe_characters(entry.summary)
        assert not has_unsafe_characters(feed.title)
        assert "pwned" not in entry.title


def test_a_feed_repeating_an_entry_four_times_gives_it_once() -> None:
    item = (
        "<item><title>Same story</title><link>https://news.example.test/s</link>"
        "<guid>urn:same</guid><description>{}</description></item>"
    )
    body = rss(
        item.format("short") * 3
        + item.format("the longest, most complete text")
        + "<item><title>Other</title><link>https://news.example.test/o</link></item>"
    )
    entries = parse_feed(body, FEED_URL).entries
    assert [e.title for e in entries] == ["Same story", "Other"]
    assert entries[0].summary == "the longest, most complete text"


def test_entries_without_guid_are_deduplicated_by_link() -> None:
    item = "<item><title>T{}</title><link>https://news.example.test/same</link></item>"
    body = rss("".join(item.format(n) for n in range(4)))
    entries = parse_feed(body, FEED_URL).entries
    assert len(entries) == 1
    assert entries[0].title == "T3"  # the last copy wins


def test_untitled_entries_take_the_start_of_their_summary() -> None:
    body = rss(
        "<item><description>A microblog post with no title at all.</description>"
        "<link>https://news.example.test/m</link></item>"
        "<item><link>https://news.example.test/n</link></item>"
    )
    titles = [e.title for e in parse_feed(body, FEED_URL).entries]
    assert titles == ["A microblog post with no title at all.", "(untitled)"]


def test_summaries_drop_scripts_and_are_bounded() -> None:
    long_text = "word " * 5000
    body = rss(
        "<item><title>Long</title><link>https://news.example.test/l</link>"
        f"<description><![CDATA[<script>evil()</script><p>{long_text}</p>]]>"
        "</description></item>"
    )
    [entry] = parse_feed(body, FEED_URL).entries
    assert "evil" not in entry.summary
    assert len(entry.summary) <= MAX_SUMMARY
    assert entry.summary.endswith("…")


def test_entry_count_is_bounded() -> None:
    items = "".join(
        f"<item><title>n{n}</title><guid>g{n}</guid></item>" for n in range(MAX_ENTRIES * 5)
    )
    well_formed = parse_feed(rss(items), FEED_URL)
    assert len(well_formed.entries) == MAX_ENTRIES
    assert well_formed.entries[-1].title == f"n{MAX_ENTRIES - 1}"
    # Malformed, the document goes to feedparser, which is cut before entry 2,001
    # (reading 10,000 entries in pure Python, twice, would take many seconds).
    malformed = parse_feed(rss(items)[:-30], FEED_URL)
    assert len(malformed.entries) == MAX_ENTRIES
    assert malformed.warning == "the feed has more than 2,000 entries; only the first were read"


def test_json_feed_1_0() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1",
            "title": "JSON One",
            "home_page_url": "https://j1.example.test/",
            "feed_url": "https://j1.example.test/feed.json",
            "items": [
                {
                    "id": 101,
                    "url": "/posts/101",
                    "title": "Numbered id",
                    "content_html": "<p>Hello <b>there</b></p>",
                    "date_published": "2025-07-03T10:00:00+02:00",
                    "author": {"name": "Kim Lee"},
                },
                {
                    "id": "102",
                    "content_text": "No title here, only text.",
                    "date_modified": "2025-07-03 11:00:00",
                },
            ],
        }
    ).encode()
    feed = parse_feed(body, "https://j1.example.test/feed.json", "application/feed+json")
    assert (feed.kind, feed.title, feed.site_url) == (
        "json",
        "JSON One",
        "https://j1.example.test/",
    )
    first, second = feed.entries
    assert first.guid == "101"
    assert first.url == "https://j1.example.test/posts/101"
    assert first.summary == "Hello there"
    assert first.content_html == "<p>Hello <b>there</b></p>"
    assert first.published == "2025-07-03T08:00:00+00:00"
    assert first.author == "Kim Lee"
    assert second.title == "No title here, only text."
    assert second.published == second.updated == "2025-07-03T11:00:00+00:00"
    assert second.content_html == "<p>No title here, only text.</p>"


def test_json_feed_1_1_detected_without_content_type() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "JSON 1.1 &amp; more",
            "items": [
                {
                    "id": "a",
                    "url": "https://j.example.test/a",
                    "title": "First",
                    "summary": "Sum",
                    "date_published": "Thu, 03 Jul 2025 10:00:00 GMT",
                    "authors": [{"name": "A"}, {"name": "B"}, {"url": "no name"}],
                }
            ],
        }
    ).encode()
    feed = parse_feed(b"\n  " + body, "https://j.example.test/feed")
    assert feed.title == "JSON 1.1 & more"
    [entry] = feed.entries
    assert (entry.title, entry.summary, entry.author) == ("First", "Sum", "A, B")
    assert entry.published == "2025-07-03T10:00:00+00:00"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not a feed: empty body"),
        (b"  \n\t ", "not a feed: empty body"),
        (
            b"<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>",
            "not a feed: HTML page",
        ),
        (b"<html><body><p>Moved</p></body></html>", "not a feed: HTML page"),
        (b'{"rss": {"channel": {}}}', "not a feed: JSON document that is not a JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": [', "not a feed: invalid JSON"),
        (b"<?xml version='1.0'?>\n<note><to>you</to></note>", "not a feed: no RSS"),
        (
            b"<?xml version='1.0'?>\n<rss version='2.0'>\n<channel>\n<title>x</titl>",
            "not a feed: invalid XML at line 4",
        ),
        (b"\x1f\x8b\x08\x00garbage", "not a feed: corrupt gzip data"),
    ],
)
def test_non_feeds_raise_not_a_feed_with_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(NotAFeed) as caught:
        parse_feed(body, FEED_URL)
    assert caught.value.message.startswith(reason)
    assert caught.value.where == FEED_URL
    assert isinstance(caught.value, ReaderError)


def test_broken_xml_with_entries_gives_a_warning_not_an_error() -> None:
    body = (
        b"<?xml version='1.0' encoding='utf-8'?>\n<rss version='2.0'><channel>\n"
        b"<title>Broken & proud</title>\n"
        b"<item><title>Still readable</title><link>https://b.example.test/1</link></item>\n"
        b"<item><title>Two</title><link>https://b.example.test/2</link></item>\n"
    )
    feed: ParsedFeed = parse_feed(body, "https://b.example.test/rss")
    assert [e.title for e in feed.entries] == ["Still readable", "Two"]
    assert feed.warning is not None and "line 3" in feed.warning


def test_gzip_body_without_content_encoding_is_inflated() -> None:
    import gzip

    body = gzip.compress(rss("<item><title>Zipped</title><guid>z</guid></item>"))
    assert parse_feed(body, FEED_URL).entries[0].title == "Zipped"


@pytest.mark.parametrize("separator", ["", "\n"])
def test_billion_laughs_is_refused_quickly(separator: str) -> None:
    entities = separator.join(
        ['<!ENTITY lol0 "lol">']
        + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    )
    prologue = f'<?xml version="1.0"?>\n<!DOCTYPE rss [{separator}{entities}{separator}]>'
    no_entries = f'{prologue}<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
    with pytest.raises(NotAFeed, match="not a feed: "):
        parse_feed(no_entries.encode(), FEED_URL)
    with_entries = (
        f'{prologue}<rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>a &lol9; b</title><guid>1</guid></item></channel></rss>"
    )
    feed = parse_feed(with_entries.encode(), FEED_URL)
    assert len(feed.entries[0].title) < 100
    assert len(feed.title) < 100
    assert feed.warning is not None


def test_harmless_entity_declarations_are_kept() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY co "Acme">]>'
        b'<rss version="2.0"><channel><title>&co;&nbsp;news</title>'
        b"<item><title>&co; report</title><guid>1</guid></item></channel></rss>"
    )
    feed = parse_feed(body, FEED_URL)
    assert (feed.title, feed.entries[0].title, feed.warning) == ("Acme news", "Acme report", None)


def test_latin1_bytes_declared_as_utf8_still_parse() -> None:
    body = rss("<item><title>Caf\u00e9 au lait</title><guid>1</guid></item>")
    body = body.replace("\u00e9".encode(), "\u00e9".encode("latin-1"))
    feed = parse_feed(body, FEED_URL, "application/rss+xml; charset=utf-8")
    [entry] = feed.entries
    assert entry.title.startswith("Caf") and entry.title.endswith("au lait")
    assert not has_unsafe_characters(entry.title)


def test_feed_served_as_text_html_is_still_a_feed() -> None:
    feed = parse_feed(
        rss("<item><title>OK</title><guid>1</guid></item>"), FEED_URL, "text/html; charset=utf-8"
    )
    assert [e.title for e in feed.entries] == ["OK"]
    assert feed.warning is None


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"<!doctype html><html></html>", None, True),
        (b"\xef\xbb\xbf  <!-- hi -->\n<HTML lang=en>", None, True),
        (
            b"<?xml version='1.0'?><!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0//EN' 'x'>"
            b"<html xmlns='http://www.w3.org/1999/xhtml'>",
            "application/xhtml+xml",
            True,
        ),
        (b"<head><title>Moved</title></head>", None, True),
        (b"<?xml version='1.0'?><rss version='2.0'>", "text/html", False),
        (
            b"<?xml version='1.0'?>\n<!-- c -->\n<feed xmlns='http://www.w3.org/2005/Atom'>",
            None,
            False,
        ),
        (b"<!DOCTYPE rss [<!ENTITY x 'y'>]><rss>", None, False),
        (b"just text", "text/html", True),
        (b"just text", "text/plain", False),
    ],
)
def test_looks_like_html(body: bytes, content_type: str | None, expected: bool) -> None:
    assert looks_like_html(body, content_type) is expected


def test_plain_feeds_take_the_fast_path_and_unusual_ones_do_not() -> None:
    from reader.feeds.fast import read_plain_feed

    plain = rss(
        "<item><title>T</title><link>https://news.example.test/t</link>"
        "<guid>g</guid><pubDate>Thu, 03 Jul 2025 10:00:00 GMT</pubDate></item>"
    )
    assert read_plain_feed(plain, FEED_URL, "application/rss+xml") is not None
    itunes = plain.replace(
        b"<guid>",
        b"<itunes:summary xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'>"
        b"s</itunes:summary><guid>",
    )
    xhtml = (
        b"<feed xmlns='http://www.w3.org/2005/Atom'><title>F</title><entry><title>E</title>"
        b"<id>urn:e</id><content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>"
        b"<p>Hi <b>there</b></p></div></content></entry></feed>"
    )
    unusual = {
        "alias element": itunes,
        "doctype": plain.replace(b"<rss", b"<!DOCTYPE rss><rss"),
        "xhtml content": xhtml,
        "charset disagrees": plain.replace(b'encoding="utf-8"', b'encoding="iso-8859-1"'),
        "broken": plain[:-20],
    }
    for why, body in unusual.items():
        assert read_plain_feed(body, FEED_URL, "application/rss+xml; charset=utf-8") is None, why
        feed = parse_feed(body, FEED_URL, "application/rss+xml; charset=utf-8")
        assert feed.entries, why
    assert parse_feed(xhtml, FEED_URL).entries[0].summary == "Hi there"


def test_guid_is_the_link_when_there_is_no_link_in_both_paths() -> None:
    from reader.feeds.fast import read_plain_feed
    from reader.feeds.xmlfeed import assemble, parse_with_feedparser

    body = rss(
        "<item><title>A</title><guid>/posts/1</guid></item>"
        "<item><title>B</title><guid isPermaLink='false'>/posts/2</guid></item>"
    )
    plain = read_plain_feed(body, FEED_URL, None)
    assert plain is not None
    fast = assemble(*plain, FEED_URL, None)
    assert fast == parse_with_feedparser(body, FEED_URL, None)
    assert [(e.guid, e.url) for e in fast.entries] == [
        ("https://news.example.test/posts/1", "https://news.example.test/posts/1"),
        ("/posts/2", None),
    ]


def test_ten_thousand_nested_elements_are_handled() -> None:
    deep = rss(
        "<item><title>Deep</title><guid>d</guid><x:a xmlns:x='urn:x'>"
        + "<x:a>" * 10_000
        + "</x:a>" * 10_000
        + "</x:a></item>"
    )
    try:
        feed = parse_feed(deep, FEED_URL)
    except NotAFeed:
        return
    assert [e.title for e in feed.entries] == ["Deep"]
