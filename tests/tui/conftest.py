"""Fixtures for the app's tests: a real demo library, a fixed clock, a settled Pilot.

The demo site (our own feeds and articles) runs on a loopback server for the whole
session; its library is built once through the real fetch -> parse -> store path
and copied into each test's tmp_path, so every test gets its own SQLite file.
"""

from __future__ import annotations

import asyncio
import os
import select
import shutil
import struct
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot

from reader.config import Settings
from reader.demo import DemoSite, start_demo
from reader.library import Library
from reader.tui.app import ReaderApp

NOW = datetime(2025, 7, 3, 12, 0, tzinfo=UTC)
"""The demo's "now": entry ages and dates in every screen are relative to it."""


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio (Textual's loop)."""
    return "asyncio"


@dataclass
class DemoLibrary:
    site: DemoSite
    template: Path
    """A closed library folder, subscribed to every demo feed, to copy per test."""


async def fill(library: Library, feed_urls: list[str]) -> None:
    """Subscribe to `feed_urls` (which stores their entries) the way `reader add` does."""
    for url in feed_urls:
        await library.add_feed(url)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoLibrary]:
    root = tmp_path_factory.mktemp("demo")
    site = start_demo(root, now=NOW, port=0)
    library = Library(site.data_dir)
    try:
        asyncio.run(fill(library, site.feed_urls))
    finally:
        library.close()
    try:
        yield DemoLibrary(site, site.data_dir)
    finally:
        site.stop()


@pytest.fixture
def library(demo_site: DemoLibrary, tmp_path: Path) -> Iterator[Library]:
    """A private copy of the demo library (the demo server keeps answering)."""
    folder = tmp_path / "library"
    shutil.copytree(demo_site.template, folder)
    opened = Library(folder)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(path=tmp_path / "config.toml")


def make_app(library: Library, settings: Settings | None = None, **options: object) -> ReaderApp:
    """The app as `reader` builds it, with the demo's fixed clock."""
    return ReaderApp(library, settings or Settings(), clock=lambda: NOW, **options)  # type: ignore[arg-type]


def fake_browser(folder: Path, name: str = "fakebrowser") -> tuple[Path, Path]:
    """A real program standing in for a browser: it writes its arguments to a file.

    Returns (the program, the file it writes). It also prints to stdout and stderr,
    which must never reach the app's terminal.
    """
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{name}.out"
    program = folder / name
    program.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{out}"\n'
        'echo "BROWSER-STDOUT $1"\n'
        'echo "BROWSER-STDERR $1" >&2\n',
        encoding="utf-8",
    )
    program.chmod(0o755)
    return program, out


async def settle(pilot: Pilot[object]) -> None:
    """Let messages, screen switches and every worker finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def run_in_pty(
    argv: list[str], env: dict[str, str], steps: list[tuple[bytes, bytes]], timeout: float = 20.0
) -> bytes:
    """Run `argv` in a 160x48 pty; for each (wait_for, then_send) step, wait then type."""
    import fcntl
    import pty
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 48, 160, 0, 0))
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    output = b""
    deadline = time.monotonic() + timeout
    try:
        for wait_for, send in steps:
            while wait_for not in output:
                assert time.monotonic() < deadline, (wait_for, output[-2000:])
                ready, _, _ = select.select([master], [], [], 0.1)
                if ready:
                    try:
                        output += os.read(master, 65536)
                    except OSError:
                        break
            os.write(master, send)
        while process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    output += os.read(master, 65536)
                except OSError:
                    break
        assert process.wait(timeout=10) == 0, output[-2000:]
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return output
