"""The Textual app: holds the library, the settings and the clock; screens do the rest.

Screens reach the app through `reader.tui.host.ReaderHost` (a Protocol), never by
importing this module: the app imports the screens, not the other way round.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.screen import Screen
from textual.theme import Theme

from reader import config
from reader.config import Settings
from reader.errors import ReaderError
from reader.library import Library, SearchHit
from reader.model import Entry, Feed
from reader.tui import bindings
from reader.tui.commands import ActionCommands, FeedCommands
from reader.tui.format import found_pattern, safe
from reader.tui.paths import stylesheets
from reader.tui.runner import LibraryRunner

if TYPE_CHECKING:
    from reader.tui.screens.search import SearchScreen

LOG_NAME = "reader.log"
"""The app's error log, in the data folder: what went wrong, with its traceback."""


class ReaderApp(App[None]):
    """A news reader on `library`; `subscribe` lists feeds to add first (the demo)."""

    TITLE = "reader"
    CSS_PATH = stylesheets()  # type: ignore[assignment]
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {ActionCommands, FeedCommands}
    BINDINGS: ClassVar[list[BindingType]] = list(bindings.APP)

    def __init__(
        self,
        library: Library,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        subscribe: Sequence[str] = (),
        refresh_on_start: bool = False,
        debug: bool = False,
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
        self.known_feeds: dict[int, Feed] = {}
        """Feeds by id as the main screen last read them (names, info, full-article choice)."""
        self.debug_errors = debug
        """Show the traceback of an unexpected error in its notification (`--debug`)."""
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
                safe(self.settings.problem),
                title="Config file not used: running on defaults",
                severity="warning",
                markup=False,
                timeout=15,
            )
        for warning in self.settings.warnings:
            self.notify(
                safe(warning), title="Config file", severity="warning", markup=False, timeout=12
            )

    # settings ------------------------------------------------------------------
    def _remember_theme(self, theme: Theme) -> None:
        """A theme picked in the palette is the theme next time."""
        if theme.name != self.settings.theme:
            self.settings.theme = theme.name
            self.save_setting("theme", theme.name)

    def save_setting(self, key: str, value: object) -> bool:
        """Write one top-level setting into the config file, keeping the user's edits."""
        try:
            config.save_setting(key, value, self.settings.path)
        except config.ConfigError as error:
            self.notify(
                safe(str(error)), title="Setting not saved", severity="warning", markup=False
            )
            return False
        except OSError as error:
            self.notify(
                safe(f"The setting could not be saved: {error}"), severity="warning", markup=False
            )
            return False
        return True

    def wants_full_article(self, feed_id: int) -> bool:
        """The config file's choice for the feed, else the library's."""
        feed = self.known_feeds.get(feed_id)
        if feed is None:
            return True
        return self.settings.full_article.get(feed.url, feed.full_article)

    # errors --------------------------------------------------------------------
    @property
    def log_path(self) -> Path:
        return self.library.data_dir / LOG_NAME

    def report_unexpected(self, error: BaseException) -> None:
        """An error nobody expected: one line on screen, the traceback in the log file."""
        logged = self._log_error(error)
        text = f"{type(error).__name__}: {error}"
        where = f" Details are in {self.log_path}." if logged else ""
        if self.debug_errors:
            where += "\n" + "".join(traceback.format_exception(error)[-3:])
        self.notify(
            safe(text)[:300] + "." + where,
            title="Something went wrong (the app carries on)",
            severity="error",
            markup=False,
            timeout=12,
        )

    def _log_error(self, error: BaseException) -> bool:
        try:
            path = self.log_path
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8", errors="replace") as log:
                log.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')}\n")
                log.write("".join(traceback.format_exception(error)))
            path.chmod(0o600)
        except OSError:
            return False
        return True

    # navigation ----------------------------------------------------------------
    def open_story(
        self,
        *,
        url: str | None = None,
        title: str = "",
        entry: Entry | None = None,
        article_id: int | None = None,
    ) -> None:
        """A story on a screen of its own: by address (a related link), or from the library."""
        from reader.tui.screens.article import ArticleScreen

        self.push_screen(ArticleScreen(url=url, title=title, entry=entry, article_id=article_id))

    def show_main(self) -> None:
        from reader.tui.screens.main import MainScreen

        self.switch_screen(MainScreen())

    def show_feed_info(self, feed: Feed | None, failed: list[Feed]) -> None:
        from reader.tui.screens.feed_info import FeedInfoScreen

        self.push_screen(FeedInfoScreen(feed, failed), callback=self._feed_info_closed)

    def _feed_info_closed(self, changed: bool | None) -> None:
        reload = getattr(self.screen, "load_feeds", None)
        if changed and callable(reload):
            reload()

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
            search = SearchScreen()
            self.push_screen(search, callback=partial(self._search_done, search))

    async def _search_done(self, search: SearchScreen, hit: SearchHit | None) -> None:
        """Open what the search found: an entry in place, an article on its own screen.

        The searched words are marked in the story for this opening.
        """
        from reader.tui.screens.article import ArticleScreen
        from reader.tui.screens.main import MainScreen

        if hit is None:
            return
        found = found_pattern(search.searched)
        if hit.kind == "article":
            screen = ArticleScreen(article_id=hit.id)
            screen.found_next = found
            await self.push_screen(screen)
            return
        try:
            entry = self.library.entry(hit.id)
        except ReaderError as error:
            self.notify(safe(str(error)), severity="error", markup=False)
            return
        if isinstance(self.screen, MainScreen):
            self.screen.found_next = found
            await self.screen.open_entry(entry, focus=True)
        else:
            screen = ArticleScreen(entry=entry)
            screen.found_next = found
            await self.push_screen(screen)

    async def on_unmount(self) -> None:
        self.runner.stop()
