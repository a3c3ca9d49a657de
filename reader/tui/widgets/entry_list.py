"""The entry list: one line per entry, drawn with the line API.

An `OptionList` measures every option before it paints (about 1.4 s for 10,000
entries here), so the list is a `ScrollView` whose `render_line` draws only the
rows on screen: painting and `j` cost the same with 10 entries or 100,000.

Story counts ("+3": three other outlets carry the story) are asked for only for
the rows around the screen (`CountsWanted`), so a long list costs nothing more
to show; collapsed, the list shows one row per story (its newest entry), and
Enter on a story row with more entries expands it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar, Literal

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

Role = Literal["closed", "open", "member"]
"""A row's place in a collapsed list: a story row (its entries hidden or shown) or one of them."""


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
        "entry-list--count",
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

    @dataclass
    class CountsWanted(Message):
        """Rows came on screen whose story counts are not known yet: the screen reads them."""

        entry_list: EntryList
        entry_ids: list[int]

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
        """The rows: every entry of the view, or (collapsed) one per story and the expanded."""
        self._all: list[Entry] = []
        self._stories: dict[int, tuple[int, int]] = {}
        """entry id -> (story id, feeds carrying it), for the entries read so far."""
        self._asked: set[int] = set()
        self._asking = False
        self._roles: dict[int, Role] = {}
        self._expanded: set[int] = set()
        self.collapsed = False
        """One row per story (the newest entry of each stands for it)."""
        self._clock = clock or (lambda: datetime.now(UTC))
        self._now = self._clock()
        self.empty_text = empty_text
        """What the list says when it has no entries."""

    # data ----------------------------------------------------------------
    @property
    def entries(self) -> Sequence[Entry]:
        return self._entries

    @property
    def all_entries(self) -> Sequence[Entry]:
        """Every entry of the view, the hidden ones of a collapsed list too."""
        return self._all

    def story_key(self, entry_id: int) -> int:
        """The entry's story id, or (alone, or not known yet) minus its own id."""
        known = self._stories.get(entry_id)
        return known[0] if known else -entry_id

    def other_outlets(self, entry_id: int) -> int:
        """How many other feeds carry the entry's story (0 when alone or not known yet)."""
        known = self._stories.get(entry_id)
        return max(0, known[1] - 1) if known else 0

    def role(self, entry_id: int) -> Role | None:
        return self._roles.get(entry_id)

    def unasked(self, entry_ids: Sequence[int]) -> list[int]:
        """Those of `entry_ids` whose counts were never asked for; they count as asked now."""
        fresh = [i for i in entry_ids if i not in self._asked]
        self._asked.update(fresh)
        return fresh

    def set_counts(self, counts: dict[int, tuple[int, int]]) -> None:
        """Story counts read by the screen (entries missing from them are alone)."""
        self._stories.update(counts)
        if self.collapsed:
            current = self.highlighted
            self._rebuild(current.id if current else None)
        else:
            self.refresh()

    def set_collapsed(self, collapsed: bool) -> None:
        """One row per story, or every entry; the cursor stays on its entry."""
        self.collapsed = collapsed
        self._expanded.clear()
        current = self.highlighted
        self._rebuild(current.id if current else None)

    @property
    def highlighted(self) -> Entry | None:
        """The entry under the cursor, if any."""
        if 0 <= self.cursor < len(self._entries):
            return self._entries[self.cursor]
        return None

    def set_entries(self, entries: list[Entry], *, keep_id: int | None = None) -> None:
        """Show `entries`; the cursor stays on `keep_id` when it is still listed.

        Known story counts are kept (no flicker) but asked for again as rows show.
        """
        self._all = entries
        self._asked.clear()
        self._now = self._clock()
        self._rebuild(keep_id)

    def _rebuild(self, keep_id: int | None) -> None:
        """Lay the rows out again (collapsed or not), the cursor on `keep_id` if listed."""
        if self.collapsed:
            self._entries, self._roles = self._story_rows()
        else:
            self._entries, self._roles = list(self._all), {}
        self.virtual_size = Size(self.size.width, len(self._entries))
        index = 0
        if keep_id is not None:
            index = next((i for i, e in enumerate(self._entries) if e.id == keep_id), 0)
        self.cursor = index
        self.refresh()

    def _story_rows(self) -> tuple[list[Entry], dict[int, Role]]:
        """The newest entry of each story, followed by the others when it is expanded."""
        groups: dict[int, list[Entry]] = {}
        for entry in self._all:  # dicts keep insertion order: newest story first
            groups.setdefault(self.story_key(entry.id), []).append(entry)
        rows: list[Entry] = []
        roles: dict[int, Role] = {}
        for key, members in groups.items():
            head = members[0]
            rows.append(head)
            if len(members) > 1:
                is_open = key in self._expanded
                roles[head.id] = "open" if is_open else "closed"
                if is_open:
                    rows.extend(members[1:])
                    roles.update((member.id, "member") for member in members[1:])
        return rows, roles

    def toggle_story(self, entry: Entry) -> None:
        """Expand (or fold again) the story whose row is `entry`."""
        key = self.story_key(entry.id)
        self._expanded.symmetric_difference_update({key})
        self._rebuild(entry.id)

    def update_entry(self, entry: Entry) -> None:
        """Redraw one entry after its read/saved marks changed."""
        for index, existing in enumerate(self._all):
            if existing.id == entry.id:
                self._all[index] = entry
                break
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
        """Open the entry; on a folded story row, show the story's entries instead."""
        entry = self.highlighted
        if entry is None:
            return
        if self._roles.get(entry.id) == "closed":
            self.toggle_story(entry)
            return
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
        if not self._asking and self._entries[index].id not in self._asked:
            self._asking = True  # one request per paint, for the rows around the screen
            self.call_later(self._ask_counts)
        return self._render_entry(self._entries[index], index == self.cursor, width, base)

    def _ask_counts(self) -> None:
        """Ask the screen for the story counts of the rows on screen and a page either side."""
        self._asking = False
        height = max(1, self.size.height)
        top = round(self.scroll_offset.y)
        window = self._entries[max(0, top - height) : top + 2 * height]
        wanted = self.unasked([entry.id for entry in window])
        if wanted:
            self.post_message(self.CountsWanted(self, wanted))

    def _title_text(self, entry: Entry) -> str:
        """The title, after the story marker of a collapsed list (▸ folded, ▾ open, indent)."""
        title = safe(entry.title) or "(untitled)"
        role = self._roles.get(entry.id)
        if role is None:
            return title
        return {"closed": "▸ ", "open": "▾ ", "member": "  "}[role] + title

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
        count_style = row if is_cursor else self.get_component_rich_style("entry-list--count")
        if not is_cursor:
            count_style += Style(bgcolor=base.bgcolor)
        marks = ("★" if entry.saved else " ") + (" " if entry.read else "●") + " "
        when = age(entry.published, self._now).rjust(_AGE_COLUMN - 1) + " "
        feed_width = _FEED_COLUMN if width >= 60 else 0
        others = self.other_outlets(entry.id) if width >= 40 else 0
        # Only a row with a count gives it room: the others keep their whole title.
        count = f" +{min(others, 99)} " if others else ""
        title_width = width - 4 - feed_width - len(count) - _AGE_COLUMN
        segments = [
            Segment(" " + marks, mark_style),
            Segment(_fit(self._title_text(entry), max(0, title_width)), title_style),
        ]
        if count:
            segments.append(Segment(count, count_style))
        if feed_width:
            segments.append(Segment(" " + _fit(safe(entry.feed_title), feed_width - 1), meta_style))
        segments.append(Segment(when, meta_style))
        return Strip(segments).crop_extend(0, width, row)
