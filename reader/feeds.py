"""Feed parsing: RSS/Atom through feedparser, JSON Feed through our own parser.

Stub: the real implementation follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.errors import ReaderError


@dataclass(slots=True)
class ParsedEntry:
    """One item of a parsed feed, cleaned and bounded."""

    guid: str | None
    title: str
    url: str | None
    author: str | None
    summary: str
    content_html: str | None
    published: str | None
    updated: str | None


@dataclass(slots=True)
class ParsedFeed:
    """A parsed feed document."""

    title: str
    site_url: str | None
    entries: list[ParsedEntry]
    kind: str
    warning: str | None = None


class NotAFeed(ReaderError):
    """The body is not a feed we can read."""


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document."""
    raise NotAFeed("not a feed: parser not implemented yet", url)


def discover_feeds(page: bytes | str, url: str) -> list[str]:
    """Feed URLs advertised by an HTML page."""
    return []


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """True when the body is an HTML page rather than a feed."""
    return False
