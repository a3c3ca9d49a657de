"""Every misbehaving server, survived: one test per fault, then all of them in one library.

Each test starts its own loopback server (`tests.reliability.faults`) and a real
SQLite library in `tmp_path`. Timeouts are configured short through `Library`
options (1 s between reads, 2 s per fetch) so a hanging or trickling server
costs the suite seconds, not the 20-30 s defaults. What every test checks: the
refresh ends by itself, the good feed beside the fault keeps every entry, the
fault is recorded as a readable one-line `last_error`, and nothing unsafe
(escape sequence, control character, bidi override) is stored.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from reader.config import DATABASE_NAME
from reader.errors import ReaderError
from reader.library import Library
from tests.loopback import Response
from tests.reliability.faults import (
    ESCAPES_VISIBLE,
    FAULTS,
    FAULTS_BY_NAME,
    LATIN1_TITLE,
    SLOW_FAULTS,
    Fault,
    FaultServer,
    good_feed,
    install,
    install_good,
    readable,
    unsafe_stored_texts,
)

TIMEOUT = 1.0
DEADLINE = 2.0
LIMITS = {"timeout": TIMEOUT, "deadline": DEADLINE}
ENDS_WITHIN = DEADLINE + 6.0
"""A refresh must be over by then: the deadline plus generous room for a busy machine."""
MEMORY_FAULTS = {"huge", "huge-undeclared", "gzip-bomb", "billion-laughs"}
PEAK_BYTES = 80 * 2**20
"""Python allocations while refreshing a size fault: the 10 MB cap, a copy, and slack."""

FaultFixture = tuple[FaultServer, threading.Event]


def _refresh(library: Library) -> float:
    started = time.monotonic()
    asyncio.run(library.refresh())
    return time.monotonic() - started


def _titles(library: Library, feed_id: int) -> list[str]:
    return sorted(entry.title for entry in library.entries(feed_id=feed_id))


def _check_fault_outcome(fault: Fault, library: Library, feed_id: int) -> None:
    """What the library must have kept for `fault` after a refresh."""
    feed = library.feed(feed_id)
    titles = _titles(library, feed_id)
    if fault.name == "truncated-xml":
        # Half a document: the entries before the cut may be kept, whole; else a clear error.
        _, original = good_feed(98, 6)
        assert set(titles) <= set(original)
        assert titles or readable(feed.last_error), feed.last_error
    elif fault.name == "latin1-as-utf8":
        assert feed.last_error is None and titles == [LATIN1_TITLE]
    elif fault.name == "escapes":
        assert feed.last_error is None and feed.title == "Blink feed"
        assert titles == sorted(ESCAPES_VISIBLE)
        summaries = {entry.summary for entry in library.entries(feed_id=feed_id)}
        assert summaries == set(ESCAPES_VISIBLE)
    elif fault.name == "billion-laughs":
        # Refused, or read with the entities left unexpanded: never 3 GB of "lol".
        if feed.last_error is not None:
            assert fault.error and fault.error in feed.last_error and readable(feed.last_error)
        assert all(len(title) < 100 and "lollol" not in title for title in titles)
    else:
        assert fault.error is not None
        assert feed.last_error is not None and fault.error in feed.last_error, feed.last_error
        assert readable(feed.last_error), feed.last_error
        assert feed.error_count == 1 and titles == []


@pytest.mark.parametrize("name", [fault.name for fault in FAULTS])
def test_each_fault_beside_a_good_feed(
    name: str, fault_server: FaultFixture, tmp_path: Path
) -> None:
    server, release = fault_server
    fault = FAULTS_BY_NAME[name]
    url = install(server, release, [name])[name]
    good = install_good(server, 1)
    with Library(tmp_path / "data", **LIMITS) as library:  # type: ignore[arg-type]
        good_url, good_titles = next(iter(good.items()))
        good_id = library.store.add_feed(good_url, "Good").id  # type: ignore[union-attr]
        fault_id = library.store.add_feed(url, name).id  # type: ignore[union-attr]
        measure = name in MEMORY_FAULTS
        if measure:
            tracemalloc.start()
        try:
            seconds = _refresh(library)
            peak = tracemalloc.get_traced_memory()[1] if measure else 0
        finally:
            if measure:
                tracemalloc.stop()
        assert seconds < ENDS_WITHIN
        assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MB"
        assert _titles(library, good_id) == sorted(good_titles)
        assert library.feed(good_id).last_error is None
        _check_fault_outcome(fault, library, fault_id)

        # Subscribing to the same endpoint: a readable refusal, nothing added; or a feed.
        library.remove_feed(fault_id)
        started = time.monotonic()
        try:
            added = asyncio.run(library.add_feed(url))
        except ReaderError as error:
            assert fault.error is not None and readable(error.message), error.message
            assert error.where == url
            assert [f.url for f in library.feeds()] == [good_url]
        else:
            assert fault.error is None or name == "billion-laughs", name
            assert added.url == url
        assert time.monotonic() - started < ENDS_WITHIN
    assert unsafe_stored_texts(tmp_path / "data" / DATABASE_NAME) == []


def test_gzip_bomb_fixture_is_small_and_inflates_to_a_gigabyte() -> None:
    """The bomb the tests throw is real: ~1 MB on the wire, 1 GB once inflated."""
    import struct
    import zlib

    from tests.reliability.faults import BOMB_INFLATED, gzip_bomb

    bomb = gzip_bomb()
    assert len(bomb) < 2 * 2**20
    declared = struct.unpack("<I", bomb[-4:])[0]  # the gzip trailer's size (mod 2**32)
    assert declared == (BOMB_INFLATED + 80) % 2**32
    inflater = zlib.decompressobj(31)
    first = inflater.decompress(bomb[: 2**17], 64 * 2**20)
    assert len(first) == 64 * 2**20 and first.startswith(b"<?xml")


GOOD_FEEDS = 4


def test_every_fault_in_one_library(fault_server: FaultFixture, tmp_path: Path) -> None:
    """Good feeds and every fault together: in-process refresh, then the real CLI."""
    server, release = fault_server
    faults = install(server, release)
    good = install_good(server, GOOD_FEEDS)
    data = tmp_path / "data"
    # Two parse worker processes: hostile documents are parsed there, as in a big refresh.
    with Library(data, parse_workers=2, **LIMITS) as library:  # type: ignore[arg-type]
        ids = {
            url: library.store.add_feed(url, url).id  # type: ignore[union-attr]
            for url in [*good, *faults.values()]
        }
        progress: list[tuple[int, int]] = []

        def on_progress(done: int, total: int, result: object) -> None:
            progress.append((done, total))

        started = time.monotonic()
        summary = asyncio.run(library.refresh(progress=on_progress))
        assert time.monotonic() - started < ENDS_WITHIN + 4  # process pool start-up included
        total = GOOD_FEEDS + len(faults)
        assert progress[-1] == (total, total)
        assert summary.ok + summary.failed == total
        for url, titles in good.items():
            assert _titles(library, ids[url]) == sorted(titles), url
        for name, url in faults.items():
            _check_fault_outcome(FAULTS_BY_NAME[name], library, ids[url])
        failed = {r.url: r.error for r in summary.results if r.status == "failed"}
        assert all(readable(error) for error in failed.values()), failed
    assert unsafe_stored_texts(data / DATABASE_NAME) == []

    # The real command line, with its default limits, on the faults that do not just wait.
    quick = [str(ids[url]) for url in good] + [
        str(ids[url]) for name, url in faults.items() if name not in SLOW_FAULTS
    ]
    command = [sys.executable, "-m", "reader", "--data-dir", str(data), "refresh", "--json"]
    for feed_id in quick:
        command += ["--feed", feed_id]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    result = json.loads(done.stdout)
    assert result["ok"] + result["failed"] == len(quick)
    assert all(readable(failure["error"]) for failure in result["failures"])

    listed = subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(data), "feeds", "--json"],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )
    assert listed.returncode == 0, listed.stderr
    feeds = {row["url"]: row for row in map(json.loads, listed.stdout.splitlines())}
    assert len(feeds) == GOOD_FEEDS + len(faults)
    for name, url in faults.items():
        fault = FAULTS_BY_NAME[name]
        error = feeds[url]["last_error"]
        if fault.error is not None and name != "billion-laughs":
            assert readable(error) and fault.error in error, (name, error)
    for url in good:
        assert feeds[url]["last_error"] is None and feeds[url]["total"] == 5
    assert unsafe_stored_texts(data / DATABASE_NAME) == []


def test_a_page_linking_to_fifty_hanging_feeds(fault_server: FaultFixture, tmp_path: Path) -> None:
    """`add PAGE` tries a bounded number of the feeds a page links to, then says why.

    They share the page's host: once it has timed out twice, the rest are not asked
    (`reader.net.HOST_GIVE_UP_AFTER`), so the user waits about one timeout, not five.
    """
    from reader.library import MAX_DISCOVERED_TRIES
    from reader.net import HOST_GIVE_UP_AFTER

    server, release = fault_server
    install(server, release, ["hang"])
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="/fault/hang?{i}">'
        for i in range(50)
    )
    server.routes["/page"] = Response(f"<html><head>{links}</head><body>x</body></html>")
    with Library(tmp_path / "data", **LIMITS) as library:  # type: ignore[arg-type]
        started = time.monotonic()
        with pytest.raises(ReaderError) as caught:
            asyncio.run(library.add_feed(server.url("/page")))
        assert time.monotonic() - started < HOST_GIVE_UP_AFTER * DEADLINE + 6
        assert "timed out" in caught.value.message and readable(caught.value.message)
        assert library.feeds() == []
    tried = sum(count for path, count in server.hits.items() if path.startswith("/fault/hang"))
    assert tried == HOST_GIVE_UP_AFTER < MAX_DISCOVERED_TRIES
