"""The built-in demo (`reader --demo`): our own feeds and articles on a loopback server.

The app starts a local HTTP server that plays a small news site written for the
project, in its own data folder, so the real fetch -> parse -> clean -> store path
runs on a fresh machine without internet. Stub: the server follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass
class DemoSite:
    """A running demo server and the separate library folder the app should open."""

    base_url: str
    """"http://127.0.0.1:PORT"."""
    feed_urls: list[str]
    """The demo feeds, for the app to subscribe to."""
    data_dir: Path
    """The demo library folder (data_root / "demo"), separate from the user's library."""
    _stop: list[object] = field(default_factory=list, repr=False)

    def stop(self) -> None:
        """Shut the server down (safe to call twice)."""


def start_demo(data_root: Path | None = None, *, now: datetime | None = None,
               port: int | None = None) -> DemoSite:
    """Start the demo server and prepare its library folder."""
    raise NotImplementedError("demo server not implemented yet")
