"""The built-in demo (`reader --demo`): our own feeds and articles on a loopback server.

The app starts a local HTTP server that plays five fictional publications written
for the project, and opens a library in its own folder (`data_root / "demo"`), so
the real fetch -> parse -> clean -> store path runs on a fresh machine without
internet and never mixes demo stories into the user's library. Importing this
package loads nothing but the standard library; the server starts on `start_demo`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.demo.server import DemoServer

BASE_URL_FILE = "base_url.txt"
"""In the demo folder: the server address the stored feeds and entries point at."""


@dataclass
class DemoSite:
    """A running demo server and the separate library folder the app should open."""

    base_url: str
    """"http://127.0.0.1:PORT"."""
    feed_urls: list[str]
    """The demo feeds (RSS with full text, Atom, JSON Feed, summary-only RSS, Atom)."""
    data_dir: Path
    """The demo library folder (data_root / "demo"), separate from the user's library."""
    server: DemoServer | None = field(default=None, repr=False, compare=False)
    throwaway: bool = False
    """The folder is temporary (another demo holds the fixed port) and goes with `stop()`."""

    def stop(self) -> None:
        """Shut the server down and free its port (safe to call twice)."""
        if self.server is not None:
            self.server.stop()
        if self.throwaway:
            import shutil

            shutil.rmtree(self.data_dir, ignore_errors=True)


def start_demo(
    data_root: Path | None = None, *, now: datetime | None = None, port: int | None = None
) -> DemoSite:
    """Start the demo server and prepare its library folder; the caller subscribes.

    `data_root` defaults to `reader.config.data_dir()`. The server tries `port`
    (default: a fixed port, so stored URLs stay valid between launches) and falls
    back to an ephemeral one; `port=0` asks for an ephemeral port directly. When
    the address differs from the one the demo library was built against, the demo
    database is removed so the demo starts fresh (it holds only demo data). `now`
    fixes the moment entry dates are relative to (tests, snapshots). The
    `READER_DEMO_PORT` environment variable sets `port` when it is not given
    (0: any free port; tests run the real `reader --demo` beside a running one).
    """
    import os

    from reader import config
    from reader.demo.server import PREFERRED_PORT, DemoServer

    if port is None and os.environ.get("READER_DEMO_PORT", "").isdigit():
        port = int(os.environ["READER_DEMO_PORT"])
    root = Path(data_root) if data_root is not None else config.data_dir()
    demo_dir = root / "demo"
    demo_dir.mkdir(parents=True, exist_ok=True)
    server = DemoServer(now=now, port=PREFERRED_PORT if port is None else port)
    if port is None and not server.base_url.endswith(f":{PREFERRED_PORT}"):
        # Another demo holds the fixed port and uses the demo folder: run this one in
        # a folder of its own rather than wiping the database the other is reading.
        import tempfile

        own = Path(tempfile.mkdtemp(prefix="reader-demo-"))
        return DemoSite(server.base_url, list(server.feed_urls), own, server, throwaway=True)
    try:
        _forget_other_server(demo_dir, server.base_url)
    except OSError:
        server.stop()
        raise
    return DemoSite(server.base_url, list(server.feed_urls), demo_dir, server)


def _forget_other_server(demo_dir: Path, base_url: str) -> None:
    """Remove the demo database when it was filled from another address, then record ours."""
    record = demo_dir / BASE_URL_FILE
    try:
        previous = record.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        previous = None
    if previous != base_url:
        from reader.config import DATABASE_NAME

        for suffix in ("", "-wal", "-shm", "-journal"):
            (demo_dir / (DATABASE_NAME + suffix)).unlink(missing_ok=True)
        record.write_text(base_url + "\n", encoding="utf-8")
