"""The Saved list: articles kept for offline reading, newest first."""

from __future__ import annotations

import asyncio
from typing import ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.model import SavedArticle
from reader.tui.format import long_date, safe
from reader.tui.widgets.highlights import site_of
from reader.tui.widgets.key_bar import KeyBar


def with_dividers(options: list[Option]) -> list[Option | None]:
    """A rule between options (None is OptionList's divider); indexes stay the same."""
    spaced: list[Option | None] = []
    for option in options:
        if spaced:
            spaced.append(None)
        spaced.append(option)
    return spaced


class SavedScreen(Screen[None]):
    """Every saved article; Enter reads it (offline), `u` stops keeping it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u,delete", "unsave", "Unsave", id="saved.unsave"),
        Binding("q,escape", "back", "Back", id="saved.back"),
    ]

    def __init__(self) -> None:
        super().__init__(id="saved-screen")
        self._articles: list[SavedArticle] = []

    def compose(self) -> ComposeResult:
        option_list = OptionList(id="saved-list")
        option_list.border_title = "Saved for offline reading"
        yield option_list
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(group="saved", exclusive=True)
    async def load(self) -> None:
        from reader.tui.app import ReaderApp

        library = cast(ReaderApp, self.app).library
        try:
            articles = await asyncio.to_thread(library.saved)
        except ReaderError as error:
            self.notify(safe(str(error)), severity="error", markup=False)
            return
        self._articles = articles
        option_list = self.query_one(OptionList)
        highlighted = option_list.highlighted
        if articles:
            option_list.set_options(with_dividers([Option(self._prompt(a)) for a in articles]))
            option_list.highlighted = min(highlighted or 0, len(articles) - 1)
        else:
            option_list.set_options(
                [
                    Option(
                        Content(
                            "Nothing saved yet. Press s while reading to keep an article offline."
                        ),
                        disabled=True,
                    )
                ]
            )
        option_list.border_subtitle = f"{len(articles)}"

    @staticmethod
    def _prompt(article: SavedArticle) -> Content:
        site = safe(article.site) or site_of(article.url)
        published = article.article.published if article.article else None
        meta = "  ·  ".join(part for part in (site, long_date(published)) if part)
        return Content.assemble((safe(article.title) or article.url, "bold"), "\n", (meta, "dim"))

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        from reader.tui.screens.article import ArticleScreen

        if 0 <= event.option_index < len(self._articles):
            article = self._articles[event.option_index]
            self.app.push_screen(ArticleScreen(article_id=article.id))

    @work(group="unsave")
    async def action_unsave(self) -> None:
        from reader.tui.app import ReaderApp

        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self._articles):
            return
        try:
            await asyncio.to_thread(
                cast(ReaderApp, self.app).library.unsave, self._articles[index].id
            )
        except ReaderError as error:
            self.notify(safe(str(error)), severity="error", markup=False)
            return
        self.notify("No longer saved.", markup=False)
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)
