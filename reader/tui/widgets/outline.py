"""The section outline: every heading of the article, the current one highlighted."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets.option_list import Option

from reader.model import Article
from reader.tui.format import safe
from reader.tui.widgets.pick_list import PickList


class Outline(PickList):
    """One option per section; Enter asks the screen to jump there."""

    @dataclass
    class SectionChosen(Message):
        """Enter on a section of the outline."""

        index: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Outline"

    def show(self, article: Article | None) -> None:
        """List the sections of `article` (the untitled lead as "Introduction")."""
        options = []
        for section in article.sections if article else []:
            indent = "  " * max(0, min(section.level, 4) - 2)
            label = safe(section.heading) if section.heading else "Introduction"
            options.append(Option(Content(indent + label)))
        self.set_options(options)
        if options:
            self.highlighted = 0

    def set_current(self, index: int) -> None:
        """Highlight the section the article pane is showing."""
        if 0 <= index < self.option_count and self.highlighted != index:
            self.highlighted = index

    @on(PickList.OptionSelected)
    def _chosen(self, event: PickList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.SectionChosen(event.option_index))
