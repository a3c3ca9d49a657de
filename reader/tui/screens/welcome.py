"""The first screen on an empty library: how to get something to read."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from reader.errors import ReaderError
from reader.tui import bindings
from reader.tui.format import safe
from reader.tui.host import host
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.workers import reader_work


def _welcome_text() -> Text:
    text = Text()
    text.append("Welcome to reader\n\n", style="bold")
    text.append("Your library has no feeds yet. To get something to read:\n\n")
    for command, what in (
        ("reader add URL", "subscribe to a feed (a site's address finds its feed)"),
        ("reader import FILE.opml", "bring your subscriptions from another reader"),
        ("reader --demo", "try the app on built-in demo feeds, no internet needed"),
    ):
        text.append(f"  {command}\n", style="bold")
        text.append(f"      {what}\n")
    text.append("\nOr paste a feed address below and press Enter. Ctrl+Q quits.")
    return text


class WelcomeScreen(Screen[None]):
    """Explains the three ways in, and takes a feed URL directly."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.WELCOME)

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome-box"):
            yield Static(_welcome_text(), id="welcome-text")
            yield Input(placeholder="https://example.org/feed.xml", id="welcome-url")
            yield Static("", id="welcome-status")
        yield KeyBar()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.subscribe(event.value.strip())

    @reader_work(group="subscribe", exclusive=True)
    async def subscribe(self, url: str) -> None:
        app = host(self)
        status = self.query_one("#welcome-status", Static)
        status.update(Text(f"Subscribing to {url}…"))
        try:
            await app.runner.run(app.library.add_feed(url))
        except ReaderError as error:
            status.update(Text(safe(str(error)), style="bold red"))
            return
        app.show_main()  # its entries were fetched just now: no refresh on top
