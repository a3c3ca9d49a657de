"""The feed side: bytes from a server to clean, bounded entries; OPML in and out.

Why a package: each format and each path has its own module (the lxml fast
path, feedparser's path, JSON Feed, discovery, OPML), the limits they share
live in one place, and every use of feedparser's private API sits in
`_feedparser_private`, tested against the installed feedparser. Everything a
feed says is untrusted: titles arrive double-escaped, with tags, terminal
escapes or bidi overrides; links are relative or hostile; a server can send
thousands of entries or an entity bomb. The values that come out are safe to
store and show, and the only exception is `NotAFeed` (a `ReaderError` whose
message is the sentence the user sees). Heavy imports (feedparser) happen
inside functions so the app starts fast.
"""

from __future__ import annotations

from reader.feeds.clean import PLAIN_ABSOLUTE_URL, absolute_http_url
from reader.feeds.discovery import discover_feeds
from reader.feeds.limits import (
    MAX_AUTHOR,
    MAX_CONTENT,
    MAX_DOCUMENT,
    MAX_ENTRIES,
    MAX_GUID,
    MAX_SUMMARY,
    MAX_TITLE,
    MAX_URL,
    UNTITLED,
)
from reader.feeds.model import FeedKind, NotAFeed, ParsedEntry, ParsedFeed
from reader.feeds.opml import Capped, OutlineFeed, parse_opml, write_opml
from reader.feeds.parse import parse_feed
from reader.feeds.sniff import looks_like_html

__all__ = [
    "MAX_AUTHOR",
    "MAX_CONTENT",
    "MAX_DOCUMENT",
    "MAX_ENTRIES",
    "MAX_GUID",
    "MAX_SUMMARY",
    "MAX_TITLE",
    "MAX_URL",
    "PLAIN_ABSOLUTE_URL",
    "UNTITLED",
    "Capped",
    "FeedKind",
    "NotAFeed",
    "OutlineFeed",
    "ParsedEntry",
    "ParsedFeed",
    "absolute_http_url",
    "discover_feeds",
    "looks_like_html",
    "parse_feed",
    "parse_opml",
    "write_opml",
]
