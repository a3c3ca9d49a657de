"""What every screen that shows an article shares: open, jump, save, follow links.

`MainScreen` (feeds, entries and the article) and `ArticleScreen` (one story on
its own: a related link, a saved article, a search hit) both inherit it, so the
keys for reading mean the same everywhere, and every key that acts on "the
story" (`s`, `o`, `y`, `v`, `i`…) acts on the story on screen. Library calls run
in workers that report, never raise (`reader_work`): sync ones in threads, async
ones on the library's own loop (`LibraryRunner`).
"""

from __future__ import annotations

import asyncio
import re
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import SuspendNotSupported
from textual.binding import BindingType
from textual.events import DescendantFocus, Resize
from textual.screen import Screen
from textual.widget import Widget

from reader.errors import ReaderError
from reader.model import Article, Enclosure, Entry, Link, SavedArticle, Section
from reader.tui import bindings
from reader.tui.browser import Browser, choose_browser
from reader.tui.format import safe, safe_block
from reader.tui.host import ReaderHost, host
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.highlights import HighlightsPane
from reader.tui.widgets.outline import Outline
from reader.tui.workers import reader_work

if TYPE_CHECKING:
    from reader.stories import RelatedMatch

NARROW_WIDTH = 120
"""Below this many columns the panes stop sitting side by side and take turns."""
MEDIUM_WIDTH = 150
"""Below this many columns (and from NARROW_WIDTH) the side panes are slimmer."""

Showing = Literal["feed", "full"]

MAX_LIBRARY_LINKS = 40
"""Related links looked up in the library per article (each is a few indexed queries)."""


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
    showing: Showing = "feed"
    """Which version the pane shows (`v` switches)."""
    found: re.Pattern[str] | None = None
    """The words of the search this story was opened from, marked in its text."""


class ReadingScreen(Screen[None]):
    """Base for screens with an `ArticleView`, an `Outline` and a `HighlightsPane`."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.READING)

    PANES: ClassVar[list[tuple[str, str]]] = []
    """(widget id, narrow-layout group) in Tab order."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        # "-idle": no story yet, so the story's panes do not sit as empty boxes.
        super().__init__(name=name, id=id, classes="-idle")
        self.reading: Reading | None = None
        """The story on show, None before the first one is opened."""
        self.found_next: re.Pattern[str] | None = None
        """A search's words for the next story opened (one opening only)."""
        self.browser_process: subprocess.Popen[bytes] | None = None
        """The last graphical browser started (detached; kept so tests can wait for it)."""
        self._available = (False, False)
        self._pane: str | None = None
        self._group: str | None = None

    @property
    def reader_app(self) -> ReaderHost:
        return host(self)

    def report(self, error: ReaderError) -> None:
        """A library failure as one readable line (never a traceback)."""
        self.notify(safe(str(error)), title="Library", severity="error", markup=False)

    def apply_settings(self) -> None:
        """The reader's layout settings (subclasses call it first thing when mounted)."""
        settings = self.reader_app.settings
        self.query_one("#article", ArticleView).max_width = settings.max_width
        self.set_class(not settings.highlights, "-no-highlights")

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
        """Show (narrow layout, reading mode, hidden panes) and focus the pane `pane_id`."""
        self._pane = pane_id
        group = dict(self.PANES).get(pane_id)
        if group:
            self.show_group(group)
        if pane_id != "article" and self.has_class("-reading-mode"):
            self.remove_class("-reading-mode")
        if group == "highlights" and self.has_class("-no-highlights"):
            self.remove_class("-no-highlights")
        widget = self.query_one(f"#{pane_id}", Widget)
        if self.has_class("-narrow") or self.has_class("-idle"):
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

    def _visible_panes(self) -> list[str]:
        """Panes Tab can reach: the story's panes only once a story is on show."""
        panes = [pane for pane, _ in self.PANES]
        if self.reading is None:
            story = {"takeaways", "quotes", "related", "outline"}
            panes = [pane for pane in panes if pane not in story]
        return panes

    def _cycle_pane(self, step: int) -> None:
        order = self._visible_panes()
        current = self.current_pane()
        index = order.index(current) if current in order else -1
        self.focus_pane(order[(index + step) % len(order)])

    def action_next_pane(self) -> None:
        self._cycle_pane(1)

    def action_previous_pane(self) -> None:
        self._cycle_pane(-1)

    def action_reading_mode(self) -> None:
        """The article alone, full width (`z` again brings the panes back)."""
        on = not self.has_class("-reading-mode")
        self.set_class(on, "-reading-mode")
        if on:
            self.focus_pane("article")
        self.notify("Reading mode: the article alone." if on else "Reading mode off.", markup=False)

    def action_toggle_highlights(self) -> None:
        """Show or hide the takeaways, quotes and related panes (remembered)."""
        hidden = not self.has_class("-no-highlights")
        if hidden and self.current_pane() in ("takeaways", "quotes", "related"):
            self.focus_pane("article")
        self.set_class(hidden, "-no-highlights")
        self.reader_app.settings.highlights = not hidden
        self.reader_app.save_setting("highlights", not hidden)

    # showing -------------------------------------------------------------
    async def present(
        self, article: Article | None, *, notice: str | None = None, message: str | None = None
    ) -> None:
        """Put `article` (or a sentence, `message`) in the article, outline and highlights."""
        view = self.query_one("#article", ArticleView)
        entry = self.reading.entry if self.reading else None
        with self.app.batch_update():
            if article is None:
                view.show_message(message or "")
            else:
                view.show(
                    article,
                    notice=notice,
                    feed_name=entry.feed_title if entry else None,
                    feed_date=entry.published if entry else None,
                    found=self.reading.found if self.reading else None,
                    enclosures=entry.enclosures if entry else (),
                )
            self.query_one("#outline", Outline).show(article)
            self.query_one("#highlights", HighlightsPane).show(article, self.publications())
            if self.has_class("-idle") and self.reading is not None:
                self.remove_class("-idle")
        if article is not None and self.reading is not None:
            # After the paint: the article shows first, the library's answers follow.
            self.call_after_refresh(self._look_up_in_library, self.reading, article)
        available = (article is not None, view.section_count > 1)
        if available != self._available:  # the footer is rebuilt on every bindings refresh
            self._available = available
            self.refresh_bindings()

    def publications(self) -> dict[str, str]:
        """Site address -> publication name, from the feeds followed (for related stories)."""
        from reader.tui.widgets.highlights import site_prefix

        names: dict[str, set[str]] = {}
        for feed in self.reader_app.known_feeds.values():
            prefix = site_prefix(feed.site_url or feed.url)
            if prefix and feed.title:
                names.setdefault(prefix, set()).add(safe(feed.title))
        # Two feeds on one site address cannot name it: the host is said instead.
        return {prefix: next(iter(titles)) for prefix, titles in names.items() if len(titles) == 1}

    async def open_entry(self, entry: Entry, *, focus: bool = False) -> None:
        """Show the entry's feed text now, and the cleaned article when it arrives.

        A cached or saved copy is read straight from the library (a local SQLite
        lookup), so a story read before opens in one paint, offline too. With
        `focus`, the article pane is shown and focused (every layout).
        """
        reading = Reading(url=entry.url, entry=entry, feed_article=feed_text_article(entry))
        reading.found, self.found_next = self.found_next, None
        self.reading = reading
        full = bool(entry.url) and self.reader_app.wants_full_article(entry.feed_id)
        cached = self._cached(entry.url) if full and entry.url else None
        if cached is not None and cached.article is not None:
            reading.full, reading.showing = cached, "full"
            await self.present(cached.article)
        else:
            notice = "Feed text. Fetching the full article…" if full else None
            await self.present(reading.feed_article, notice=notice)
            if full:
                self.load_full(reading)
        if focus:
            self.focus_pane("article")

    async def open_link(self, url: str, title: str = "") -> None:
        """Show a story known only by its address (a related link)."""
        self.reading = Reading(url=url)
        await self.present(None, message=f"Fetching {safe(title) or safe(url)}…")
        self.load_full(self.reading)

    async def open_saved(self, article: SavedArticle) -> None:
        """Show a saved or cached article, offline."""
        self.reading = Reading(url=article.url, full=article, showing="full")
        self.reading.found, self.found_next = self.found_next, None
        if article.article is None:
            await self.present(None, message="This saved article has no text.")
        else:
            await self.present(article.article)

    def _cached(self, url: str) -> SavedArticle | None:
        try:
            return self.reader_app.library.cached_article(url)
        except ReaderError:
            return None

    @reader_work(group="article", exclusive=True)
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
        except (ReaderError, ValueError, OverflowError) as error:
            # A bad address (a port out of range, a port that is not a number) is the
            # page's fault, not a crash: said like any other failure to fetch.
            if reading is self.reading:
                await self._full_failed(reading, str(error) or type(error).__name__)
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
                    "is no saved or cached copy. Try again when you are online."
                ),
            )

    # reading actions ---------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides a key that would do nothing here (from the key bar and the palette).
        has_story = self.reading is not None
        if action in ("save", "open_browser", "copy_link", "toggle_view", "reading_mode"):
            return has_story
        if action == "play_enclosure":
            return bool(self._enclosures())
        if action in ("next_section", "previous_section"):
            return self.query_one("#article", ArticleView).section_count > 1
        return True

    def action_next_section(self) -> None:
        view = self.query_one("#article", ArticleView)
        if view.current_section >= view.section_count - 1:
            self.notify("This is the last section.", markup=False)
        view.next_section()

    def action_previous_section(self) -> None:
        view = self.query_one("#article", ArticleView)
        if view.current_section == 0 and round(view.scroll_y) == 0:
            self.notify("This is the first section.", markup=False)
        view.previous_section()

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
        """A link the library holds opens from it (offline too); any other is fetched."""
        match = event.match
        if match is not None and match.entry is not None:
            self.reader_app.open_story(entry=match.entry)
            self._mark_opened(match.entry)
        elif match is not None and match.article is not None:
            self.reader_app.open_story(article_id=match.article.id)
        elif event.link.url:
            self.reader_app.open_story(url=event.link.url, title=event.link.title)

    # stories (issue 15) --------------------------------------------------------
    @reader_work(group="library-links", exclusive=True)
    async def _look_up_in_library(self, reading: Reading, article: Article) -> None:
        """Fill "Also covered by" and the related links' library state, off the UI thread."""
        library = self.reader_app.library
        entry_id = reading.entry.id if reading.entry else None

        def look_up() -> tuple[list[Entry], list[tuple[Link, RelatedMatch | None]]]:
            also = library.also_covered(entry_id) if entry_id is not None else []
            found: list[tuple[Link, RelatedMatch | None]] = []
            for link in article.related[:MAX_LIBRARY_LINKS]:
                if link.url:
                    found.append((link, library.resolve_related(link.url)))
                else:  # a mention without an address: only a confident match by words
                    found.append((link, library.resolve_mention(link.title or link.context)))
            return also, found

        try:
            also, links = await asyncio.to_thread(look_up)
        except ReaderError:
            return  # the article's own links stay on show, as before the lookup
        if reading is self.reading:
            pane = self.query_one("#highlights", HighlightsPane)
            pane.now = self.reader_app.clock
            pane.show_library(also, links)

    @on(HighlightsPane.AlsoChosen)
    async def _also_chosen(self, event: HighlightsPane.AlsoChosen) -> None:
        """Another outlet's entry for the story replaces the one on screen."""
        entry = event.entry
        await self.open_entry(entry, focus=True)
        self._mark_opened(entry)

    def _mark_opened(self, entry: Entry) -> None:
        """An entry opened from the highlights is read (the main screen marks its own)."""
        if not entry.read:
            entry.read = True
            self._store_read(entry.id)

    @reader_work(group="mark-opened", thread=True)
    def _store_read(self, entry_id: int) -> None:
        try:
            self.reader_app.library.mark_read(entry_id, True)
        except ReaderError as error:
            self.notify(safe(str(error)), severity="error", markup=False)

    @reader_work(group="save", exclusive=True)
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
        except (ReaderError, ValueError, OverflowError) as error:
            self.notify(
                safe(str(error) or type(error).__name__),
                title="Could not save",
                severity="error",
                markup=False,
            )
            return
        if reading.entry is not None:
            reading.entry.saved = saved
        self.notify("Saved for offline reading." if saved else "No longer saved.", markup=False)
        self.saved_changed(reading)

    def saved_changed(self, reading: Reading) -> None:
        """Hook for screens that show saved marks (the entry list)."""

    def action_feed_info(self) -> None:
        """The feed of the story on show: its details and last error."""
        entry = self.reading.entry if self.reading else None
        feeds = self.reader_app.known_feeds
        failed = [feed for feed in feeds.values() if feed.last_error]
        if entry is not None:
            self.reader_app.show_feed_info(feeds.get(entry.feed_id), failed)
        elif self.reading is not None:
            self.notify(
                "This story was opened from a link, not from one of your feeds: "
                "it has no feed info.",
                markup=False,
            )
        else:
            self.reader_app.show_feed_info(None, failed)

    def _enclosures(self) -> tuple[Enclosure, ...]:
        entry = self.reading.entry if self.reading else None
        return entry.enclosures if entry else ()

    def action_play_enclosure(self) -> None:
        """Hand the story's (first) enclosure to the `player` command, else the browser."""
        enclosures = self._enclosures()
        if enclosures:
            self._open_with(enclosures[0].url, self.reader_app.settings.player)

    def action_open_browser(self) -> None:
        """Open the story in the browser: a console one takes the terminal meanwhile."""
        url = self.reading.url if self.reading else None
        if not url:
            self.notify("This story has no web address.", markup=False)
            return
        self._open_with(url)

    def _open_with(self, url: str, player: str | None = None) -> None:
        """Run `player` (a command with %u), else the browser, on `url`."""
        settings = self.reader_app.settings
        browser = choose_browser(url, player or settings.browser, settings.browser_console)
        if browser is None:
            self.notify(
                "No browser found. Set one in the config file, e.g. "
                f'browser = "firefox %u" (%u is the address): {settings.path}',
                title="Browser",
                severity="warning",
                markup=False,
                timeout=10,
            )
        elif not browser.installed:
            self.notify(
                f"The browser {safe(browser.name)!r} (from the {browser.source}) is not "
                "installed or not on the PATH.",
                severity="warning",
                markup=False,
            )
        elif browser.console:
            self._run_console_browser(browser)
        else:
            self._start_graphical_browser(browser, url)

    def _run_console_browser(self, browser: Browser) -> None:
        """Hand the terminal to the browser; the app comes back when it exits."""
        try:
            with self.app.suspend():
                subprocess.run(browser.argv, check=False)
        except SuspendNotSupported:
            self.notify(
                f"This terminal cannot be handed over to {safe(browser.name)}; set "
                "browser_console = false for a graphical browser.",
                severity="warning",
                markup=False,
            )
        except OSError as error:
            self.notify(safe(f"{browser.name} could not start: {error}"), markup=False)
        else:
            self.notify(f"Back from {safe(browser.name)}.", markup=False)

    def _start_graphical_browser(self, browser: Browser, url: str) -> None:
        """Start it detached, its output thrown away (nothing may draw over the app)."""
        try:
            self.browser_process = subprocess.Popen(
                browser.argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as error:
            self.notify(safe(f"{browser.name} could not start: {error}"), markup=False)
            return
        self.notify(f"Asked {safe(browser.name)} to open {safe(url)}", markup=False)

    def action_copy_link(self) -> None:
        url = self.reading.url if self.reading else None
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(
                f"Sent {safe(url)} to the terminal clipboard (OSC 52). A terminal without "
                "OSC 52 ignores it.",
                markup=False,
            )

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
        notice = "The feed's own text." if reading.showing == "feed" else None
        await self.present(article, notice=notice)

    def action_leave(self) -> None:
        """Escape: back one level like `q`, but never out of the app."""
        self.action_back()

    def action_back(self) -> None:
        """`q`: back one level (each screen says what that is)."""
