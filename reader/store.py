"""SQLite storage for the library: schema, migrations, queries and full-text search.

Why one module: every SQL statement and every row -> dataclass conversion lives
here, so the service (`reader.library`) speaks only in model objects. The
database is opened explicitly (`Store.open`) and closed explicitly; importing this
module has no side effects.

Durability choices:
- WAL journal + `synchronous=NORMAL`: readers never block the writer, a crash
  (kill -9) loses at most the transaction in flight, never corrupts the file.
- Every write is one `BEGIN IMMEDIATE` transaction, so two `reader` processes
  wait for each other through the busy timeout instead of failing mid-way.
- SQLite errors that a user can act on (read-only folder, full disk, a library
  busy in another process) become one-line `ReaderError`s; a failed write rolls
  back, so nothing already stored is lost.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from reader.dates import now_iso, to_utc_iso
from reader.errors import LibraryBusy, ReaderError
from reader.model import Article, Enclosure, Entry, Feed, SavedArticle
from reader.search_query import to_fts
from reader.text import clean_text
from reader.urls import escape_unsafe

BUSY_TIMEOUT_SECONDS = 5.0
"""How long a write waits for another process's transaction before giving up: then the
command says the library is busy (a refresh stops at its first such write)."""

CACHE_KEEP_DAYS = 30
"""Opened-but-unsaved articles older than this are dropped from the cache."""

CATEGORY_SEPARATOR = "\x1f"
"""Joins a feed's categories in one column of a query (a character no name keeps)."""

CACHE_KEEP_MAX = 2000
"""At most this many opened-but-unsaved articles stay cached."""

SEARCH_RANK_CAP = 2000
"""Search ranks (bm25) at most this many of the newest matches: ranking every match of a
word found in 142k of 300k entries took 0.25 s of CPU; 2,000 keep it at 10-28 ms."""

# Versioned migrations: MIGRATIONS[n] takes the schema from user_version n to n+1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        site_url TEXT,
        category TEXT,
        full_article INTEGER NOT NULL DEFAULT 1,
        etag TEXT,
        last_modified TEXT,
        last_success TEXT,
        last_error TEXT,
        error_count INTEGER NOT NULL DEFAULT 0,
        added_at TEXT NOT NULL
    );
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        guid TEXT,
        title TEXT NOT NULL DEFAULT '',
        url TEXT,
        author TEXT,
        summary TEXT NOT NULL DEFAULT '',
        content_html TEXT,
        published TEXT,
        updated TEXT,
        first_seen TEXT NOT NULL,
        sort_time TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed_id, key)
    );
    CREATE INDEX entries_by_time ON entries(sort_time DESC, id DESC);
    CREATE INDEX entries_by_feed ON entries(feed_id, sort_time DESC, id DESC);
    CREATE INDEX entries_by_url ON entries(url);
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        entry_id INTEGER REFERENCES entries(id) ON DELETE SET NULL,
        title TEXT NOT NULL DEFAULT '',
        site TEXT,
        json TEXT NOT NULL,
        html TEXT,
        text TEXT NOT NULL DEFAULT '',
        fetched_at TEXT NOT NULL,
        saved_at TEXT
    );
    CREATE INDEX articles_saved ON articles(saved_at);
    CREATE VIRTUAL TABLE entries_fts USING fts5(
        title, summary, content='entries', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
        INSERT INTO entries_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary);
    END;
    CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
        INSERT INTO entries_fts(entries_fts, rowid, title, summary)
        VALUES ('delete', old.id, old.title, old.summary);
    END;
    CREATE TRIGGER entries_fts_update AFTER UPDATE OF title, summary ON entries BEGIN
        INSERT INTO entries_fts(entries_fts, rowid, title, summary)
        VALUES ('delete', old.id, old.title, old.summary);
        INSERT INTO entries_fts(rowid, title, summary) VALUES (new.id, new.title, new.summary);
    END;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    """,
    # v2: new entries are indexed in bulk by `_upsert_entries` (one INSERT ... SELECT
    # per transaction is ~3x cheaper than a trigger firing per row).
    """
    DROP TRIGGER entries_fts_insert;
    """,
    # v3: titles weigh five times the body in ranking, as the tables' own `rank`,
    # so `ORDER BY rank LIMIT n` takes FTS5's fast path (snippets only for the n rows).
    """
    INSERT INTO entries_fts(entries_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
    INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
    """,
    # v4: when a server answered 429/503 with a long Retry-After, the time before
    # which it is not asked again.
    """
    ALTER TABLE feeds ADD COLUMN retry_at TEXT;
    """,
    # v5: search that finds "strikes" for "strike" (porter stemming over unicode61; the
    # indexes are rebuilt from their tables), entries hidden by the config's filters, and
    # a small key-value table for the library's own state (the filters last applied).
    """
    DROP TABLE entries_fts;
    CREATE VIRTUAL TABLE entries_fts USING fts5(
        title, summary, content='entries', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    INSERT INTO entries_fts(entries_fts) VALUES ('rebuild');
    INSERT INTO entries_fts(entries_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    INSERT INTO articles_fts(articles_fts) VALUES ('rebuild');
    INSERT INTO articles_fts(articles_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0)');
    ALTER TABLE entries ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE feed_categories (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (feed_id, name)
    );
    INSERT INTO feed_categories(feed_id, position, name)
        SELECT id, 0, category FROM feeds WHERE category IS NOT NULL AND category != '';
    ALTER TABLE feeds DROP COLUMN category;
    """,
    # v6 (stories): the story each entry belongs to (reader.stories), its normalised
    # URL, its time (epoch seconds) and its weighted terms, so a refresh rebuilds the
    # recent stories without re-reading entry text; and every address an article was
    # reached by (redirects seen), so related links resolve against the library.
    """
    CREATE TABLE story_members (
        entry_id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
        story_id INTEGER NOT NULL,
        url_key TEXT,
        at REAL NOT NULL,
        terms TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX story_members_story ON story_members(story_id);
    CREATE INDEX story_members_url ON story_members(url_key);
    CREATE INDEX story_members_at ON story_members(at);
    CREATE TABLE url_aliases (
        url_key TEXT PRIMARY KEY,
        entry_id INTEGER REFERENCES entries(id) ON DELETE CASCADE,
        article_url TEXT
    );
    """,
    # v7 (scale): the few entries hidden by filters, indexed on their own, so search can
    # count exactly and leave them out without scanning every entry (77 ms at 300k).
    """
    CREATE INDEX entries_hidden ON entries(id) WHERE hidden;
    """,
    # v8: the files an item carries (podcasts, video), as JSON; NULL for most entries.
    """
    ALTER TABLE entries ADD COLUMN enclosures TEXT;
    """,
]


class EntryLike(Protocol):
    """What the store reads of a feed item (`reader.feeds.ParsedEntry` fits, as does an
    item imported from newsboat); read-only, so frozen dataclasses fit too."""

    @property
    def guid(self) -> str | None: ...
    @property
    def title(self) -> str: ...
    @property
    def url(self) -> str | None: ...
    @property
    def author(self) -> str | None: ...
    @property
    def summary(self) -> str: ...
    @property
    def content_html(self) -> str | None: ...
    @property
    def published(self) -> str | None: ...
    @property
    def updated(self) -> str | None: ...


@dataclass(slots=True)
class FeedUpdate:
    """Everything a successful fetch changes on one feed, written in one transaction."""

    feed_id: int
    title: str | None = None
    site_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    new_url: str | None = None
    """The feed moved for good (301/308): store this URL instead."""
    entries: Sequence[EntryLike] = ()
    not_modified: bool = False
    warning: str | None = None
    """Read, but entries were lost (the feed was cut short): kept as last_error."""


@dataclass(slots=True)
class FilterRow:
    """What a filter sees of a stored entry (fits `reader.filters.Filterable`)."""

    title: str
    author: str | None
    summary: str


HitKind = Literal["entry", "article"]
"""What a search hit's id names: an entry, or a saved/cached article."""


@dataclass(slots=True)
class SearchRow:
    """A raw full-text hit, turned into `library.SearchHit` by the service."""

    kind: HitKind
    id: int
    title: str
    url: str | None
    snippet: str
    feed_title: str | None
    published: str | None
    rank: float
    saved: bool = False
    """For an article hit: kept by the user (not only cached)."""


normalise_time = to_utc_iso
"""Any ISO 8601 date or date-time as the stored UTC form (see `reader.dates`)."""


def storable(text: str | None) -> str | None:
    """`text` as SQLite can take it: lone surrogates (from JSON "\\ud800" escapes) replaced.

    The sqlite3 module refuses to encode them, which would fail a whole transaction.
    """
    return storable_text(text) if text else text


def storable_url(url: str | None) -> str | None:
    """An address as stored: controls, spaces and bidi marks percent-encoded (a U+009B
    from a redirect would be an 8-bit CSI wherever the address is printed)."""
    return storable(escape_unsafe(url)) if url else url


def storable_text(text: str) -> str:
    """`storable` for a value that is always a string."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def entry_key(entry: EntryLike) -> str:
    """Identity of an item within its feed: its id, else its link, else a hash of its text."""
    if entry.guid:
        return "id:" + entry.guid
    if entry.url:
        return "url:" + entry.url
    digest = hashlib.sha1(f"{entry.title}\x00{entry.summary}".encode()).hexdigest()
    return "text:" + digest


def fts_query(text: str) -> str:
    """User words -> an FTS5 query (the syntax, term cap included, is `reader.search_query`'s)."""
    return to_fts(text)


# -- rows -> model: the one place where columns become dataclasses -------------

_FEED_COLUMNS = (
    "f.id, f.url, f.title, f.site_url, (SELECT group_concat(name, char(31)) FROM "
    "(SELECT name FROM feed_categories WHERE feed_id = f.id ORDER BY position)), "
    "f.full_article, f.etag, f.last_modified, "
    "f.last_success, f.last_error, f.error_count"
)
_ENTRY_COLUMNS = (
    "e.id, e.feed_id, e.title, e.url, f.title, e.guid, e.author, {summary}, {content}, "
    "COALESCE(e.published, e.updated), e.read, "
    "EXISTS(SELECT 1 FROM articles a WHERE a.url = e.url AND a.saved_at IS NOT NULL), "
    "e.enclosures"
)
_ARTICLE_COLUMNS = "a.id, a.url, a.title, a.site, a.saved_at, a.fetched_at, a.entry_id, {body}"


def _feed(row: Sequence[Any], unread: int = 0, total: int = 0) -> Feed:
    return Feed(
        id=row[0],
        url=row[1],
        title=row[2],
        site_url=row[3],
        categories=tuple(row[4].split(CATEGORY_SEPARATOR)) if row[4] else (),
        full_article=bool(row[5]),
        etag=row[6],
        last_modified=row[7],
        last_success=row[8],
        last_error=row[9],
        error_count=row[10],
        unread=unread,
        total=total,
    )


def _entry(row: Sequence[Any]) -> Entry:
    return Entry(
        id=row[0],
        feed_id=row[1],
        title=row[2],
        url=row[3],
        feed_title=row[4] or "",
        guid=row[5],
        author=row[6],
        summary=row[7],
        content_html=row[8],
        published=row[9],
        read=bool(row[10]),
        saved=bool(row[11]),
        enclosures=_enclosures(row[12]),
    )


def _enclosures_json(enclosures: Sequence[Enclosure]) -> str | None:
    return json.dumps([e.to_json() for e in enclosures]) if enclosures else None


def _enclosures(text: str | None) -> tuple[Enclosure, ...]:
    if not text:
        return ()
    return tuple(Enclosure.from_json(item) for item in json.loads(text) if isinstance(item, dict))


def _saved_article(row: Sequence[Any]) -> SavedArticle:
    body = row[7]
    return SavedArticle(
        id=row[0],
        url=row[1],
        title=row[2],
        site=row[3],
        saved_at=row[4],
        fetched_at=row[5],
        entry_id=row[6],
        article=Article.from_json(json.loads(body)) if body else None,
    )


_SAME_PAGE = """
    SELECT e.id FROM entries e WHERE e.url IS NOT NULL AND e.url IN (
        SELECT url FROM entries WHERE id IN (SELECT value FROM json_each(:ids)))
    UNION SELECT m.entry_id FROM story_members m WHERE m.url_key IN (
        SELECT url_key FROM story_members WHERE entry_id IN (SELECT value FROM json_each(:ids)))
    UNION SELECT a.entry_id FROM url_aliases a WHERE a.entry_id IS NOT NULL AND a.url_key IN (
        SELECT url_key FROM story_members WHERE entry_id IN (SELECT value FROM json_each(:ids)))
"""
"""Entries that show the same page as the entries `:ids` (a JSON list): the same URL, the
same normalised URL (`reader.stories`: scheme, `www.`, tracking parameters ignored), or an
address seen to redirect to it. Reading one of them reads them all."""


def _write_categories(
    db: sqlite3.Connection, feed_id: int, categories: Sequence[str] | str | None
) -> None:
    """Replace a feed's categories (blank and repeated names dropped, order kept)."""
    db.execute("DELETE FROM feed_categories WHERE feed_id = ?", (feed_id,))
    if categories is None or isinstance(categories, str):
        categories = (categories,) if categories else ()
    names = dict.fromkeys(
        name.replace(CATEGORY_SEPARATOR, " ").strip() for name in categories if name.strip()
    )
    db.executemany(
        "INSERT INTO feed_categories(feed_id, position, name) VALUES (?, ?, ?)",
        [(feed_id, position, name) for position, name in enumerate(names)],
    )


# -- errors ---------------------------------------------------------------------


def _reader_error(error: sqlite3.Error, path: Path) -> ReaderError:
    """A SQLite failure as a sentence the user can act on."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    text = str(error).lower()
    folder = str(path.parent)
    if code == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return ReaderError("the library folder is read-only; nothing was changed", folder)
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return ReaderError("the disk is full; nothing was changed", folder)
    if code == sqlite3.SQLITE_BUSY or "locked" in text:
        return LibraryBusy(
            f"the library is busy (another reader is writing); waited "
            f"{BUSY_TIMEOUT_SECONDS:g} s, nothing was changed; try again",
            folder,
        )
    if code in (sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN) and _nearly_full(path.parent):
        # With no byte left, SQLite cannot even create its -shm/-wal files: it says
        # "disk I/O error", but the disk being full is the reason the user can act on.
        return ReaderError("the disk is full; nothing was changed", folder)
    if code == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
        reason = _read_only_reason(path) or "the folder is missing or cannot be read"
        return ReaderError(f"cannot open the library: {reason}", folder)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return ReaderError(f"the library file is damaged: {error}", str(path))
    if code == sqlite3.SQLITE_IOERR:
        return ReaderError(f"cannot write the library (disk error: {error})", folder)
    return ReaderError(f"library error: {error}", str(path))


def _check_location(path: Path) -> None:
    """A library path that is a folder, or a folder path that is a file, said plainly."""
    if path.is_dir():
        raise ReaderError("the library file is a folder, not a database", str(path))
    if path.parent.exists() and not path.parent.is_dir():
        raise ReaderError(
            "cannot create the library folder: a file has that name", str(path.parent)
        )


def _private_folder(folder: Path) -> None:
    """Create the data folder 0700, or take group and other access off an existing one.

    The library holds what a person reads; other users of the machine have no
    business with it. A folder we do not own or cannot change is left as it is.
    """
    existed = folder.is_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise ReaderError(
            f"cannot create the library folder: {error.strerror or error}", str(folder)
        ) from None
    if existed and not _library_folder(folder):
        return  # a shared or general folder (/tmp, a home) given as --data-dir: not ours
    _tighten(folder)


def _library_folder(folder: Path) -> bool:
    """Whether an existing folder is a library's own: holding only what the reader keeps
    there, and neither shared (world-writable, sticky) nor someone else's."""
    try:
        info = folder.stat()
        if info.st_uid != os.geteuid() or info.st_mode & (stat.S_ISVTX | stat.S_IWOTH):
            return False
        names = {entry.name for entry in os.scandir(folder)}
    except OSError:
        return False
    return all(name.startswith(_OWN_NAMES) or name.endswith(".log") for name in names)


_OWN_NAMES = ("library.sqlite3", "demo", "reader")
"""What the reader keeps in its data folder (the library and its -wal/-shm, the demo's
folder, logs): a folder holding anything else is the user's, and keeps its mode."""


def _private_file(path: Path) -> None:
    """Create the database file 0600 (before SQLite does, with the umask's 0644), and
    tighten it and its -wal / -shm companions when they exist."""
    if not path.exists():
        with suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        _tighten(name)


def _tighten(path: Path) -> None:
    """Remove group and other permission bits, when there are any and it is ours to change."""
    with suppress(OSError):
        info = path.stat()
        if info.st_mode & 0o077 and info.st_uid == os.geteuid():
            path.chmod(stat.S_IMODE(info.st_mode) & ~0o077)


def _read_only_reason(path: Path, error: ReaderError | None = None) -> str | None:
    """Why the library cannot be written, or None when it can (as far as we can tell).

    `error` is what a writable open raised: a read-only file system or file makes
    SQLite say "readonly" or "unable to open" even when `os.access` said yes (root).
    """
    folder = path.parent
    if not _can_write(folder):
        return (
            "the library folder is read-only"
            if _folder_ro_fs(folder) is False
            else ("the library is on a read-only file system")
        )
    if path.exists() and not _can_write(path):
        return "the library file is read-only"
    if error is not None and (
        "read-only" in error.message
        or "readonly" in error.message
        or "cannot open" in error.message
    ):
        return "the library cannot be written"
    return None


def _can_write(path: Path) -> bool:
    """Whether this process (its effective user) may write `path`."""
    return os.access(path, os.W_OK, effective_ids=os.access in os.supports_effective_ids)


def _folder_ro_fs(folder: Path) -> bool | None:
    """True when `folder` is on a file system mounted read-only (None: cannot tell)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return None


def _refuse_newer(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a library written by a newer reader, before anything writes to it."""
    _refuse_version(db.execute("PRAGMA user_version").fetchone()[0], path)


def _refuse_version(version: int, path: Path) -> None:
    if version > len(MIGRATIONS):
        raise ReaderError(
            f"the library was written by a newer version of the reader (schema {version}; "
            f"this one knows up to {len(MIGRATIONS)}); it was not changed: upgrade the reader",
            str(path),
        )


def _configure(db: sqlite3.Connection, *, writes: bool = True) -> None:
    """Per-connection settings (the journal mode is the file's own, set once)."""
    db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    if writes:
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA temp_store = MEMORY")


def _nearly_full(folder: Path) -> bool:
    """True when the file system holding `folder` has less than 1 MB free."""
    import shutil

    try:
        return shutil.disk_usage(folder).free < 2**20
    except OSError:
        return False


class Store:
    """SQLite connections for every thread of the process.

    Writes go through one connection behind a lock (one transaction at a time).
    Reads use a connection of the calling thread's own: in WAL mode a read never
    waits for a write, so a reading thread (the app's) is never held up behind a
    background refresh in another thread.
    """

    def __init__(self, db: sqlite3.Connection, path: Path, *, read_only: str | None = None) -> None:
        self._db = db
        self.path = path
        self._lock = threading.RLock()
        self.read_only = read_only
        """Why the library cannot be written ("the library folder is read-only"), or None."""
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._closed = False
        self._busy_until: float | None = None
        """Until when (monotonic) writes do not wait, after one waited the full busy timeout."""

    # -- lifecycle --------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating and migrating when needed) the database at `path`.

        A library that cannot be written (read-only folder, file or mount) opens
        read-only: reading works, every write says why it cannot. One written by a
        newer version of the reader is refused before anything touches it.
        """
        _check_location(path)
        _private_folder(path.parent)
        reason = _read_only_reason(path)
        if reason is None:
            _private_file(path)
            try:
                return cls._open_writable(path)
            except ReaderError as error:
                reason = _read_only_reason(path, error)
                if reason is None or not path.is_file():
                    raise
        return cls._open_read_only(path, reason)

    @classmethod
    def _open_writable(cls, path: Path) -> Store:
        try:
            db = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise _reader_error(error, path) from None
        store = cls(db, path)
        try:
            _refuse_newer(db, path)
            db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise ReaderError(f"cannot switch the library to WAL mode ({mode})", str(path))
            _configure(db)
            store._migrate()
        except sqlite3.Error as error:
            db.close()
            raise _reader_error(error, path) from None
        except ReaderError:
            db.close()
            raise
        _private_file(path)  # the -wal and -shm files SQLite just made, if any
        return store

    @classmethod
    def _open_read_only(cls, path: Path, reason: str) -> Store:
        """Open for reading only; `immutable` when SQLite cannot even make its -shm file."""
        if not path.is_file():
            raise ReaderError(f"cannot create the library: {reason}", str(path.parent))
        problem: sqlite3.Error | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(
                    f"{path.resolve().as_uri()}?{options}",
                    uri=True,
                    timeout=BUSY_TIMEOUT_SECONDS,
                    isolation_level=None,
                    check_same_thread=False,
                )
            except sqlite3.Error as error:
                problem = error
                continue
            try:
                _refuse_newer(db, path)
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version < len(MIGRATIONS):
                    raise ReaderError(
                        f"{reason}, and the library needs an upgrade (schema {version} to "
                        f"{len(MIGRATIONS)}) that cannot be written",
                        str(path),
                    )
                _configure(db, writes=False)
            except sqlite3.Error as error:
                db.close()
                problem = error
                continue
            except ReaderError:
                db.close()
                raise
            store = cls(db, path, read_only=reason)
            store._uri = f"{path.resolve().as_uri()}?{options}"
            return store
        assert problem is not None
        raise _reader_error(problem, path) from None

    _uri: str | None = None
    """The URI of a read-only library (reading connections open it the same way)."""

    def close(self) -> None:
        """Close every connection (a WAL checkpoint happens when the last one closes)."""
        with self._readers_lock:
            readers, self._readers = self._readers, []
            self._closed = True
        for reader in readers:
            with suppress(sqlite3.Error):
                reader.close()
        with self._lock:
            self._db.close()

    def _reader(self) -> sqlite3.Connection:
        """This thread's reading connection, opened on its first read."""
        if self.read_only is not None:
            return self._db
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_SECONDS,
                isolation_level=None,
                check_same_thread=False,
            )
            _configure(db, writes=False)
            with self._readers_lock:
                if self._closed:
                    db.close()
                    raise ReaderError("the library is closed", str(self.path))
                self._readers.append(db)
            self._local.db = db
        return db

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version >= len(MIGRATIONS):
            return
        with self._write() as db:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            _refuse_version(version, self.path)
            for number in range(version, len(MIGRATIONS)):
                for statement in _split_sql(MIGRATIONS[number]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; any failure rolls back and becomes a `ReaderError`."""
        if self.read_only is not None:
            raise ReaderError(f"{self.read_only}; nothing was changed", str(self.path))
        with self._lock:
            self._begin()
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as error:
                if self._db.in_transaction:
                    with suppress(sqlite3.Error):
                        self._db.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise _reader_error(error, self.path) from None
                raise

    def _begin(self) -> None:
        """BEGIN IMMEDIATE; right after a write waited the whole busy timeout, the next
        ones only try (no wait), so writes queued behind it do not each wait again."""
        hurry = self._busy_until is not None and time.monotonic() < self._busy_until
        try:
            if hurry:
                self._db.execute("PRAGMA busy_timeout = 0")
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            failure = _reader_error(error, self.path)
            if isinstance(failure, LibraryBusy) and not hurry:
                self._busy_until = time.monotonic() + BUSY_TIMEOUT_SECONDS
            raise failure from None
        finally:
            if hurry:
                self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        self._busy_until = None

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        if self.read_only is not None:
            with self._lock:
                return self._read_on(self._db, sql, params)
        return self._read_on(self._reader(), sql, params)

    def _read_on(self, db: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[Any]:
        try:
            return db.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise _reader_error(error, self.path) from None
        except OverflowError:  # a number too large for SQLite matches nothing
            return []

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file ("ok" when sound)."""
        return str(self._read("PRAGMA integrity_check")[0][0])

    # -- feeds ------------------------------------------------------------------

    def add_feed(
        self,
        url: str,
        title: str = "",
        *,
        site_url: str | None = None,
        categories: Sequence[str] = (),
        full_article: bool = True,
    ) -> Feed | None:
        """Insert a feed; None when that URL is already subscribed."""
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO feeds(url, title, site_url, full_article, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO NOTHING",
                (
                    storable_url(url),
                    storable(title),
                    storable_url(site_url),
                    int(full_article),
                    now_iso(),
                ),
            )
            if cursor.rowcount == 0:
                return None
            feed_id = cursor.lastrowid
            assert feed_id is not None
            _write_categories(db, feed_id, categories)
        return self.feed(feed_id)

    def add_feeds(self, feeds: Iterable[tuple[str, str, Sequence[str] | str | None]]) -> list[Feed]:
        """Insert many (url, title, categories) at once; returns the ones that were new."""
        added: list[int] = []
        stamp = now_iso()
        with self._write() as db:
            for url, title, categories in feeds:
                cursor = db.execute(
                    "INSERT INTO feeds(url, title, added_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(url) DO NOTHING",
                    (storable_url(url), storable(title), stamp),
                )
                if cursor.rowcount and cursor.lastrowid is not None:
                    added.append(cursor.lastrowid)
                    _write_categories(db, cursor.lastrowid, categories)
        by_id = {feed.id: feed for feed in self.feeds()}
        return [by_id[i] for i in added if i in by_id]

    def edit_feed(
        self,
        feed_id: int,
        *,
        title: str | None = None,
        categories: Sequence[str] | None = None,
        full_article: bool | None = None,
    ) -> None:
        """Change what the user may change of a feed (None leaves a field as it is)."""
        with self._write() as db:
            if title is not None:
                db.execute("UPDATE feeds SET title = ? WHERE id = ?", (title, feed_id))
            if full_article is not None:
                db.execute(
                    "UPDATE feeds SET full_article = ? WHERE id = ?", (int(full_article), feed_id)
                )
            if categories is not None:
                _write_categories(db, feed_id, categories)

    def feed(self, feed_id: int) -> Feed | None:
        rows = self._read(f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (feed_id,))
        return _feed(rows[0]) if rows else None

    def feed_by_url(self, url: str) -> Feed | None:
        rows = self._read(
            f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (storable_url(url),)
        )
        return _feed(rows[0]) if rows else None

    def feeds(self, ids: Sequence[int] | None = None) -> list[Feed]:
        """Feeds with their entry counts, by title (all, or the given ids)."""
        where, params = "", tuple[int, ...]()
        if ids is not None:
            where = f"WHERE f.id IN ({','.join('?' * len(ids))})" if ids else "WHERE 0"
            params = tuple(ids)
        rows = self._read(
            f"SELECT {_FEED_COLUMNS}, COALESCE(c.unread, 0), COALESCE(c.total, 0) FROM feeds f "
            "LEFT JOIN (SELECT feed_id, SUM(read = 0) AS unread, COUNT(*) AS total "
            "           FROM entries WHERE hidden = 0 GROUP BY feed_id) c ON c.feed_id = f.id "
            f"{where} ORDER BY lower(f.title), f.id",
            params,
        )
        return [_feed(row, unread=row[11], total=row[12]) for row in rows]

    def remove_feed(self, feed_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def record_failure(self, feed_id: int, message: str, *, retry_at: str | None = None) -> None:
        """Remember why the last refresh failed (the last success stays as it was).

        `retry_at` (ISO time) is when the server said it may be asked again.
        """
        with self._write() as db:
            db.execute(
                "UPDATE feeds SET last_error = ?, error_count = error_count + 1, "
                "retry_at = ? WHERE id = ?",
                (storable(clean_text(message)), retry_at, feed_id),
            )

    def waiting_feeds(self) -> dict[int, str]:
        """Feeds whose server asked not to be fetched yet: id -> ISO time it may be."""
        rows = self._read("SELECT id, retry_at FROM feeds WHERE retry_at > ?", (now_iso(),))
        return {feed_id: retry_at for feed_id, retry_at in rows}

    def mark_fetched(self, feed_ids: Sequence[int]) -> None:
        """Record a successful check (304 Not Modified) of many feeds at once."""
        stamp = now_iso()
        with self._write() as db:
            db.executemany(
                "UPDATE feeds SET last_success = ?, last_error = NULL, "
                "error_count = 0, retry_at = NULL WHERE id = ?",
                [(stamp, feed_id) for feed_id in feed_ids],
            )

    def apply_update(self, update: FeedUpdate) -> int:
        """Write one successful fetch; returns how many entries were new."""
        return self.apply_updates([update])[0]

    def apply_updates(self, updates: Sequence[FeedUpdate]) -> list[int]:
        """Write several fetches in one transaction (fewer commits, fewer FTS segments)."""
        stamp = now_iso()
        with self._write() as db:
            return [self._apply(db, update, stamp) for update in updates]

    def _apply(self, db: sqlite3.Connection, update: FeedUpdate, stamp: str) -> int:
        new = self._upsert_entries(db, update.feed_id, update.entries, stamp)
        moved = storable_url(update.new_url)
        if (
            moved
            and db.execute(
                "SELECT 1 FROM feeds WHERE url = ? AND id != ?", (moved, update.feed_id)
            ).fetchone()
        ):
            moved = None  # already subscribed under the new address: keep both rows
        db.execute(
            "UPDATE feeds SET title = CASE WHEN ? != '' THEN ? ELSE title END, "
            "site_url = COALESCE(?, site_url), etag = ?, last_modified = ?, "
            "url = COALESCE(?, url), last_success = ?, last_error = ?, error_count = 0, "
            "retry_at = NULL "
            "WHERE id = ?",
            (
                update.title or "",
                update.title or "",
                storable_url(update.site_url),
                update.etag,
                update.last_modified,
                moved,
                stamp,
                storable(update.warning),
                update.feed_id,
            ),
        )
        return new

    def _upsert_entries(
        self, db: sqlite3.Connection, feed_id: int, entries: Sequence[EntryLike], stamp: str
    ) -> int:
        if not entries:
            return 0
        rows: dict[str, tuple[Any, ...]] = {}
        # Reversed, so that for undated items the top of the feed gets the highest id.
        for item in reversed(entries):
            key = storable_text(entry_key(item))
            if key in rows:
                continue
            published = normalise_time(item.published)
            updated = normalise_time(item.updated)
            rows[key] = (
                feed_id,
                key,
                storable(item.guid),
                storable(item.title) or "",
                storable(item.url),
                storable(item.author),
                storable(item.summary) or "",
                storable(item.content_html),
                published,
                updated,
                stamp,
                published or updated or stamp,
                _enclosures_json(getattr(item, "enclosures", ())),
            )
        known = {k for (k,) in db.execute("SELECT key FROM entries WHERE feed_id = ?", (feed_id,))}
        (last_id,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM entries").fetchone()
        db.executemany(
            "INSERT INTO entries(feed_id, key, guid, title, url, author, summary, content_html, "
            "published, updated, first_seen, sort_time, enclosures) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(feed_id, key) DO UPDATE SET title = excluded.title, url = excluded.url, "
            "author = excluded.author, summary = excluded.summary, "
            "content_html = excluded.content_html, published = excluded.published, "
            "updated = excluded.updated, enclosures = excluded.enclosures, "
            "sort_time = COALESCE(excluded.published, excluded.updated, entries.first_seen) "
            "WHERE entries.title IS NOT excluded.title OR entries.url IS NOT excluded.url "
            "OR entries.summary IS NOT excluded.summary "
            "OR entries.content_html IS NOT excluded.content_html "
            "OR entries.published IS NOT excluded.published "
            "OR entries.updated IS NOT excluded.updated "
            "OR entries.author IS NOT excluded.author "
            "OR entries.enclosures IS NOT excluded.enclosures",
            list(rows.values()),
        )
        # Rows above the old maximum id are the ones just inserted (the write lock is ours).
        db.execute(
            "INSERT INTO entries_fts(rowid, title, summary) "
            "SELECT id, title, summary FROM entries WHERE id > ?",
            (last_id,),
        )
        return sum(1 for key in rows if key not in known)

    # -- entries ----------------------------------------------------------------

    def entries(
        self,
        *,
        feed_id: int | None = None,
        unread: bool = False,
        saved: bool = False,
        limit: int | None = None,
        summaries: bool = True,
        match: str | None = None,
    ) -> list[Entry]:
        """Newest first, without `content_html` (fetch one entry for that).

        `summaries=False` leaves `summary` empty: a long list reads a third less data.
        `match` is an FTS5 expression (a saved search); entries hidden by filters never show.
        """
        clauses: list[str] = ["e.hidden = 0"]
        params: list[Any] = []
        if match is not None:
            clauses.append("e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.append(match)
        if feed_id is not None:
            clauses.append("e.feed_id = ?")
            params.append(feed_id)
        if unread:
            clauses.append("e.read = 0")
        if saved:
            clauses.append(
                "EXISTS(SELECT 1 FROM articles a WHERE a.url = e.url AND a.saved_at IS NOT NULL)"
            )
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        limit_sql = ""
        if limit is not None:
            limit_sql = "LIMIT ?"
            params.append(min(max(0, limit), 2**62))  # a 20-digit --limit means "all"
        columns = _ENTRY_COLUMNS.format(content="NULL", summary="e.summary" if summaries else "''")
        sql = (
            f"SELECT {columns} FROM entries e JOIN feeds f ON f.id = e.feed_id {where} "
            f"ORDER BY e.sort_time DESC, e.id DESC {limit_sql}"
        )
        return [_entry(row) for row in self._read(sql, params)]

    def entry(self, entry_id: int) -> Entry | None:
        rows = self._read(
            f"SELECT {_ENTRY_COLUMNS.format(content='e.content_html', summary='e.summary')} "
            "FROM entries e "
            "JOIN feeds f ON f.id = e.feed_id WHERE e.id = ?",
            (entry_id,),
        )
        return _entry(rows[0]) if rows else None

    def entries_by_url(self, url: str) -> list[Entry]:
        rows = self._read(
            f"SELECT {_ENTRY_COLUMNS.format(content='NULL', summary='e.summary')} FROM entries e "
            "JOIN feeds f ON f.id = e.feed_id WHERE e.url = ? ORDER BY e.id DESC",
            (url,),
        )
        return [_entry(row) for row in rows]

    def mark_read(self, entry_id: int, read: bool) -> bool:
        """Mark one entry; reading it also reads the same story reached through other
        feeds (see `_SAME_PAGE`). Unread marks only this entry.

        Returns False when there is no such entry.
        """
        with self._write() as db:
            cursor = db.execute("UPDATE entries SET read = ? WHERE id = ?", (int(read), entry_id))
            if cursor.rowcount == 0:
                return False
            if read:
                db.execute(
                    f"UPDATE entries SET read = 1 WHERE read = 0 AND id IN ({_SAME_PAGE})",
                    {"ids": json.dumps([entry_id])},
                )
            return True

    def mark_many_read(
        self,
        *,
        feed_ids: Sequence[int] | None = None,
        before: str | None = None,
        match: str | None = None,
        entry_ids: Sequence[int] | None = None,
    ) -> list[int]:
        """Mark every unread entry that fits read (all of them when nothing is given).

        The same stories reached through other feeds (same URL) are marked too.
        Returns the ids that changed, so the caller can undo exactly this.
        """
        clauses, params = ["read = 0", "hidden = 0"], list[Any]()
        if feed_ids is not None:
            clauses.append(f"feed_id IN ({','.join('?' * len(feed_ids))})" if feed_ids else "0")
            params += feed_ids
        if before is not None:
            clauses.append("sort_time < ?")
            params.append(before)
        if match is not None:
            clauses.append("id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.append(match)
        if entry_ids is not None:
            clauses.append("id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(entry_ids)))
        chosen = " AND ".join(clauses)
        with self._write() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS chosen_ids (id INTEGER PRIMARY KEY)")
            db.execute("DELETE FROM temp.chosen_ids")
            db.execute(f"INSERT INTO temp.chosen_ids SELECT id FROM entries WHERE {chosen}", params)
            chosen_ids = [row[0] for row in db.execute("SELECT id FROM temp.chosen_ids")]
            changed = db.execute(
                f"UPDATE entries SET read = 1 WHERE read = 0 AND (id IN temp.chosen_ids OR "
                f"id IN ({_SAME_PAGE})) RETURNING id",
                {"ids": json.dumps(chosen_ids)},
            ).fetchall()
            db.execute("DELETE FROM temp.chosen_ids")
        return [row[0] for row in changed]

    def mark_read_by_key(self, pairs: Sequence[tuple[int, str]]) -> None:
        """Mark read the entries given as (feed id, `entry_key`) pairs (imported state)."""
        with self._write() as db:
            db.executemany("UPDATE entries SET read = 1 WHERE feed_id = ? AND key = ?", pairs)

    def entry_id_by_key(self, feed_id: int, key: str) -> int | None:
        rows = self._read("SELECT id FROM entries WHERE feed_id = ? AND key = ?", (feed_id, key))
        return int(rows[0][0]) if rows else None

    def set_read(self, entry_ids: Sequence[int], read: bool) -> None:
        """Set the read flag of exactly these entries (undoing a bulk mark)."""
        with self._write() as db:
            db.execute(
                "UPDATE entries SET read = ? WHERE id IN (SELECT value FROM json_each(?))",
                (int(read), json.dumps(list(entry_ids))),
            )

    def counts(self, *, match: str | None = None) -> tuple[int, int]:
        """(unread, total) of the visible entries, or of those matching an FTS5 expression."""
        where, params = "hidden = 0", list[Any]()
        if match is not None:
            where += " AND id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)"
            params.append(match)
        rows = self._read(
            f"SELECT COALESCE(SUM(read = 0), 0), COUNT(*) FROM entries WHERE {where}", params
        )
        return int(rows[0][0]), int(rows[0][1])

    def hide_filtered(
        self,
        drops: Callable[[FilterRow, str], bool],
        *,
        since_id: int = 0,
        fields: frozenset[str] = frozenset({"title", "author", "summary"}),
    ) -> int:
        """Hide the entries above `since_id` that `drops(entry, feed_url)` rejects, show the rest.

        Called for the new entries after each refresh, and with `since_id=0` when the
        config's filters change. Only the `fields` the filters read are fetched (a
        summary is most of an entry's bytes). Returns how many are hidden now.
        """
        author = "e.author" if "author" in fields else "NULL"
        summary = "e.summary" if "summary" in fields else "''"

        def verdict(title: str | None, author: str | None, summary: str | None, url: str) -> int:
            return int(drops(FilterRow(title or "", author, summary or ""), url))

        # One UPDATE with the check as an SQL function: no rows travel to Python lists,
        # and only the entries whose verdict changed are written.
        with self._write() as db:
            db.create_function("reader_filter_verdict", 4, verdict, deterministic=True)
            try:
                db.execute(
                    "UPDATE entries SET hidden = v.verdict FROM (SELECT e.id AS id, "
                    f"reader_filter_verdict(e.title, {author}, {summary}, f.url) AS verdict "
                    "FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE e.id > ?"
                    ") AS v WHERE entries.id = v.id AND entries.hidden != v.verdict",
                    (since_id,),
                )
            finally:
                db.create_function("reader_filter_verdict", 4, None)
            (hidden,) = db.execute(
                "SELECT COUNT(*) FROM entries WHERE hidden AND id > ?", (since_id,)
            ).fetchone()
        return int(hidden)

    def last_entry_id(self) -> int:
        return int(self._read("SELECT COALESCE(MAX(id), 0) FROM entries")[0][0])

    def state(self, key: str) -> str | None:
        """A value the library keeps for itself (e.g. the filters last applied)."""
        rows = self._read("SELECT value FROM state WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_state(self, key: str, value: str) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO state(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def search(self, query: str, limit: int, *, rank_cap: int | None = None) -> list[SearchRow]:
        """Entries and articles matching every word, best first.

        Ranking (bm25) is the costly part, and its cost grows with how many entries
        match, so only the newest `rank_cap` matches (by row id, i.e. when stored) are
        ranked (or `limit`, when more hits are asked for): a word in half of 300k entries
        costs what a rare one does. `search_count` stays exact.
        """
        limit = max(0, min(limit, 2**62))
        # Never fewer candidates than hits asked for (`reader search --limit 10000`).
        cap = max(1, limit, SEARCH_RANK_CAP if rank_cap is None else rank_cap)
        match = fts_query(query)
        if not match or not limit:
            return []
        hits = [SearchRow("article", *row) for row in self._ranked_articles(match, limit, cap)]
        hits += [SearchRow("entry", *row) for row in self._ranked_entries(match, limit, cap)]
        hits.sort(key=lambda hit: hit.rank)
        return hits[:limit]

    def search_count(self, query: str) -> int:
        """How many visible entries and saved or cached articles match `query`, exactly."""
        match = fts_query(query)
        if not match:
            return 0
        rows = self._read(
            "SELECT (SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?1) - "
            "(SELECT count(*) FROM entries h CROSS JOIN entries_fts ON entries_fts.rowid = h.id "
            " WHERE h.hidden AND entries_fts MATCH ?1) + "
            "(SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1)",
            (match,),
        )
        return int(rows[0][0]) if rows else 0

    def _newest_floor(
        self, table: Literal["entries_fts", "articles_fts"], match: str, cap: int
    ) -> int:
        """The smallest row id among the newest `cap` matches (0 when fewer match).

        Walking a doclist by row id costs microseconds a row, no scoring."""
        rows = self._read(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (match, cap - 1),
        )
        return int(rows[0][0]) if rows else 0

    def _ranked_entries(
        self, match: str, limit: int, cap: int
    ) -> list[tuple[int, str, str | None, str, str | None, str | None, float]]:
        """(id, title, url, snippet, feed title, published, rank) of the best visible entries.

        Hidden entries are dropped after ranking (a scan for them would cost more than the
        search); when that leaves fewer than `limit`, the ranked query asks for more."""
        floor = self._newest_floor("entries_fts", match, cap)
        want = limit + 8
        while True:
            ranked = self._read(
                "SELECT rowid, snippet(entries_fts, -1, '', '', '…', 12), rank FROM entries_fts "
                "WHERE entries_fts MATCH ? AND rowid >= ? ORDER BY rank LIMIT ?",
                (match, floor, min(want, 2**62)),
            )
            details = self._entry_details([rowid for rowid, _, _ in ranked])
            rows = [
                (d[0], d[1], d[2], snippet, d[3], d[4], rank)
                for rowid, snippet, rank in ranked
                if (d := details.get(rowid))
            ]
            if len(rows) >= limit or len(ranked) < want:
                return rows[:limit]
            want *= 4

    def _entry_details(self, ids: list[int]) -> dict[int, Any]:
        """The shown columns of the visible entries among `ids`, in chunks of 900: SQLite
        may be built to take no more than 999 parameters a statement, `--limit` asks more."""
        details: dict[int, Any] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            rows = self._read(
                "SELECT e.id, e.title, e.url, f.title, COALESCE(e.published, e.updated) "
                "FROM entries e JOIN feeds f ON f.id = e.feed_id "
                f"WHERE e.hidden = 0 AND e.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            details.update((row[0], row) for row in rows)
        return details

    def _ranked_articles(self, match: str, limit: int, cap: int) -> list[Any]:
        floor = self._newest_floor("articles_fts", match, cap)
        return self._read(
            "SELECT a.id, a.title, a.url, snippet(articles_fts, -1, '', '', '…', 12), a.site, "
            "json_extract(a.json, '$.published'), articles_fts.rank, a.saved_at IS NOT NULL "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND articles_fts.rowid >= ? "
            "ORDER BY articles_fts.rank LIMIT ?",
            (match, floor, limit),
        )

    # -- articles ---------------------------------------------------------------

    def put_article(
        self,
        url: str,
        article: Article,
        html: str | None,
        *,
        entry_id: int | None = None,
        saved: bool = False,
    ) -> SavedArticle:
        """Store (or replace) the cleaned article for `url`; `saved` keeps it forever."""
        stamp = now_iso()
        data = json.dumps(article.to_json(), ensure_ascii=False)
        text = "\n\n".join(filter(None, [article.description or "", article.text]))
        with self._write() as db:
            db.execute(
                "INSERT INTO articles(url, entry_id, title, site, json, html, text, fetched_at, "
                "saved_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET "
                "entry_id = COALESCE(excluded.entry_id, articles.entry_id), "
                "title = excluded.title, site = excluded.site, json = excluded.json, "
                "html = excluded.html, text = excluded.text, fetched_at = excluded.fetched_at, "
                "saved_at = COALESCE(articles.saved_at, excluded.saved_at)",
                (
                    storable(url),
                    entry_id,
                    storable(article.title),
                    storable(article.site),
                    storable(data),
                    storable(html),
                    storable(text),
                    stamp,
                    stamp if saved else None,
                ),
            )
            self._prune_cache(db)
        found = self.article_by_url(url)
        assert found is not None
        return found

    def _prune_cache(self, db: sqlite3.Connection) -> None:
        """Drop old or excess articles that were only opened, never saved."""
        db.execute(
            "DELETE FROM articles WHERE saved_at IS NULL AND fetched_at < "
            "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now', ?)",
            (f"-{CACHE_KEEP_DAYS} days",),
        )
        db.execute(
            "DELETE FROM articles WHERE saved_at IS NULL AND id NOT IN "
            "(SELECT id FROM articles WHERE saved_at IS NULL "
            " ORDER BY fetched_at DESC, id DESC LIMIT ?)",
            (CACHE_KEEP_MAX,),
        )

    def set_saved(self, article_id: int, saved: bool) -> bool:
        """Keep (or stop keeping) an article; False when there is no such article."""
        with self._write() as db:
            if saved:
                cursor = db.execute(
                    "UPDATE articles SET saved_at = COALESCE(saved_at, ?) WHERE id = ?",
                    (now_iso(), article_id),
                )
            else:
                cursor = db.execute(
                    "UPDATE articles SET saved_at = NULL WHERE id = ?", (article_id,)
                )
            return cursor.rowcount > 0

    def article(self, article_id: int) -> SavedArticle | None:
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS.format(body='a.json')} FROM articles a WHERE a.id = ?",
            (article_id,),
        )
        return _saved_article(rows[0]) if rows else None

    def article_by_url(self, url: str) -> SavedArticle | None:
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS.format(body='a.json')} FROM articles a WHERE a.url = ?",
            (storable(url),),
        )
        return _saved_article(rows[0]) if rows else None

    def article_html(self, article_id: int) -> str | None:
        rows = self._read("SELECT html FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else None

    def saved_articles(self) -> list[SavedArticle]:
        """Saved articles, most recently saved first (bodies not loaded)."""
        rows = self._read(
            f"SELECT {_ARTICLE_COLUMNS.format(body='NULL')} FROM articles a "
            "WHERE a.saved_at IS NOT NULL ORDER BY a.saved_at DESC, a.id DESC"
        )
        return [_saved_article(row) for row in rows]

    # -- stories (reader.stories): grouping state and story queries ---------------
    # Kept in one block: the grouping itself is pure Python in reader.stories; these
    # methods only load and write its state. An entry without a story_members row
    # (older than the window when grouping first ran) is a story of its own.

    def ungrouped_entries(self) -> list[tuple[int, str, str, str | None, str]]:
        """(id, title, summary, url, sort_time) of entries newer than the last grouped one."""
        return self._read(
            "SELECT id, title, summary, url, sort_time FROM entries "
            "WHERE id > (SELECT COALESCE(MAX(entry_id), 0) FROM story_members) ORDER BY id"
        )

    def last_grouped_id(self) -> int:
        """The highest grouped entry id (0 when none): another process may have grouped."""
        return int(self._read("SELECT COALESCE(MAX(entry_id), 0) FROM story_members")[0][0])

    def story_window(self, since: float, limit: int) -> list[tuple[int, int, float, str, str]]:
        """(entry_id, story_id, at, terms, url_key) of the newest grouped entries since `since`."""
        rows = self._read(
            "SELECT entry_id, story_id, at, terms, url_key FROM story_members "
            "WHERE at >= ? AND terms != '' ORDER BY at DESC LIMIT ?",
            (since, limit),
        )
        rows.reverse()
        return rows

    def write_story_members(
        self,
        rows: Sequence[tuple[int, int, str | None, float, str]],
        merged: dict[int, int],
    ) -> None:
        """Store (entry_id, story_id, url_key, at, terms) rows and story merges {old: new}."""
        with self._write() as db:
            db.executemany(
                "INSERT INTO story_members(entry_id, story_id, url_key, at, terms) "
                "VALUES (?,?,?,?,?) ON CONFLICT(entry_id) DO UPDATE SET "
                "story_id = excluded.story_id, terms = excluded.terms",
                rows,
            )
            db.executemany(
                "UPDATE story_members SET story_id = ? WHERE story_id = ?",
                [(new, old) for old, new in merged.items()],
            )

    def set_story_terms(self, entry_id: int, terms: str) -> bool:
        """Replace an entry's terms (its article text is known now); False if ungrouped."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE story_members SET terms = ? WHERE entry_id = ?", (terms, entry_id)
            )
            return cursor.rowcount > 0

    def story_member(self, entry_id: int) -> tuple[int, float, str, str | None] | None:
        """(story_id, at, terms, url_key) of a grouped entry."""
        rows = self._read(
            "SELECT story_id, at, terms, url_key FROM story_members WHERE entry_id = ?",
            (entry_id,),
        )
        return rows[0] if rows else None

    def story_list(
        self, since: float | None, min_size: int, limit: int | None
    ) -> list[tuple[int, int, float]]:
        """(story_id, size, newest at) of stories with at least `min_size` entries, newest first."""
        where, params = "", [float(min_size)]
        if since is not None:
            where, params = "WHERE at >= ?", [since, float(min_size)]
        sql = (
            f"SELECT story_id, COUNT(*), MAX(at) FROM story_members {where} "
            "GROUP BY story_id HAVING COUNT(*) >= ? ORDER BY MAX(at) DESC, story_id DESC"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._read(sql, params)

    def story_entries(self, story_ids: Sequence[int]) -> dict[int, list[tuple[Entry, str]]]:
        """Each story's entries newest first, with their stored terms."""
        out: dict[int, list[tuple[Entry, str]]] = {}
        columns = _ENTRY_COLUMNS.format(content="NULL", summary="''")
        for start in range(0, len(story_ids), 500):
            chunk = list(story_ids[start : start + 500])
            rows = self._read(
                f"SELECT s.story_id, s.terms, {columns} FROM story_members s "
                "JOIN entries e ON e.id = s.entry_id JOIN feeds f ON f.id = e.feed_id "
                f"WHERE s.story_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY e.sort_time DESC, e.id DESC",
                chunk,
            )
            for row in rows:
                out.setdefault(row[0], []).append((_entry(row[2:]), row[1]))
        return out

    def story_counts(self, entry_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
        """entry id -> (story id, feeds carrying its story) for the grouped ones of `entry_ids`."""
        out: dict[int, tuple[int, int]] = {}
        for start in range(0, len(entry_ids), 500):
            chunk = list(entry_ids[start : start + 500])
            rows = self._read(
                "SELECT s.entry_id, s.story_id, "
                "(SELECT COUNT(DISTINCT e.feed_id) FROM story_members t "
                " JOIN entries e ON e.id = t.entry_id WHERE t.story_id = s.story_id) "
                f"FROM story_members s WHERE s.entry_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            out.update({entry_id: (story_id, size) for entry_id, story_id, size in rows})
        return out

    def entries_with_url_key(self, url_key: str) -> list[int]:
        """Ids of the entries whose normalised URL is `url_key` (or redirected to it)."""
        rows = self._read(
            "SELECT entry_id FROM story_members WHERE url_key = ? "
            "UNION SELECT entry_id FROM url_aliases WHERE url_key = ? AND entry_id IS NOT NULL",
            (url_key, url_key),
        )
        return [entry_id for (entry_id,) in rows]

    def add_url_aliases(self, keys: Sequence[str], entry_id: int | None, article_url: str) -> None:
        """Remember that these normalised URLs lead to `article_url` (and its entry)."""
        with self._write() as db:
            db.executemany(
                "INSERT INTO url_aliases(url_key, entry_id, article_url) VALUES (?,?,?) "
                "ON CONFLICT(url_key) DO UPDATE SET "
                "entry_id = COALESCE(excluded.entry_id, url_aliases.entry_id), "
                "article_url = excluded.article_url",
                [(key, entry_id, storable(article_url)) for key in keys],
            )

    def url_alias(self, url_key: str) -> tuple[int | None, str | None] | None:
        """(entry_id, article_url) an address was seen to lead to."""
        rows = self._read(
            "SELECT entry_id, article_url FROM url_aliases WHERE url_key = ?", (url_key,)
        )
        return rows[0] if rows else None

    def entry_candidates(self, match: str, limit: int) -> list[tuple[int, str, str]]:
        """(id, title, summary) of entries matching an FTS5 query, best first."""
        return self._read(
            "SELECT e.id, e.title, e.summary FROM entries_fts "
            "JOIN entries e ON e.id = entries_fts.rowid "
            "WHERE entries_fts MATCH ? ORDER BY entries_fts.rank LIMIT ?",
            (match, limit),
        )


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (trigger bodies hold ';' but end with 'END;')."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.strip().splitlines():
        current.append(line)
        text = "\n".join(current).strip()
        if text.endswith(";") and sqlite3.complete_statement(text):
            statements.append(text)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current).strip())
    return statements
