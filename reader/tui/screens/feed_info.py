"""A feed's details and last error; with no feed chosen, every failing feed."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.errors import ReaderError
from reader.model import Feed
from reader.tui import bindings
from reader.tui.format import long_date, safe
from reader.tui.host import host
from reader.tui.workers import reader_work


class FeedInfoScreen(ModalScreen[bool]):
    """Why a feed failed (or that it is fine), and what the reader fetches for it.

    `f` switches the feed between fetching the full article and the feed's text
    only (kept in the library; a `[feeds."URL"]` entry in the config file wins).
    Dismissed with True when something changed.
    """

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.FEED_INFO)

    def __init__(self, feed: Feed | None, failed: list[Feed]) -> None:
        super().__init__()
        self._feed = feed
        self._failed = failed
        self._changed = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="feed-info-body") as body:
            body.border_title = "Feed" if self._feed else "Feeds that failed"
            body.border_subtitle = "Esc closes"
            yield Static(self._describe(), id="feed-info")

    def _describe(self) -> Text:
        text = Text()
        if self._feed is not None:
            feed = self._feed
            rows = [
                ("Title", safe(feed.title)),
                ("Address", safe(feed.url)),
                ("Site", safe(feed.site_url)),
                ("Folder", safe(feed.category)),
                ("Entries", f"{feed.total} ({feed.unread} unread)"),
                (
                    "Full article",
                    ("fetched and cleaned" if feed.full_article else "feed text only")
                    + "  (f switches)",
                ),
                ("Last refresh", long_date(feed.last_success) or "never worked"),
            ]
            for label, value in rows:
                if value:
                    text.append(f"{label:>13}  ", style="bold")
                    text.append(value + "\n")
            if feed.last_error:
                text.append(f"{'Last error':>13}  ", style="bold red")
                text.append(safe(feed.last_error) + "\n", style="red")
                text.append(f"{'':>13}  failed {feed.error_count} time(s) in a row\n", style="dim")
            else:
                text.append(f"{'Status':>13}  ", style="bold")
                text.append("OK\n", style="green")
            return text
        if not self._failed:
            text.append("Every feed refreshed without error.")
        for feed in self._failed:
            text.append(safe(feed.title) or safe(feed.url), style="bold")
            text.append("\n  " + safe(feed.url) + "\n", style="dim")
            text.append("  " + safe(feed.last_error) + "\n\n", style="red")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_full_article":
            return self._feed is not None
        return True

    @reader_work(group="feed-info", exclusive=True)
    async def action_toggle_full_article(self) -> None:
        feed = self._feed
        if feed is None:
            return
        library = host(self).library
        try:
            await asyncio.to_thread(library.set_full_article, feed.id, not feed.full_article)
        except ReaderError as error:
            self.notify(safe(str(error)), severity="error", markup=False)
            return
        feed.full_article = not feed.full_article
        self._changed = True
        self.query_one("#feed-info", Static).update(self._describe())

    def action_back(self) -> None:
        self.dismiss(self._changed)
