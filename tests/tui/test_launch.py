"""`reader` and `reader --demo` as a person starts them: the real command in a pty."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from reader.library import Library
from tests.tui.conftest import run_in_pty


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TERM": "xterm-256color",
        "READER_DATA_DIR": str(tmp_path / "data"),
        "READER_CONFIG": str(tmp_path / "config.toml"),
        "TEXTUAL": "",
    }


def test_reader_demo_subscribes_refreshes_and_quits(tmp_path: Path) -> None:
    # A free port: the test passes while someone has `reader --demo` open.
    output = run_in_pty(
        [sys.executable, "-m", "reader", "--demo"],
        {**_env(tmp_path), "READER_DEMO_PORT": "0"},
        [
            (b"Port authority approves", b""),  # entries show while subscribing
            (b"Subscribed to", b"q"),
        ],
        timeout=60,
    )  # subscribed: the first launch does not refresh what it has just fetched
    assert b"Traceback" not in output
    assert b"0 new entries" not in output
    library = Library(tmp_path / "data" / "demo")
    try:
        feeds = library.feeds()
        assert len(feeds) == 5 and all(feed.last_error is None for feed in feeds)
        assert len(library.entries()) >= 12
    finally:
        library.close()
    assert not (tmp_path / "data" / "library.sqlite3").exists()  # the user's library untouched


def test_plain_reader_on_an_empty_library_explains_how_to_start(tmp_path: Path) -> None:
    output = run_in_pty(
        [sys.executable, "-m", "reader"], _env(tmp_path), [(b"reader --demo", b"\x11")], timeout=30
    )
    text = output.decode("utf-8", "replace")
    assert "Welcome to reader" in text and "reader add URL" in text
    assert "reader import FILE.opml" in text


START_AND_LIST_MODULES = """
import asyncio, json, sys, tempfile
from pathlib import Path
from reader.cli import build_parser
from reader.library import Library
from reader.tui.app import ReaderApp

async def main() -> None:
    library = Library(Path(sys.argv[1]))
    app = ReaderApp(library)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        print(type(app.screen).__name__)
    library.close()
    print(json.dumps(sorted(sys.modules)))

asyncio.run(main())
"""


def test_start_up_path_loads_no_network_or_parsing_library(demo_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    folder = tmp_path / "library"
    shutil.copytree(demo_site.template, folder)
    out = subprocess.run(
        [sys.executable, "-c", START_AND_LIST_MODULES, str(folder)],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    screen, modules = out.strip().splitlines()[-2:]
    assert screen == "MainScreen"  # the list of a real library was shown
    loaded = set(__import__("json").loads(modules))
    for heavy in ("httpx", "feedparser", "lxml", "readability"):
        assert heavy not in loaded, heavy


def test_a_console_browser_gets_the_terminal_and_the_app_comes_back(
    demo_site, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import shutil

    # a copy of the demo library, its pages served by the session's demo server
    shutil.copytree(demo_site.template, tmp_path / "data")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "w3m.out"
    w3m = bin_dir / "w3m"  # a console browser by name: it reads the keyboard itself
    w3m.write_text(
        "#!/bin/sh\n"
        'echo "FAKE-W3M-RUNNING"\n'
        "read answer\n"
        f'printf "%s %s\\n" "$1" "$answer" > "{seen}"\n',
        encoding="utf-8",
    )
    w3m.chmod(0o755)
    (tmp_path / "config.toml").write_text(f'browser = "{w3m} %u"\n', encoding="utf-8")
    output = run_in_pty(
        [sys.executable, "-m", "reader"],
        _env(tmp_path),
        [
            (b"Port authority approves", b"\r"),
            (b"/courier/harbour-night-shifts", b"o"),
            (b"FAKE-W3M-RUNNING", b"typed-in-w3m\n"),
            (b"Back from", b"q"),
            (b"Back from", b"q"),
        ],
        timeout=150,
    )
    url, answer = seen.read_text(encoding="utf-8").split()
    assert url.startswith("http://127.0.0.1:") and answer == "typed-in-w3m"
    assert b"Traceback" not in output


def test_a_graphical_browser_starts_detached_and_writes_nothing_on_the_terminal(
    demo_site, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import time

    from tests.tui.conftest import fake_browser

    shutil.copytree(demo_site.template, tmp_path / "data")
    program, opened = fake_browser(tmp_path / "bin")  # prints BROWSER-STDOUT/-STDERR
    (tmp_path / "config.toml").write_text(
        f'browser = "{program} %u"\nbrowser_console = false\n', encoding="utf-8"
    )
    output = run_in_pty(
        [sys.executable, "-m", "reader"],
        _env(tmp_path),
        [
            (b"Port authority approves", b"\r"),
            (b"/courier/harbour-night-shifts", b"o"),
            (b"Asked", b"q"),
            (b"Asked", b"q"),
        ],
        timeout=150,
    )
    deadline = time.monotonic() + 20  # the browser runs on its own: wait for its file
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened.read_text(encoding="utf-8").startswith("http://127.0.0.1:")
    assert b"BROWSER-STDOUT" not in output and b"BROWSER-STDERR" not in output
