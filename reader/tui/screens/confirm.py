""" "Quit reader?": asked before `q` quits when `confirm_quit = true`."""

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
