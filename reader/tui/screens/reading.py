"""What every screen that shows an article shares: open, jump, save, follow links.

`MainScreen` (feeds, entries and the article) and `ArticleScreen` (one story on
its own: a related link, a saved article, a search hit) both inherit it, so the
keys for reading mean the same everywhere. Library calls run in workers: sync
ones in threads, async ones on the library's own loop (`LibraryRunner`).
"""

from __future__ import annotations

import asyncio
import webbrowser
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.binding import Binding, BindingType
from textual.events import DescendantFocus, Resize
from textual.screen import Screen
from textual.widget import Widget

from reader.errors import ReaderError
from reader.model import Article, Entry, SavedArticle, Section
from reader.tui.format import safe, safe_block
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.highlights import HighlightsPane
from reader.tui.widgets.outline import Outline

if TYPE_CHECKING:
    from reader.tui.app import ReaderApp

NARROW_WIDTH = 120
"""Below this many columns the panes stop sitting side by side and take turns."""
MEDIUM_WIDTH = 150
"""Below this many columns (and from NARROW_WIDTH) the side panes are slimmer."""


def feed_text_article(entry: Entry) -> Article:
    """The entry as the feed tells it: shown at once, before the full article arrives."""
    paragraphs = [p for p in safe_block(entry.summary).split("\n\n") if p.strip()]
    return Article(
        title=entry.title,
        byline=entry.author,
        published=entry.published,
        url=entry.url,
        site=entry.feed_title,
        sections=[Section(None, 1, paragraphs)] if paragraphs else [],
    )


@dataclass
class Reading:
    """The story on show and the versions of it we have."""

    url: str | None
    entry: Entry | None = None
    feed_article: Article | None = None
    """The feed's own text for the entry (None for a link or a saved article)."""
    full: SavedArticle | None = None
    """The cleaned article, cached or saved, once it has arrived."""
    showing: str = "feed"
    """"feed" or "full": which version the pane shows (`v` switches)."""


class ReadingScreen(Screen[None]):
    """Base for screens with an `ArticleView`, an `Outline` and a `HighlightsPane`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "next_section", "Next section", id="reader.next_section"),
        Binding(
            "left_square_bracket",
            "previous_section",
            "Prev section",
            show=False,
            id="reader.previous_section",
        ),
        Binding("s", "save", "Save", id="reader.save"),
        Binding("o", "open_browser", "Browser", show=False, id="reader.open_browser"),
        Binding("y", "copy_link", "Copy link", show=False, id="reader.copy_link"),
        Binding("v", "toggle_view", "Feed/full", show=False, id="reader.toggle_view"),
        Binding("tab", "next_pane", "Next pane", show=False, id="reader.next_pane"),
        Binding(
            "shift+tab", "previous_pane", "Previous pane", show=False, id="reader.previous_pane"
        ),
        Binding("q,escape", "back", "Back", id="reader.back"),
    ]

    PANES: ClassVar[list[tuple[str, str]]] = []
    """(widget id, narrow-layout group) in Tab order."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.reading: Reading | None = None
        """The story on show, None before the first one is opened."""
        self._available = (False, False)
        self._pane: str | None = None
        self._group: str | None = None

    @property
    def reader_app(self) -> ReaderApp:
        return cast("ReaderApp", self.app)

    def report(self, error: ReaderError) -> None:
        """A library failure as one readable line (never a traceback)."""
        self.notify(safe(str(error)), title="Library", severity="error", markup=False)

    # layout --------------------------------------------------------------
    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW_WIDTH
        medium = not narrow and event.size.width < MEDIUM_WIDTH
        if medium != self.has_class("-medium"):
            self.set_class(medium, "-medium")
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self._apply_group()

    def show_group(self, group: str) -> None:
        """In the narrow layout, make `group` the pane on show."""
        self._group = group
        self._apply_group()

    def _apply_group(self) -> None:
        # Screen classes restyle every widget on the screen: only touch them when they
        # matter (narrow layout) and when they change.
        if not self.has_class("-narrow"):
            return
        wanted = {f"-show-{self._group}"} if self._group else set()
        present = {name for name in self.classes if name.startswith("-show-")}
        if wanted != present:
            self.remove_class(*(present - wanted))
            self.add_class(*(wanted - present))

    def focus_pane(self, pane_id: str) -> None:
        """Show (narrow layout) and focus the pane with id `pane_id`."""
        self._pane = pane_id
        group = dict(self.PANES).get(pane_id)
        if group:
            self.show_group(group)
        widget = self.query_one(f"#{pane_id}", Widget)
        if self.has_class("-narrow"):
            # The pane was hidden until now: restyle at once so that it can take focus.
            self.app.stylesheet.update(self)
        widget.focus()

    def current_pane(self) -> str | None:
        """The id of the pane that has (or is about to get) the focus."""
        return self._pane

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Follow focus moved by the mouse or by a screen switch."""
        node: Widget | None = event.widget
        ids = dict(self.PANES)
        while node is not None and node.id not in ids:
            node = node.parent if isinstance(node.parent, Widget) else None
        if node is not None and node.id is not None and node.id != self._pane:
            self._pane = node.id
            self.show_group(ids[node.id])

    def _cycle_pane(self, step: int) -> None:
        order = [pane for pane, _ in self.PANES]
        current = self.current_pane()
        index = order.index(current) if current in order else -1
        self.focus_pane(order[(index + step) % len(order)])

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_previous_pane(self) -> None:
        self._cycle_pane(-1)

    # showing -------------------------------------------------------------
    async def present(
        self, article: Article | None, *, notice: str | None = None, message: str | None = None
    ) -> None:
        """Put `article` (or a sentence, `message`) in the article, outline and highlights."""
        view = self.query_one("#article", ArticleView)
        with self.app.batch_update():
            if article is None:
                view.show_message(message or "")
            else:
                view.show(article, notice=notice)
            self.query_one("#outline", Outline).show(article)
            self.query_one("#highlights", HighlightsPane).show(article)
        available = (article is not None, view.section_count > 1)
        if available != self._available:  # the footer is rebuilt on every bindings refresh
            self._available = available
            self.refresh_bindings()

    async def open_entry(self, entry: Entry) -> None:
        """Show the entry's feed text now, and the cleaned article when it arrives.

        A cached or saved copy is read straight from the library (a local SQLite
        lookup), so a story read before opens in one paint, offline too.
        """
        reading = Reading(url=entry.url, entry=entry, feed_article=feed_text_article(entry))
        self.reading = reading
        full = bool(entry.url) and self.reader_app.wants_full_article(entry.feed_id)
        if full and entry.url:
            cached = self._cached(entry.url)
            if cached is not None and cached.article is not None:
                reading.full, reading.showing = cached, "full"
                await self.present(cached.article)
                return
        notice = "Feed text. Fetching the full article…" if full else None
        await self.present(reading.feed_article, notice=notice)
        if full:
            self.load_full(reading)

    async def open_link(self, url: str, title: str = "") -> None:
        """Show a story known only by its address (a related link)."""
        self.reading = Reading(url=url)
        await self.present(None, message=f"Fetching {safe(title) or url}…")
        self.load_full(self.reading)

    async def open_saved(self, article: SavedArticle) -> None:
        """Show a saved or cached article, offline."""
        self.reading = Reading(url=article.url, full=article, showing="full")
        if article.article is None:
            await self.present(None, message="This saved article has no text.")
        else:
            await self.present(article.article)

    def _cached(self, url: str) -> SavedArticle | None:
        try:
            return self.reader_app.library.cached_article(url)
        except ReaderError:
            return None

    @work(group="article", exclusive=True)
    async def load_full(self, reading: Reading) -> None:
        """Fetch (or take from the cache) the cleaned article and show it in place."""
        library = self.reader_app.library
        url = reading.url or ""
        result: SavedArticle | None = None
        try:
            result = await asyncio.to_thread(library.cached_article, url)
            if result is None or result.article is None:
                entry_id = reading.entry.id if reading.entry else None
                result = await self.reader_app.runner.run(
                    library.open_article(url, entry_id=entry_id)
                )
        except ReaderError as error:
            if reading is self.reading:
                await self._full_failed(reading, str(error))
            return
        if reading is not self.reading or result.article is None:
            return
        reading.full = result
        reading.showing = "full"
        await self.present(result.article)

    async def _full_failed(self, reading: Reading, problem: str) -> None:
        problem = safe(problem)
        if reading.feed_article and reading.feed_article.sections:
            await self.present(
                reading.feed_article,
                notice=(
                    f"The full article could not be fetched ({problem}) and there is no saved "
                    "copy. Showing the feed's text."
                ),
            )
        else:
            await self.present(
                None,
                message=(
                    f"This story is not available: it could not be fetched ({problem}) and there "
                    "is no saved or cached copy. Try again when you are online (r refreshes)."
                ),
            )

    # reading actions ---------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_story = self.reading is not None
        if action in ("save", "open_browser", "copy_link", "toggle_view"):
            return True if has_story else None
        if action in ("next_section", "previous_section"):
            return True if self.query_one("#article", ArticleView).section_count > 1 else None
        return True

    def action_next_section(self) -> None:
        self.query_one("#article", ArticleView).next_section()

    def action_previous_section(self) -> None:
        self.query_one("#article", ArticleView).previous_section()

    @on(ArticleView.SectionChanged)
    def _section_changed(self, event: ArticleView.SectionChanged) -> None:
        self.query_one("#outline", Outline).set_current(event.index)

    def _reveal_article(self) -> None:
        """In the narrow layout the article is hidden behind the other panes: show it."""
        if self.has_class("-narrow"):
            self.focus_pane("article")

    @on(Outline.SectionChosen)
    def _section_chosen(self, event: Outline.SectionChosen) -> None:
        self._reveal_article()
        self.query_one("#article", ArticleView).jump_to_section(event.index)

    @on(HighlightsPane.QuoteChosen)
    def _quote_chosen(self, event: HighlightsPane.QuoteChosen) -> None:
        self._reveal_article()
        view = self.query_one("#article", ArticleView)
        if not view.mark_quote(event.quote):
            self.notify(
                "That quote's paragraph is not in this version of the article.",
                severity="warning",
                markup=False,
            )

    @on(HighlightsPane.RelatedChosen)
    def _related_chosen(self, event: HighlightsPane.RelatedChosen) -> None:
        if event.link.url:
            from reader.tui.screens.article import ArticleScreen

            self.app.push_screen(ArticleScreen(url=event.link.url, title=event.link.title))

    @work(group="save", exclusive=True)
    async def action_save(self) -> None:
        """Save the story for offline reading, or stop keeping it."""
        reading = self.reading
        if reading is None:
            return
        library = self.reader_app.library
        try:
            if reading.full is not None and reading.full.saved_at:
                await asyncio.to_thread(library.unsave, reading.full.id)
                reading.full.saved_at = None
                saved = False
            else:
                target: str | int = reading.entry.id if reading.entry else (reading.url or "")
                kept = await self.reader_app.runner.run(library.save(target))
                if reading.full is None:
                    reading.full = kept
                else:  # keep the copy on show; it is now the saved one
                    reading.full.id, reading.full.saved_at = kept.id, kept.saved_at
                saved = True
        except ReaderError as error:
            self.notify(safe(str(error)), title="Could not save", severity="error", markup=False)
            return
        if reading.entry is not None:
            reading.entry.saved = saved
        self.notify("Saved for offline reading." if saved else "No longer saved.", markup=False)
        self.saved_changed(reading)

    def saved_changed(self, reading: Reading) -> None:
        """Hook for screens that show saved marks (the entry list)."""

    def action_open_browser(self) -> None:
        url = self.reading.url if self.reading else None
        if url:
            self.run_worker(asyncio.to_thread(webbrowser.open, url), group="browser")
            self.notify(f"Opening {url}", markup=False)

    def action_copy_link(self) -> None:
        url = self.reading.url if self.reading else None
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}", markup=False)

    async def action_toggle_view(self) -> None:
        reading = self.reading
        if reading is None:
            return
        if reading.full is None or reading.full.article is None:
            self.notify("Only the feed's text is available for this story.", markup=False)
            return
        if reading.feed_article is None:
            self.notify("This story has no feed text; showing the full article.", markup=False)
            return
        reading.showing = "feed" if reading.showing == "full" else "full"
        article = reading.feed_article if reading.showing == "feed" else reading.full.article
        notice = (
            "The feed's own text (v shows the full article)." if reading.showing == "feed" else None
        )
        await self.present(article, notice=notice)
