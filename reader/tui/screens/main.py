"""The main reading screen: feeds, entries, the article, its outline and highlights.

It routes the widgets' messages (a view chosen in the tree, an entry opened),
runs the library in workers and keeps the refresh from ever overlapping itself.
The first page of entries is read before the first paint; the rest follows from
a thread, so the list shows at once even with 10,000 entries.
"""

from __future__ import annotations

import asyncio
import gc
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message

from reader.errors import ReaderError
from reader.model import Entry, Feed
from reader.tui.format import safe
from reader.tui.screens.reading import Reading, ReadingScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entry_list import EntryList
from reader.tui.widgets.feed_tree import ALL, SAVED, FeedTree, View
from reader.tui.widgets.highlights import HighlightsPane
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.outline import Outline
from reader.tui.widgets.refresh_bar import RefreshBar

FIRST_PAGE = 200
"""Entries read before the first paint (more than any screen shows)."""


class MainScreen(ReadingScreen):
    """Feeds | entries over the article | highlights; the outline under the feeds."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_unread", "Next unread", id="reader.next_unread"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="reader.toggle_read"),
        Binding("r", "refresh_all", "Refresh", id="reader.refresh_all"),
        Binding("R", "refresh_feed", "Refresh feed", show=False, id="reader.refresh_feed"),
        Binding("i", "feed_info", "Feed info", show=False, id="reader.feed_info"),
    ]

    PANES: ClassVar[list[tuple[str, str]]] = [
        ("entries", "entries"),
        ("article", "article"),
        ("takeaways", "highlights"),
        ("quotes", "highlights"),
        ("related", "highlights"),
        ("outline", "sidebar"),
        ("feeds", "sidebar"),
    ]

    @dataclass
    class RefreshProgress(Message):
        """Posted from the library's thread as each feed finishes."""

        done: int
        total: int
        title: str | None

    AUTO_FOCUS = "#entries"

    def __init__(self) -> None:
        super().__init__(id="main")
        self.view: View = ALL
        """What the entry list shows."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="sidebar"):
                yield FeedTree(id="feeds")
                yield Outline(id="outline")
            with Vertical(id="center"):
                yield EntryList(
                    id="entries", clock=self.reader_app.clock, empty_text="No entries here yet."
                )
                yield ArticleView(id="article")
            yield HighlightsPane(id="highlights")
        yield RefreshBar(id="refresh")
        yield KeyBar()

    def on_mount(self) -> None:
        entries = self.query_one("#entries", EntryList)
        entries.border_title = "All"
        try:
            entries.set_entries(self.reader_app.library.entries(limit=FIRST_PAGE))
        except ReaderError as error:
            self.report(error)
        self.focus_pane("entries")
        # The full list and the feed counts are read after the first paint: a thread
        # building 10,000 entries would hold the GIL while the screen is drawn.
        self.call_after_refresh(self._load_rest)

    def _load_rest(self) -> None:
        self.load_entries()
        self.load_feeds()
        if self.reader_app.subscribe or self.reader_app.refresh_on_start:
            self.reader_app.refresh_on_start = False
            self._subscribe_then_refresh()
        else:
            self._schedule_refresh()

    @work(group="subscribe", exclusive=True)
    async def _subscribe_then_refresh(self) -> None:
        """Add the feeds the app was asked to follow (the demo's), then refresh them all."""
        app = self.reader_app
        pending, app.subscribe = app.subscribe, []
        bar = self.query_one("#refresh", RefreshBar)
        if pending:
            bar.start(len(pending))
        for done, url in enumerate(pending, start=1):
            try:
                feed = await app.runner.run(app.library.add_feed(url))
            except ReaderError as error:
                self.notify(
                    safe(str(error)), title="Could not subscribe", severity="error", markup=False
                )
            else:  # its entries are stored already: show them while the others load
                bar.advance(done, len(pending), safe(feed.title), doing="Subscribing")
                self.load_entries()
                self.load_feeds()
        bar.finish()
        self.start_refresh(None)

    # loading ---------------------------------------------------------------
    def _query(self, view: View) -> list[Entry]:
        library = self.reader_app.library
        if view.kind == "unread":
            return library.entries(unread=True)
        if view.kind == "saved":
            return library.entries(saved=True)
        if view.kind == "feed":
            return library.entries(feed_id=view.feed_id)
        return library.entries()

    @work(group="entries", exclusive=True)
    async def load_entries(self) -> None:
        """(Re)read the entries of the current view, keeping the cursor where it was."""
        view = self.view
        try:
            entries = await asyncio.to_thread(self._query, view)
        except ReaderError as error:
            self.report(error)
            return
        if view != self.view:
            return
        entry_list = self.query_one("#entries", EntryList)
        current = entry_list.highlighted
        entry_list.empty_text = "No entries here yet."
        entry_list.set_entries(entries, keep_id=current.id if current else None)
        entry_list.border_title = self._view_title(view)
        entry_list.border_subtitle = f"{len(entries):,}"
        # The list's entries live long: moved out of the cyclic collector's sight, they no
        # longer make each full collection scan them (a 60 ms stall under j with 10,000).
        gc.freeze()

    def _view_title(self, view: View) -> str:
        if view.kind == "feed":
            feed = self.query_one("#feeds", FeedTree).feeds.get(view.feed_id or -1)
            return safe(feed.title) if feed else "Feed"
        return view.title

    @work(group="feeds", exclusive=True)
    async def load_feeds(self) -> None:
        """Reread the feeds and their counts into the tree."""
        library = self.reader_app.library
        try:
            feeds, saved = await asyncio.to_thread(lambda: (library.feeds(), len(library.saved())))
        except ReaderError as error:
            self.report(error)
            return
        tree = self.query_one("#feeds", FeedTree)
        tree.show_feeds(feeds, saved, self.view)
        failed = sum(1 for feed in feeds if feed.last_error)
        tree.border_title = "Feeds"
        tree.border_subtitle = f"{failed} failed" if failed else ""

    @on(FeedTree.ViewChosen)
    def _view_chosen(self, event: FeedTree.ViewChosen) -> None:
        self.show_view(event.view)
        self.focus_pane("entries")

    def show_view(self, view: View) -> None:
        """Switch the entry list to `view` (All, Unread, Saved or a feed)."""
        self.view = view
        entry_list = self.query_one("#entries", EntryList)
        entry_list.border_title = self._view_title(view)
        entry_list.empty_text = "Loading…"
        entry_list.set_entries([])
        self.load_entries()

    # opening ---------------------------------------------------------------
    @on(EntryList.Selected)
    async def _entry_selected(self, event: EntryList.Selected) -> None:
        await self.open_entry(event.entry)
        self.focus_pane("article")

    async def open_entry(self, entry: Entry) -> None:
        await super().open_entry(entry)
        if not entry.read:
            self._set_read(entry, True)

    def _set_read(self, entry: Entry, read: bool) -> None:
        """Mark `entry` in the list and the tree at once; the library follows in a thread."""
        entry.read = read
        self.query_one("#entries", EntryList).update_entry(entry)
        self.query_one("#feeds", FeedTree).adjust_unread(entry.feed_id, -1 if read else 1)
        self._mark_read(entry.id, read)

    @work(group="mark", thread=True, exit_on_error=False)
    def _mark_read(self, entry_id: int, read: bool) -> None:
        try:
            self.reader_app.library.mark_read(entry_id, read)
        except ReaderError as error:
            self.notify(safe(str(error)), severity="error", markup=False)

    def saved_changed(self, reading: Reading) -> None:
        if reading.entry is not None:
            self.query_one("#entries", EntryList).update_entry(reading.entry)
        self.load_feeds()
        if self.view == SAVED:
            self.load_entries()

    # actions -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_read", "next_unread"):
            return True if self.query_one("#entries", EntryList).entries else None
        return super().check_action(action, parameters)

    async def action_next_unread(self) -> None:
        entry = self.query_one("#entries", EntryList).next_unread()
        if entry is None:
            self.notify("No unread entries here.", markup=False)
            return
        await self.open_entry(entry)

    def action_toggle_read(self) -> None:
        entry_list = self.query_one("#entries", EntryList)
        entry = entry_list.highlighted
        if entry is None:
            return
        self._set_read(entry, not entry.read)

    def action_back(self) -> None:
        if self.current_pane() == "entries":
            self.app.exit()
        else:
            self.focus_pane("entries")

    def action_feed_info(self) -> None:
        from reader.tui.screens.feed_info import FeedInfoScreen

        tree = self.query_one("#feeds", FeedTree)
        # In the tree, All/Unread/Saved stand for every feed: list the failing ones.
        feed = tree.current_feed if self.current_pane() == "feeds" else self._current_feed()
        failed = [f for f in tree.feeds.values() if f.last_error]
        self.app.push_screen(FeedInfoScreen(feed, failed), callback=self._feed_info_closed)

    def _feed_info_closed(self, changed: bool | None) -> None:
        if changed:
            self.load_feeds()

    def _current_feed(self) -> Feed | None:
        tree = self.query_one("#feeds", FeedTree)
        if self.current_pane() == "feeds" and tree.current_feed is not None:
            return tree.current_feed
        if self.view.kind == "feed":
            return tree.feeds.get(self.view.feed_id or -1)
        entry = self.query_one("#entries", EntryList).highlighted
        return tree.feeds.get(entry.feed_id) if entry else None

    # refresh -----------------------------------------------------------------
    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def action_refresh_feed(self) -> None:
        feed = self._current_feed()
        if feed is None:
            self.notify("No feed chosen to refresh.", markup=False)
            return
        self.start_refresh([feed.id])

    def start_refresh(self, feed_ids: list[int] | None) -> None:
        """Refresh in the background unless a refresh is already running."""
        bar = self.query_one("#refresh", RefreshBar)
        if bar.active:
            self.notify("A refresh is already running.", markup=False)
            return
        bar.start()
        self._run_refresh(feed_ids)

    @work(group="refresh", exclusive=True)
    async def _run_refresh(self, feed_ids: list[int] | None) -> None:
        library = self.reader_app.library
        names = {feed.id: feed.title for feed in self.query_one("#feeds", FeedTree).feeds.values()}

        def progress(done: int, total: int, result: object | None) -> None:
            feed_id = getattr(result, "feed_id", None)
            self.post_message(self.RefreshProgress(done, total, names.get(feed_id or -1)))

        try:
            summary = await self.reader_app.runner.run(library.refresh(feed_ids, progress))
        except ReaderError as error:
            self.notify(safe(str(error)), title="Refresh failed", severity="error", markup=False)
        else:
            text = f"{summary.new_entries} new entries"
            if summary.failed:
                text += f"; {summary.failed} feeds failed (i shows why)"
            self.notify(
                text,
                title="Refreshed",
                markup=False,
                severity="warning" if summary.failed else "information",
            )
        finally:
            self.query_one("#refresh", RefreshBar).finish()
            self.load_feeds()
            self.load_entries()
            self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        """The next automatic refresh starts a full interval after this one ended."""
        minutes = self.reader_app.settings.refresh_minutes
        if minutes > 0:
            self.set_timer(minutes * 60, lambda: self.start_refresh(None))

    @on(RefreshProgress)
    def _refresh_progress(self, event: RefreshProgress) -> None:
        self.query_one("#refresh", RefreshBar).advance(
            event.done, event.total, safe(event.title) or None
        )
