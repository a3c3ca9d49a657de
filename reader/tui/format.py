"""Turning untrusted feed and page text into inert display text.

Everything shown in the app goes through `safe()` (escape sequences, control
characters and bidi overrides removed, even if the library already did it) and
is then wrapped in `Content`/`Text` by the widgets, never parsed as markup.
"""

from __future__ import annotations

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
