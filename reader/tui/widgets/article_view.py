"""The article pane: header, then each section's heading and paragraphs.

One `Static` per heading and paragraph, so a section heading can be scrolled to
the top (`]`/`[`), a quote's paragraph can be found and marked, and the current
section follows the scroll position. A spacer at the end lets the last heading
reach the top too. All text arrives as plain strings and is shown as `Content`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from reader.model import Article, Quote
from reader.tui.format import long_date, safe, safe_block


class ArticleView(VerticalScroll, can_focus=True):
    """Shows one `Article`; reports the section at the top as the reader scrolls."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="article.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="article.up"),
        Binding("space,pagedown", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("b,pageup", "page_up", "Page up", show=False, id="article.page_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="article.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="article.bottom"),
    ]

    @dataclass
    class SectionChanged(Message):
        """The section at the top of the pane is now `index`."""

        article_view: ArticleView
        index: int

        @property
        def control(self) -> ArticleView:
            return self.article_view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        """The article on show, or None before the first one is opened."""
        self.current_section = 0
        """Index of the section whose heading is at (or above) the top of the pane."""
        self._section_starts: list[Widget] = []
        self._paragraphs: dict[tuple[int, int], tuple[Static, str]] = {}
        self._marked: tuple[Static, str] | None = None

    def _placeholder(self) -> Static:
        return Static(Content("Choose an entry and press Enter to read it."),
                      classes="article--placeholder")

    def on_mount(self) -> None:
        if self.article is None and not self.children:
            self.mount(self._placeholder())

    async def show(self, article: Article, *, notice: str | None = None,
                   keep_position: bool = False) -> None:
        """Replace the pane's content with `article` (and an optional notice above it)."""
        position = self.scroll_y if keep_position else 0
        self.article = article
        self._marked = None
        self._section_starts = []
        self._paragraphs = {}
        widgets: list[Widget] = [Static(Content(safe(article.title) or "(untitled)"),
                                        classes="article--title")]
        meta = [part for part in (
            f"By {safe(article.byline)}" if article.byline else "",
            long_date(article.published),
            safe(article.site),
        ) if part]
        if meta:
            widgets.append(Static(Content("  ·  ".join(meta)), classes="article--meta"))
        if notice:
            widgets.append(Static(Content(notice), classes="article--notice"))
        if article.description:
            widgets.append(Static(Content(safe_block(article.description)),
                                  classes="article--description"))
        for s_index, section in enumerate(article.sections):
            start: Widget | None = None
            if section.heading:
                start = Static(Content(safe(section.heading)),
                               classes=f"article--heading -level-{min(max(section.level, 2), 4)}")
                widgets.append(start)
            for p_index, paragraph in enumerate(section.paragraphs):
                text = safe_block(paragraph)
                widget = Static(Content(text), classes="article--paragraph")
                self._paragraphs[(s_index, p_index)] = (widget, text)
                widgets.append(widget)
                start = start or widget
            if start is None:
                start = Static("", classes="article--gap")
                widgets.append(start)
            self._section_starts.append(start)
        if not article.sections:
            widgets.append(Static(Content("This article has no text."),
                                  classes="article--notice"))
        widgets.append(Static(Content("·  ·  ·"), classes="article--end"))
        async with self.batch():
            await self.remove_children()
            await self.mount_all(widgets)
        self.scroll_to(y=position, animate=False, immediate=True)
        self.current_section = 0

    async def show_message(self, message: str) -> None:
        """Show a sentence instead of an article (nothing to read, or a failure)."""
        self.article = None
        self._section_starts = []
        self._paragraphs = {}
        async with self.batch():
            await self.remove_children()
            await self.mount(Static(Content(message), classes="article--placeholder"))

    # sections ------------------------------------------------------------
    @property
    def section_count(self) -> int:
        return len(self._section_starts)

    def jump_to_section(self, index: int) -> None:
        """Bring section `index` to the top of the pane."""
        if 0 <= index < len(self._section_starts):
            target = 0 if index == 0 else self._section_starts[index].virtual_region.y
            self.scroll_to(y=target, animate=False, immediate=True)
            self._set_current(index)

    def next_section(self) -> None:
        self.jump_to_section(min(self.current_section + 1, self.section_count - 1))

    def previous_section(self) -> None:
        top = round(self.scroll_y)
        index = self.current_section
        if index < len(self._section_starts) and (
                self._section_starts[index].virtual_region.y < top):
            self.jump_to_section(index)  # back to the start of the current section first
        else:
            self.jump_to_section(max(index - 1, 0))

    def section_at_top(self) -> int:
        """The last section whose start is at or above the top of the pane."""
        top = round(self.scroll_y)
        current = 0
        for index, widget in enumerate(self._section_starts):
            if widget.virtual_region.y <= top:
                current = index
            else:
                break
        return current

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._section_starts:
            self._set_current(self.section_at_top())

    def _set_current(self, index: int) -> None:
        if index != self.current_section:
            self.current_section = index
            self.post_message(self.SectionChanged(self, index))

    # quotes --------------------------------------------------------------
    def mark_quote(self, quote: Quote) -> bool:
        """Scroll to the paragraph where `quote` was said and mark it; False if not found."""
        spoken = safe(quote.text)
        found = self._paragraphs.get((quote.section, quote.paragraph)) or self._find(spoken)
        if found is None:
            return False
        self.clear_mark()
        widget, text = found
        self._marked = (widget, text)
        widget.add_class("-marked")
        start = text.find(spoken) if spoken else -1
        if start >= 0:
            widget.update(Content(text).stylize("bold underline", start, start + len(spoken)))
        self.scroll_to_widget(widget, animate=False, top=False, center=True, immediate=True)
        return True

    def clear_mark(self) -> None:
        if self._marked is not None:
            widget, text = self._marked
            widget.remove_class("-marked")
            widget.update(Content(text))
            self._marked = None

    @property
    def marked(self) -> Static | None:
        return self._marked[0] if self._marked else None

    def _find(self, spoken: str) -> tuple[Static, str] | None:
        """The paragraph holding `spoken`, when the quote's recorded place is missing."""
        needle = spoken[:60]
        return next((found for found in self._paragraphs.values()
                     if needle and needle in found[1]), None)
