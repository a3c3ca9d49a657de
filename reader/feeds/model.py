"""What the feed paths produce: cleaned, bounded values, and the one error they raise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reader.errors import ReaderError
from reader.model import Enclosure

FeedKind = Literal["rss", "atom", "rdf", "json"]


@dataclass(slots=True)
class ParsedEntry:
    """One item of a feed, cleaned and bounded, ready to be stored."""

    guid: str | None
    """The entry's id/guid as the feed gives it (None when absent)."""
    title: str
    """Plain text: tags stripped, unescaped once, no control characters ("(untitled)" fallback)."""
    url: str | None
    """Absolute http(s) link, resolved against xml:base and the feed URL."""
    author: str | None
    summary: str
    """Plain text with paragraph breaks, at most `MAX_SUMMARY` characters."""
    content_html: str | None
    """The feed's full content HTML if it has any (raw, bounded): sanitise before rendering."""
    published: str | None
    """ISO 8601 UTC ("2025-07-03T10:00:00+00:00"): published, else updated; None if unknown."""
    updated: str | None
    enclosures: tuple[Enclosure, ...] = ()
    """Files the item carries (RSS <enclosure>, Atom rel="enclosure", JSON Feed attachments)."""


@dataclass(slots=True)
class ParsedFeed:
    """A parsed feed document."""

    title: str
    site_url: str | None
    entries: list[ParsedEntry]
    kind: FeedKind
    warning: str | None = None
    """A human sentence when the document was malformed or cut short but entries could be read."""
    incomplete: bool = False
    """The document was cut short: entries after the cut are missing.

    The library keeps `warning` as the feed's last error only then: a mislabelled
    charset or a stray character that cost nothing is not worth a warning sign,
    and the `MAX_ENTRIES` cap is a policy, not a fault of the feed.
    """


class NotAFeed(ReaderError):
    """The body is not a feed we can read; the message says why ("not a feed: HTML page")."""
