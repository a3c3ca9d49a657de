"""Regression tests for what the reliability work found (one test per finding).

Each test names the symptom it guards against; docs/RELIABILITY.md lists them.
"""

from __future__ import annotations

import asyncio
import io
import threading
from contextlib import redirect_stderr, redirect_stdout, suppress
from pathlib import Path

import pytest

from reader.cli import main
from reader.config import DATABASE_NAME
from reader.errors import ReaderError
from reader.feeds import parse_feed
from reader.library import Library
from tests.loopback import Response
from tests.reliability.faults import RSS, FaultServer, install, rss, unsafe_stored_texts
from tests.reliability.test_crash_safety import _fill, _small_disk
from tests.reliability.test_fault_servers import LIMITS

FaultFixture = tuple[FaultServer, threading.Event]


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("reference", [b"&#55296;", b"&#xD800;", b"&#xdfff;", b"&#0;"])
def test_a_surrogate_character_reference_does_not_lose_the_feed(reference: bytes) -> None:
    body = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
        b"<item><title>x" + reference + b"y</title><link>http://x.test/a</link></item>"
        b"<item><title>Fine</title><link>http://x.test/b</link></item></channel></rss>"
    )
    parsed = parse_feed(body, "https://x.test/feed", "application/rss+xml")
    assert [entry.title.replace("\ufffd", "").replace(" ", "") for entry in parsed.entries] == [
        "xy",
        "Fine",
    ]


def test_raw_feed_html_is_stored_without_escapes(
    fault_server: FaultFixture, tmp_path: Path
) -> None:
    """The feed's own content HTML is kept for offline saves: escapes and bidi go first."""
    server, release = fault_server
    url = install(server, release, ["escapes"])["escapes"]
    with Library(tmp_path / "data", **LIMITS) as library:  # type: ignore[arg-type]
        feed = asyncio.run(library.add_feed(url))
        html = [library.entry(e.id).content_html or "" for e in library.entries(feed_id=feed.id)]
    assert len(html) == 6 and all(text.startswith("<p>Full text: ") for text in html)
    assert "<p>Full text: [bold red]markup[/] and [link=http://x]link</p>" in html
    assert not any("\x1b" in t or "\x00" in t or "\u202e" in t or "\x07" in t for t in html)
    assert unsafe_stored_texts(tmp_path / "data" / DATABASE_NAME) == []


def test_saving_an_empty_page_is_refused(fault_server: FaultFixture, tmp_path: Path) -> None:
    server, release = fault_server
    server.routes["/blank"] = Response("<html><head></head><body>  </body></html>")
    url = install(server, release, ["empty"])["empty"]
    with Library(tmp_path / "data", **LIMITS) as library:  # type: ignore[arg-type]
        for page in (url, server.url("/blank")):
            with pytest.raises(ReaderError) as caught:
                asyncio.run(library.save(page))
            assert caught.value.where == page and "\n" not in caught.value.message
        assert library.saved() == []


def test_refreshing_an_unknown_feed_id_says_so(tmp_path: Path) -> None:
    status, out, err = _cli("--data-dir", str(tmp_path / "data"), "refresh", "--feed", "999")
    assert (status, out) == (1, "")
    assert err == "reader: no feed with id 999\n"


@pytest.mark.parametrize(
    "args",
    [["entries", "--limit", "0"], ["entries", "--limit", "-1"], ["search", "x", "--limit", "0"]],
)
def test_a_limit_below_one_is_a_usage_error(args: list[str], tmp_path: Path) -> None:
    status, out, err = _cli("--data-dir", str(tmp_path / "data"), *args)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "--limit" in err


def test_an_unexpected_error_is_stored_as_one_line(
    fault_server: FaultFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug's message (even a multi-line one) never becomes a multi-line last_error."""
    import reader.library

    server, _ = fault_server
    server.routes["/feed"] = Response(rss("F", [("1", "One", "http://x.test/1")]), content_type=RSS)

    def broken(*args: object) -> object:
        raise RuntimeError("line one\n    line two\x1b[2J\n")

    monkeypatch.setattr(reader.library, "parse_job", broken)
    with Library(tmp_path / "data", **LIMITS) as library:  # type: ignore[arg-type]
        feed = library.store.add_feed(server.url("/feed"), "F")
        assert feed is not None
        asyncio.run(library.refresh())
        error = library.feed(feed.id).last_error
    assert error is not None and "\n" not in error and "\x1b" not in error
    assert "RuntimeError" in error and "line two" in error


def test_a_full_disk_is_called_a_full_disk(fault_server: FaultFixture, tmp_path: Path) -> None:
    """With no byte left, every command says the disk is full (not "disk I/O error"),
    and a refresh that can store nothing says why on stderr."""
    server, _ = fault_server
    server.routes["/feed"] = Response(
        rss("F", [(str(k), f"Story {k}", f"http://x.test/{k}") for k in range(30)]),
        content_type=RSS,
    )
    disk = tmp_path / "disk"
    with _small_disk(disk, "2m") as mounted:
        assert mounted, "tmpfs is needed for this test (run as root)"
        data = disk / "data"
        with Library(data) as library:
            library.store.add_feed(server.url("/feed"), "F")
        for leave in (0, 48 * 1024):
            server.routes["/feed"] = Response(
                rss(
                    "F",
                    [
                        (
                            f"{leave}-{k}",
                            f"Story {leave} {k} " + "word " * 200,
                            f"http://x.test/{k}",
                        )
                        for k in range(200)
                    ],
                ),
                content_type=RSS,
            )
            filler = _fill(disk, leave)
            try:
                status, out, err = _cli("--data-dir", str(data), "refresh")
                assert status == 1, (out, err)
                assert err.count("\n") == 1 and "disk is full" in err, err
            finally:
                filler.unlink()


@pytest.mark.parametrize("command", ["import", "article"])
@pytest.mark.parametrize("source", ["/dev/zero", "sparse-200MB"])
def test_huge_or_endless_files_are_refused(command: str, source: str, tmp_path: Path) -> None:
    """A 200 MB file or an endless device: one line, exit 1, little memory, no hang."""
    import os
    import resource
    import subprocess
    import sys

    if source != "/dev/zero":
        sparse = tmp_path / ("big.opml" if command == "import" else "big.html")
        with sparse.open("wb") as handle:
            handle.truncate(200 * 2**20)  # no disk used: a hole of zeros
        source = str(sparse)

    def limit_memory() -> None:  # protects the machine while the bug is there
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    import time

    import psutil

    process = psutil.Popen(
        [sys.executable, "-m", "reader", "--data-dir", str(tmp_path / "data"), command, source],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit_memory,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    peak, started = 0, time.monotonic()
    while process.poll() is None and time.monotonic() - started < 60:
        with suppress(psutil.Error):
            peak = max(peak, process.memory_info().rss)
        with suppress(psutil.TimeoutExpired):
            process.wait(0.01)
    if process.poll() is None:
        process.kill()
    _, err = process.communicate()
    assert process.returncode == 1, err
    assert err.count("\n") == 1 and source in err, err
    assert "internal error" not in err and "MemoryError" not in err
    assert peak < 150 * 2**20, f"{peak / 2**20:.0f} MB"
