"""`parse_feed`: bytes from the network to a `ParsedFeed`, whatever the format.

Why one entry point: the library hands over whatever a server sent; this
decides what it is (gzip, JSON Feed, a web page, XML) and promises that the
only exception to come out is `NotAFeed`, a sentence the user can read.
"""

from __future__ import annotations

from reader.errors import ReaderError
from reader.feeds.jsonfeed import parse_json_feed
from reader.feeds.limits import MAX_DOCUMENT, MAX_GUNZIPPED
from reader.feeds.model import NotAFeed, ParsedFeed
from reader.feeds.sniff import EMBEDDED_FEED, looks_like_html, looks_like_json
from reader.feeds.xmlfeed import parse_xml_feed


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document fetched from `url` (its Content-Type if known).

    Raises `NotAFeed` for HTML pages, empty bodies, broken documents with no
    entries and anything else that is not a feed; never any other exception.
    """
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, url)
    if len(body) > MAX_DOCUMENT:
        raise NotAFeed(f"not a feed: larger than {MAX_DOCUMENT // 2**20} MB", url)
    if not body or not body.strip():
        raise NotAFeed("not a feed: empty body", url)
    try:
        if looks_like_json(body, content_type):
            return parse_json_feed(body, url)
        if looks_like_html(body, content_type) and not EMBEDDED_FEED.search(body[:65536]):
            raise NotAFeed("not a feed: HTML page", url)
        parsed = parse_xml_feed(body, url, content_type)
        if not parsed.entries and looks_like_html(body, content_type):
            raise NotAFeed("not a feed: HTML page", url)
        return parsed
    except ReaderError:
        raise
    except (RecursionError, MemoryError):
        raise NotAFeed("not a feed: document too deeply nested or too large", url) from None
    except Exception as exc:  # a parser bug on hostile input must not escape as a traceback
        raise NotAFeed(f"not a feed: could not be parsed ({type(exc).__name__})", url) from exc


def _gunzip(body: bytes, url: str) -> bytes:
    """Inflate a .gz feed served as is, at most `MAX_GUNZIPPED` bytes."""
    import zlib

    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(body, MAX_GUNZIPPED)
    except zlib.error:
        raise NotAFeed("not a feed: corrupt gzip data", url) from None
    if inflater.unconsumed_tail:
        raise NotAFeed(f"not a feed: inflates to more than {MAX_GUNZIPPED // 2**20} MB", url)
    if not data:
        raise NotAFeed("not a feed: corrupt gzip data", url)
    return data
