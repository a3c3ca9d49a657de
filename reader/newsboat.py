"""A way in from newsboat: its `urls` file and the read and flagged state of its `cache.db`.

The `urls` file is one feed a line, the URL then its tags, quoted when they hold
spaces; a tag `~Title` renames the feed, `!` hides it, and a line
`"query:Name:expression"` is a query feed. Tags become our categories; query
feeds become saved searches where the expression says "these words in the
title or content" (the common case), and are named as skipped otherwise.
"""

from __future__ import annotations

import re
import shlex
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reader.dates import from_timestamp
from reader.errors import ReaderError
from reader.text import clean_text

MAX_CONTENT_CHARS = 2_000_000
"""Characters kept of one cached item's content."""

MAX_URLS_BYTES = 20_000_000
"""A urls file larger than this is not a newsboat urls file."""


@dataclass(frozen=True, slots=True)
class NewsboatFeed:
    """One subscription line."""

    url: str
    categories: tuple[str, ...] = ()
    title: str | None = None


@dataclass(frozen=True, slots=True)
class NewsboatQuery:
    """A query feed translated to our search syntax (see `reader.search_query`)."""

    name: str
    query: str


@dataclass(slots=True)
class UrlsFile:
    """What a urls file holds, and what of it we could not take."""

    feeds: list[NewsboatFeed] = field(default_factory=list)
    queries: list[NewsboatQuery] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """One line each: what was left out and why."""


@dataclass(frozen=True, slots=True)
class CachedItem:
    """An item of newsboat's cache with the state the user gave it."""

    feed_url: str
    guid: str
    url: str | None
    title: str
    read: bool
    flagged: bool
    author: str | None = None
    content_html: str | None = None
    published: str | None = None

    @property
    def summary(self) -> str:
        """The store keeps newsboat's content as the entry's text (it has no separate summary)."""
        return ""

    @property
    def updated(self) -> str | None:
        return None


def read_urls(path: Path) -> UrlsFile:
    """Parse a newsboat `urls` file; every line that cannot be used is named in `skipped`."""
    try:
        if path.stat().st_size > MAX_URLS_BYTES:
            raise ReaderError("too large for a newsboat urls file", str(path))
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise ReaderError(f"cannot read the file ({error.strerror or error})", str(path)) from None
    return parse_urls(text)


def parse_urls(text: str) -> UrlsFile:
    """Parse the text of a newsboat `urls` file."""
    result = UrlsFile()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            result.skipped.append(f"line {number}: unbalanced quotes")
            continue
        if words:
            _take_line(words, number, result)
    return result


def _take_line(words: list[str], number: int, result: UrlsFile) -> None:
    first, tags = words[0], words[1:]
    if first.startswith("query:"):
        _take_query(first, number, result)
        return
    if first.startswith(("exec:", "filter:")):
        result.skipped.append(f"line {number}: {first.split(':')[0]}: feeds run a program; skipped")
        return
    if not first.startswith(("http://", "https://")):
        result.skipped.append(f"line {number}: not a web address ({clean_text(first)[:80]})")
        return
    title = next((clean_text(t[1:]) for t in tags if t.startswith("~") and len(t) > 1), None)
    categories = tuple(
        dict.fromkeys(clean_text(t) for t in tags if t and t[0] not in "~!" and clean_text(t))
    )
    result.feeds.append(NewsboatFeed(first, categories, title))


_QUERY_WORDS = re.compile(r'^\s*(title|content|description)\s*(=~|#)\s*"([^"]*)"\s*$')


def _take_query(first: str, number: int, result: UrlsFile) -> None:
    parts = first.split(":", 2)
    name = clean_text(parts[1]) if len(parts) > 1 else ""
    expression = parts[2] if len(parts) > 2 else ""
    query = translate_query(expression)
    if not name or query is None:
        shown = clean_text(expression)[:80]
        result.skipped.append(f"line {number}: query {name or '?'!r} ({shown}) has no equivalent")
        return
    result.queries.append(NewsboatQuery(name, query))


def translate_query(expression: str) -> str | None:
    """A newsboat filter expression as our search syntax, or None when it has no equivalent.

    Translated: `title =~ "words"`, `content =~ "words"` and `title # "word"`, joined by
    `or` / `and`, where the pattern is plain words (alternatives with `|` become OR).
    """
    pieces = re.split(r"\s+(and|or)\s+", expression.strip())
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append("OR" if piece == "or" else "")
            continue
        match = _QUERY_WORDS.match(piece.strip("() "))
        if not match or not re.fullmatch(r"[\w\s|'-]+", match[3]) or not match[3].strip():
            return None
        alternatives = [a.strip() for a in match[3].split("|") if a.strip()]
        words = [f'"{a}"' if " " in a else a for a in alternatives]
        out.append(" OR ".join(words))
    return " ".join(part for part in out if part) or None


def read_cache(path: Path) -> Iterator[CachedItem]:
    """The items of newsboat's `cache.db`, opened read-only (newsboat may be running)."""
    if not path.is_file():
        raise ReaderError("no such file", str(path))
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise ReaderError(f"cannot open newsboat's cache ({error})", str(path)) from None
    try:
        rows = db.execute(
            "SELECT feedurl, guid, url, title, unread, COALESCE(flags, ''), author, content, "
            "pubDate FROM rss_item WHERE deleted = 0"
        )
        for feed_url, guid, url, title, unread, flags, author, content, published in rows:
            yield CachedItem(
                str(feed_url),
                str(guid or url or ""),
                url or None,
                clean_text(title),
                read=not unread,
                flagged=bool(str(flags).strip()),
                author=clean_text(author) or None,
                content_html=str(content)[:MAX_CONTENT_CHARS] if content else None,
                published=from_timestamp(published) if isinstance(published, int) else None,
            )
    except sqlite3.Error as error:
        raise ReaderError(f"not a newsboat cache ({error})", str(path)) from None
    finally:
        db.close()
