"""JSON Feed 1.0/1.1, read by hand: feedparser 6.0.x does not know the format.

Why its own module: a JSON document has none of XML's traps (entities,
encodings) but its own (any type where a string is expected, nesting 100k
deep); every field is checked for its type before it is used.
"""

from __future__ import annotations

import html
import json
from typing import Any

from reader.dates import parse_iso, to_utc_iso
from reader.feeds import _feedparser_private as private
from reader.feeds.clean import (
    absolute_http_url,
    bounded_guid,
    clean_title,
    dedupe,
    enclosures_of,
    host,
    plain_summary,
    struct_to_iso,
    title_from_summary,
    truncate,
)
from reader.feeds.limits import (
    MAX_AUTHOR,
    MAX_CONTENT,
    MAX_ENTRIES,
    MAX_SUMMARY,
    MAX_SUMMARY_SOURCE,
)
from reader.feeds.model import NotAFeed, ParsedEntry, ParsedFeed
from reader.text import clean_text, strip_unsafe


def parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (also the common variants whose version is just "1.1")."""
    try:
        document = json.loads(body)
    except json.JSONDecodeError as exc:
        raise NotAFeed(f"not a feed: invalid JSON at line {exc.lineno} ({exc.msg})", url) from None
    except (ValueError, RecursionError):
        raise NotAFeed("not a feed: invalid JSON", url) from None
    if not isinstance(document, dict) or not _is_json_feed(document):
        raise NotAFeed("not a feed: JSON document that is not a JSON Feed", url)
    base = absolute_http_url(_string(document.get("feed_url")), url) or url
    items = document.get("items")
    raw_items = items[:MAX_ENTRIES] if isinstance(items, list) else []
    parsed = (_entry_from_json(item, base) for item in raw_items if isinstance(item, dict))
    entries = dedupe(parsed)
    return ParsedFeed(
        title=clean_title(_string(document.get("title"))) or host(url),
        site_url=absolute_http_url(_string(document.get("home_page_url")), base),
        entries=entries,
        kind="json",
    )


def _is_json_feed(document: dict[str, Any]) -> bool:
    version = document.get("version")
    if isinstance(version, str) and "jsonfeed.org/version" in version:
        return True
    return isinstance(document.get("items"), list) and (
        isinstance(version, str) or "title" in document
    )


def _entry_from_json(item: dict[str, Any], base: str) -> ParsedEntry:
    content_html = _string(item.get("content_html"))
    content_text = _string(item.get("content_text"))
    summary_source = _string(item.get("summary")) or content_html or ""
    if summary_source:
        summary = plain_summary(summary_source)
    else:
        summary = truncate(
            clean_text((content_text or "")[:MAX_SUMMARY_SOURCE], keep_newlines=True), MAX_SUMMARY
        )
    if content_html is None and content_text:
        content_html = "<p>" + html.escape(content_text[:MAX_CONTENT]) + "</p>"
    identifier = item.get("id")
    if isinstance(identifier, int | float) and not isinstance(identifier, bool):
        identifier = str(identifier)
    published = _iso_from_text(_string(item.get("date_published")))
    updated = _iso_from_text(_string(item.get("date_modified")))
    url = absolute_http_url(_string(item.get("url")), base) or absolute_http_url(
        _string(item.get("external_url")), base
    )
    return ParsedEntry(
        guid=bounded_guid(identifier),
        title=clean_title(_string(item.get("title"))) or title_from_summary(summary),
        url=url,
        author=_json_author(item),
        summary=summary,
        content_html=strip_unsafe(content_html[:MAX_CONTENT]) if content_html else None,
        published=published or updated,
        updated=updated,
        enclosures=enclosures_of(
            (
                (a.get("url"), a.get("mime_type"), a.get("size_in_bytes"))
                for a in _attachments(item.get("attachments"))
            ),
            base,
        ),
    )


def _attachments(value: Any) -> list[dict[str, Any]]:
    """JSON Feed's `attachments`: a list of objects (anything else is ignored)."""
    return [a for a in value[:100] if isinstance(a, dict)] if isinstance(value, list) else []


def _json_author(item: dict[str, Any]) -> str | None:
    """`authors` (1.1) or `author` (1.0): the names joined with commas."""
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    names = [
        clean_text(author["name"])
        for author in candidates[:20]
        if isinstance(author, dict) and isinstance(author.get("name"), str)
    ]
    joined = ", ".join(name for name in names if name)
    return joined[:MAX_AUTHOR] or None


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _iso_from_text(value: str | None) -> str | None:
    """An RFC 3339 / ISO 8601 date (or anything feedparser can read) as UTC ISO."""
    if not value:
        return None
    value = value.strip()[:100]
    if parse_iso(value) is not None:
        return to_utc_iso(value)
    try:
        return struct_to_iso(private.parse_date(value))
    except Exception:  # feedparser's date handlers are lenient, not total
        return None
