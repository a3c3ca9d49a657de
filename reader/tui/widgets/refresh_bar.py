"""The refresh progress line: what is being fetched, and how far it has got."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, ProgressBar


class RefreshBar(Horizontal):
    """Hidden until a refresh starts; shows done/total and the last feed finished."""

    def compose(self) -> ComposeResult:
        yield Label(Content("Refreshing"), id="refresh-label")
        yield ProgressBar(total=None, show_eta=False, id="refresh-progress")

    def start(self, total: int | None = None) -> None:
        self.add_class("-active")
        self.query_one(ProgressBar).update(total=total, progress=0)
        self.query_one(Label).update(Content("Refreshing…"))

    def advance(
        self, done: int, total: int, last: str | None, *, doing: str = "Refreshing"
    ) -> None:
        """`done` of `total` feeds finished, the last one being `last`."""
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        text = f"{doing} {done}/{total}" + (f"  {last}" if last else "")
        self.query_one(Label).update(Content(text))

    def finish(self) -> None:
        self.remove_class("-active")

    @property
    def active(self) -> bool:
        return self.has_class("-active")
