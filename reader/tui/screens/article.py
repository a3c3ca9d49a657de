"""One story on its own: a related link, a saved article or a search hit.

Back (q/Escape) returns to the screen underneath, which is still as it was.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal

from reader.errors import ReaderError
from reader.model import Entry
from reader.tui.format import safe
from reader.tui.screens.reading import ReadingScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.highlights import HighlightsPane
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.outline import Outline


class ArticleScreen(ReadingScreen):
    """Outline | article | highlights, for one story given by URL, entry or article id."""

    BINDINGS: ClassVar[list[BindingType]] = []

    PANES: ClassVar[list[tuple[str, str]]] = [
        ("article", "article"),
        ("takeaways", "highlights"),
        ("quotes", "highlights"),
        ("related", "highlights"),
        ("outline", "sidebar"),
    ]

    AUTO_FOCUS = "#article"

    def __init__(
        self,
        *,
        url: str | None = None,
        title: str = "",
        entry: Entry | None = None,
        article_id: int | None = None,
    ) -> None:
        super().__init__()
        self._url = url
        self._title = title
        self._entry = entry
        self._article_id = article_id

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield Outline(id="outline")
            yield ArticleView(id="article")
            yield HighlightsPane(id="highlights")
        yield KeyBar()

    async def on_mount(self) -> None:
        self.apply_settings()
        kind = "Related story" if self._url else "Saved article" if self._article_id else "Story"
        article = self.query_one("#article", ArticleView)
        article.border_title = kind
        article.border_subtitle = "q goes back"
        self.focus_pane("article")
        if self._entry is not None:
            await self.open_entry(self._entry)
        elif self._article_id is not None:
            await self._open_article_id(self._article_id)
        elif self._url:
            await self.open_link(self._url, self._title)

    async def _open_article_id(self, article_id: int) -> None:
        try:
            saved = await asyncio.to_thread(self.reader_app.library.article, article_id)
        except ReaderError as error:
            await self.present(None, message=safe(str(error)))
            return
        await self.open_saved(saved)

    def action_back(self) -> None:
        if self.current_pane() in (None, "article"):
            self.dismiss(None)
        else:
            self.focus_pane("article")
