"""What screens need from the app, as a Protocol: screens never import the App class.

`host(widget)` gives a typed view of `widget.app`. The App satisfies the
Protocol structurally (mypy checks it where the App is built), so screens, the
palette and the help depend on this small module instead of on `app.py`, which
imports them: no cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from reader.config import Settings
    from reader.library import Library
    from reader.model import Entry, Feed
    from reader.tui.runner import LibraryRunner


class ReaderHost(Protocol):
    """The app as its screens see it."""

    library: Library
    settings: Settings
    clock: Callable[[], datetime]
    runner: LibraryRunner
    subscribe: list[str]
    refresh_on_start: bool
    known_feeds: dict[int, Feed]
    """Feeds by id, as last read by the main screen (for the story's feed name and info)."""

    def wants_full_article(self, feed_id: int) -> bool: ...

    def open_story(
        self,
        *,
        url: str | None = None,
        title: str = "",
        entry: Entry | None = None,
        article_id: int | None = None,
    ) -> None: ...

    def show_main(self) -> None: ...

    def show_feed_info(self, feed: Feed | None, failed: list[Feed]) -> None: ...

    def report_unexpected(self, error: BaseException) -> None: ...

    def save_setting(self, key: str, value: object) -> bool: ...

    @property
    def log_path(self) -> Path: ...


def host(node: DOMNode) -> ReaderHost:
    """`node.app` as the reader app."""
    return cast("ReaderHost", node.app)
