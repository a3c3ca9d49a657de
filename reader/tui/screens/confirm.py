""" "Quit reader?", "Remove this feed?": a yes/no question in a small dialog."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.tui import bindings


class ConfirmQuit(ModalScreen[bool]):
    """y (or q again) quits; n or Escape stays."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.CONFIRM)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text("Quit reader?  y / q: quit   n / Esc: stay"), id="confirm-text")

    def action_answer(self, quit_now: bool) -> None:
        self.dismiss(quit_now)


class Confirm(ModalScreen[bool]):
    """`question` (plain text, already made safe), answered with y or n / Escape."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.ASK)

    def __init__(self, question: str) -> None:
        super().__init__(classes="confirm")
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            text = Text(self.question)
            text.append("\n\ny: yes   n / Esc: no", style="dim")
            yield Static(text, id="confirm-text")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
