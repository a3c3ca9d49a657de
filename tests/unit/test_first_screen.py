"""The frame drawn before Textual loads: real SQLite files, a real pty for the launch."""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.first_screen import Row, age, fit, frame, read_rows, show
from reader.store import FeedUpdate, Store
from tests.tui.conftest import run_in_pty

NEWEST = "Lanterns relit along the canal"
HOSTILE = "Tide \x1b]52;c;c2VjcmV0\x07tables \x1b[2Jprinted\u202e late\x9b31m"


class Item:
    """A parsed entry as `reader.feeds` hands it over."""

    def __init__(self, n: int, title: str, published: str) -> None:
        self.guid, self.title, self.url = f"g{n}", title, f"http://canal.test/{n}"
        self.author, self.summary, self.content_html = None, "", None
        self.published, self.updated = published, None


def _library(folder: Path, titles: list[str]) -> Path:
    """A library with one feed whose entries are `titles`, newest first."""
    path = folder / "library.sqlite3"
    store = Store.open(path)
    try:
        feed = store.add_feed("http://canal.test/feed.xml", "Canal Courier")
        assert feed is not None
        items = [
            Item(n, title, f"2026-11-{28 - n:02d}T08:00:00+00:00") for n, title in enumerate(titles)
        ]
        store.apply_update(FeedUpdate(feed.id, entries=items))
    finally:
        store.close()
    return path


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "TERM": "xterm-256color",
        "READER_DATA_DIR": str(tmp_path / "data"),
        "READER_CONFIG": str(tmp_path / "config.toml"),
        "TEXTUAL": "",
        **extra,
    }


def test_the_frame_shows_first_then_the_app_paints_over_it(tmp_path: Path) -> None:
    database = _library(tmp_path / "data", [NEWEST, "Barges queue at the lock", HOSTILE])
    db = sqlite3.connect(database)  # as an older version might have stored it, unsanitised
    with db:
        db.execute("UPDATE entries SET title = ? WHERE guid = 'g2'", (HOSTILE,))
    db.close()
    output = run_in_pty(
        [sys.executable, "-m", "reader"],
        _env(tmp_path),
        [(NEWEST.encode(), b""), (b"\x1b[?1003h", b""), (b"Canal Courier", b"q")],
        timeout=60,
    )
    mouse = output.index(b"\x1b[?1003h")  # Textual's driver has started
    assert output.index(b"\x1b[?1049h") < output.index(NEWEST.encode()) < mouse
    assert NEWEST.encode() in output[mouse:]  # ...and the app painted the list
    assert b"Traceback" not in output
    frame_part = output[:mouse]
    assert b"Tide tables printed late" in frame_part  # the hostile title, defused
    for unsafe in (b"\x1b]52", b"\x1b[2J" + b"printed", "\u202e".encode(), "\x9b".encode()):
        assert unsafe not in frame_part


def test_no_frame_when_disabled_so_the_app_alone_paints(tmp_path: Path) -> None:
    _library(tmp_path / "data", [NEWEST])
    output = run_in_pty(
        [sys.executable, "-m", "reader"],
        _env(tmp_path, READER_NO_FIRST_SCREEN="1"),
        [(b"\x1b[?1003h", b""), (NEWEST.encode(), b"q")],
        timeout=60,
    )
    assert output.index(b"\x1b[?1003h") < output.index(NEWEST.encode())


def test_nothing_is_drawn_off_a_terminal_or_without_entries(tmp_path: Path) -> None:
    database = _library(tmp_path / "full", [NEWEST])
    read, write = os.pipe()
    try:
        assert show(database, fd=write) is None  # a pipe is not a terminal
    finally:
        os.close(read)
        os.close(write)
    import pty

    master, slave = pty.openpty()
    try:
        assert show(tmp_path / "missing" / "library.sqlite3", fd=slave) is None
        empty = tmp_path / "empty" / "library.sqlite3"
        Store.open(empty).close()
        assert show(empty, fd=slave) is None  # the app explains an empty library
        old = tmp_path / "old.sqlite3"
        sqlite3.connect(old).execute("CREATE TABLE entries (id INTEGER)").connection.close()
        assert show(old, fd=slave) is None  # unreadable schema: quietly nothing
    finally:
        os.close(master)
        os.close(slave)


def test_a_frame_is_drawn_on_a_terminal_and_left_cleanly(tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import termios

    database = _library(tmp_path / "data", [NEWEST])
    master, slave = pty.openpty()
    try:
        assert show(database, fd=slave) is None  # a terminal of no size (0x0)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        before = termios.tcgetattr(slave)
        drawn = show(database, fd=slave)
        assert drawn is not None
        written = os.read(master, 65536)
        assert written.startswith(b"\x1b[?1049h") and NEWEST.encode() in written
        # Keys typed now wait for the app as typed: no echo, no line, Enter stays "\r".
        iflag, _, _, lflag = termios.tcgetattr(slave)[:4]
        assert not lflag & (termios.ECHO | termios.ICANON) and not iflag & termios.ICRNL
        assert lflag & termios.ISIG  # Ctrl-C still interrupts the start
        os.write(master, b"\r")
        assert os.read(slave, 16) == b"\r"
        drawn.leave()  # the app never started: back to the normal screen
        assert os.read(master, 65536).endswith(b"\x1b[?1049l")
        assert termios.tcgetattr(slave) == before  # the user's modes are back
    finally:
        os.close(master)
        os.close(slave)


def test_rows_are_the_newest_visible_entries_sanitised(tmp_path: Path) -> None:
    database = _library(tmp_path, [NEWEST, "Second", "Third"])
    db = sqlite3.connect(database)
    with db:
        db.execute("UPDATE entries SET hidden = 1 WHERE title = 'Second'")
        db.execute("UPDATE entries SET title = ? WHERE title = 'Third'", (HOSTILE,))
    db.close()
    rows = read_rows(database, 10)
    assert [row.title for row in rows] == [NEWEST, "Tide tables printed late"]
    assert rows[0].feed == "Canal Courier" and not rows[0].read


def test_frame_fits_every_line_to_the_width() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    rows = [
        Row("漢字の見出し" * 20, "Feed", "2026-11-30T00:00:00+00:00", False),
        Row("short", "A feed with a very long name indeed", None, True),
    ]
    text = frame(rows, 80, 10, now)
    assert "1d" in text and "…" in text
    assert fit("漢字", 3) == "漢…" and fit("ab", 4) == "ab  " and fit("abcdef", 4) == "abc…"
    assert fit("e\u0301t\u00e9", 4) == "e\u0301t\u00e9 "  # a combining accent takes no cell
    assert age("2026-11-30T23:59:30Z", now) == "now" and age("2019-01-01", now) == "2019"
    assert age("not a date", now) == ""


@pytest.mark.parametrize("columns", [20, 79, 160])
def test_frame_lines_never_overflow(columns: int) -> None:
    import re

    rows = [Row("word " * 80, "feed " * 10, "2026-01-01T00:00:00+00:00", False)]
    text = frame(rows, columns, 5, datetime(2026, 12, 1, tzinfo=UTC))
    for line in re.split(r"\x1b\[\d+;1H", text)[1:]:
        visible = re.sub(r"\x1b\[[0-9;]*m", "", line)
        assert len(visible) <= columns


def test_never_on_the_demo(tmp_path: Path) -> None:
    import argparse

    from reader.cli import _first_screen

    _library(tmp_path / "data", [NEWEST])
    args = argparse.Namespace(demo=True, data_dir=str(tmp_path / "data"))
    assert _first_screen(args) is None  # the demo has its own library and a refresh to show
