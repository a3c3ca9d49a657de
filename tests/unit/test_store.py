"""reader.store on a real SQLite file: schema, dedup/upsert, FTS, articles, failures."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.errors import ReaderError
from reader.model import Article, Section
from reader.store import MIGRATIONS, FeedUpdate, Store, entry_key, fts_query, normalise_time


@dataclass
class Item:
    """A parsed entry as `reader.feeds` hands it over."""

    guid: str | None
    title: str
    url: str | None = None
    author: str | None = None
    summary: str = ""
    content_html: str | None = None
    published: str | None = None
    updated: str | None = None


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "lib" / "library.sqlite3")
    yield opened
    opened.close()


def test_open_creates_a_migrated_wal_database(tmp_path: Path) -> None:
    path = tmp_path / "new" / "library.sqlite3"
    Store.open(path).close()
    again = Store.open(path)  # a second open finds the schema current
    again.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert {"feeds", "entries", "articles", "entries_fts", "articles_fts"} <= tables


def test_repeated_entry_is_stored_once_and_updates_in_place(store: Store) -> None:
    feed = store.add_feed("http://x.test/feed", "X")
    assert feed is not None
    same = Item("g1", "First title", "http://x.test/1", summary="alpha words")
    assert store.apply_update(FeedUpdate(feed.id, entries=[same, same, same, same])) == 1
    [entry] = store.entries()
    assert entry.title == "First title"
    changed = Item("g1", "Corrected title", "http://x.test/1", summary="beta words")
    assert store.apply_update(FeedUpdate(feed.id, entries=[changed])) == 0
    [updated] = store.entries()
    assert updated.id == entry.id and updated.title == "Corrected title"
    assert [h.id for h in store.search("corrected", 10)] == [entry.id]
    assert store.search("alpha", 10) == []  # the full-text index followed the update


def test_entries_without_id_are_deduplicated_by_link_then_text(store: Store) -> None:
    feed = store.add_feed("http://x.test/feed", "X")
    assert feed is not None
    items = [
        Item(None, "A", "http://x.test/a"),
        Item(None, "A again", "http://x.test/a"),
        Item(None, "B", None, summary="b"),
        Item(None, "B", None, summary="b"),
    ]
    assert store.apply_update(FeedUpdate(feed.id, entries=items)) == 2
    assert entry_key(items[0]) == "url:http://x.test/a"
    assert entry_key(items[2]).startswith("text:")


def test_entries_newest_first_with_filters(store: Store) -> None:
    feed = store.add_feed("http://x.test/feed", "X")
    other = store.add_feed("http://y.test/feed", "Y")
    assert feed is not None and other is not None
    store.apply_update(
        FeedUpdate(
            feed.id,
            entries=[
                Item("old", "Old", published="2024-01-01T00:00:00+00:00"),
                Item("new", "New", published="2025-06-01T12:00:00+02:00"),
            ],
        )
    )
    store.apply_update(
        FeedUpdate(other.id, entries=[Item("mid", "Mid", published="2024-06-01T00:00:00Z")])
    )
    assert [e.title for e in store.entries()] == ["New", "Mid", "Old"]
    assert store.entries()[0].published == "2025-06-01T10:00:00+00:00"
    assert [e.title for e in store.entries(feed_id=other.id)] == ["Mid"]
    assert [e.title for e in store.entries(limit=1)] == ["New"]
    first = store.entries()[0]
    assert store.mark_read(first.id, True)
    assert [e.title for e in store.entries(unread=True)] == ["Mid", "Old"]
    counts = {f.title: (f.unread, f.total) for f in store.feeds()}
    assert counts == {"X": (1, 2), "Y": (1, 1)}
    assert not store.mark_read(99999, True)


def test_normalise_time() -> None:
    assert normalise_time("2025-07-03T10:00:00Z") == "2025-07-03T10:00:00+00:00"
    assert normalise_time("2025-07-03") == "2025-07-03T00:00:00+00:00"
    assert normalise_time("yesterday") is None
    assert normalise_time(None) is None


@pytest.mark.parametrize("query", ['"', "AND OR NOT", "title:(x", "a*b -c", "NEAR(", "'; DROP"])
def test_search_never_raises_on_fts_syntax(store: Store, query: str) -> None:
    feed = store.add_feed("http://x.test/feed", "X")
    assert feed is not None
    store.apply_update(FeedUpdate(feed.id, entries=[Item("1", "Plain words")]))
    assert isinstance(store.search(query, 10), list)


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('energy "policy') == '"energy" AND "policy"*'
    assert fts_query("   ") == ""


def test_failure_keeps_last_success_and_counts(store: Store) -> None:
    feed = store.add_feed("http://x.test/feed", "X")
    assert feed is not None
    store.apply_update(FeedUpdate(feed.id, etag='"e"'))
    success = store.feed(feed.id).last_success  # type: ignore[union-attr]
    store.record_failure(feed.id, "HTTP 404")
    store.record_failure(feed.id, "timed out after 20 s")
    failed = store.feed(feed.id)
    assert failed is not None
    assert (failed.last_error, failed.error_count) == ("timed out after 20 s", 2)
    assert failed.last_success == success and failed.etag == '"e"'
    store.mark_fetched([feed.id])
    healed = store.feed(feed.id)
    assert healed is not None and (healed.last_error, healed.error_count) == (None, 0)


def test_moved_feed_changes_url(store: Store) -> None:
    feed = store.add_feed("http://x.test/old", "X")
    assert feed is not None
    store.apply_update(FeedUpdate(feed.id, new_url="http://x.test/new", not_modified=True))
    assert store.feed(feed.id).url == "http://x.test/new"  # type: ignore[union-attr]
    assert store.feed_by_url("http://x.test/old") is None


def _article(title: str, words: str) -> Article:
    return Article(title=title, url="http://x.test/a", sections=[Section(None, 1, [words])])


def test_saved_articles_survive_feed_removal_and_cache_pruning(store: Store) -> None:
    feed = store.add_feed("http://x.test/feed", "X")
    assert feed is not None
    store.apply_update(FeedUpdate(feed.id, entries=[Item("1", "Entry", "http://x.test/a")]))
    [entry] = store.entries()
    kept = store.put_article(
        "http://x.test/a",
        _article("Kept", "zeppelin harbour"),
        "<html>page</html>",
        entry_id=entry.id,
    )
    assert kept.saved_at is None
    assert store.set_saved(kept.id, True)
    assert store.entries()[0].saved
    store.put_article("http://x.test/b", _article("Cached", "cached words"), None)
    loaded = store.article(kept.id)
    assert loaded is not None and loaded.article is not None
    assert loaded.article.sections[0].paragraphs == ["zeppelin harbour"]
    assert store.article_html(kept.id) == "<html>page</html>"
    assert [a.title for a in store.saved_articles()] == ["Kept"]
    assert [h.kind for h in store.search("zeppelin", 10)] == ["article"]
    store.remove_feed(feed.id)
    assert store.entries() == []
    after = store.article(kept.id)
    assert after is not None and after.saved_at and after.entry_id is None
    assert store.set_saved(kept.id, False)
    assert store.saved_articles() == []
    assert not store.set_saved(12345, True)


def test_full_disk_is_a_clear_error_and_loses_nothing(store: Store) -> None:
    feed = store.add_feed("http://x.test/feed", "X")
    assert feed is not None
    store.apply_update(FeedUpdate(feed.id, entries=[Item("keep", "Kept entry")]))
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: a full disk
    big = [Item(str(i), f"Entry {i}", summary="word " * 400) for i in range(200)]
    with pytest.raises(ReaderError) as caught:
        store.apply_update(FeedUpdate(feed.id, entries=big))
    assert caught.value.message == "the disk is full; nothing was changed"
    assert [e.title for e in store.entries()] == ["Kept entry"]
    assert store.integrity_check() == "ok"


def test_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ReaderError) as caught:
        Store.open(path)
    assert "damaged" in caught.value.message


def test_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(ReaderError) as caught:
        Store.open(blocker / "library.sqlite3")
    assert caught.value.message.startswith("cannot create the library folder")


def test_lone_surrogates_do_not_fail_the_write(store: Store) -> None:
    feed = store.add_feed("http://x.test/feed", "X")
    assert feed is not None
    bad = Item(
        "id\ud800",
        "Title",
        "http://x.test/\udc00",
        summary="ok",
        content_html="<p>bad \ud800 text</p>",
    )
    assert store.apply_update(FeedUpdate(feed.id, entries=[bad, Item("2", "Fine")])) == 2
    stored = {e.title: e for e in store.entries()}
    assert set(stored) == {"Title", "Fine"}
    full = store.entry(stored["Title"].id)
    assert full is not None and full.content_html == "<p>bad ? text</p>"


# -- versions, locations, permissions (issue 9 items 11-13, issue 8 item 4) ----------------


def test_a_library_of_the_first_schema_upgrades_with_nothing_lost(tmp_path: Path) -> None:
    """Built as the first release left it: migration 1 only, with rows in every table."""
    from reader.store import _split_sql

    path = tmp_path / "old" / "library.sqlite3"
    path.parent.mkdir()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    for statement in _split_sql(MIGRATIONS[0]):
        db.execute(statement)
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO feeds(id, url, title, etag, added_at) VALUES "
        "(1, 'http://old.test/feed', 'Old Gazette', '\"e1\"', '2024-05-01T08:00:00+00:00')"
    )
    db.execute(  # the v1 trigger indexes it for search
        "INSERT INTO entries(id, feed_id, key, guid, title, url, summary, first_seen, sort_time, "
        "read) VALUES (1, 1, 'id:g1', 'g1', 'Lighthouse keeper retires', 'http://old.test/1', "
        "'After forty winters on the rock', '2024-05-01T08:00:00+00:00', "
        "'2024-05-01T08:00:00+00:00', 1)"
    )
    db.execute(
        "INSERT INTO articles(id, url, entry_id, title, json, text, fetched_at, saved_at) VALUES "
        "(1, 'http://old.test/1', 1, 'Lighthouse keeper retires', '{\"title\": \"Lighthouse "
        "keeper retires\"}', 'The keeper climbed the stairs one last time', "
        "'2024-05-01T09:00:00+00:00', '2024-05-01T09:00:00+00:00')"
    )
    db.close()

    store = Store.open(path)
    try:
        [feed] = store.feeds()
        assert (feed.url, feed.title, feed.etag) == ("http://old.test/feed", "Old Gazette", '"e1"')
        [entry] = store.entries()
        assert (entry.title, entry.read, entry.saved) == ("Lighthouse keeper retires", True, True)
        assert [hit.kind for hit in store.search("forty winters", 10)] == ["entry"]
        assert [hit.kind for hit in store.search("stairs", 10)] == ["article"]
        [saved] = store.saved_articles()
        assert saved.title == "Lighthouse keeper retires"
        store.record_failure(feed.id, "HTTP 500", retry_at="2999-01-01T00:00:00+00:00")
        assert store.waiting_feeds() == {feed.id: "2999-01-01T00:00:00+00:00"}  # v4 column
        assert store.integrity_check() == "ok"
    finally:
        store.close()
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    check.close()


def test_a_library_from_a_newer_version_is_refused_and_not_written(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    Store.open(path).close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 3}")
    db.execute("PRAGMA journal_mode = DELETE")  # as a newer reader might leave it
    db.close()
    before = path.read_bytes()
    with pytest.raises(ReaderError) as caught:
        Store.open(path)
    assert "newer version" in caught.value.message and "upgrade" in caught.value.message
    assert path.read_bytes() == before


def test_a_library_path_that_is_a_folder_says_so(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    path.mkdir()
    with pytest.raises(ReaderError) as caught:
        Store.open(path)
    assert caught.value.message == "the library file is a folder, not a database"


def test_the_library_is_private_to_its_user(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh" / "data" / "library.sqlite3"
    Store.open(fresh).close()
    assert fresh.parent.stat().st_mode & 0o777 == 0o700
    assert fresh.stat().st_mode & 0o777 == 0o600
    # A library made by an earlier release (0755 folder, 0644 file) is tightened on open.
    fresh.parent.chmod(0o755)
    fresh.chmod(0o644)
    store = Store.open(fresh)
    try:
        for name in (fresh, fresh.with_name(fresh.name + "-wal")):
            assert name.stat().st_mode & 0o777 == 0o600, name
        assert fresh.parent.stat().st_mode & 0o777 == 0o700
    finally:
        store.close()


def test_a_query_of_thousands_of_repeated_words_is_fast(store: Store) -> None:
    import time

    from reader.search_query import MAX_TERMS

    feed = store.add_feed("http://x.test/feed", "X")
    assert feed is not None
    store.apply_update(
        FeedUpdate(feed.id, entries=[Item("1", "Harbour crane toppled", summary="storm")])
    )
    assert fts_query("crane crane harbour crane") == '"crane" AND "harbour"'
    words = [f"w{n}" for n in range(100)]
    assert fts_query(" ".join(words)).count('"') == 2 * MAX_TERMS
    started = time.monotonic()
    hits = store.search("harbour " * 20_000 + "crane", 10)
    assert time.monotonic() - started < 2.0  # 125 s before terms were deduplicated
    assert [hit.title for hit in hits] == ["Harbour crane toppled"]


def test_stored_errors_and_moved_addresses_carry_no_controls(store: Store) -> None:
    feed = store.add_feed("http://x.test/feed\x9b2J", "X")
    assert feed is not None and feed.url == "http://x.test/feed%C2%9B2J"
    store.record_failure(feed.id, "redirected to http://y.test/\x9b31m\x1b]0;owned\x07 away")
    [failed] = store.feeds()
    assert failed.last_error is not None
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in failed.last_error)
    store.apply_update(FeedUpdate(feed.id, new_url="http://y.test/\u009bnew\u202e"))
    [moved] = store.feeds()
    assert moved.url == "http://y.test/%C2%9Bnew%E2%80%AE"


def test_a_reader_thread_never_waits_for_a_write_in_progress(store: Store) -> None:
    """The app reads on its own thread while a refresh writes on another."""
    import threading
    import time

    feed = store.add_feed("http://x.test/feed", "X")
    assert feed is not None
    entered, release = threading.Event(), threading.Event()

    def long_write() -> None:
        with store._write() as db:
            db.execute("UPDATE feeds SET title = 'Renamed' WHERE id = ?", (feed.id,))
            entered.set()
            release.wait(10)

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert entered.wait(5)
        started = time.monotonic()
        titles = [f.title for f in store.feeds()]
        waited = time.monotonic() - started
    finally:
        release.set()
        writer.join()
    assert titles == ["X"]  # the last committed state
    assert waited < 1.0, waited
    assert [f.title for f in store.feeds()] == ["Renamed"]


def test_a_shared_folder_given_as_the_data_folder_is_left_as_it_is(tmp_path: Path) -> None:
    """`--data-dir /tmp` must not make /tmp private; a folder of other files is not ours."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    busy = tmp_path / "documents"
    busy.mkdir()
    busy.chmod(0o755)
    (busy / "notes.txt").write_text("someone's notes")
    for folder, mode in ((shared, 0o1777), (busy, 0o755)):
        Store.open(folder / "library.sqlite3").close()
        Store.open(folder / "library.sqlite3").close()  # a library there now: still theirs
        assert folder.stat().st_mode & 0o7777 == mode
        assert (folder / "library.sqlite3").stat().st_mode & 0o777 == 0o600
