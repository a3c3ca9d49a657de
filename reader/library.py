"""The service the CLI and the TUI call: subscribe, refresh, open, save, search.

INTERFACE CONTRACT (the TUI and CLI are written against these signatures; the
implementation may add methods and keyword arguments, but not change these).

- Textual-free. Safe to call from any thread: reads use a SQLite connection of the
  calling thread's own and never wait for a write (WAL); writes share one
  connection behind a lock and may wait up to `store.BUSY_TIMEOUT_SECONDS` (5 s)
  for another process, then raise `LibraryBusy`. So the TUI calls the sync methods
  from thread workers (never a write on its main thread) and awaits the async
  ones in async workers. `read_only` says why a library opened read-only cannot
  be written (its writing methods raise `ReaderError` with that reason).
- Every failure the user can act on raises `reader.errors.ReaderError` with a
  one-line message and `where` (the URL / file / id). Nothing else escapes.
- All text it returns was passed through `reader.text.clean_text` before storage.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from reader.dates import iso_after, to_utc_iso
from reader.errors import LibraryBusy, ReaderError
from reader.filters import Rules, SavedSearch
from reader.model import Article, Entry, Feed, SavedArticle
from reader.store import FeedUpdate, HitKind, Store
from reader.text import clean_text, strip_unsafe

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import Executor

    from reader.feeds import Capped, ParsedFeed
    from reader.net import Fetcher
    from reader.newsboat import CachedItem, NewsboatQuery
    from reader.stories import Grouper, GroupingStats, RelatedMatch, StoryView

POOL_THRESHOLD = 8
"""With `parse_workers`, refreshing at least this many feeds parses them in processes."""
MAX_RETRY_AFTER = 6 * 3600
"""Longest Retry-After obeyed across refreshes (seconds); a longer one is shortened."""
MAX_OPML_BYTES = 20 * 2**20
"""Largest OPML file read by `import_opml` (a subscription list is kilobytes)."""
MAX_DISCOVERED_TRIES = 5
"""Feed links of a page tried in turn when subscribing to the page."""

_FILTERS_KEY = "filters"
"""The `state` row holding the signature of the filters last applied."""

ProgressCallback = Callable[[int, int, "FeedResult | None"], None]
"""progress(done, total, result_of_the_feed_just_finished_or_None)."""


FeedStatus = Literal["ok", "not_modified", "failed"]
"""How one feed's refresh ended: new content stored, nothing changed (304), or an error."""


@dataclass(slots=True)
class _Opening:
    """An article being fetched and cleaned, and how many callers wait for it."""

    task: asyncio.Task[SavedArticle]
    waiters: int = 0
    abandoned: bool = False
    """Every caller left and the task was cancelled: a new caller starts a new one."""


@dataclass(slots=True)
class FeedResult:
    """What happened to one feed during a refresh."""

    feed_id: int
    url: str
    status: FeedStatus
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
class NewsboatImport:
    """What `import_newsboat` did."""

    added: list[Feed]
    queries: list[NewsboatQuery]
    """Query feeds translated to saved searches (the caller writes them to the config)."""
    skipped: list[str]
    """One line per thing left out, saying why."""
    entries: int = 0
    read: int = 0
    saved: int = 0


@dataclass(slots=True)
class SavedSearchCount:
    """A saved search as the feed tree shows it."""

    name: str
    query: str
    unread: int
    total: int


@dataclass(slots=True)
class SearchHit:
    """One result of `search()`: an entry or a saved/cached article."""

    kind: HitKind
    """An entry of a feed, or a saved/cached article that no entry leads to."""
    id: int
    title: str
    url: str | None
    snippet: str
    feed_title: str | None = None
    published: str | None = None
    saved: bool = False
    """The story is saved for offline reading."""


class Library:
    """The user's library in `data_dir` (created on first use).

    Cheap to construct: it opens SQLite and nothing else. httpx, feedparser and
    the article engine are imported by the methods that need them.

    Network limits default to `reader.net` (MAX_CONNECTIONS, PER_HOST, timeouts);
    the keyword arguments, else $READER_MAX_CONNECTIONS / $READER_PER_HOST /
    $READER_TIMEOUT / $READER_DEADLINE (whole seconds), override them.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        max_connections: int | None = None,
        per_host: int | None = None,
        timeout: float | None = None,
        deadline: float | None = None,
        parse_workers: int | None = None,
        rules: Rules | Literal["config"] = "config",
        proxy: str | Literal["config"] | None = "config",
    ) -> None:
        from reader.config import DATABASE_NAME

        self.data_dir = Path(data_dir)
        self.store = Store.open(self.data_dir / DATABASE_NAME)
        self._max_connections = max_connections or _env_int("READER_MAX_CONNECTIONS")
        self._per_host = per_host or _env_int("READER_PER_HOST")
        self._timeout = timeout or _env_int("READER_TIMEOUT")
        self._deadline = deadline or _env_int("READER_DEADLINE")
        self.parse_workers = (
            parse_workers if parse_workers is not None else (_env_int("READER_PARSE_WORKERS") or 0)
        )
        """Processes that parse feeds during a big refresh; 0 (the default) parses in
        threads, which measured faster on 2 shared cores (no start-up, no pickling)."""
        if proxy == "config" or rules == "config":
            from reader.config import load_settings

            settings = load_settings()
            proxy = settings.proxy if proxy == "config" else proxy
            rules = settings.rules if rules == "config" else rules
        self.proxy = proxy
        """An http:// proxy for every request; None follows HTTP_PROXY, HTTPS_PROXY,
        ALL_PROXY and NO_PROXY; "" means none (the `proxy` config key)."""
        assert not isinstance(rules, str)
        self.rules: Rules = rules
        """The config's filters and saved searches."""
        self._last_bulk_read: list[int] = []
        if self.rules.filters or self.store.state(_FILTERS_KEY):
            with contextlib.suppress(ReaderError):  # a read-only library keeps its old flags
                self.apply_filters()
        self._grouper: Grouper | None = None
        """The open stories kept in memory between grouping passes (reader.stories)."""
        self._grouping = threading.Lock()
        self._opening: dict[str, _Opening] = {}
        """Articles being fetched and cleaned, by URL: a second open joins the first."""

    @property
    def opening(self) -> frozenset[str]:
        """The URLs whose article is being fetched and cleaned right now."""
        return frozenset(self._opening)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fetcher(self) -> Fetcher:
        from reader import net

        return net.Fetcher(
            max_connections=self._max_connections or net.MAX_CONNECTIONS,
            per_host=self._per_host or net.PER_HOST,
            timeout=self._timeout or net.REQUEST_TIMEOUT,
            deadline=self._deadline or net.DEADLINE,
            proxy=self.proxy,
        )

    # feeds -------------------------------------------------------------
    async def add_feed(
        self, url: str, *, category: str | None = None, categories: tuple[str, ...] = ()
    ) -> Feed:
        """Subscribe; a page URL is followed to the feed it links; raises on non-feeds."""
        import asyncio

        from reader.feeds import discover_feeds, looks_like_html, parse_feed

        self._check_writable()
        url = _normalise_url(url)
        self._refuse_duplicate(url)
        async with self._fetcher() as fetcher:
            result = await fetcher.fetch(url)
            if looks_like_html(result.body, result.content_type):
                candidates = discover_feeds(result.body, result.url)
                if not candidates:
                    raise ReaderError("not a feed: HTML page that links to no feed", url)
                problem: ReaderError | None = None
                for candidate in candidates[:MAX_DISCOVERED_TRIES]:
                    try:
                        result = await fetcher.fetch(candidate)
                        parsed = await asyncio.to_thread(
                            parse_feed, result.body, result.url, result.content_type
                        )
                    except ReaderError as error:
                        problem = error
                        continue
                    url = candidate
                    break
                else:
                    reason = problem.message if problem else "unreadable"
                    raise ReaderError(
                        f"the page links to feeds, but none could be read ({reason})", url
                    )
            else:
                parsed = await asyncio.to_thread(
                    parse_feed, result.body, result.url, result.content_type
                )
        feed_url = result.moved_to or url
        self._refuse_duplicate(feed_url)
        title = clean_text(parsed.title) or _host(feed_url)
        names = _clean_names((category, *categories) if category else categories)
        feed = self.store.add_feed(feed_url, title, site_url=parsed.site_url, categories=names)
        if feed is None:
            raise ReaderError("already subscribed", feed_url)
        newest_before = self.store.last_entry_id()
        await asyncio.to_thread(
            self.store.apply_update,
            FeedUpdate(
                feed_id=feed.id,
                title=title,
                site_url=parsed.site_url,
                etag=result.etag,
                last_modified=result.last_modified,
                entries=parsed.entries,
                warning=parsed.warning if parsed.incomplete else None,
            ),
        )
        await asyncio.to_thread(self._hide_filtered_since, newest_before)
        await asyncio.to_thread(self._group_quietly)
        return self._feed(feed.id)

    @property
    def read_only(self) -> str | None:
        """Why this library cannot be written (it was opened read-only), or None."""
        return self.store.read_only

    def _check_writable(self) -> None:
        """Refuse a writing command on a read-only library before any network work."""
        if self.store.read_only is not None:
            raise ReaderError(
                f"{self.store.read_only}; this command needs to write to it", str(self.store.path)
            )

    def _refuse_duplicate(self, url: str) -> None:
        existing = self.store.feed_by_url(url)
        if existing is not None:
            raise ReaderError(f"already subscribed (feed {existing.id})", url)

    def _feed(self, feed_id: int) -> Feed:
        _check_id(feed_id, "feed")
        found = self.store.feeds([feed_id])
        if not found:
            raise ReaderError(f"no feed with id {feed_id}")
        return found[0]

    def feed(self, url_or_id: str | int) -> Feed:
        """One feed by id or URL, with its counts."""
        if isinstance(url_or_id, int) or str(url_or_id).strip().isdigit():
            return self._feed(int(url_or_id))
        found = self.store.feed_by_url(str(url_or_id).strip())
        if found is None:
            raise ReaderError("not subscribed", str(url_or_id))
        return self._feed(found.id)

    def remove_feed(self, url_or_id: str | int) -> Feed:
        feed = self.feed(url_or_id)
        self.store.remove_feed(feed.id)
        return feed

    def feeds(self) -> list[Feed]:
        """Every feed with unread/total counts and its last error."""
        return self.store.feeds()

    def set_full_article(self, feed_id: int, full_article: bool) -> None:
        self.edit_feed(feed_id, full_article=full_article)

    def edit_feed(
        self,
        feed_id: int,
        *,
        title: str | None = None,
        categories: tuple[str, ...] | list[str] | None = None,
        full_article: bool | None = None,
    ) -> Feed:
        """Rename a feed, set its categories or its full-article policy; returns it updated."""
        self._feed(feed_id)
        if title is not None and not clean_text(title):
            raise ReaderError("a feed needs a title", str(feed_id))
        self.store.edit_feed(
            feed_id,
            title=clean_text(title) if title is not None else None,
            categories=_clean_names(categories) if categories is not None else None,
            full_article=full_article,
        )
        return self._feed(feed_id)

    async def refresh(
        self, feed_ids: list[int] | None = None, progress: ProgressCallback | None = None
    ) -> RefreshSummary:
        """Fetch feeds concurrently; each feed's outcome is stored as soon as it is known.

        Failures are recorded per feed and never stop the others. Parsing runs in
        a process pool when many feeds are refreshed (threads otherwise), so the
        caller's event loop stays responsive.
        """
        import asyncio

        started = time.monotonic()
        self._check_writable()
        feeds = self.store.feeds(feed_ids)
        summary = RefreshSummary()
        total = len(feeds)
        if progress:
            progress(0, total, None)
        if not feeds:
            return summary
        newest_before = self.store.last_entry_id()
        parsers = Parsers(self.parse_workers if total >= POOL_THRESHOLD else 0)
        writer = BatchWriter(self.store)
        unchanged: list[int] = []
        waiting = self.store.waiting_feeds()
        busy = False
        try:
            async with self._fetcher() as fetcher:
                tasks = [
                    asyncio.ensure_future(
                        self._refresh_one(fetcher, parsers, writer, feed, unchanged)
                        if feed.id not in waiting
                        else _still_waiting(feed, waiting[feed.id])
                    )
                    for feed in feeds
                ]
                try:
                    for done, next_result in enumerate(asyncio.as_completed(tasks), 1):
                        result = await next_result
                        summary.results.append(result)
                        if result.status == "ok":
                            summary.ok += 1
                            summary.new_entries += result.new_entries
                        elif result.status == "not_modified":
                            summary.not_modified += 1
                        else:
                            summary.failed += 1
                        if progress:
                            progress(done, total, result)
                finally:
                    for task in tasks:
                        task.cancel()
                    # Collect them all, so none is left with an exception never retrieved.
                    await asyncio.gather(*tasks, return_exceptions=True)
        except LibraryBusy:
            busy = True
            raise
        finally:
            parsers.close()
            await writer.aclose()
            if unchanged and not busy:
                await asyncio.to_thread(self.store.mark_fetched, unchanged)
        if summary.new_entries:
            hidden = await asyncio.to_thread(self._hide_filtered_since, newest_before)
            summary.new_entries = max(0, summary.new_entries - hidden)
            await asyncio.to_thread(self._group_quietly)
        summary.seconds = round(time.monotonic() - started, 3)
        return summary

    async def _refresh_one(
        self,
        fetcher: Fetcher,
        parsers: Parsers,
        writer: BatchWriter,
        feed: Feed,
        unchanged: list[int],
    ) -> FeedResult:
        """Fetch, parse and store one feed; every failure becomes a failed result."""
        import asyncio

        try:
            result = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
            if result.not_modified:
                if result.moved_to:
                    await asyncio.to_thread(
                        self.store.apply_update,
                        FeedUpdate(
                            feed.id,
                            etag=result.etag,
                            last_modified=result.last_modified,
                            new_url=result.moved_to,
                            not_modified=True,
                        ),
                    )
                else:
                    unchanged.append(feed.id)
                return FeedResult(feed.id, result.moved_to or feed.url, "not_modified")
            parsed, problem = await parsers.parse(result.body, result.url, result.content_type)
            if parsed is None:
                raise ReaderError(problem or "not a feed", feed.url)
            new = await writer.write(
                FeedUpdate(
                    feed_id=feed.id,
                    title=clean_text(parsed.title),
                    site_url=parsed.site_url,
                    etag=result.etag,
                    last_modified=result.last_modified,
                    new_url=result.moved_to,
                    entries=parsed.entries,
                    warning=parsed.warning if parsed.incomplete else None,
                )
            )
            return FeedResult(feed.id, result.moved_to or feed.url, "ok", new_entries=new)
        except (asyncio.CancelledError, LibraryBusy):
            raise  # a busy library stops the whole refresh: every write would wait as long
        except ReaderError as error:
            message = error.message
            wait = getattr(error, "retry_after", None)
        except Exception as error:  # one broken feed must never stop the others
            # One line, no escapes: it is shown in `reader feeds` and in the app.
            message = clean_text(f"internal error: {type(error).__name__}: {error}")[:300]
            wait = None
        retry_at = _after(min(wait, MAX_RETRY_AFTER)) if wait else None
        # If the library itself is failing, the result still carries the feed's reason.
        try:
            await asyncio.to_thread(self.store.record_failure, feed.id, message, retry_at=retry_at)
        except LibraryBusy:
            raise
        except ReaderError:
            pass
        return FeedResult(feed.id, feed.url, "failed", error=message)

    def import_opml(self, path: Path, progress: ProgressCallback | None = None) -> Capped[Feed]:
        """Subscribe to every feed of an OPML file (no network: refresh fetches them).

        Feeds already subscribed are skipped; returns the newly added ones, and in
        `.skipped` how many feed outlines past the cap were not read.
        """
        from reader.feeds import Capped, parse_opml
        from reader.urls import check_web_url

        self._check_writable()
        path = Path(path)
        data = read_local_file(path, MAX_OPML_BYTES)
        outlines = parse_opml(data, str(path))
        rows = []
        for outline in outlines:
            url = outline.url.strip()
            try:
                check_web_url(url)  # http(s), a host, a valid port: else never fetchable
            except ReaderError:
                continue
            rows.append(
                (
                    url,
                    clean_text(outline.title) or _host(url),
                    _clean_names(list(outline.categories)),
                )
            )
        added = self.store.add_feeds(rows)
        if progress:
            progress(len(rows), len(rows), None)
        return Capped(added, outlines.skipped)  # `.skipped`: outlines past the cap, not read

    def import_newsboat(self, urls: Path, cache: Path | None = None) -> NewsboatImport:
        """Subscribe to the feeds of newsboat's `urls` file (tags become categories) and,
        with its `cache.db`, take its items with their read state; flagged items are saved
        from the text newsboat kept. No network: `refresh` fetches the feeds afterwards.
        """
        from reader.newsboat import read_urls

        listing = read_urls(Path(urls))
        rows = [
            (f.url, f.title or _host(f.url), _clean_names(list(f.categories)))
            for f in listing.feeds
        ]
        result = NewsboatImport(self.store.add_feeds(rows), listing.queries, listing.skipped)
        if cache is not None:
            self._import_newsboat_cache(Path(cache), result)
        return result

    def _import_newsboat_cache(self, cache: Path, result: NewsboatImport) -> None:
        from reader.newsboat import read_cache
        from reader.store import entry_key

        feeds = {feed.url: feed.id for feed in self.store.feeds()}
        by_feed: dict[int, list[CachedItem]] = {}
        for item in read_cache(cache):
            if item.feed_url in feeds:
                by_feed.setdefault(feeds[item.feed_url], []).append(item)
        self.store.apply_updates(
            [FeedUpdate(feed_id, entries=items) for feed_id, items in by_feed.items()]
        )
        items = [(feed_id, item) for feed_id, group in by_feed.items() for item in group]
        self.store.mark_read_by_key([(f, entry_key(i)) for f, i in items if i.read])
        result.entries = len(items)
        result.read = sum(1 for _, item in items if item.read)
        for feed_id, item in items:
            if item.flagged:
                self._save_imported(feed_id, item, result)

    def _save_imported(self, feed_id: int, item: CachedItem, result: NewsboatImport) -> None:
        """Keep a flagged newsboat item as a saved article, from the text newsboat kept."""
        from reader.store import entry_key

        if not item.url or not item.content_html:
            result.skipped.append(f"flagged item {item.title!r} has no link or text to save")
            return
        article = clean_article(item.content_html, item.url)
        article.title = article.title or item.title
        entry_id = self.store.entry_id_by_key(feed_id, entry_key(item))
        stored = self.store.put_article(item.url, article, item.content_html, entry_id=entry_id)
        self.store.set_saved(stored.id, True)
        result.saved += 1

    def export_opml(self) -> str:
        from reader.feeds import write_opml

        return write_opml(self.feeds())

    # entries -----------------------------------------------------------
    def entries(
        self,
        *,
        feed_id: int | None = None,
        unread: bool = False,
        saved: bool = False,
        limit: int | None = None,
        summaries: bool = True,
        saved_search: str | None = None,
    ) -> list[Entry]:
        """Newest first (`content_html` is left out; `entry()` has it).

        `summaries=False` skips the summary text, for lists that show only titles.
        `saved_search` names one of the config's saved searches.
        """
        match = self._saved_search(saved_search).fts if saved_search is not None else None
        return self.store.entries(
            feed_id=feed_id,
            unread=unread,
            saved=saved,
            limit=limit,
            summaries=summaries,
            match=match,
        )

    def entry(self, entry_id: int) -> Entry:
        _check_id(entry_id, "entry")
        found = self.store.entry(entry_id)
        if found is None:
            raise ReaderError(f"no entry with id {entry_id}")
        return found

    def mark_read(self, entry_id: int, read: bool = True) -> None:
        """Mark one entry; reading it reads the same page in other feeds too (the store's
        rule: same URL, normalised URL or a redirect seen)."""
        _check_id(entry_id, "entry")
        if not self.store.mark_read(entry_id, read):
            raise ReaderError(f"no entry with id {entry_id}")

    def mark_all_read(
        self,
        *,
        feed_id: int | None = None,
        before: str | None = None,
        saved_search: str | None = None,
        entry_ids: list[int] | None = None,
    ) -> int:
        """Mark every unread entry of a feed, a saved search, a list of ids or the whole
        library read (only those published before `before`, an ISO date, if given).

        Returns how many changed; `undo_mark_all_read` reverts exactly this, until the next.
        """
        if feed_id is not None:
            self._feed(feed_id)
        if before is not None:
            stamp = to_utc_iso(before)
            if stamp is None:
                raise ReaderError("not a date (expected YYYY-MM-DD)", before)
            before = stamp
        match = self._saved_search(saved_search).fts if saved_search is not None else None
        changed = self.store.mark_many_read(
            feed_ids=None if feed_id is None else [feed_id],
            before=before,
            match=match,
            entry_ids=entry_ids,
        )
        self._last_bulk_read = changed
        return len(changed)

    def undo_mark_all_read(self) -> int:
        """Mark unread again what the last `mark_all_read` marked; returns how many."""
        changed, self._last_bulk_read = self._last_bulk_read, []
        if changed:
            self.store.set_read(changed, False)
        return len(changed)

    # filters and saved searches --------------------------------------------
    def apply_filters(self) -> int:
        """Hide what the config's filters reject, when they changed since the last time.

        Returns how many entries the filters hide (0 when nothing had to be done).
        """
        signature = self.rules.signature()
        if self.store.state(_FILTERS_KEY) == signature:
            return 0
        hidden = self.store.hide_filtered(self.rules.checker(), fields=self.rules.fields())
        self.store.set_state(_FILTERS_KEY, signature)
        return hidden

    def _hide_filtered_since(self, entry_id: int) -> int:
        """Apply the filters to the entries stored after `entry_id`; how many they hide."""
        if not self.rules.filters:
            return 0
        return self.store.hide_filtered(
            self.rules.checker(), since_id=entry_id, fields=self.rules.fields()
        )

    def saved_searches(self) -> list[SavedSearchCount]:
        """The config's saved searches with their unread and total counts."""
        counts = []
        for search in self.rules.saved_searches:
            unread, total = self.store.counts(match=search.fts)
            counts.append(SavedSearchCount(search.name, search.query, unread, total))
        return counts

    def _saved_search(self, name: str) -> SavedSearch:
        found = self.rules.saved_search(name)
        if found is None:
            known = ", ".join(s.name for s in self.rules.saved_searches) or "none in the config"
            raise ReaderError(f"no saved search of that name (known: {known})", name)
        return found

    def search(self, query: str, *, limit: int = 100) -> list[SearchHit]:
        """Entries and saved/cached articles matching `query`, best first, one hit per story.

        An entry and its saved or cached copy are one hit: the entry, marked `saved`
        when the copy is saved. The syntax is `reader.search_query`'s.
        """
        hits: dict[str, SearchHit] = {}
        for row in self.store.search(query, max(1, limit)):
            key = _same_story_key(row.url) if row.url else f"{row.kind}:{row.id}"
            earlier = hits.get(key)
            if earlier is None:
                hits[key] = SearchHit(
                    kind=row.kind,
                    id=row.id,
                    title=row.title,
                    url=row.url,
                    snippet=clean_text(row.snippet),
                    feed_title=row.feed_title,
                    published=row.published,
                    saved=row.saved,
                )
                continue
            earlier.saved = earlier.saved or row.saved
            if earlier.kind == "article" and row.kind == "entry":
                earlier.kind, earlier.id, earlier.feed_title = "entry", row.id, row.feed_title
        for hit in hits.values():
            if hit.kind == "article" and hit.url and (same := self.store.entries_by_url(hit.url)):
                hit.kind, hit.id, hit.feed_title = "entry", same[0].id, same[0].feed_title
        return list(hits.values())

    def search_count(self, query: str) -> int:
        """How many entries and saved or cached articles match `query`, exactly (`search`
        ranks only the newest few thousand of them; an entry and its copy count twice)."""
        return self.store.search_count(query)

    # articles ----------------------------------------------------------
    def cached_article(self, url: str) -> SavedArticle | None:
        """The saved or cached article for `url`, with no network at all."""
        return self.store.article_by_url(url)

    async def open_article(
        self, url: str, *, entry_id: int | None = None, refresh: bool = False
    ) -> SavedArticle:
        """Fetch, clean and cache the article at `url` (the cache answers when present).

        One fetch and clean per URL at a time: a second call while the first runs
        waits for the same result. When every caller has stopped waiting (the reader
        moved on), the work is cancelled, the clean included (`reader.interruptible`).
        """
        if not refresh:
            cached = self.store.article_by_url(url)
            if cached is not None and cached.article is not None:
                return cached
        import asyncio

        opening = self._opening.get(url)
        if opening is None or opening.abandoned:  # being cancelled: start afresh
            task = asyncio.ensure_future(self._fetch_and_clean(url, entry_id))
            opening = self._opening[url] = _Opening(task)
            task.add_done_callback(lambda done: self._opened(url, done))
        opening.waiters += 1
        try:
            return await asyncio.shield(opening.task)
        finally:
            opening.waiters -= 1
            if opening.waiters == 0 and not opening.task.done():
                opening.abandoned = True
                opening.task.cancel()

    def _opened(self, url: str, task: asyncio.Task[SavedArticle]) -> None:
        """Forget a finished open (and mark its error as seen: its callers have it)."""
        if (opening := self._opening.get(url)) is not None and opening.task is task:
            del self._opening[url]
        if not task.cancelled():
            task.exception()

    async def _fetch_and_clean(self, url: str, entry_id: int | None) -> SavedArticle:
        import asyncio

        from reader.interruptible import run_interruptible
        from reader.net import PAGE_ACCEPT

        async with self._fetcher() as fetcher:
            result = await fetcher.fetch(url, accept=PAGE_ACCEPT)
        if not _is_page(result.content_type):
            raise ReaderError(f"not a web page ({result.content_type})", url)
        if not result.body.strip():
            raise ReaderError("the page is empty", url)
        article = await run_interruptible(
            lambda: clean_article(result.body, result.url, content_type=result.content_type)
        )
        if not article.title and not any(section.paragraphs for section in article.sections):
            raise ReaderError("no article text on the page", url)
        if not article.url:
            article.url = result.url
        if not article.title and entry_id is not None:
            entry = self.store.entry(entry_id)
            article.title = entry.title if entry else ""
        if self.store.read_only is not None:  # shown, not cached: the library cannot keep it
            return SavedArticle(0, url, article.title, article.site, None, "", entry_id, article)
        page = _decode_page(result.body, result.content_type)
        stored = await asyncio.to_thread(
            self.store.put_article, url, article, page, entry_id=entry_id
        )
        await asyncio.to_thread(self._article_stored, url, result.url, stored, entry_id)
        return stored

    async def save(self, url_or_entry_id: str | int) -> SavedArticle:
        """Fetch (or reuse the cached copy), clean and keep forever for offline reading.

        When the page cannot be fetched, an entry that carries its full text in
        the feed is saved from that text instead.
        """
        import asyncio

        from reader.interruptible import run_interruptible

        self._check_writable()
        entry: Entry | None = None
        if isinstance(url_or_entry_id, int) or str(url_or_entry_id).strip().isdigit():
            entry = self.entry(int(url_or_entry_id))
            if not entry.url:
                raise ReaderError(f"entry {entry.id} has no link to save")
            url = entry.url
        else:
            url = _normalise_url(str(url_or_entry_id))
            found = self.store.entries_by_url(url)
            entry = found[0] if found else None
        entry_id = entry.id if entry else None
        try:
            stored = await self.open_article(url, entry_id=entry_id)
        except ReaderError:
            if entry is None:
                raise
            entry = self.entry(entry.id)
            if not entry.content_html:
                raise
            html = entry.content_html
            article = await run_interruptible(lambda: clean_article(html, url))
            article.title = article.title or entry.title
            stored = await asyncio.to_thread(
                self.store.put_article, url, article, entry.content_html, entry_id=entry.id
            )
            await asyncio.to_thread(self._article_stored, url, url, stored, entry.id)
        await asyncio.to_thread(self.store.set_saved, stored.id, True)
        return self.article(stored.id)

    def unsave(self, article_id: int) -> None:
        _check_id(article_id, "saved article")
        if not self.store.set_saved(article_id, False):
            raise ReaderError(f"no saved article with id {article_id}")

    def saved(self) -> list[SavedArticle]:
        """Saved articles, most recently saved first (without bodies; `article()` has them)."""
        return self.store.saved_articles()

    def article(self, article_id: int) -> SavedArticle:
        """A saved or cached article by id, offline."""
        _check_id(article_id, "saved or cached article")
        found = self.store.article(article_id)
        if found is None:
            raise ReaderError(f"no saved or cached article with id {article_id}")
        return found

    def article_html(self, article_id: int) -> str | None:
        """The page HTML kept with a saved or cached article (None if none was kept)."""
        self.article(article_id)
        return self.store.article_html(article_id)

    # stories (reader.stories) -------------------------------------------
    def group_stories(self) -> GroupingStats:
        """Give every entry stored since the last pass its story (called by refresh)."""
        from reader.stories import Grouper

        with self._grouping:
            grouper = self._grouper = self._grouper or Grouper()
            return grouper.run(self.store)

    def _group_quietly(self) -> None:
        """Grouping never fails a refresh: what is left ungrouped joins at the next pass."""
        with contextlib.suppress(ReaderError):
            self.group_stories()

    def stories(
        self, *, since: str | None = None, min_size: int = 2, limit: int | None = None
    ) -> list[StoryView]:
        """Stories with at least `min_size` entries, newest first (`since`: ISO date)."""
        from reader.stories import StoryView, epoch, representative

        start = None
        if since is not None:
            start = epoch(since, float("nan"))
            if start != start:  # NaN: unreadable
                raise ReaderError("not a date (use YYYY-MM-DD or an ISO 8601 time)", since)
        rows = self.store.story_list(start, max(1, min_size), limit)
        members = self.store.story_entries([story_id for story_id, _, _ in rows])
        views = []
        for story_id, _, _ in rows:
            pairs = members.get(story_id, [])
            title = representative([(entry.title, terms) for entry, terms in pairs])
            views.append(StoryView(story_id, title, [entry for entry, _ in pairs]))
        return views

    def story(self, story_id: int) -> StoryView:
        """One story by id (an ungrouped entry's id is a story of one)."""
        from reader.stories import StoryView, representative

        pairs = self.store.story_entries([story_id]).get(story_id)
        if not pairs:
            entry = self.store.entry(story_id)
            if entry is None or self.store.story_member(story_id) is not None:
                raise ReaderError(f"no story with id {story_id}")
            return StoryView(story_id, entry.title, [entry])
        title = representative([(entry.title, terms) for entry, terms in pairs])
        return StoryView(story_id, title, [entry for entry, _ in pairs])

    def story_of(self, entry_id: int) -> StoryView:
        """The story an entry belongs to (a story of one when it has no partner)."""
        member = self.store.story_member(entry_id)
        return self.story(member[0] if member else entry_id)

    def also_covered(self, entry_id: int) -> list[Entry]:
        """The other feeds' entries of this entry's story, newest first ("Also covered by")."""
        entry = self.entry(entry_id)
        story = self.story_of(entry_id)
        return [e for e in story.entries if e.feed_id != entry.feed_id]

    def story_counts(self, entry_ids: list[int]) -> dict[int, tuple[int, int]]:
        """entry id -> (story id, number of feeds carrying the story), for list rows.

        Entries missing from the answer are alone in their story.
        """
        return self.store.story_counts(entry_ids)

    def resolve_related(self, url: str) -> RelatedMatch | None:
        """The library's entry and/or saved article for a related link, without network.

        The URL is compared after normalisation (scheme, www., tracking parameters,
        trailing slash), and an address that was seen to redirect counts too.
        """
        from reader.stories import RelatedMatch, normalise_url

        key = normalise_url(url)
        if key is None:
            return None
        alias = self.store.url_alias(key)
        article = self.store.article_by_url(alias[1]) if alias and alias[1] else None
        article = article or self.store.article_by_url(url)
        entry_ids = self.store.entries_with_url_key(key)
        if alias and alias[0]:
            entry_ids.insert(0, alias[0])
        if article is not None and article.entry_id:
            entry_ids.insert(0, article.entry_id)
        entry = next(filter(None, map(self.store.entry, entry_ids)), None)
        if entry is None and article is None:
            return None
        if article is None and entry is not None and entry.url:
            article = self.store.article_by_url(entry.url)
        return RelatedMatch("url", entry=entry, article=article)

    def resolve_mention(self, text: str) -> RelatedMatch | None:
        """The one entry a related mention without a URL names, when it matches with confidence."""
        from reader.stories import RelatedMatch, best_mention, mention_query

        query = mention_query(clean_text(text))
        if not query:
            return None
        entry_id = best_mention(text, self.store.entry_candidates(query, 20))
        if entry_id is None:
            return None
        entry = self.store.entry(entry_id)
        if entry is None:
            return None
        article = self.store.article_by_url(entry.url) if entry.url else None
        return RelatedMatch("words", entry=entry, article=article)

    def _article_stored(
        self, url: str, final_url: str, stored: SavedArticle, entry_id: int | None
    ) -> None:
        """Remember the addresses that led to an article; use its text for its entry's story.

        Best effort: the article is stored already, and a busy library must not fail it.
        """
        with contextlib.suppress(ReaderError):
            self._remember_article(url, final_url, stored, entry_id)

    def _remember_article(
        self, url: str, final_url: str, stored: SavedArticle, entry_id: int | None
    ) -> None:
        from reader.stories import normalise_url, regroup_with_text

        keys = {normalise_url(u) for u in (url, final_url, stored.url)}
        if stored.article is not None and stored.article.url:
            keys.add(normalise_url(stored.article.url))
        self.store.add_url_aliases(sorted(filter(None, keys)), entry_id, stored.url)
        if entry_id is None or stored.article is None:
            return
        entry = self.store.entry(entry_id)
        if entry is not None:
            article = stored.article
            text = " ".join(filter(None, [article.description or "", article.text]))
            with self._grouping:
                regroup_with_text(self.store, entry_id, entry.title, entry.summary, text)
                self._grouper = None  # its stories in memory may have just changed


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A page fetched for the article engine (`reader article URL`), not stored."""

    url: str
    """Where it ended up, after redirects."""
    body: bytes
    content_type: str | None


def default_fetch_timeout() -> float:
    """Seconds of network silence allowed per page (`reader.net`'s default)."""
    from reader.net import REQUEST_TIMEOUT

    return REQUEST_TIMEOUT


def fetch_pages(urls: list[str], timeout: float) -> dict[str, FetchedPage | ReaderError]:
    """Fetch every URL at once, with the config's proxy; each gets its page or its error.

    No library is opened: `reader article` cleans pages without one.
    """
    import asyncio

    from reader.config import load_settings
    from reader.net import DEADLINE, PAGE_ACCEPT, Fetcher

    proxy = load_settings().proxy

    async def fetch_one(fetcher: Fetcher, url: str) -> FetchedPage | ReaderError:
        try:
            result = await fetcher.fetch(url, accept=PAGE_ACCEPT)
        except ReaderError as error:
            return ReaderError(error.message, url)
        return FetchedPage(result.url, result.body, result.content_type)

    async def fetch_every() -> dict[str, FetchedPage | ReaderError]:
        deadline = max(timeout, min(DEADLINE, timeout * 1.5))
        async with Fetcher(timeout=timeout, deadline=deadline, proxy=proxy) as fetcher:
            unique = list(dict.fromkeys(urls))
            results = await asyncio.gather(*(fetch_one(fetcher, url) for url in unique))
        return dict(zip(unique, results, strict=True))

    return asyncio.run(fetch_every())


class BatchWriter:
    """Stores finished feeds in batches during a refresh.

    Every feed that finishes while a transaction is being written joins the next
    one: far fewer commits and full-text index segments than one transaction per
    feed (300 farm feeds: 0.32 s of SQLite CPU instead of 0.46 s), and each feed's
    `write()` still returns only once its entries are committed.
    """

    MAX_BATCH = 50

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: list[tuple[FeedUpdate, asyncio.Future[int]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def write(self, update: FeedUpdate) -> int:
        """Store `update` (with whatever else is waiting); returns its count of new entries."""
        import asyncio

        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._pending.append((update, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.ensure_future(self._drain())
        return await future

    async def _drain(self) -> None:
        import asyncio

        while self._pending:
            batch = self._pending[: self.MAX_BATCH]
            del self._pending[: self.MAX_BATCH]
            try:
                counts = await asyncio.to_thread(
                    self.store.apply_updates, [update for update, _ in batch]
                )
            except LibraryBusy as error:  # another process writes: every write would wait
                batch += self._pending
                self._pending = []
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                return
            except Exception:
                await self._write_singly(batch)  # one by one: only the feed that fails, fails
                continue
            for (_, future), count in zip(batch, counts, strict=True):
                if not future.done():
                    future.set_result(count)

    async def _write_singly(self, batch: list[tuple[FeedUpdate, asyncio.Future[int]]]) -> None:
        import asyncio

        for update, future in batch:
            try:
                (new,) = await asyncio.to_thread(self.store.apply_updates, [update])
            except Exception as error:
                if not future.done():
                    future.set_exception(error)
            else:
                if not future.done():
                    future.set_result(new)

    async def aclose(self) -> None:
        """Wait for the transaction in flight (a cancelled refresh never leaves one half-done)."""
        import asyncio

        if self._drainer is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._drainer


class Parsers:
    """Where one refresh parses feed documents, off the event loop.

    With `workers` > 0, a pool of that many processes, started on the first
    document that needs parsing (a refresh where every feed answers 304 starts
    none). With 0, two threads of its own: parsing holds the GIL, so more
    threads would not parse faster, and keeping it off the default executor
    leaves that free for DNS lookups and SQLite writes.
    """

    THREADS = 2

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Executor | None = None

    async def parse(
        self, body: bytes, url: str, content_type: str | None
    ) -> tuple[ParsedFeed | None, str | None]:
        import asyncio

        if self._pool is None:
            if self.workers:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=watch_parent,
                    initargs=(os.getpid(),),
                )
            else:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(self.THREADS, thread_name_prefix="parse")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, parse_job, body, url, content_type)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


async def _still_waiting(feed: Feed, retry_at: str) -> FeedResult:
    """The result for a feed whose server asked not to be fetched before `retry_at`."""
    return FeedResult(
        feed.id,
        feed.url,
        "failed",
        error=f"{feed.last_error or 'busy'} (not asked again before {retry_at})",
    )


_after = iso_after


def watch_parent(parent_pid: int) -> None:
    """Pool initializer: a parse worker ends itself when the process that started it dies.

    Without it, `kill -9` of `reader refresh` leaves orphan workers that hold the
    terminal's (or a pipe's) output open until they notice on their own.
    """
    import threading

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def read_local_file(path: Path, limit: int) -> bytes:
    """A local file's bytes, at most `limit` of them: an endless device or a FIFO never
    hangs the reader or fills its memory; every failure is a one-line `ReaderError`."""
    try:
        if path.is_fifo() or path.is_socket():
            raise ReaderError("not a regular file", str(path))
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise ReaderError(f"cannot read the file: {error.strerror or error}", str(path)) from None
    if len(data) > limit:
        raise ReaderError(f"file larger than {limit // 2**20} MB", str(path))
    return data


def parse_job(
    body: bytes, url: str, content_type: str | None
) -> tuple[ParsedFeed | None, str | None]:
    """Parse one feed document in a worker: (feed, None) or (None, why it failed).

    Errors travel as text because a `ReaderError` loses its `where` when pickled
    across processes, and nothing a hostile document does may kill the worker's caller.
    """
    from reader.feeds import parse_feed

    try:
        return parse_feed(body, url, content_type), None
    except ReaderError as error:
        return None, error.message
    except RecursionError:
        return None, "not a feed: nested too deeply"
    except MemoryError:
        return None, "not a feed: too large to parse"
    except Exception as error:
        return None, f"could not read the feed ({type(error).__name__})"


def clean_article(
    html: str | bytes, url: str | None, *, content_type: str | None = None
) -> Article:
    """Engine entry used by the library (kept here so there is one path for every caller).

    Every text field is passed through `clean_text` once more before it is stored:
    the library promises that all it returns was, whatever the engine missed.
    """
    from reader.article import clean

    return safe_article(clean(html, url, content_type=content_type))


def safe_article(article: Article) -> Article:
    """`article` with escape sequences, control characters and bidi overrides removed."""

    def line(text: str | None) -> str | None:
        return clean_text(text) if text else text

    article.title = clean_text(article.title)
    article.byline, article.site = line(article.byline), line(article.site)
    article.description, article.published = line(article.description), line(article.published)
    article.lang = line(article.lang)
    for section in article.sections:
        section.heading = line(section.heading)
        section.paragraphs = [clean_text(p, keep_newlines=True) for p in section.paragraphs]
    article.takeaways = [clean_text(t) for t in article.takeaways]
    article.captions = [clean_text(c) for c in article.captions]
    for quote in article.quotes:
        quote.text, quote.speaker = clean_text(quote.text), line(quote.speaker)
        quote.speaker_role = line(quote.speaker_role)
    for link in article.related:
        link.title, link.context = clean_text(link.title), clean_text(link.context)
    return article


MAX_ID = 2**63 - 1
"""SQLite's largest integer: a larger ID names nothing (and would overflow the driver)."""


def _check_id(value: int, kind: str) -> None:
    """An ID no row can have (zero, negative, 20 digits) is "no such" before SQLite sees it."""
    if not 0 < value <= MAX_ID:
        raise ReaderError(f"no {kind} with id {value}")


def _env_int(name: str) -> int | None:
    """A positive integer setting from the environment (None when unset or unreadable)."""
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _clean_names(names: tuple[str | None, ...] | list[str | None] | list[str]) -> tuple[str, ...]:
    """Category names as stored: cleaned, blank ones dropped, each once."""
    return tuple(dict.fromkeys(name for name in map(clean_text, names) if name))


def _same_story_key(url: str) -> str:
    """A URL without what does not change the page it names (fragment, case of the host)."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return (
        f"{parts.netloc.lower()}{path}?{parts.query}"
        if parts.query
        else f"{parts.netloc.lower()}{path}"
    )


def _normalise_url(url: str) -> str:
    """Trim, and assume https:// when the user typed a bare host ("example.com/feed");
    anything else than an http(s) address with a valid port is refused with a sentence."""
    from reader.urls import normalise_user_url

    return normalise_user_url(url)


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _is_page(content_type: str | None) -> bool:
    if not content_type:
        return True
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith("text/") or "html" in kind or "xml" in kind


def _decode_page(body: bytes, content_type: str | None) -> str:
    """The page as text for storage: its declared charset, else UTF-8, else Latin-1.

    Escapes, control characters and bidi overrides are dropped: the stored page is
    shown again (offline) and must not carry them.
    """
    charset = None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=")[1].split(";")[0].strip(" \"'")
    for encoding in filter(None, (charset, "utf-8")):
        try:
            return strip_unsafe(body.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    return strip_unsafe(body.decode("latin-1"))
