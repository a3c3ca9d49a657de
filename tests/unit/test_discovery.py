"""Finding the feed a web page advertises, so `reader add PAGE_URL` subscribes to it."""

from __future__ import annotations

import gzip
import json

import pytest

from reader.feeds import discover_feeds
from tests.conftest import SHARED, need_shared

PAGE_URL = "https://site.example.test/blog/post.html"


def test_link_in_head_with_relative_href() -> None:
    page = b"""<!doctype html><html><head><title>Blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Posts" href="../feed.xml">
</head><body><p>Hello</p></body></html>"""
    assert discover_feeds(page, PAGE_URL) == ["https://site.example.test/feed.xml"]


def test_link_in_body_is_found_too() -> None:
    page = """<html><head><title>Channel</title></head><body><div>
<LINK REL='alternate' TYPE='application/atom+xml' HREF='/feeds/videos.xml?channel=a&amp;b=1'>
</div></body></html>"""
    assert discover_feeds(page, PAGE_URL) == [
        "https://site.example.test/feeds/videos.xml?channel=a&b=1"
    ]


def test_several_feeds_best_first_without_duplicates_or_impostors() -> None:
    page = b"""<html><head>
<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">
<link rel="alternate" type="application/rss+xml" title="Main" href="/feed/">
<link rel="alternate" type="application/atom+xml" href="https://site.example.test/feed/">
<link rel="alternate" type="application/feed+json" href="/feed.json">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/12">
<link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="home alternate" type="application/atom+xml" href="//cdn.example.test/atom">
</head></html>"""
    assert discover_feeds(page, PAGE_URL) == [
        "https://site.example.test/feed/",
        "https://site.example.test/feed.json",
        "https://cdn.example.test/atom",
        "https://site.example.test/comments/feed/",
    ]


def test_base_href_is_honoured() -> None:
    page = (
        b'<html><head><base href="https://cdn.example.test/root/">'
        b"<link rel=alternate type=application/rss+xml href=rss.xml></head></html>"
    )
    assert discover_feeds(page, PAGE_URL) == ["https://cdn.example.test/root/rss.xml"]


def test_pages_without_feeds_give_nothing() -> None:
    assert discover_feeds(b"", PAGE_URL) == []
    assert discover_feeds(b"\xff\xfe\x00garbage<link", PAGE_URL) == []
    assert discover_feeds("<html><head><link rel=icon href=/f.ico></head></html>", PAGE_URL) == []


DISCOVERY = SHARED / "corpus" / "feeds" / "netnewswire-rsparser" / "html-feed-discovery"
EXPECTED = (
    {
        name: case
        for name, case in json.loads((DISCOVERY / "expected.json").read_text()).items()
        if not name.startswith("_") and case.get("feed_links")
    }
    if DISCOVERY.exists()
    else {"needs-shared-corpus": {}}  # one test that skips (fails in CI) through need_shared
)


def test_the_discovery_corpus_is_there() -> None:
    need_shared("corpus", "feeds", "netnewswire-rsparser", "html-feed-discovery")
    assert len(EXPECTED) >= 5


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_pages_give_their_expected_feeds(name: str) -> None:
    need_shared("corpus", "feeds", "netnewswire-rsparser", "html-feed-discovery")
    case = EXPECTED[name]
    page = gzip.decompress((DISCOVERY / name).read_bytes())
    found = discover_feeds(page, case["page_url"])
    expected = [link["href"] for link in case["feed_links"]]
    assert found[: len(expected)] == expected
