"""Turning untrusted feed and page text into inert display text.

Everything shown in the app goes through `safe()` (escape sequences, control
characters and bidi overrides removed, even if the library already did it) and
is then wrapped in `Content`/`Text` by the widgets, never parsed as markup.
"""

from __future__ import annotations

import re
from datetime import datetime

from reader.dates import parse_iso
from reader.text import clean_text


def safe(text: str | None) -> str:
    """`text` made safe to show on one line."""
    return clean_text(text) if text else ""


def safe_block(text: str | None) -> str:
    """`text` made safe to show, keeping line breaks."""
    return clean_text(text, keep_newlines=True) if text else ""


parse_time = parse_iso
"""An ISO 8601 string as an aware datetime (UTC assumed), None when unreadable."""


def age(value: str | None, now: datetime) -> str:
    """A compact age for a list column: "5m", "3h", "2d", "7w", or a year."""
    moment = parse_time(value)
    if moment is None:
        return ""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 86400 * 14:
        return f"{int(seconds // 86400)}d"
    if seconds < 86400 * 365:
        return f"{int(seconds // (86400 * 7))}w"
    return str(moment.year)


def long_date(value: str | None) -> str:
    """A date for the article header ("3 July 2025, 10:00"), or the raw text."""
    moment = parse_time(value)
    if moment is None:
        return safe(value)
    if len(value or "") <= 10:
        return f"{moment.day} {moment:%B %Y}"
    return f"{moment.day} {moment:%B %Y, %H:%M}"


_SUFFIXES = ("ing", "es", "ed", "ly", "er", "s")


def _stem(word: str) -> str:
    """A crude stem ("strikes" -> "strik"): the index stems, so a prefix match on it is fine."""
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def found_pattern(query: str) -> re.Pattern[str] | None:
    """What to highlight for a search `query`: its words (stemmed), its phrases; or None."""
    from reader.search_query import parse

    try:
        words = parse(query).words()
    except ValueError:
        return None
    parts = []
    for word in sorted(words, key=len, reverse=True):
        pieces = [re.escape(_stem(piece.casefold())) for piece in word.split()]
        if pieces and all(pieces):
            parts.append(r"\W+".join(pieces) + r"\w*")
    if not parts:
        return None
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


def found_spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """(start, end) of every match of `pattern` in `text`."""
    if pattern is None or not text:
        return []
    return [match.span() for match in pattern.finditer(text)]
