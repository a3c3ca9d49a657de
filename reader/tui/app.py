"""The Textual app: holds the library, the settings and the clock; screens do the rest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from reader.config import Settings, save_setting
from reader.errors import ReaderError
from reader.library import Library, SearchHit
from reader.tui.commands import ActionCommands, FeedCommands
from reader.tui.paths import stylesheets
from reader.tui.runner import LibraryRunner


class ReaderApp(App[None]):
    """A news reader on `library`; `subscribe` lists feeds to add first (the demo)."""

    TITLE = "reader"
    CSS_PATH = stylesheets()  # type: ignore[assignment]
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {ActionCommands, FeedCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="reader.help"),
        Binding("slash", "search", "Search", id="reader.search"),
        Binding("S", "saved", "Saved list", id="reader.saved"),
    ]

    def __init__(
        self,
        library: Library,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        subscribe: Sequence[str] = (),
        refresh_on_start: bool = False,
    ) -> None:
        super().__init__()
        self.library = library
        """The user's library; every screen reads and writes through it."""
        self.settings = settings or Settings()
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        """Now, for entry ages (fixed in tests so snapshots do not drift)."""
        self.subscribe = list(subscribe)
        """Feed URLs to subscribe to before the first refresh (`reader --demo`)."""
        self.refresh_on_start = refresh_on_start or bool(self.subscribe)
        self.runner = LibraryRunner()
        """Runs the library's coroutines off the UI loop."""
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)

    def get_default_screen(self) -> Screen[None]:
        from reader.tui.screens.main import MainScreen

        try:
            empty = not self.library.entries(limit=1) and not self.library.feeds()
        except ReaderError:
            empty = False  # the main screen reports the failure in words
        if not self.subscribe and empty:
            from reader.tui.screens.welcome import WelcomeScreen

            return WelcomeScreen()
        return MainScreen()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.settings.problem:
            self.notify(
                self.settings.problem, title="Config file ignored", severity="warning", markup=False
            )

    def _remember_theme(self, theme: Theme) -> None:
        """A theme picked in the palette is the theme next time."""
        if theme.name != self.settings.theme:
            self.settings.theme = theme.name
            try:
                save_setting("theme", theme.name, self.settings.path)
            except OSError as error:
                self.notify(
                    f"The theme could not be saved: {error}", severity="warning", markup=False
                )

    def wants_full_article(self, feed_id: int) -> bool:
        """The config file's choice for the feed, else the library's."""
        from reader.tui.screens.main import MainScreen
        from reader.tui.widgets.feed_tree import FeedTree

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                feed = screen.query_one("#feeds", FeedTree).feeds.get(feed_id)
                if feed is not None:
                    return self.settings.full_article.get(feed.url, feed.full_article)
        return True

    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_saved(self) -> None:
        from reader.tui.screens.saved import SavedScreen

        if not isinstance(self.screen, Screen) or self.screen.id != "saved-screen":
            self.push_screen(SavedScreen())

    def action_search(self) -> None:
        from reader.tui.screens.search import SearchScreen

        if self.screen.id != "search-screen":
            self.push_screen(SearchScreen(), callback=self._search_done)

    async def _search_done(self, hit: SearchHit | None) -> None:
        """Open what the search found: an entry in place, an article on its own screen."""
        from reader.tui.screens.article import ArticleScreen
        from reader.tui.screens.main import MainScreen

        if hit is None:
            return
        if hit.kind == "article":
            await self.push_screen(ArticleScreen(article_id=hit.id))
            return
        try:
            entry = self.library.entry(hit.id)
        except ReaderError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if isinstance(self.screen, MainScreen):
            await self.screen.open_entry(entry)
            self.screen.focus_pane("article")
        else:
            await self.push_screen(ArticleScreen(entry=entry))

    async def on_unmount(self) -> None:
        self.runner.stop()
