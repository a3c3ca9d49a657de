"""Add a feed (a page or feed address, with categories) or edit one, in a dialog.

Adding runs discovery in a worker while the dialog stays open: a failure is one
line under the fields (the user fixes the address and tries again), success
closes the dialog with the new feed. Editing writes title, categories and the
full-article policy through the library. Typed text is only ever shown as `Text`.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from reader.errors import ReaderError
from reader.model import Feed
from reader.tui import bindings
from reader.tui.format import safe
from reader.tui.host import host
from reader.tui.workers import reader_work

FormKind = Literal["add", "edit"]


def parse_categories(text: str) -> tuple[str, ...]:
    """ "Tech, news ,, tech" -> ("Tech", "news"): comma-separated, blanks and repeats dropped."""
    names: list[str] = []
    for part in text.split(","):
        name = safe(part).strip()
        if name and name.casefold() not in (n.casefold() for n in names):
            names.append(name)
    return tuple(names)


class FeedForm(ModalScreen[Feed | None]):
    """`a`: address and categories; `e`: title, categories, full article. Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.FEED_FORM)

    def __init__(
        self, kind: FormKind, feed: Feed | None = None, categories: tuple[str, ...] = ()
    ) -> None:
        super().__init__(id="feed-form")
        self.kind: FormKind = kind
        self.feed = feed
        """The feed edited (None when adding)."""
        self.categories = feed.categories if feed else categories
        """The categories the form starts with (adding: the folder under the tree cursor)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="feed-form-box") as box:
            box.border_title = "Add a feed" if self.kind == "add" else "Edit feed"
            box.border_subtitle = "Enter or ctrl+s: save   Esc: cancel"
            categories = ", ".join(safe(name) for name in self.categories)
            if self.kind == "add":
                yield Static(Text("Address of a feed, or of a page that links one:"))
                yield Input(placeholder="https://example.org/", id="form-url")
            else:
                assert self.feed is not None
                yield Static(Text("Title:"))
                yield Input(safe(self.feed.title), id="form-title")
            yield Static(Text("Categories (comma-separated, optional):"))
            yield Input(categories, placeholder="news, tech", id="form-categories")
            if self.kind == "edit" and self.feed is not None:
                yield Checkbox(
                    "Fetch the full article of each story",
                    self.feed.full_article,
                    id="form-full",
                )
            yield Static("", id="form-status")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        categories = parse_categories(self.query_one("#form-categories", Input).value)
        if self.kind == "add":
            url = self.query_one("#form-url", Input).value.strip()
            if not url:
                self._status("Type or paste an address first.", error=True)
                return
            self._add(url, categories)
        else:
            self._edit(categories)

    def _status(self, text: str, *, error: bool = False) -> None:
        self.query_one("#form-status", Static).update(
            Text(safe(text), style="bold red" if error else "italic")
        )

    @reader_work(group="feed-form", exclusive=True)
    async def _add(self, url: str, categories: tuple[str, ...]) -> None:
        """Discovery and the first fetch, off the UI loop; errors stay in the dialog."""
        app = host(self)
        self._status(f"Looking for the feed at {safe(url)}…")
        try:
            feed = await app.runner.run(app.library.add_feed(url, categories=categories))
        except ReaderError as error:
            self._status(str(error), error=True)
            return
        self.dismiss(feed)

    def _edit(self, categories: tuple[str, ...]) -> None:
        assert self.feed is not None
        title = self.query_one("#form-title", Input).value
        full = self.query_one("#form-full", Checkbox).value
        try:
            feed = host(self).library.edit_feed(
                self.feed.id, title=title, categories=categories, full_article=full
            )
        except ReaderError as error:
            self._status(str(error), error=True)
            return
        self.dismiss(feed)

    def action_cancel(self) -> None:
        self.dismiss(None)
