"""Crash safety: kill -9 at random moments, two writers at once, read-only and full disks.

The real `reader` command runs in child processes against a loopback news site
whose responses take a little time (so a kill lands while the process is
fetching, parsing or writing). After every kill the database must pass
`PRAGMA integrity_check`, keep every article saved before, and let the next
refresh complete. The kill moments come from a seeded generator: a failure is
reproducible with the same seed.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import psutil
import pytest

from reader.config import DATABASE_NAME
from reader.library import Library
from tests.loopback import Response
from tests.reliability.faults import RSS, FaultServer, rss

SEED = 20261127
TRIALS = 20
"""kill -9 trials (refresh and save alternate)."""
FEEDS = 6
"""Parsed in threads (the default): each child starts fast. Parse worker processes
are killed in `test_parse_workers.py` and bench/crash_trials.py."""
ITEMS = 20
NEW_PER_GENERATION = 4
KILL_WINDOW = {"refresh": 0.8, "save": 0.6}
"""Seconds after the child's first request within which the kill lands (uniform)."""
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class NewsSite:
    """Feeds that gain entries each generation, article pages, and a little latency."""

    server: FaultServer
    release: threading.Event
    generation: int = 0
    first_request: threading.Event = field(default_factory=threading.Event)

    def feed_url(self, number: int) -> str:
        return self.server.url(f"/feed/{number}.xml")

    def page_url(self, number: int) -> str:
        return self.server.url(f"/page/{number}.html")

    def titles(self, number: int) -> list[str]:
        """The entry titles feed `number` shows now (newest generation first)."""
        newest = self.generation * NEW_PER_GENERATION + ITEMS
        return [f"Story {number}-{k} on the harbour works" for k in range(newest - ITEMS, newest)]

    def _feed(self, number: int) -> Callable[[BaseHTTPRequestHandler], Response]:
        def handler(request: BaseHTTPRequestHandler) -> Response:
            self.first_request.set()
            self.release.wait(0.03 * (number % 9))  # latency 0-240 ms, spread over feeds
            items = [
                (title, title, f"http://harbour.test/{number}/{k}")
                for k, title in enumerate(self.titles(number))
            ]
            return Response(rss(f"Harbour feed {number}", items), content_type=RSS)

        return handler

    def _page(self, request: BaseHTTPRequestHandler) -> Response:
        self.first_request.set()
        self.release.wait(0.15)
        number = request.path.rsplit("/", 1)[-1].split(".")[0]
        paragraphs = "".join(
            f"<p>Paragraph {k} of story {number}: the harbour board met on Tuesday and "
            f"agreed the works would go ahead, said the chair, Mara Ilves.</p>"
            for k in range(30)
        )
        return Response(
            f"<html><head><title>Harbour story {number}</title></head><body>"
            f"<article><h1>Harbour story {number}</h1>{paragraphs}</article>"
            f"</body></html>"
        )

    def install(self) -> None:
        for number in range(FEEDS):
            self.server.routes[f"/feed/{number}.xml"] = self._feed(number)
        for number in range(200):
            self.server.routes[f"/page/{number}.html"] = self._page


@pytest.fixture
def site(fault_server: tuple[FaultServer, threading.Event]) -> NewsSite:
    news = NewsSite(*fault_server)
    news.install()
    return news


def _env(data: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "READER_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), **extra}


def _start(data: Path, *args: str, **extra_env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        env=_env(data, **extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        env=_env(data),
        capture_output=True,
        text=True,
        timeout=90,
    )


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`reader --data-dir DATA ARGS` in-process (no interpreter start-up), as a result."""
    import contextlib
    import io

    from reader.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--data-dir", str(data), *args])
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


def _kill_tree(process: subprocess.Popen[str]) -> list[psutil.Process]:
    """kill -9 the child; returns its own children (parse workers) as they were."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    process.kill()
    process.communicate()
    return children


def _reap(processes: list[psutil.Process]) -> None:
    """Test hygiene: end what a killed child left behind (we started it, by pid)."""
    for leftover in processes:
        with suppress(psutil.NoSuchProcess):
            leftover.kill()
    psutil.wait_procs(processes, timeout=5)


@dataclass
class Snapshot:
    integrity: str
    feeds: int
    entry_titles: set[str]
    saved_urls: set[str]


def _snapshot(data: Path) -> Snapshot:
    db = sqlite3.connect(data / DATABASE_NAME, timeout=30)
    try:
        return Snapshot(
            integrity=db.execute("PRAGMA integrity_check").fetchone()[0],
            feeds=db.execute("SELECT COUNT(*) FROM feeds").fetchone()[0],
            entry_titles={row[0] for row in db.execute("SELECT title FROM entries")},
            saved_urls={
                row[0] for row in db.execute("SELECT url FROM articles WHERE saved_at IS NOT NULL")
            },
        )
    finally:
        db.close()


def _prepare(data: Path, site: NewsSite, saved_pages: int = 3) -> set[str]:
    """Subscribe, refresh and save a few articles in-process; returns the saved URLs."""
    with Library(data) as library:
        library.store.add_feeds((site.feed_url(n), f"Harbour feed {n}", None) for n in range(FEEDS))
        summary = asyncio.run(library.refresh())
        assert summary.failed == 0
        urls = {site.page_url(100 + n) for n in range(saved_pages)}
        for url in sorted(urls):
            asyncio.run(library.save(url))
    return urls


def test_kill_9_at_random_moments_loses_nothing(site: NewsSite, tmp_path: Path) -> None:
    data = tmp_path / "data"
    kept = _prepare(data, site)
    rng = random.Random(SEED)
    before = _snapshot(data)
    killed = finished = 0
    for trial in range(TRIALS):
        kind = "refresh" if trial % 2 == 0 else "save"
        if kind == "refresh":
            site.generation += 1
            args = ["refresh"]
        else:
            url = site.page_url(trial)
            args = ["save", url]
        site.first_request.clear()
        process = _start(data, *args)
        assert site.first_request.wait(60), process.communicate()
        try:  # the kill moment: a random time after the child started its work
            process.wait(timeout=rng.uniform(0.0, KILL_WINDOW[kind]))
        except subprocess.TimeoutExpired:
            _reap(_kill_tree(process))
            killed += 1
        else:
            _, err = process.communicate()
            assert process.returncode == 0, err
            finished += 1
            if kind == "save":
                kept.add(url)
        after = _snapshot(data)
        assert after.integrity == "ok", (trial, after.integrity)
        assert after.feeds == FEEDS
        assert kept <= after.saved_urls, (trial, kept - after.saved_urls)
        assert before.entry_titles <= after.entry_titles, trial  # no entry ever lost
        before = after
    assert killed >= TRIALS // 2, (killed, finished)  # most kills landed mid-work

    done = _run(data, "refresh", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["failed"] == 0
    final = _snapshot(data)
    assert final.integrity == "ok" and kept <= final.saved_urls
    current = {title for n in range(FEEDS) for title in site.titles(n)}
    assert current <= final.entry_titles


def test_refresh_and_saves_at_the_same_time(site: NewsSite, tmp_path: Path) -> None:
    """Five writers at once (two refreshes, three saves, two of them of the same page)
    wait for each other: no error, no lost write, no duplicate."""
    data = tmp_path / "data"
    kept = _prepare(data, site, saved_pages=1)
    site.generation += 1
    pages = [site.page_url(20 + k) for k in range(2)]
    processes = [
        _start(data, "refresh", "--json"),
        _start(data, "save", pages[0]),
        _start(data, "refresh", "--json"),
        _start(data, "save", pages[1]),
        _start(data, "save", pages[0]),
    ]  # the same page twice at once
    outputs = [process.communicate(timeout=90) for process in processes]
    assert [p.returncode for p in processes] == [0] * len(processes), outputs
    assert all(err == "" for _, err in outputs), outputs
    for out, _ in (outputs[0], outputs[2]):
        assert json.loads(out)["failed"] == 0
    kept.update(pages)
    db = sqlite3.connect(data / DATABASE_NAME)
    try:
        assert (
            db.execute("SELECT COUNT(*) FROM articles WHERE url = ?", (pages[0],)).fetchone()[0]
            == 1
        )
    finally:
        db.close()
    snapshot = _snapshot(data)
    assert snapshot.integrity == "ok"
    assert kept <= snapshot.saved_urls
    assert {t for n in range(FEEDS) for t in site.titles(n)} <= snapshot.entry_titles


@contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """Make `folder` and its files unwritable, even for root (the immutable flag)."""
    paths = [str(p) for p in (folder, *folder.iterdir())]
    as_root = os.geteuid() == 0
    if as_root:
        subprocess.run(["chattr", "+i", *paths], check=True)
    else:
        for path in paths:
            os.chmod(path, 0o555 if os.path.isdir(path) else 0o444)
    try:
        yield
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", *paths], check=True)
        else:
            for path in paths:
                os.chmod(path, 0o755 if os.path.isdir(path) else 0o644)


def _assert_one_line(done: subprocess.CompletedProcess[str], *phrases: str) -> None:
    assert done.returncode == 1, (done.args, done.stdout, done.stderr)
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("reader: "), done.stderr
    assert "Traceback" not in done.stderr
    for phrase in phrases:
        assert phrase in done.stderr, (phrase, done.stderr)


def test_read_only_folder_says_so_and_loses_nothing(site: NewsSite, tmp_path: Path) -> None:
    assert shutil.which("chattr") or os.geteuid() != 0
    data = tmp_path / "data"
    _prepare(data, site)
    before = _snapshot(data)
    opml = tmp_path / "more.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="x" xmlUrl="http://x.test/f"/></body></opml>',
        encoding="utf-8",
    )
    site.generation += 1
    with _read_only(data):
        for args in (
            ["refresh"],
            ["save", site.page_url(50)],
            ["read", "1"],
            ["add", site.feed_url(0) + "?other"],
            ["import", str(opml)],
            ["remove", "1"],
        ):
            _assert_one_line(_cli(data, *args), "read-only", str(data))
    after = _snapshot(data)
    assert after == before
    done = _cli(data, "refresh", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["failed"] == 0, done.stderr


@contextmanager
def _small_disk(folder: Path, size: str) -> Iterator[bool]:
    """A tmpfs of `size` mounted on `folder` (True), or the plain folder if mounting fails."""
    folder.mkdir(parents=True)
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def _fill(folder: Path, leave: int) -> Path:
    """Fill the file system of `folder`, then give back `leave` bytes."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(handle, b"\0" * 65536)
    except OSError:
        pass
    try:
        while True:  # the last partial blocks
            os.write(handle, b"\0" * 512)
    except OSError:
        pass
    os.close(handle)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def test_full_disk_says_so_and_loses_nothing(site: NewsSite, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with _small_disk(disk, "3m") as mounted:
        data = disk / "data"
        _prepare(data, site)
        before = _snapshot(data)
        site.generation += 1
        if not mounted:  # no tmpfs here: a database that may not grow is a full disk to SQLite
            _full_by_page_limit(data, site)
            return
        for leave in (64 * 1024, 0):
            filler = _fill(disk, leave)
            refreshed = _cli(data, "refresh", "--json")
            if refreshed.stderr:  # the library could not even be opened for writing
                _assert_one_line(refreshed, "disk", str(data))
            else:  # opened; then every feed that did not fit says why
                failures = json.loads(refreshed.stdout)["failures"]
                assert failures and all("disk is full" in f["error"] for f in failures)
            _assert_one_line(_cli(data, "save", site.page_url(60 + leave % 7)), "disk", str(data))
            filler.unlink()  # (SQLite cannot even read a WAL database on a disk this full)
            after = _snapshot(data)
            assert after.integrity == "ok"
            assert before.saved_urls == after.saved_urls
            assert before.entry_titles <= after.entry_titles
        done = _cli(data, "refresh", "--json")
        assert done.returncode == 0 and json.loads(done.stdout)["failed"] == 0, done.stderr
        assert {t for n in range(FEEDS) for t in site.titles(n)} <= _snapshot(data).entry_titles


def _full_by_page_limit(data: Path, site: NewsSite) -> None:
    """Fallback without tmpfs: cap the database at its current size in-process."""
    from reader.errors import ReaderError

    with Library(data) as library:
        pages = library.store._db.execute("PRAGMA page_count").fetchone()[0]
        library.store._db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(ReaderError, match="disk is full"):
            asyncio.run(library.save(site.page_url(61)))
        summary = asyncio.run(library.refresh())
        assert summary.failed and all(
            "disk is full" in (r.error or "") for r in summary.results if r.status == "failed"
        )
