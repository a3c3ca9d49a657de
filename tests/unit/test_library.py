"""The library service end to end: real loopback HTTP, real SQLite in tmp_path."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.errors import ReaderError
from reader.library import FeedResult, Library
from tests.loopback import LoopbackServer, Response
from tests.unit.test_store import Item

RSS = "application/rss+xml"


def rss(title: str, items: list[tuple[str, str]], *, base: str = "http://news.test") -> str:
    """An RSS 2.0 document; each item is (guid, title) with a link and a summary."""
    body = "".join(
        f"<item><guid>{escape(guid)}</guid><title>{escape(item_title)}</title>"
        f"<link>{base}/story/{escape(guid)}</link>"
        f"<description>Summary of {escape(item_title)} about harbours.</description>"
        f"<pubDate>Wed, 0{1 + n % 9} Jan 2025 10:00:00 GMT</pubDate></item>"
        for n, (guid, item_title) in enumerate(items)
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(title)}</title><link>{base}/</link>{body}</channel></rss>"
    )


def page(title: str, paragraphs: int = 6) -> str:
    text = "".join(
        f"<p>Paragraph {n} of the story about the zeppelin harbour, written with "
        f"enough words to count as body text for the engine.</p>"
        for n in range(paragraphs)
    )
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title></head><body>"
        f"<article><h1>{escape(title)}</h1>{text}</article></body></html>"
    )


def etag_route(document: str, etag: str = '"v1"') -> object:
    """A feed route that answers 304 to a matching If-None-Match."""

    def route(handler: BaseHTTPRequestHandler) -> Response:
        if handler.headers.get("If-None-Match") == etag:
            return Response(b"", status=304, headers={"ETag": etag})
        return Response(document, headers={"ETag": etag}, content_type=RSS)

    return route


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    opened = Library(tmp_path / "data", timeout=2, deadline=4)
    yield opened
    opened.close()


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


def test_add_feed_stores_entries_and_refuses_duplicates(
    library: Library, loopback: LoopbackServer
) -> None:
    loopback.routes["/feed"] = Response(
        rss("Harbour News", [("a", "One"), ("b", "Two")]), content_type=RSS
    )
    feed = run(library.add_feed(loopback.url("/feed"), category="Local"))
    assert (feed.title, feed.total, feed.unread, feed.category) == ("Harbour News", 2, 2, "Local")
    assert {e.title for e in library.entries()} == {"One", "Two"}
    with pytest.raises(ReaderError, match="already subscribed"):
        run(library.add_feed(loopback.url("/feed")))


def test_add_page_discovers_its_feed(library: Library, loopback: LoopbackServer) -> None:
    loopback.routes["/"] = Response(
        "<html><head><title>Site</title></head><body><p>hi</p>"
        "<link rel='alternate' type='application/rss+xml' href='/rss.xml'></body></html>"
    )
    loopback.routes["/rss.xml"] = Response(rss("Found", [("a", "One")]), content_type=RSS)
    feed = run(library.add_feed(loopback.url("/")))
    assert feed.url == loopback.url("/rss.xml") and feed.title == "Found"


def test_add_non_feed_or_unreachable_adds_nothing(
    library: Library, loopback: LoopbackServer
) -> None:
    loopback.routes["/page"] = Response("<html><body><p>No feeds here.</p></body></html>")
    with pytest.raises(ReaderError, match="not a feed"):
        run(library.add_feed(loopback.url("/page")))
    loopback.routes["/gone"] = Response("gone", status=404)
    with pytest.raises(ReaderError, match="HTTP 404"):
        run(library.add_feed(loopback.url("/gone")))
    assert library.feeds() == []


def test_refresh_uses_etag_and_records_outcomes(library: Library, loopback: LoopbackServer) -> None:
    loopback.routes["/good"] = etag_route(rss("Good", [("1", "A"), ("2", "B")]))
    loopback.routes["/bad"] = Response(rss("Bad", [("x", "X")]), content_type=RSS)
    good = run(library.add_feed(loopback.url("/good")))
    bad = run(library.add_feed(loopback.url("/bad")))
    loopback.routes["/bad"] = Response("missing", status=404)
    seen: list[tuple[int, int, FeedResult | None]] = []
    summary = run(library.refresh(progress=lambda d, t, r: seen.append((d, t, r))))
    assert (summary.not_modified, summary.failed, summary.ok) == (1, 1, 0)
    last_good_request = [h for path, h in loopback.requests if path == "/good"][-1]
    assert last_good_request.get("If-None-Match") == '"v1"'
    assert seen[0] == (0, 2, None)
    assert [(done, total) for done, total, _ in seen[1:]] == [(1, 2), (2, 2)]
    assert {r.status for _, _, r in seen[1:] if r} == {"not_modified", "failed"}
    by_id = {f.id: f for f in library.feeds()}
    assert by_id[bad.id].last_error == "HTTP 404" and by_id[bad.id].error_count == 1
    assert by_id[bad.id].last_success is not None  # the success from `add` is kept
    assert by_id[good.id].last_error is None and by_id[good.id].total == 2
    run(library.refresh([bad.id]))
    assert library.feed(bad.id).error_count == 2


def test_changed_feed_adds_and_updates_entries(library: Library, loopback: LoopbackServer) -> None:
    loopback.routes["/f"] = Response(rss("F", [("1", "First"), ("2", "Second")]), content_type=RSS)
    run(library.add_feed(loopback.url("/f")))
    loopback.routes["/f"] = Response(
        rss("F", [("3", "Third"), ("1", "First, corrected"), ("2", "Second")]), content_type=RSS
    )
    summary = run(library.refresh())
    assert (summary.ok, summary.new_entries) == (1, 1)
    assert sorted(e.title for e in library.entries()) == ["First, corrected", "Second", "Third"]


def test_permanent_redirect_updates_the_stored_url(
    library: Library, loopback: LoopbackServer
) -> None:
    loopback.routes["/old"] = Response(rss("Moving", [("1", "A")]), content_type=RSS)
    feed = run(library.add_feed(loopback.url("/old")))
    loopback.routes["/old"] = Response(status=301, headers={"Location": "/new"})
    loopback.routes["/new"] = Response(rss("Moving", [("1", "A"), ("2", "B")]), content_type=RSS)
    summary = run(library.refresh())
    assert summary.ok == 1 and summary.results[0].url == loopback.url("/new")
    assert library.feed(feed.id).url == loopback.url("/new")
    run(library.refresh())
    assert loopback.hits["/old"] == 2 and loopback.hits["/new"] == 2


def test_slow_feed_times_out_without_stopping_the_others(
    tmp_path: Path, loopback: LoopbackServer
) -> None:
    release = threading.Event()

    def hang(handler: BaseHTTPRequestHandler) -> None:
        release.wait(10)
        return None

    with Library(tmp_path / "data", timeout=0.5, deadline=1) as library:
        loopback.routes["/ok"] = Response(rss("Ok", [("1", "A")]), content_type=RSS)
        run(library.add_feed(loopback.url("/ok")))
        slow = library.store.add_feed(loopback.url("/hang"), "Hanging")
        assert slow is not None
        loopback.routes["/hang"] = hang
        loopback.routes["/ok"] = Response(rss("Ok", [("1", "A"), ("2", "B")]), content_type=RSS)
        try:
            summary = run(library.refresh())
        finally:
            release.set()
        assert (summary.ok, summary.failed, summary.new_entries) == (1, 1, 1)
        assert library.feed(slow.id).last_error == "timed out after 0.5 s"


def test_json_feed_and_untrusted_titles(library: Library, loopback: LoopbackServer) -> None:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "\x1b]0;pwned\x07JSON [b]Feed[/b]",
        "home_page_url": loopback.url("/"),
        "items": [
            {
                "id": "j1",
                "url": "/j1",
                "title": "Evil \x1b[2J\u202etitle",
                "content_text": "Plain text body.",
            }
        ],
    }
    loopback.routes["/feed.json"] = Response(
        json.dumps(document), content_type="application/feed+json"
    )
    feed = run(library.add_feed(loopback.url("/feed.json")))
    assert feed.title == "JSON [b]Feed[/b]"
    [entry] = library.entries()
    assert entry.url == loopback.url("/j1")
    assert "\x1b" not in entry.title and "\u202e" not in entry.title


def test_open_article_caches_and_save_keeps_it_offline(tmp_path: Path) -> None:
    from tests.loopback import LoopbackServer

    server = LoopbackServer().start()
    try:
        server.routes["/feed"] = Response(
            rss("S", [("1", "Story")], base=server.base), content_type=RSS
        )
        server.routes["/story/1"] = Response(page("The zeppelin story"))
        with Library(tmp_path / "data") as library:
            run(library.add_feed(server.url("/feed")))
            [entry] = library.entries()
            opened = run(library.open_article(entry.url, entry_id=entry.id))  # type: ignore[arg-type]
            assert opened.article is not None and opened.saved_at is None
            assert "zeppelin" in opened.article.text
            again = run(library.open_article(entry.url))  # type: ignore[arg-type]
            assert again.id == opened.id and server.hits["/story/1"] == 1
            saved = run(library.save(entry.id))
            assert saved.id == opened.id and saved.saved_at is not None
            assert library.entries()[0].saved
    finally:
        server.stop()
    with Library(tmp_path / "data") as offline:  # no server any more
        [kept] = offline.saved()
        assert kept.title == "The zeppelin story"
        article = offline.article(kept.id)
        assert article.article is not None and "zeppelin" in article.article.text
        assert offline.cached_article(kept.url) is not None
        assert "zeppelin" in (offline.article_html(kept.id) or "")
        # One hit per story: the entry, marked saved (its saved copy is what matched).
        assert [(hit.kind, hit.saved) for hit in offline.search("zeppelin")] == [("entry", True)]
        offline.unsave(kept.id)
        assert offline.saved() == []


def test_search_finds_entries_by_summary(library: Library, loopback: LoopbackServer) -> None:
    loopback.routes["/f"] = Response(
        rss("F", [("1", "Ferry strike"), ("2", "Budget")]), content_type=RSS
    )
    run(library.add_feed(loopback.url("/f")))
    hits = library.search("ferry harb")  # the last word is a prefix
    assert [h.title for h in hits] == ["Ferry strike"]
    assert hits[0].kind == "entry" and hits[0].feed_title == "F"


def test_unknown_ids_say_so(library: Library) -> None:
    with pytest.raises(ReaderError, match="no entry with id 42"):
        library.mark_read(42)
    with pytest.raises(ReaderError, match="no entry with id 42"):
        library.entry(42)
    with pytest.raises(ReaderError, match="no feed with id 7"):
        library.remove_feed(7)
    with pytest.raises(ReaderError, match="not subscribed"):
        library.remove_feed("http://nowhere.test/feed")
    with pytest.raises(ReaderError, match="no saved or cached article with id 3"):
        library.article(3)
    with pytest.raises(ReaderError, match="no saved article with id 3"):
        library.unsave(3)


def test_opml_import_and_export(library: Library, tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        "<?xml version='1.0'?><opml version='2.0'><head/><body>"
        "<outline text='World'>"
        "<outline type='rss' text='A' xmlUrl='http://a.test/feed'/>"
        "<outline type='rss' text='B' xmlUrl='http://b.test/feed'/></outline>"
        "<outline type='rss' text='C' xmlUrl='http://c.test/feed'/>"
        "</body></opml>",
        encoding="utf-8",
    )
    added = library.import_opml(opml)
    assert {(f.url, f.category) for f in added} == {
        ("http://a.test/feed", "World"),
        ("http://b.test/feed", "World"),
        ("http://c.test/feed", None),
    }
    assert library.import_opml(opml) == []  # already subscribed: nothing new
    exported = library.export_opml()
    again = tmp_path / "again.opml"
    again.write_text(exported, encoding="utf-8")
    with Library(tmp_path / "other") as other:
        assert {(f.url, f.category) for f in other.import_opml(again)} == {
            (f.url, f.category) for f in added
        }


def test_threads_can_read_while_a_refresh_writes(
    library: Library, loopback: LoopbackServer
) -> None:
    for n in range(12):
        loopback.routes[f"/f{n}"] = Response(
            rss(f"Feed {n}", [(f"{n}-{i}", f"Item {i}") for i in range(20)]), content_type=RSS
        )
    library.store.add_feeds([(loopback.url(f"/f{n}"), f"Feed {n}", None) for n in range(12)])
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                library.entries(limit=50)
                library.feeds()
            except BaseException as error:  # pragma: no cover - reported below
                errors.append(error)
                return

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        summary = run(library.refresh())
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert (summary.ok, summary.new_entries) == (12, 240)
    assert len(library.entries()) == 240


def test_opened_article_text_is_stored_clean(library: Library, loopback: LoopbackServer) -> None:
    from reader.text import has_unsafe_characters

    nasty = "Harbour \x1b]0;pwned\x07news \x1b[2J\u202eflipped [bold]x[/bold]"
    paragraphs = "".join(
        f"<p>{escape(nasty)} paragraph {n} with enough words to be body text "
        "for the engine to keep it.</p>"
        for n in range(6)
    )
    loopback.routes["/page"] = Response(
        f"<html><head><title>{escape(nasty)}</title></head><body><article>"
        f"<h1>{escape(nasty)}</h1>{paragraphs}</article></body></html>"
    )
    stored = run(library.open_article(loopback.url("/page")))
    assert stored.article is not None

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    texts = strings(stored.article.to_json())
    assert texts and not any(has_unsafe_characters(text) for text in texts)
    assert "[bold]x[/bold]" in stored.article.title
    assert not has_unsafe_characters(stored.title)


def test_cancelled_refresh_keeps_what_finished(library: Library, loopback: LoopbackServer) -> None:
    release = threading.Event()

    def hang(handler: BaseHTTPRequestHandler) -> None:
        release.wait(10)
        return None

    loopback.routes["/ok"] = Response(rss("Ok", [("1", "A"), ("2", "B")]), content_type=RSS)
    loopback.routes["/hang"] = hang
    library.store.add_feeds(
        [(loopback.url("/ok"), "Ok", None), (loopback.url("/hang"), "Hang", None)]
    )

    async def scenario() -> None:
        one_done = asyncio.Event()
        task = asyncio.ensure_future(
            library.refresh(progress=lambda done, total, result: one_done.set() if done else None)
        )
        await one_done.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    try:
        run(scenario())
    finally:
        release.set()
    assert [e.title for e in library.entries()] == ["B", "A"]
    loopback.routes["/hang"] = Response(rss("Hang", [("3", "C")]), content_type=RSS)
    summary = run(library.refresh())
    assert (summary.ok, summary.failed) == (2, 0)
    assert library.store.integrity_check() == "ok"


def test_one_unwritable_feed_does_not_fail_its_batch(library: Library) -> None:
    from reader.library import BatchWriter
    from reader.store import FeedUpdate
    from tests.unit.test_store import Item

    good = library.store.add_feed("http://good.test/feed", "Good")
    bad = library.store.add_feed("http://bad.test/feed", "Bad")
    assert good is not None and bad is not None
    unbindable = Item("x", object())  # type: ignore[arg-type]  # SQLite cannot store it

    async def scenario() -> list[int | BaseException]:
        writer = BatchWriter(library.store)
        results = await asyncio.gather(
            writer.write(FeedUpdate(good.id, entries=[Item("1", "Kept")])),
            writer.write(FeedUpdate(bad.id, entries=[unbindable])),
            return_exceptions=True,
        )
        await writer.aclose()
        return results

    kept, failed = run(scenario())
    assert kept == 1 and isinstance(failed, Exception)
    assert [e.title for e in library.entries()] == ["Kept"]


def test_long_retry_after_is_obeyed_across_refreshes(
    library: Library, loopback: LoopbackServer
) -> None:
    loopback.routes["/busy"] = Response(rss("Busy", [("1", "A")]), content_type=RSS)
    feed = run(library.add_feed(loopback.url("/busy")))
    loopback.routes["/busy"] = Response("later", status=429, headers={"Retry-After": "600"})
    first = run(library.refresh())
    assert first.results[0].error == "HTTP 429, retry after 600 s"
    assert loopback.hits["/busy"] == 2
    second = run(library.refresh())
    assert loopback.hits["/busy"] == 2  # not asked again
    assert second.failed == 1
    assert second.results[0].error.startswith(  # type: ignore[union-attr]
        "HTTP 429, retry after 600 s (not asked again before "
    )
    assert library.feed(feed.id).error_count == 1


# -- read-only libraries, locks, addresses (issue 9 items 6, 11, 13) ---------------------


@contextmanager
def _as_someone_else() -> Iterator[None]:
    """As root, permission bits bind nobody: act as the user `nobody` for the block."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_library_can_be_read_and_writes_say_why(what: str) -> None:
    from reader.store import FeedUpdate

    base = Path(tempfile.mkdtemp(prefix="reader-ro-"))
    base.chmod(0o755)
    data = base / "data"
    try:
        with Library(data) as writable:
            feed = writable.store.add_feed("http://ro.test/feed", "Read-only Courier")
            assert feed is not None
            writable.store.apply_update(
                FeedUpdate(feed.id, entries=[Item("g1", "Ferry timetable changes")])
            )
        database = data / "library.sqlite3"
        database.chmod(0o444)
        data.chmod(0o555 if what == "folder" else 0o777)
        with _as_someone_else(), Library(data) as library:
            assert library.read_only == f"the library {what} is read-only"
            [entry] = library.entries()
            assert entry.title == "Ferry timetable changes"
            assert [hit.title for hit in library.search("ferry")] == [entry.title]
            with pytest.raises(ReaderError) as caught:
                library.mark_read(entry.id)
            assert caught.value.message.startswith(f"the library {what} is read-only")
            with pytest.raises(ReaderError) as caught:
                run(library.refresh())
            assert "read-only; this command needs to write to it" in caught.value.message
    finally:
        for path in (base, data):
            path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_a_refresh_while_another_process_writes_stops_soon_and_says_busy(
    tmp_path: Path, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It waited 316 s (15 s per write, ten feeds); now one bounded wait, then a sentence."""
    import sqlite3

    import reader.store
    from reader.errors import LibraryBusy

    monkeypatch.setattr(reader.store, "BUSY_TIMEOUT_SECONDS", 0.5)
    for n in range(10):
        loopback.routes[f"/f{n}"] = Response(
            rss(f"F{n}", [(f"g{n}", f"Item {n}")]), content_type=RSS
        )
    with Library(tmp_path / "data", timeout=2, deadline=4) as library:
        library.store.add_feeds((loopback.url(f"/f{n}"), f"F{n}", None) for n in range(10))
        other = sqlite3.connect(library.store.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another reader process, mid-write
        started = time.monotonic()
        try:
            with pytest.raises(LibraryBusy) as caught:
                run(library.refresh())
        finally:
            other.execute("ROLLBACK")
            other.close()
        elapsed = time.monotonic() - started
        assert "the library is busy (another reader is writing)" in caught.value.message
        assert elapsed < 3.0, elapsed
        summary = run(library.refresh())  # free again: everything goes in
        assert summary.ok == 10


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("javascript:alert(1)", "not a web address (http:// or https://)"),
        ("http://127.0.0.1:99999/x", "not a valid port in the address (0 to 65535)"),
        ("http://127.0.0.1:abc/", "not a valid port in the address (0 to 65535)"),
        ("mailto:someone@example.org", "not a web address (http:// or https://)"),
    ],
)
def test_bad_addresses_are_sentences(library: Library, address: str, expected: str) -> None:
    for call in (library.save, library.add_feed, library.open_article):
        with pytest.raises(ReaderError) as caught:
            run(call(address))
        assert caught.value.message == expected, call


def test_ids_too_large_for_sqlite_are_not_found(library: Library) -> None:
    huge = 10**20
    for call in (library.entry, library.article, library.unsave, library.mark_read):
        with pytest.raises(ReaderError) as caught:
            call(huge)
        assert caught.value.message.startswith("no ") and str(huge) in caught.value.message
    with pytest.raises(ReaderError):
        library.feed(str(huge))
    assert library.entries(limit=huge) == []


def test_failures_recorded_while_the_library_is_busy_wait_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten refused feeds: each failure is a write; only the first may wait the busy timeout."""
    import socket
    import sqlite3

    import reader.store
    from reader.errors import LibraryBusy

    monkeypatch.setattr(reader.store, "BUSY_TIMEOUT_SECONDS", 0.5)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with Library(tmp_path / "data", timeout=2, deadline=4) as library:
        library.store.add_feeds(
            (f"http://127.0.0.1:{closed}/f{n}", f"F{n}", None) for n in range(10)
        )
        other = sqlite3.connect(library.store.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        started = time.monotonic()
        try:
            with pytest.raises(LibraryBusy):
                run(library.refresh())
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert time.monotonic() - started < 2.5  # 10 x 0.5 s one after the other before


def test_opml_outlines_that_can_never_be_fetched_are_skipped(
    library: Library, tmp_path: Path
) -> None:
    opml = tmp_path / "mixed.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline text="Good" xmlUrl="http://good.test/feed"/>'
        '<outline text="Port" xmlUrl="http://port.test:99999/feed"/>'
        '<outline text="Letters" xmlUrl="http://letters.test:abc/feed"/>'
        '<outline text="Script" xmlUrl="javascript:alert(1)"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    added = library.import_opml(opml)
    assert [feed.url for feed in added] == ["http://good.test/feed"]
