"""The Saved list: articles kept for offline reading, newest first."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.errors import ReaderError
from reader.model import SavedArticle
from reader.tui import bindings
from reader.tui.format import long_date, safe
from reader.tui.host import host
from reader.tui.widgets.highlights import site_of
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.pick_list import PickList, with_dividers
from reader.tui.workers import reader_work


class SavedScreen(Screen[None]):
    """Every saved article; Enter reads it (offline), `u` stops keeping it."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.SAVED)

    def __init__(self) -> None:
        super().__init__(id="saved-screen")
        self._articles: list[SavedArticle] = []

    def compose(self) -> ComposeResult:
        option_list = PickList(id="saved-list")
        option_list.border_title = "Saved for offline reading"
        yield option_list
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(PickList).focus()
        self.load()

    @reader_work(group="saved", exclusive=True)
    async def load(self) -> None:
        library = host(self).library
        try:
            articles = await asyncio.to_thread(library.saved)
        except ReaderError as error:
            self.notify(safe(str(error)), severity="error", markup=False)
            return
        self._articles = articles
        option_list = self.query_one(PickList)
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
        return Content.assemble(
            (safe(article.title) or safe(article.url), "bold"), "\n", (meta, "dim")
        )

    def _highlighted(self) -> SavedArticle | None:
        index = self.query_one(PickList).highlighted
        if index is None or not 0 <= index < len(self._articles):
            return None
        return self._articles[index]

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        from reader.tui.screens.article import ArticleScreen

        if 0 <= event.option_index < len(self._articles):
            article = self._articles[event.option_index]
            self.app.push_screen(ArticleScreen(article_id=article.id))

    @reader_work(group="unsave")
    async def action_unsave(self) -> None:
        article = self._highlighted()
        if article is None:
            self.notify("Nothing chosen to unsave.", markup=False)
            return
        try:
            await asyncio.to_thread(host(self).library.unsave, article.id)
        except ReaderError as error:
            self.notify(safe(str(error)), severity="error", markup=False)
            return
        self.notify("No longer saved.", markup=False)
        self.load()

    def action_feed_info(self) -> None:
        """The feed of the highlighted article, when it came from one."""
        article = self._highlighted()
        app = host(self)
        entry_id = article.entry_id if article else None
        feed = None
        if entry_id is not None:
            try:
                feed = app.known_feeds.get(app.library.entry(entry_id).feed_id)
            except ReaderError:
                feed = None
        if feed is None:
            self.notify(
                "This article was saved from a link, not from one of your feeds: "
                "it has no feed info.",
                markup=False,
            )
            return
        app.show_feed_info(feed, [])

    def on_screen_resume(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)
