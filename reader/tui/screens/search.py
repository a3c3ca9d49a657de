"""Search titles and saved text (the library's full-text index) as you type."""

from __future__ import annotations

import asyncio
from typing import ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.library import SearchHit
from reader.tui.format import long_date, safe
from reader.tui.screens.saved import with_dividers
from reader.tui.widgets.key_bar import KeyBar


class SearchScreen(Screen[SearchHit | None]):
    """An input over a result list; Enter on a result dismisses with that hit."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("down", "results", "Results", show=False, id="search.results"),
    ]

    def __init__(self) -> None:
        super().__init__(id="search-screen")
        self._hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search titles and saved articles…", id="search-input")
        results = OptionList(id="search-results")
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
        if self._hits:
            results = self.query_one(OptionList)
            results.highlighted = 0
            results.focus()

    @work(group="search", exclusive=True)
    async def run_search(self, query: str) -> None:
        from reader.tui.app import ReaderApp

        results = self.query_one(OptionList)
        if not query.strip():
            self._hits = []
            results.clear_options()
            results.border_subtitle = ""
            return
        await asyncio.sleep(0.15)  # debounce: a newer keystroke cancels this worker
        library = cast(ReaderApp, self.app).library
        try:
            hits = await asyncio.to_thread(library.search, query, limit=200)
        except ReaderError as error:
            results.set_options([Option(Content(safe(str(error))), disabled=True)])
            return
        self._hits = hits
        if hits:
            results.set_options(with_dividers([Option(self._prompt(hit)) for hit in hits]))
        else:
            results.set_options([Option(Content("No matches."), disabled=True)])
        results.border_subtitle = f"{len(hits)}"

    @staticmethod
    def _prompt(hit: SearchHit) -> Content:
        where = "saved article" if hit.kind == "article" else safe(hit.feed_title) or "entry"
        meta = "  ·  ".join(part for part in (where, long_date(hit.published)) if part)
        return Content.assemble(
            (safe(hit.title) or "(untitled)", "bold"), "\n", (meta, "dim"), "\n", safe(hit.snippet)
        )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if 0 <= event.option_index < len(self._hits):
            self.dismiss(self._hits[event.option_index])

    def action_results(self) -> None:
        self.query_one(OptionList).focus()

    def action_back(self) -> None:
        self.dismiss(None)
