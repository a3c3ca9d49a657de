"""Helpers every feed path shares: tag stripping, bounded titles and summaries, safe URLs.

Why one module: the fast path, feedparser's path and JSON Feed must clean a
title or resolve a link the same way, or one feed would read differently
depending on which path it took.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from reader.dates import from_struct
from reader.feeds.limits import (
    MAX_GUID,
    MAX_SUMMARY,
    MAX_SUMMARY_SOURCE,
    MAX_TITLE,
    MAX_URL,
    TITLE_FROM_SUMMARY,
    UNTITLED,
)
from reader.feeds.model import ParsedEntry
from reader.model import Enclosure
from reader.text import clean_text

_TAG = re.compile(r"</?[a-zA-Z!?][^<>]*>")
_BLOCK_TAG = re.compile(
    r"<(?:br|/?p|/div|/li|/h[1-6]|/blockquote|/tr|/pre|/ul|/ol|hr)\b[^<>]*>", re.I
)
_INVISIBLE_ELEMENT = re.compile(r"<(script|style|template)\b", re.I)


def strip_tags(markup: str, *, blocks_to_newlines: bool = False) -> str:
    """Text of an HTML fragment: script/style bodies dropped, tags removed (linear time)."""
    if "<" not in markup:
        return markup
    if _INVISIBLE_ELEMENT.search(markup):
        markup = _drop_invisible(markup)
    if blocks_to_newlines:
        markup = _BLOCK_TAG.sub("\n", markup)
    return _TAG.sub("", markup)


def _drop_invisible(markup: str) -> str:
    """Remove <script>/<style>/<template> elements with their content."""
    lowered = markup.lower()
    parts: list[str] = []
    position = 0
    while True:
        match = _INVISIBLE_ELEMENT.search(markup, position)
        if match is None:
            parts.append(markup[position:])
            break
        parts.append(markup[position : match.start()])
        end = lowered.find(f"</{match.group(1).lower()}", match.end())
        if end < 0:
            break
        close = lowered.find(">", end)
        position = len(markup) if close < 0 else close + 1
    return "".join(parts)


def clean_title(value: Any) -> str:
    """A title as plain text: tags stripped, entities unescaped once more, bounded."""
    if not isinstance(value, str) or not value:
        return ""
    value = strip_tags(value[: MAX_TITLE * 4])
    if "&" in value:
        value = html.unescape(value)
    return truncate(clean_text(value), MAX_TITLE)


def plain_summary(markup: str) -> str:
    """Summary HTML to plain text with paragraph breaks, bounded."""
    text = strip_tags(markup[:MAX_SUMMARY_SOURCE], blocks_to_newlines=True)
    if "&" in text:
        text = html.unescape(text)
    return truncate(clean_text(text, keep_newlines=True), MAX_SUMMARY)


def title_from_summary(summary: str) -> str:
    """The start of the summary's first line as a title, or "(untitled)"."""
    first_line = summary.split("\n", 1)[0].strip()
    return truncate(first_line, TITLE_FROM_SUMMARY) if first_line else UNTITLED


def truncate(text: str, limit: int) -> str:
    """Cut at a word boundary near `limit` and mark the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


def bounded_guid(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:MAX_GUID] if value else None


_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


_URL_CHAR = r"[^\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\\;?#]"
_PORT = r"(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
"""A port number from 1 to 65535, without a leading zero."""
PLAIN_ABSOLUTE_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::" + _PORT + ")?"
    rf"(?:/{_URL_CHAR}*)?(?:\?{_URL_CHAR}+)?(?:#{_URL_CHAR}+)?\Z"
)
"""An absolute http(s) URL that `urljoin(base, url)` returns unchanged (no work needed).

Only ports from 1 to 65535 match; any other (0, 99999, a leading zero) is left to the
full check, which refuses them.
"""


def absolute_http_url(value: Any, base: str) -> str | None:
    """`value` resolved against `base`, if the result is an http(s) URL of sane length.

    None for anything a fetch could not use: another scheme (javascript:, data:),
    no host, or a port that is not a number from 1 to 65535 (`:99999`, `:abc`),
    which would otherwise fail much later, when someone opens the entry.
    """
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_URL:
        return None
    if PLAIN_ABSOLUTE_URL.match(value):
        return value
    value = _URL_JUNK.sub("", value)
    if value.lower().startswith("feed:"):
        value = (
            value[5:].removeprefix("//")
            if value[5:].lower().startswith(("//http", "http"))
            else "http:" + value[5:]
        )
    try:
        absolute = urljoin(base, value)
        parts = urlsplit(absolute)
        port, hostname = parts.port, parts.hostname  # both raise ValueError on a bad port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not hostname or port == 0:
        return None
    return str(absolute if absolute.startswith(scheme) else scheme + absolute[len(scheme) :])


def host(url: str) -> str:
    try:
        return clean_text(urlsplit(url).hostname or "") or url[:200]
    except ValueError:
        return url[:200]


def _completeness(entry: ParsedEntry) -> tuple[bool, int, bool]:
    return (entry.content_html is not None, len(entry.summary), entry.published is not None)


def dedupe(entries: Iterable[ParsedEntry]) -> list[ParsedEntry]:
    """One entry per guid (else link): the last, most complete copy wins, first position kept."""
    kept: dict[object, ParsedEntry] = {}
    for index, entry in enumerate(entries):
        key: object = entry.guid or entry.url or index
        previous = kept.get(key)
        if previous is None or _completeness(entry) >= _completeness(previous):
            kept[key] = entry
    return list(kept.values())


_MIME = re.compile(r"[\w.+-]{1,60}/[\w.+-]{1,60}")
"""A MIME type's "type/subtype" (its parameters and anything else left out)."""

MAX_ENCLOSURES = 10
"""Enclosures kept per item (a podcast has one; a hostile feed could list thousands)."""


def enclosures_of(found: Iterable[tuple[Any, Any, Any]], base: str) -> tuple[Enclosure, ...]:
    """(url, type, length) as the feed gives them -> checked, bounded `Enclosure`s."""
    kept: dict[str, Enclosure] = {}
    for url, kind, length in found:
        address = absolute_http_url(url if isinstance(url, str) else None, base)
        if address is None or address in kept:
            continue
        mime = _MIME.match(clean_text(kind)) if isinstance(kind, str) else None
        size = str(length).strip() if isinstance(length, (str, int)) else ""
        number = int(size) if size.isdigit() and len(size) < 16 and int(size) > 0 else None
        kept[address] = Enclosure(address, mime.group(0).lower() if mime else None, number)
        if len(kept) >= MAX_ENCLOSURES:
            break
    return tuple(kept.values())


def struct_to_iso(value: Any) -> str | None:
    """feedparser's UTC struct_time as "YYYY-MM-DDTHH:MM:SS+00:00" (None if unusable)."""
    return from_struct(value)
