"""Every date the reader parses or prints, in one place.

Feeds, pages and HTTP headers write dates in a dozen ways; the library stores
one: UTC, to the second, as ISO 8601 ("2025-07-03T10:00:00+00:00"), which sorts
as text. A Unix timestamp is a moment in UTC, never in the machine's time zone,
so the same page gives the same date on every machine.
"""

from __future__ import annotations

import calendar
import email.utils
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta


def now_iso() -> str:
    """The current UTC time as stored everywhere."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def iso_after(seconds: float) -> str:
    """The stored form of the moment `seconds` from now (for retry times)."""
    return (datetime.now(UTC) + timedelta(seconds=seconds)).replace(microsecond=0).isoformat()


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time as an aware datetime (UTC when no zone is given).

    None when `value` is empty or not ISO 8601; a trailing "Z" is accepted.
    """
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def to_utc_iso(value: str | None) -> str | None:
    """Any ISO 8601 date or date-time as the stored UTC form, or None if unreadable."""
    if not value:
        return None
    if len(value) == 25 and value.endswith("+00:00") and value[10] == "T":
        return value  # already canonical: the common case, skip the parsing
    moment = parse_iso(value)
    return _stored(moment) if moment else None


def from_timestamp(seconds: float) -> str | None:
    """A Unix timestamp (seconds) as the stored UTC form; None when out of range."""
    try:
        return _stored(datetime.fromtimestamp(seconds, UTC))
    except (OverflowError, OSError, ValueError):
        return None


def date_from_timestamp(seconds: float) -> str | None:
    """A Unix timestamp as a UTC calendar date ("2025-07-03"); None when out of range."""
    try:
        return datetime.fromtimestamp(seconds, UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def from_struct(value: Sequence[int] | None) -> str | None:
    """A UTC `time.struct_time` (as feedparser gives) as the stored UTC form."""
    if not value:
        return None
    try:
        return from_timestamp(calendar.timegm((*tuple(value)[:6], 0, 0, 0)))
    except (TypeError, ValueError, OverflowError):
        return None


def seconds_until_http_date(value: str) -> float | None:
    """Seconds from now until an HTTP date (as in Retry-After), never negative."""
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - time.time())


def human_date(value: str | None) -> str | None:
    """A stored date as a person reads it: "3 July 2025", "3 July 2025, 10:00 UTC"."""
    moment = parse_iso(value)
    if moment is None:
        return None
    day = f"{moment.day} {moment.strftime('%B %Y')}"
    if value and len(value.strip()) <= 10:  # a date alone: no time of day to show
        return day
    return f"{day}, {moment.astimezone(UTC).strftime('%H:%M')} UTC"


def _stored(moment: datetime) -> str | None:
    try:
        return moment.astimezone(UTC).replace(microsecond=0).isoformat()
    except (OverflowError, ValueError):
        return None
