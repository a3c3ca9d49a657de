"""Search titles and saved text (the library's full-text index) as you type.

Enter in the query box opens the top hit; Down moves to the results (the first
one highlighted), where Enter opens the highlighted one.
"""

from __future__ import annotations

import asyncio
import re
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.library import SearchHit
from reader.tui import bindings
from reader.tui.format import found_pattern, found_spans, long_date, safe
from reader.tui.host import host
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.pick_list import PickList, with_dividers
from reader.tui.workers import reader_work

LIMIT = 200
"""Hits listed at most."""


class SearchScreen(Screen[SearchHit | None]):
    """An input over a result list; Enter on a result dismisses with that hit."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.SEARCH)

    def __init__(self) -> None:
        super().__init__(id="search-screen")
        self._hits: list[SearchHit] = []
        self._query = ""
        """The query `_hits` answer."""
        self._found: re.Pattern[str] | None = None
        """Its words, marked in the results."""

    @property
    def searched(self) -> str:
        """The query the results answer (the app marks its words in the story opened)."""
        return self._query

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search titles and saved articles…", id="search-input")
        results = PickList(id="search-results")
        results.border_title = "Results"
        yield results
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.open_top_hit(event.value)

    @reader_work(group="search", exclusive=True)
    async def open_top_hit(self, query: str) -> None:
        """Enter in the box: the top hit of `query` (searched now if the list is behind)."""
        if not query.strip():
            return
        if query != self._query:
            await self._search_now(query)
        if self._hits:
            self.dismiss(self._hits[0])
        else:
            self.notify("No matches to open.", markup=False)

    @reader_work(group="search", exclusive=True)
    async def run_search(self, query: str) -> None:
        if query.strip():
            await asyncio.sleep(0.15)  # debounce: a newer keystroke cancels this worker
        await self._search_now(query)

    async def _search_now(self, query: str) -> None:
        results = self.query_one(PickList)
        self._query = query
        if not query.strip():
            self._hits = []
            results.clear_options()
            results.border_subtitle = ""
            return
        try:
            hits = await asyncio.to_thread(host(self).library.search, query, limit=LIMIT)
        except ReaderError as error:
            self._hits = []
            results.set_options([Option(Content(safe(str(error))), disabled=True)])
            return
        self._hits = hits
        self._found = found_pattern(query)
        if hits:
            results.set_options(with_dividers([Option(self._prompt(hit)) for hit in hits]))
        else:
            results.set_options([Option(Content("No matches."), disabled=True)])
        if results.has_focus:
            results.highlight_first()
        results.border_subtitle = f"{len(hits)}"

    def _prompt(self, hit: SearchHit) -> Content:
        where = "saved article" if hit.kind == "article" else safe(hit.feed_title) or "entry"
        if hit.saved and hit.kind == "entry":
            where += "  ·  saved"
        meta = "  ·  ".join(part for part in (where, long_date(hit.published)) if part)
        title = self._marked(Content.styled(safe(hit.title) or "(untitled)", "bold"))
        snippet = self._marked(Content(safe(hit.snippet)))
        return Content.assemble(title, "\n", (meta, "dim"), "\n", snippet)

    def _marked(self, content: Content) -> Content:
        """`content` with the searched words marked (plain text in, never markup)."""
        for start, end in found_spans(content.plain, self._found):
            content = content.stylize("reverse bold", start, end)
        return content

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self._hits):
            self.dismiss(self._hits[event.option_index])

    def action_results(self) -> None:
        results = self.query_one(PickList)
        if results.has_focus:
            results.action_cursor_down()
            return
        results.focus()
        results.highlight_first()

    def action_feed_info(self) -> None:
        """The feed of the highlighted hit, when it is an entry of a feed."""
        results = self.query_one(PickList)
        index = results.highlighted if results.has_focus else None
        hit = self._hits[index] if index is not None and index < len(self._hits) else None
        app = host(self)
        feed = None
        if hit is not None and hit.kind == "entry":
            try:
                feed = app.known_feeds.get(app.library.entry(hit.id).feed_id)
            except ReaderError:
                feed = None
        if feed is None:
            self.notify("Highlight an entry of one of your feeds to see its feed.", markup=False)
            return
        app.show_feed_info(feed, [])

    def action_back(self) -> None:
        self.dismiss(None)
