"""`reader` and `reader --demo` as a person starts them: the real command in a pty."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from reader.library import Library
from tests.tui.conftest import run_in_pty


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TERM": "xterm-256color", "READER_DATA_DIR": str(tmp_path / "data"),
            "READER_CONFIG": str(tmp_path / "config.toml"), "TEXTUAL": ""}


def test_reader_demo_subscribes_refreshes_and_quits(tmp_path: Path) -> None:
    output = run_in_pty([sys.executable, "-m", "reader", "--demo"], _env(tmp_path),
                        [(b"Port authority approves", b"q")], timeout=60)
    assert b"Traceback" not in output
    library = Library(tmp_path / "data" / "demo")
    try:
        feeds = library.feeds()
        assert len(feeds) == 5 and all(feed.last_error is None for feed in feeds)
        assert len(library.entries()) >= 12
    finally:
        library.close()
    assert not (tmp_path / "data" / "library.sqlite3").exists()  # the user's library untouched


def test_plain_reader_on_an_empty_library_explains_how_to_start(tmp_path: Path) -> None:
    output = run_in_pty([sys.executable, "-m", "reader"], _env(tmp_path),
                        [(b"reader --demo", b"\x1b")], timeout=30)
    text = output.decode("utf-8", "replace")
    assert "Welcome to reader" in text and "reader add URL" in text
    assert "reader import FILE.opml" in text
