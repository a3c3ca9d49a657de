"""The entry list: one line per entry, drawn with the line API.

An `OptionList` measures every option before it paints (about 1.4 s for 10,000
entries here), so the list is a `ScrollView` whose `render_line` draws only the
rows on screen: painting and `j` cost the same with 10 entries or 100,000.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Entry
from reader.tui import bindings
from reader.tui.format import age, safe

_FEED_COLUMN = 18
_AGE_COLUMN = 5


def _fit(text: str, width: int) -> str:
    """`text` cut (with an ellipsis) or padded to exactly `width` cells."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


class EntryList(ScrollView, can_focus=True):
    """Entries newest first, with read/saved marks, feed and age; Enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.ENTRY_LIST)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-list--cursor",
        "entry-list--cursor-blurred",
        "entry-list--unread",
        "entry-list--read",
        "entry-list--meta",
        "entry-list--mark",
        "entry-list--empty",
    }

    DEFAULT_CSS = """
    EntryList { height: 1fr; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the highlighted entry."""

    @dataclass
    class Selected(Message):
        """The user asked to open `entry`."""

        entry_list: EntryList
        entry: Entry

        @property
        def control(self) -> EntryList:
            return self.entry_list

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        empty_text: str = "",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[Entry] = []
        self._clock = clock or (lambda: datetime.now(UTC))
        self._now = self._clock()
        self.empty_text = empty_text
        """What the list says when it has no entries."""

    # data ----------------------------------------------------------------
    @property
    def entries(self) -> Sequence[Entry]:
        return self._entries

    @property
    def highlighted(self) -> Entry | None:
        """The entry under the cursor, if any."""
        if 0 <= self.cursor < len(self._entries):
            return self._entries[self.cursor]
        return None

    def set_entries(self, entries: list[Entry], *, keep_id: int | None = None) -> None:
        """Show `entries`; the cursor stays on `keep_id` when it is still listed."""
        self._entries = entries
        self._now = self._clock()
        self.virtual_size = Size(self.size.width, len(entries))
        index = 0
        if keep_id is not None:
            index = next((i for i, e in enumerate(entries) if e.id == keep_id), 0)
        self.cursor = index
        self.refresh()

    def update_entry(self, entry: Entry) -> None:
        """Redraw one entry after its read/saved marks changed."""
        for index, existing in enumerate(self._entries):
            if existing.id == entry.id:
                self._entries[index] = entry
                self.refresh_line(index)
                return

    def refresh_line(self, index: int) -> None:
        """Repaint the row of entry `index` if it is on screen."""
        y = index - round(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def index_of(self, entry_id: int) -> int | None:
        return next((i for i, e in enumerate(self._entries) if e.id == entry_id), None)

    def move_to(self, index: int) -> None:
        """Put the cursor on entry `index` (clamped)."""
        if self._entries:
            self.cursor = max(0, min(index, len(self._entries) - 1))

    def unread_from(self, start: int, step: int) -> Entry | None:
        """The first unread entry after (step 1) or before (step -1) index `start`, no wrapping.

        The cursor moves to it, so the list follows the story about to be opened.
        """
        index = start + step
        while 0 <= index < len(self._entries):
            if not self._entries[index].read:
                self.cursor = index
                return self._entries[index]
            index += step
        return None

    # cursor --------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh_line(old)
        self.refresh_line(new)

    def _scroll_cursor_into_view(self) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._entries))
        self._scroll_cursor_into_view()

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self._entries) - 1)

    def action_open(self) -> None:
        entry = self.highlighted
        if entry is not None:
            self.post_message(self.Selected(self, entry))

    def on_click(self, event: events.Click) -> None:
        index = event.y + round(self.scroll_offset.y)
        if 0 <= index < len(self._entries):
            self.cursor = index
            if event.chain >= 2:
                self.action_open()

    # drawing -------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + round(self.scroll_offset.y)
        base = self.rich_style
        if not self._entries:
            if y == 0 and self.empty_text:
                style = base + self.get_component_rich_style("entry-list--empty")
                return Strip([Segment(_fit(" " + self.empty_text, width), style)], width)
            return Strip.blank(width, base)
        if index >= len(self._entries):
            return Strip.blank(width, base)
        return self._render_entry(self._entries[index], index == self.cursor, width, base)

    def _render_entry(self, entry: Entry, is_cursor: bool, width: int, base: Style) -> Strip:
        state = "entry-list--read" if entry.read else "entry-list--unread"
        if is_cursor:  # one colour pair across the whole row, for contrast
            row = base + self.get_component_rich_style(
                "entry-list--cursor" if self.has_focus else "entry-list--cursor-blurred"
            )
            title_style = meta_style = mark_style = row
            if not entry.read:
                title_style = row + Style(bold=True)
        else:  # each part's own colours (alpha resolved) over the list's background
            row = base
            background = Style(bgcolor=base.bgcolor)
            title_style = self.get_component_rich_style(state) + background
            meta_style = self.get_component_rich_style("entry-list--meta") + background
            mark_style = self.get_component_rich_style("entry-list--mark") + background
        marks = ("★" if entry.saved else " ") + (" " if entry.read else "●") + " "
        when = age(entry.published, self._now).rjust(_AGE_COLUMN - 1) + " "
        feed_width = _FEED_COLUMN if width >= 60 else 0
        title_width = width - 4 - feed_width - _AGE_COLUMN
        segments = [
            Segment(" " + marks, mark_style),
            Segment(_fit(safe(entry.title) or "(untitled)", max(0, title_width)), title_style),
        ]
        if feed_width:
            segments.append(Segment(" " + _fit(safe(entry.feed_title), feed_width - 1), meta_style))
        segments.append(Segment(when, meta_style))
        return Strip(segments).crop_extend(0, width, row)
