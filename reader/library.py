"""The service the CLI and the TUI call: subscribe, refresh, open, save, search.

INTERFACE CONTRACT (the TUI and CLI are written against these signatures; the
implementation may add methods and keyword arguments, but not change these).

- Textual-free. Safe to call from any thread (one SQLite connection guarded by a
  lock, or one per thread); the TUI calls the sync methods from thread workers and
  awaits the async ones in async workers.
- Every failure the user can act on raises `reader.errors.ReaderError` with a
  one-line message and `where` (the URL / file / id). Nothing else escapes.
- All text it returns was passed through `reader.text.clean_text` before storage.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader.model import Article, Entry, Feed, SavedArticle

ProgressCallback = Callable[[int, int, "FeedResult | None"], None]
"""progress(done, total, result_of_the_feed_just_finished_or_None)."""


@dataclass(slots=True)
class FeedResult:
    """What happened to one feed during a refresh."""

    feed_id: int
    url: str
    status: str
    """"ok", "not_modified" or "failed"."""
    new_entries: int = 0
    error: str | None = None


@dataclass(slots=True)
class RefreshSummary:
    """What `refresh()` returns and `reader refresh --json` prints."""

    ok: int = 0
    not_modified: int = 0
    failed: int = 0
    new_entries: int = 0
    seconds: float = 0.0
    results: list[FeedResult] = field(default_factory=list)


@dataclass(slots=True)
class SearchHit:
    """One result of `search()`: an entry or a saved/cached article."""

    kind: str
    """"entry" or "article"."""
    id: int
    title: str
    url: str | None
    snippet: str
    feed_title: str | None = None
    published: str | None = None


class Library:
    """The user's library in `data_dir` (created on first use)."""

    def __init__(self, data_dir: Path) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # feeds -------------------------------------------------------------
    async def add_feed(self, url: str, *, category: str | None = None) -> Feed:
        """Subscribe; a page URL is followed to the feed it links; raises on non-feeds."""
        raise NotImplementedError

    def remove_feed(self, url_or_id: str | int) -> Feed:
        raise NotImplementedError

    def feeds(self) -> list[Feed]:
        """Every feed with unread/total counts and its last error."""
        raise NotImplementedError

    def set_full_article(self, feed_id: int, full_article: bool) -> None:
        raise NotImplementedError

    async def refresh(self, feed_ids: list[int] | None = None,
                      progress: ProgressCallback | None = None) -> RefreshSummary:
        raise NotImplementedError

    def import_opml(self, path: Path, progress: ProgressCallback | None = None) -> list[Feed]:
        raise NotImplementedError

    def export_opml(self) -> str:
        raise NotImplementedError

    # entries -----------------------------------------------------------
    def entries(self, *, feed_id: int | None = None, unread: bool = False, saved: bool = False,
                limit: int | None = None) -> list[Entry]:
        """Newest first."""
        raise NotImplementedError

    def entry(self, entry_id: int) -> Entry:
        raise NotImplementedError

    def mark_read(self, entry_id: int, read: bool = True) -> None:
        raise NotImplementedError

    def search(self, query: str, *, limit: int = 100) -> list[SearchHit]:
        raise NotImplementedError

    # articles ----------------------------------------------------------
    def cached_article(self, url: str) -> SavedArticle | None:
        """The saved or cached article for `url`, with no network at all."""
        raise NotImplementedError

    async def open_article(self, url: str, *, entry_id: int | None = None,
                           refresh: bool = False) -> SavedArticle:
        """Fetch, clean and cache the article at `url` (the cache answers when present)."""
        raise NotImplementedError

    async def save(self, url_or_entry_id: str | int) -> SavedArticle:
        """Fetch (or reuse the cached copy), clean and keep forever for offline reading."""
        raise NotImplementedError

    def unsave(self, article_id: int) -> None:
        raise NotImplementedError

    def saved(self) -> list[SavedArticle]:
        raise NotImplementedError

    def article(self, article_id: int) -> SavedArticle:
        """A saved or cached article by id, offline."""
        raise NotImplementedError


def clean_article(html: str | bytes, url: str | None) -> Article:
    """Engine entry used by the library (kept here so there is one path for every caller)."""
    from reader.article import clean

    return clean(html, url)
