"""The library commands as a user runs them: in-process `main()` and real subprocesses."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Library
from tests.loopback import LoopbackServer, Response
from tests.unit.test_library import RSS, page, rss


def cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return status, out, err


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def serve_feeds(
    server: LoopbackServer, count: int, items: int, delay: float = 0.0, spread: int = 1
) -> list[str]:
    """`count` feeds of `items` entries each; feed n answers after delay * (1 + n % spread) s."""
    urls = []
    for n in range(count):
        document = rss(
            f"Feed {n}", [(f"{n}-{i}", f"Story {n}-{i}") for i in range(items)], base=server.base
        )
        wait = delay * (1 + n % spread)

        def route(
            handler: BaseHTTPRequestHandler, document: str = document, wait: float = wait
        ) -> Response:
            if wait:
                time.sleep(wait)  # a slow site, so that refreshes overlap
            return Response(document, content_type=RSS)

        server.routes[f"/feed/{n}"] = route
        urls.append(server.url(f"/feed/{n}"))
    return urls


def subscribe(data: Path, urls: list[str]) -> None:
    with Library(data) as library:
        library.store.add_feeds([(url, url, None) for url in urls])


def reader_process(data: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "--data-dir", str(data), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_add_feeds_entries_read_and_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    data = tmp_path / "data"
    loopback.routes["/feed"] = Response(
        rss("News [bold]x[/bold]", [("1", "One"), ("2", "Two")]), content_type=RSS
    )
    status, out, _ = cli(capsys, data, "add", loopback.url("/feed"))
    assert status == 0 and "News [bold]x[/bold]" in out
    status, out, _ = cli(capsys, data, "feeds", "--json")
    [feed] = json_lines(out)
    assert {k: feed[k] for k in ("id", "title", "url", "unread", "last_error")} == {
        "id": 1,
        "title": "News [bold]x[/bold]",
        "url": loopback.url("/feed"),
        "unread": 2,
        "last_error": None,
    }
    status, out, _ = cli(capsys, data, "entries", "--json", "--limit", "1")
    [entry] = json_lines(out)
    assert set(entry) >= {"id", "feed", "title", "url", "published", "read", "saved"}
    assert entry["feed"] == "News [bold]x[/bold]" and entry["read"] is False
    assert cli(capsys, data, "read", str(entry["id"]))[0] == 0
    _, out, _ = cli(capsys, data, "entries", "--json", "--unread")
    assert len(json_lines(out)) == 1
    assert cli(capsys, data, "unread", str(entry["id"]))[0] == 0

    status, out, _ = cli(capsys, data, "refresh", "--json")
    summary = json.loads(out)
    assert status == 0 and summary["ok"] + summary["not_modified"] == 1
    loopback.routes["/feed"] = Response("down", status=500)
    status, out, _ = cli(capsys, data, "refresh", "--json")
    assert status == 1  # none could be refreshed
    assert json.loads(out)["failures"][0]["error"] == "HTTP 500"
    _, out, _ = cli(capsys, data, "feeds", "--json")
    assert json_lines(out)[0]["last_error"] == "HTTP 500"
    status, out, _ = cli(capsys, data, "search", "--json", "Two")
    assert status == 0 and json_lines(out)[0]["title"] == "Two"


def test_refresh_with_some_failures_exits_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    data = tmp_path / "data"
    urls = serve_feeds(loopback, 2, 3)
    subscribe(data, [*urls, loopback.url("/missing")])
    status, out, _ = cli(capsys, data, "refresh")
    assert status == 0
    assert out.startswith("3 feeds: 2 ok, 0 not modified, 1 failed; 6 new entries")


@pytest.mark.parametrize(
    "args, message",
    [
        (["show", "999"], "no saved or cached article with id 999"),
        (["read", "999"], "no entry with id 999"),
        (["unsave", "999"], "no saved article with id 999"),
        (["remove", "999"], "no feed with id 999"),
        (["entries", "--feed", "999"], "no feed with id 999"),
        (["refresh", "--feed", "999"], "no feed with id 999"),
        (["save", "999"], "no entry with id 999"),
    ],
)
def test_unknown_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    status, out, err = cli(capsys, tmp_path / "data", *args)
    assert (status, out) == (1, "")
    assert err == f"reader: {message}\n"


def test_add_unreachable_or_non_feed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    loopback.routes["/page"] = Response("<html><body>Just a page</body></html>")
    status, _, err = cli(capsys, tmp_path / "data", "add", loopback.url("/page"))
    assert status == 1 and "not a feed" in err and "Traceback" not in err
    status, _, err = cli(capsys, tmp_path / "data", "add", "http://127.0.0.1:9/feed")
    assert status == 1 and err.strip().endswith("connection refused")
    assert cli(capsys, tmp_path / "data", "feeds", "--json")[1] == ""


def test_opml_round_trip_through_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    urls = serve_feeds(loopback, 3, 2)
    source = tmp_path / "in.opml"
    source.write_text(
        "<?xml version='1.0'?><opml version='2.0'><head><title>t</title></head><body>"
        f"<outline text='Tech'><outline type='rss' text='Zero' xmlUrl='{urls[0]}'/>"
        f"<outline type='rss' text='One' xmlUrl='{urls[1]}'/></outline>"
        f"<outline type='rss' text='Two' xmlUrl='{urls[2]}'/></body></opml>",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    status, out, _ = cli(capsys, data, "import", str(source))
    assert status == 0 and "imported 3 new feeds" in out and "6 new entries" in out
    status, exported, _ = cli(capsys, data, "export")
    assert status == 0
    root = ElementTree.fromstring(exported)
    found = {}
    for folder in root.iter("outline"):
        for child in folder.findall("outline"):
            found[child.get("xmlUrl")] = folder.get("text")
        if folder.get("xmlUrl") and folder.get("xmlUrl") not in found:
            found[folder.get("xmlUrl")] = None
    assert found == {urls[0]: "Tech", urls[1]: "Tech", urls[2]: None}

    broken = tmp_path / "broken.opml"
    broken.write_text(
        "<opml version='2.0'>\n<body>\n<outline xmlUrl='x'\n</body>", encoding="utf-8"
    )
    status, _, err = cli(capsys, data, "import", str(broken))
    assert status == 1 and "line" in err and str(broken) in err


def test_save_then_show_offline_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    server = LoopbackServer().start()
    try:
        server.routes["/feed"] = Response(
            rss("S", [("1", "Story")], base=server.base), content_type=RSS
        )
        server.routes["/story/1"] = Response(page("Zeppelin [red]harbour[/red] story"))
        assert cli(capsys, data, "add", server.url("/feed"))[0] == 0
        status, out, _ = cli(capsys, data, "save", "1")
        assert status == 0 and out.startswith("saved entry 1 as article 1:")
    finally:
        server.stop()
    status, out, _ = cli(capsys, data, "saved", "--json")
    [saved] = json_lines(out)
    assert set(saved) >= {"id", "title", "url", "saved_at", "site"}
    status, markdown, _ = cli(capsys, data, "show", str(saved["id"]))
    assert status == 0
    assert markdown.startswith("# Zeppelin \\[red\\]harbour\\[/red\\] story\n")
    assert "zeppelin harbour" in markdown
    _, html, _ = cli(capsys, data, "show", str(saved["id"]), "--format", "html")
    assert "<h1>Zeppelin [red]harbour[/red] story</h1>" in html
    _, data_json, _ = cli(capsys, data, "show", str(saved["id"]), "--format", "json")
    article = json.loads(data_json)
    assert article["title"] == "Zeppelin [red]harbour[/red] story" and article["sections"]
    assert cli(capsys, data, "unsave", str(saved["id"]))[0] == 0
    assert cli(capsys, data, "saved", "--json")[1] == ""


def test_two_processes_refresh_the_same_library(tmp_path: Path, loopback: LoopbackServer) -> None:
    data = tmp_path / "data"
    urls = serve_feeds(loopback, 24, 10, delay=0.05)
    subscribe(data, urls)
    first, second = (
        reader_process(data, "refresh", "--json"),
        reader_process(data, "refresh", "--json"),
    )
    outputs = [process.communicate(timeout=60) for process in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    summaries = [json.loads(out) for out, _ in outputs]
    assert all(s["failed"] == 0 for s in summaries)
    assert sum(s["new_entries"] for s in summaries) == 240  # each entry counted once
    db = sqlite3.connect(data / "library.sqlite3")
    assert db.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM entries").fetchone() == (240, 240)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_kill_during_refresh_leaves_a_sound_database(
    tmp_path: Path, loopback: LoopbackServer
) -> None:
    data = tmp_path / "data"
    urls = serve_feeds(loopback, 60, 30, delay=0.1, spread=10)  # answers over 1 s
    subscribe(data, urls)
    process = reader_process(data, "refresh")
    db_path = data / "library.sqlite3"
    deadline = time.monotonic() + 30
    stored = 0
    try:
        while stored == 0 and time.monotonic() < deadline and process.poll() is None:
            db = sqlite3.connect(db_path, timeout=5)
            stored = db.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
            db.close()
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)  # its parse workers must not outlive it
    assert stored > 0 and process.returncode == -signal.SIGKILL
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with Library(data) as library:
        summary = asyncio.run(library.refresh())
        assert summary.failed == 0
        assert len(library.entries()) == 60 * 30


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` and its files unwritable, even for root (immutable flag)."""
    paths = [folder, *folder.iterdir()]
    as_root = os.geteuid() == 0
    if as_root:
        subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
    else:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
        else:
            for path in paths:
                path.chmod(0o755 if path.is_dir() else 0o644)


def test_read_only_folder_is_a_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    assert shutil.which("chattr") or os.geteuid() != 0
    data = tmp_path / "data"
    urls = serve_feeds(loopback, 1, 3)
    subscribe(data, urls)
    assert cli(capsys, data, "refresh")[0] == 0
    with read_only(data):
        for args in (["read", "1"], ["refresh"]):
            status, out, err = cli(capsys, data, *args)
            assert status == 1 and out == "", args
            assert "read-only" in err and err.count("\n") == 1, err
        status, out, err = cli(capsys, data, "feeds")  # reading works on a read-only library
        assert status == 0 and err == "" and out, err
    status, out, _ = cli(capsys, data, "entries", "--json")
    assert status == 0 and len(json_lines(out)) == 3


def test_processes_creating_a_fresh_library_at_once(tmp_path: Path) -> None:
    data = tmp_path / "fresh"
    processes = [reader_process(data, "feeds", "--json") for _ in range(3)]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], outputs
    db = sqlite3.connect(data / "library.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
