"""A clean error for every bad input on the command line.

Unknown command or flag, missing argument, bad URL, unreachable host, unknown
ID, unreadable file, malformed OPML: one line on stderr that says what and
where, exit status 2 for wrong usage and 1 for a failure, never a traceback.
Most cases run `reader.cli.main` in-process (fast); one test runs the installed
command in a real process to prove the same holds for the exit status and the
stream a shell sees.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main

CLOSED = "http://127.0.0.1:{port}/feed"
"""A loopback address on which nothing listens (filled with a free port)."""


def _closed_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return CLOSED.format(port=probe.getsockname()[1])


def _files(folder: Path) -> dict[str, str]:
    """Bad files of every kind, by name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.opml").write_text(
        '<?xml version="1.0"?>\n<opml version="2.0"><body>\n'
        '<outline text="a" xmlUrl="http://a.test/feed"/>\n'
        '<outline text="b" xmlUrl="http://b.test/feed"></wrong>\n'
        "</body></opml>\n",
        encoding="utf-8",
    )
    (folder / "binary.opml").write_bytes(bytes(range(256)) * 8)
    (folder / "plain.txt").write_text("hello\n", encoding="utf-8")
    (folder / "a-file").write_text("x", encoding="utf-8")
    return {
        "missing": str(folder / "missing.opml"),
        "folder": str(folder),
        "under-a-file": str(folder / "a-file" / "feeds.opml"),
        "broken": str(folder / "broken.opml"),
        "binary": str(folder / "binary.opml"),
        "a-file": str(folder / "a-file"),
    }


USAGE: list[tuple[list[str], str]] = [
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["feeds", "--bogus"], "--bogus"),
    (["--no-such-flag"], "--no-such-flag"),
    (["add"], "URL"),
    (["show"], "ID"),
    (["import"], "FILE.opml"),
    (["article"], "SOURCE"),
    (["search"], "WORD"),
    (["read", "abc"], "'abc'"),
    (["refresh", "--feed", "one"], "'one'"),
    (["entries", "--limit", "ten"], "'ten'"),
    (["show", "1", "--format", "pdf"], "'pdf'"),
    (["--data-dir"], "--data-dir"),
]


@pytest.mark.parametrize(("args", "expected"), USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_wrong_usage_is_one_line_and_exit_2(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    _assert_one_clean_line(err, expected)


# (args, what the line must contain). "{closed}" and "{file:...}" are filled in by the test.
FAILURES: list[tuple[list[str], list[str]]] = [
    (["add", "ftp://x.test/feed"], ["ftp://x.test/feed", "not a web address"]),
    (["add", "http://"], ["http://", "not a web address"]),
    (["add", "{closed}"], ["{closed}", "connection refused"]),
    (["save", "{closed}"], ["{closed}", "connection refused"]),
    (["article", "{closed}"], ["{closed}", "connection refused"]),
    (["save", "gopher://old.test/1"], ["gopher://old.test/1", "not a web address"]),
    (["show", "999"], ["999"]),
    (["read", "999"], ["999"]),
    (["unread", "999"], ["999"]),
    (["remove", "999"], ["999"]),
    (["unsave", "999"], ["999"]),
    (["save", "999"], ["999"]),
    (["entries", "--feed", "999"], ["999"]),
    (["remove", "http://never.test/feed"], ["http://never.test/feed", "not subscribed"]),
    (["import", "{file:missing}"], ["{file:missing}", "No such file"]),
    (["import", "{file:folder}"], ["{file:folder}", "directory"]),
    (["import", "{file:under-a-file}"], ["{file:under-a-file}"]),
    (["import", "{file:broken}"], ["{file:broken}", "line 4"]),
    (["import", "{file:binary}"], ["{file:binary}", "not valid OPML"]),
    (["article", "{file:missing}"], ["{file:missing}"]),
    (["article", "{file:folder}"], ["{file:folder}", "folder"]),
    (["article", "{file:binary}"], ["{file:binary}"]),
    (["--data-dir", "{file:a-file}", "feeds"], ["{file:a-file}"]),
]


def _fill(text: str, closed: str, files: dict[str, str]) -> str:
    text = text.replace("{closed}", closed)
    for name, path in files.items():
        text = text.replace(f"{{file:{name}}}", path)
    return text


@pytest.mark.parametrize(("args", "expected"), FAILURES, ids=[" ".join(a) for a, _ in FAILURES])
def test_failure_is_one_line_naming_where_and_exit_1(
    args: list[str], expected: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    closed, files = _closed_url(), _files(tmp_path / "files")
    args = [_fill(a, closed, files) for a in args]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out == ""
    _assert_one_clean_line(err, *(_fill(e, closed, files) for e in expected))


def test_real_processes_print_one_line_and_the_right_status(tmp_path: Path) -> None:
    """The installed entry point: a shell sees the status and one line, never a traceback."""
    files = _files(tmp_path / "files")
    env = {
        **os.environ,
        "READER_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    cases = [
        (["frobnicate"], 2),
        (["import", files["broken"]], 1),
        (["add", _closed_url()], 1),
        (["show", "42"], 1),
    ]
    for args, status in cases:
        done = subprocess.run(
            [sys.executable, "-m", "reader", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert done.returncode == status, (args, done.stderr)
        assert done.stdout == ""
        _assert_one_clean_line(done.stderr)


def _assert_one_clean_line(err: str, *expected: str) -> None:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("reader: "), err
    assert "Traceback" not in err and "internal error" not in err, err
    for text in expected:
        assert text in err, (text, err)
