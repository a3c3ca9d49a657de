"""The main reading screen: feeds, entries, the article, its outline and highlights.

It routes the widgets' messages (a view chosen in the tree, an entry opened),
runs the library in workers and keeps the refresh from ever overlapping itself.
The first page of entries is read before the first paint; the rest follows from
a thread, so the list shows at once even with 10,000 entries.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer

from reader.config import LAYOUTS
from reader.errors import ReaderError
from reader.model import Entry, Feed
from reader.tui import bindings
from reader.tui.format import safe
from reader.tui.keys import key_for
from reader.tui.screens.confirm import Confirm
from reader.tui.screens.feed_form import FeedForm
from reader.tui.screens.reading import Reading, ReadingScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entry_list import EntryList
from reader.tui.widgets.feed_tree import ALL, SAVED, UNREAD, FeedTree, View
from reader.tui.widgets.highlights import HighlightsPane
from reader.tui.widgets.key_bar import KeyBar
from reader.tui.widgets.outline import Outline
from reader.tui.widgets.refresh_bar import RefreshBar
from reader.tui.workers import reader_work

FIRST_PAGE = 200
"""Entries read before the first paint (more than any screen shows)."""


@dataclass
class Triage:
    """How one view lists its entries: read ones hidden or not, oldest or newest first."""

    hide_read: bool = False
    oldest_first: bool = False


class MainScreen(ReadingScreen):
    """Feeds | entries over the article | highlights; the outline under the feeds."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings.MAIN, *bindings.FEEDS_MANAGE]

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
        self.refresh_timer: Timer | None = None
        """The one pending automatic refresh (a manual refresh restarts it)."""
        self.triage: dict[View, Triage] = {}
        """Each view's hide-read and order choice, for the session (`l`, `O`)."""

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
        self.apply_settings()
        self._apply_layout(self.reader_app.settings.layout)
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

    @reader_work(group="subscribe", exclusive=True)
    async def _subscribe_then_refresh(self) -> None:
        """Add the feeds the app was asked to follow (the demo's), then refresh the others."""
        app = self.reader_app
        pending, app.subscribe = app.subscribe, []
        try:
            followed = len(await asyncio.to_thread(app.library.feeds))
        except ReaderError as error:
            self.report(error)
            followed = 0
        bar = self.query_one("#refresh", RefreshBar)
        if pending:
            bar.start(len(pending))
        added = 0
        for done, url in enumerate(pending, start=1):
            try:
                feed = await app.runner.run(app.library.add_feed(url))
            except ReaderError as error:
                self.notify(
                    safe(str(error)), title="Could not subscribe", severity="error", markup=False
                )
            else:  # its entries are stored already: show them while the others load
                added += 1
                bar.advance(done, len(pending), safe(feed.title), doing="Subscribing")
                self.load_entries()
                self.load_feeds()
        bar.finish()
        if followed:  # feeds followed before: they may have news
            self.start_refresh(None)
            return
        # Only new feeds: they were fetched a moment ago, a refresh would find nothing.
        unread = await self._unread_count()
        self.notify(
            f"Subscribed to {added} feeds: {unread} unread stories.", title="Ready", markup=False
        )
        self._schedule_refresh()

    async def _unread_count(self) -> int:
        try:
            feeds = await asyncio.to_thread(self.reader_app.library.feeds)
        except ReaderError:
            return 0
        return sum(feed.unread for feed in feeds)

    # loading ---------------------------------------------------------------
    def _query(self, view: View) -> list[Entry]:
        library = self.reader_app.library
        if view.kind == "unread":
            return self._triaged(view, library.entries(unread=True))
        if view.kind == "saved":
            return self._triaged(view, library.entries(saved=True))
        if view.kind == "feed":
            return self._triaged(view, library.entries(feed_id=view.feed_id))
        if view.kind == "search":
            return self._triaged(view, library.entries(saved_search=view.name))
        return self._triaged(view, library.entries())

    @reader_work(group="entries", exclusive=True)
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
        self._show_entries(view, entries)

    def _show_entries(self, view: View, entries: list[Entry]) -> None:
        entry_list = self.query_one("#entries", EntryList)
        current = entry_list.highlighted
        had_entries = bool(entry_list.entries)
        entry_list.empty_text = self._empty_text(view)
        entry_list.set_entries(entries, keep_id=current.id if current else None)
        if had_entries != bool(entries):  # n, p and m apply now, or no longer
            self.refresh_bindings()
        entry_list.border_title = self._view_title(view)
        entry_list.border_subtitle = f"{len(entries):,}"
        if entry_list.collapsed:
            self._read_counts(entry_list.unasked([entry.id for entry in entries]))
        # The list's entries live long: moved out of the cyclic collector's sight, they no
        # longer make each full collection scan them (a 60 ms stall under j with 10,000).
        gc.freeze()

    def _view_title(self, view: View) -> str:
        if view.kind == "feed":
            feed = self.reader_app.known_feeds.get(view.feed_id or -1)
            return safe(feed.title) if feed else "Feed"
        return safe(view.title)

    @reader_work(group="feeds", exclusive=True)
    async def load_feeds(self) -> None:
        """Reread the feeds and their counts into the tree."""
        library = self.reader_app.library
        try:
            feeds, saved, searches = await asyncio.to_thread(
                lambda: (library.feeds(), len(library.saved()), library.saved_searches())
            )
        except ReaderError as error:
            self.report(error)
            return
        self.reader_app.known_feeds = {feed.id: feed for feed in feeds}
        tree = self.query_one("#feeds", FeedTree)
        tree.show_feeds(feeds, saved, self.view, searches)
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

    def palette_views(self) -> list[tuple[str, Callable[[], None]]]:
        """("Show …", action) for All, Unread, Saved and every feed: the palette's choices."""
        choices: list[tuple[str, View]] = [
            ("Show All", ALL),
            ("Show Unread", UNREAD),
            ("Show Saved entries", SAVED),
        ]
        for feed in self.reader_app.known_feeds.values():
            name = safe(feed.title) or safe(feed.url)
            choices.append((f"Show feed: {name}", View("feed", feed.id)))
        for name in self.query_one("#feeds", FeedTree).searches:
            choices.append((f"Show saved search: {safe(name)}", View("search", name=name)))
        return [(name, partial(self.show_view, view)) for name, view in choices]

    # stories (issue 15) ------------------------------------------------------
    @on(EntryList.CountsWanted)
    def _counts_wanted(self, event: EntryList.CountsWanted) -> None:
        self._read_counts(event.entry_ids)

    @reader_work(group="story-counts")
    async def _read_counts(self, entry_ids: list[int]) -> None:
        """Read story counts off the UI thread (in chunks: the list paints meanwhile)."""
        if not entry_ids:
            return
        library = self.reader_app.library
        entry_list = self.query_one("#entries", EntryList)
        for start in range(0, len(entry_ids), 2000):
            chunk = entry_ids[start : start + 2000]
            try:
                counts = await asyncio.to_thread(library.story_counts, chunk)
            except ReaderError as error:
                self.report(error)
                return
            entry_list.set_counts(counts)

    def action_toggle_stories(self) -> None:
        """One row per story (its newest entry, with the count), or every entry."""
        entry_list = self.query_one("#entries", EntryList)
        collapsed = not entry_list.collapsed
        entry_list.set_collapsed(collapsed)
        if collapsed:
            self._read_counts(entry_list.unasked([e.id for e in entry_list.all_entries]))
        self.notify(
            "One row per story: Enter on a ▸ row shows its entries."
            if collapsed
            else "Every entry listed.",
            markup=False,
        )

    def _mark_opened(self, entry: Entry) -> None:
        """Opened from the highlights: the list and the tree show it read too."""
        if not entry.read:
            self._set_read(entry, True)

    # opening ---------------------------------------------------------------
    @on(EntryList.Selected)
    async def _entry_selected(self, event: EntryList.Selected) -> None:
        await self.open_entry(event.entry, focus=True)

    async def open_entry(self, entry: Entry, *, focus: bool = False) -> None:
        """Open `entry`; the list cursor follows it when it is in the list."""
        entry_list = self.query_one("#entries", EntryList)
        index = entry_list.index_of(entry.id)
        if index is not None:
            entry_list.move_to(index)
            entry = entry_list.entries[index]
        await super().open_entry(entry, focus=focus)
        if not entry.read:
            self._set_read(entry, True)

    def _set_read(self, entry: Entry, read: bool) -> None:
        """Mark `entry` in the list and the tree at once; the library follows in a thread."""
        entry.read = read
        self.query_one("#entries", EntryList).update_entry(entry)
        self.query_one("#feeds", FeedTree).adjust_unread(entry.feed_id, -1 if read else 1)
        if self.view.kind == "search" and self.view.name:  # its entries are the list's
            self.query_one("#feeds", FeedTree).adjust_search(self.view.name, -1 if read else 1)
        self._mark_read(entry.id, read)

    @reader_work(group="mark", thread=True)
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
        if action in ("toggle_read", "next_unread", "previous_unread"):
            return bool(self.query_one("#entries", EntryList).entries)
        return super().check_action(action, parameters)

    def story_entry(self) -> Entry | None:
        """The story on screen, else (nothing open yet) the entry under the list cursor."""
        if self.reading is not None:
            return self.reading.entry
        return self.query_one("#entries", EntryList).highlighted

    async def action_next_unread(self) -> None:
        await self._step_unread(1)

    async def action_previous_unread(self) -> None:
        await self._step_unread(-1)

    async def _step_unread(self, step: int) -> None:
        """Open the next (or previous) unread story of this view, crossing into other feeds."""
        entry_list = self.query_one("#entries", EntryList)
        story = self.reading.entry if self.reading else None
        start = entry_list.index_of(story.id) if story is not None else None
        if start is None:  # nothing open in this list: the cursor's entry counts too
            start = entry_list.cursor - step
        entry = entry_list.unread_from(start, step)
        if entry is None and self.view.kind == "feed":
            entry = await self._cross_feed(step)
        if entry is None:
            where = "after" if step > 0 else "before"
            self.notify(
                f"No unread stories {where} this one in {self._view_title(self.view)}.",
                markup=False,
            )
            return
        await self.open_entry(entry, focus=True)

    async def _cross_feed(self, step: int) -> Entry | None:
        """The first unread story of the next feed (in the tree's order) that has one."""
        tree = self.query_one("#feeds", FeedTree)
        order = tree.feed_order()
        current = order.index(self.view.feed_id) if self.view.feed_id in order else -1
        # The feeds after this one, then round from the top (p: before it, then from the end).
        after, before = order[current + 1 :], order[: max(current, 0)]
        following = after + before if step > 0 else [*reversed(before), *reversed(after)]
        feeds = self.reader_app.known_feeds
        target = next((i for i in following if feeds.get(i) and feeds[i].unread > 0), None)
        if target is None:
            return None
        view = View("feed", target)
        try:
            entries = await asyncio.to_thread(self._query, view)
        except ReaderError as error:
            self.report(error)
            return None
        self.view = view
        self._show_entries(view, entries)
        tree.select_view(view)
        unread = [entry for entry in entries if not entry.read]
        if not unread:
            return None
        self.notify(f"On to {self._view_title(view)}.", markup=False)
        return unread[0] if step > 0 else unread[-1]

    def action_toggle_read(self) -> None:
        entry = self.story_entry()
        if entry is None:
            self.notify("This story is not in your feeds: it has no read mark.", markup=False)
            return
        listed = self.query_one("#entries", EntryList).index_of(entry.id)
        if listed is not None:
            entry = self.query_one("#entries", EntryList).entries[listed]
        self._set_read(entry, not entry.read)
        state = "read" if entry.read else "unread"
        self.notify(f"Marked {state}: {safe(entry.title) or '(untitled)'}", markup=False)

    def action_back(self) -> None:
        if self.current_pane() == "entries":
            if self.reader_app.settings.confirm_quit:
                from reader.tui.screens.confirm import ConfirmQuit

                self.app.push_screen(ConfirmQuit(), callback=self._quit_answered)
            else:
                self.app.exit()
        else:
            self.focus_pane("entries")

    def _quit_answered(self, quit_now: bool | None) -> None:
        if quit_now:
            self.app.exit()

    def action_leave(self) -> None:
        if self.current_pane() != "entries":
            self.focus_pane("entries")

    def action_cycle_layout(self) -> None:
        """List tall (triage) -> balanced -> article tall; remembered in the config."""
        settings = self.reader_app.settings
        layout = LAYOUTS[(LAYOUTS.index(settings.layout) + 1) % len(LAYOUTS)]
        settings.layout = layout
        self._apply_layout(layout)
        self.reader_app.save_setting("layout", layout)
        self.notify(f"Layout: {layout.replace('-', ' ')}.", markup=False)

    def _apply_layout(self, layout: str) -> None:
        for name in LAYOUTS:
            self.set_class(name == layout, f"-layout-{name}")

    def action_feed_info(self) -> None:
        tree = self.query_one("#feeds", FeedTree)
        failed = [f for f in self.reader_app.known_feeds.values() if f.last_error]
        if self.current_pane() == "feeds":
            # In the tree, All/Unread/Saved stand for every feed: list the failing ones.
            self.reader_app.show_feed_info(tree.current_feed, failed)
            return
        entry = self.story_entry()
        feed = self.reader_app.known_feeds.get(entry.feed_id) if entry else None
        if feed is None and self.reading is not None:
            super().action_feed_info()
            return
        self.reader_app.show_feed_info(feed, failed)

    def _current_feed(self) -> Feed | None:
        """The feed `R` refreshes: the tree's choice, else the story's, else the view's."""
        tree = self.query_one("#feeds", FeedTree)
        if self.current_pane() == "feeds" and tree.current_feed is not None:
            return tree.current_feed
        entry = self.story_entry()
        if entry is not None:
            return self.reader_app.known_feeds.get(entry.feed_id)
        if self.view.kind == "feed":
            return self.reader_app.known_feeds.get(self.view.feed_id or -1)
        return None

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
        if self.refresh_timer is not None:  # restarted when this refresh ends
            self.refresh_timer.stop()
            self.refresh_timer = None
        bar.start()
        self._run_refresh(feed_ids)

    @reader_work(group="refresh", exclusive=True)
    async def _run_refresh(self, feed_ids: list[int] | None) -> None:
        library = self.reader_app.library
        names = {feed.id: feed.title for feed in self.reader_app.known_feeds.values()}

        def progress(done: int, total: int, result: object | None) -> None:
            feed_id = getattr(result, "feed_id", None)
            self.post_message(self.RefreshProgress(done, total, names.get(feed_id or -1)))

        try:
            summary = await self.reader_app.runner.run(library.refresh(feed_ids, progress))
        except ReaderError as error:
            self.notify(safe(str(error)), title="Refresh failed", severity="error", markup=False)
        else:
            text = f"{summary.new_entries} new entries; {await self._unread_count()} unread"
            if summary.failed:
                text += f"; {summary.failed} feeds failed (i on the feed says why)"
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
        """The next automatic refresh starts a full interval after the last one ended."""
        if self.refresh_timer is not None:
            self.refresh_timer.stop()
            self.refresh_timer = None
        minutes = self.reader_app.settings.refresh_minutes
        if minutes > 0:
            self.refresh_timer = self.set_timer(
                minutes * 60, self._timed_refresh, name="auto-refresh"
            )

    def _timed_refresh(self) -> None:
        self.refresh_timer = None
        self.start_refresh(None)

    @on(RefreshProgress)
    def _refresh_progress(self, event: RefreshProgress) -> None:
        self.query_one("#refresh", RefreshBar).advance(
            event.done, event.total, safe(event.title) or None
        )

    # firehose: manage feeds, mark read in bulk, triage ------------------------
    def _triaged(self, view: View, entries: list[Entry]) -> list[Entry]:
        """`entries` (newest first) as the view's triage wants them."""
        triage = self.triage.get(view)
        if triage is None:
            return entries
        if triage.hide_read:
            entries = [entry for entry in entries if not entry.read]
        if triage.oldest_first:
            entries.reverse()
        return entries

    def _empty_text(self, view: View) -> str:
        """What an empty list says: read entries may only be hidden."""
        triage = self.triage.get(view)
        if triage is not None and triage.hide_read:
            key = key_for("reader.hide_read", self.reader_app.settings.keymap)
            return f"No unread entries here ({key} shows the read ones)."
        return "No entries here yet."

    def action_toggle_hide_read(self) -> None:
        triage = self.triage.setdefault(self.view, Triage())
        triage.hide_read = not triage.hide_read
        self.load_entries()
        shown = "Read entries hidden" if triage.hide_read else "Read entries shown"
        self.notify(f"{shown} in {self._view_title(self.view)}.", markup=False)

    def action_toggle_order(self) -> None:
        triage = self.triage.setdefault(self.view, Triage())
        triage.oldest_first = not triage.oldest_first
        self.load_entries()
        order = "Oldest first" if triage.oldest_first else "Newest first"
        self.notify(f"{order} in {self._view_title(self.view)}.", markup=False)

    def action_add_feed(self) -> None:
        """The dialog starts in the category under the tree cursor, if there is one."""
        view = self._mark_target()
        categories = (view.name,) if view.kind == "category" and view.name else ()
        self.app.push_screen(FeedForm("add", categories=categories), callback=self._feed_added)

    def _feed_added(self, feed: Feed | None) -> None:
        if feed is None:  # cancelled: a subscription already under way may still land
            self.load_feeds()
            return
        self.notify(
            f"Subscribed to {safe(feed.title)}: {feed.total} entries.", title="Added", markup=False
        )
        self.load_feeds()
        self.show_view(View("feed", feed.id))

    def action_edit_feed(self) -> None:
        feed = self._current_feed()
        if feed is None:
            self.notify("Choose a feed in the tree (or one of its entries) to edit.", markup=False)
            return
        self.app.push_screen(FeedForm("edit", feed), callback=self._feed_edited)

    def _feed_edited(self, feed: Feed | None) -> None:
        if feed is not None:
            self.notify(f"Saved: {safe(feed.title)}.", markup=False)
            self.load_feeds()
            self.load_entries()

    def action_remove_feed(self) -> None:
        feed = self._current_feed()
        if feed is None:
            self.notify(
                "Choose a feed in the tree (or one of its entries) to remove.", markup=False
            )
            return
        question = (
            f"Remove the feed {safe(feed.title) or safe(feed.url)}?\n"
            f"Its {feed.total:,} entries go; saved articles stay."
        )
        self.app.push_screen(Confirm(question), callback=partial(self._remove_answered, feed))

    @reader_work(group="manage")
    async def _remove_answered(self, feed: Feed, yes: bool | None) -> None:
        if not yes:
            return
        try:
            await asyncio.to_thread(self.reader_app.library.remove_feed, feed.id)
        except ReaderError as error:
            self.report(error)
            return
        self.notify(f"Removed {safe(feed.title) or safe(feed.url)}.", markup=False)
        self.load_feeds()
        if self.view == View("feed", feed.id):
            self.show_view(ALL)
        else:
            self.load_entries()

    def _mark_target(self) -> View:
        """What `A` marks: the tree's choice when the tree has focus, else the view shown."""
        tree = self.query_one("#feeds", FeedTree)
        if self.current_pane() == "feeds" and tree.current_view is not None:
            return tree.current_view
        return self.view

    def action_mark_view_read(self) -> None:
        view = self._mark_target()
        if view.kind in ("all", "unread"):
            self.action_mark_everything_read()  # everything: asked first, as C is
            return
        if view.kind == "category":
            self.notify("Choose a feed or a view to mark read.", markup=False)
            return
        ids = None
        if view.kind == "saved":
            ids = [
                entry.id for entry in self.reader_app.library.entries(saved=True, summaries=False)
            ]
        self._mark_many(view, ids)

    def action_mark_everything_read(self) -> None:
        self.app.push_screen(
            Confirm("Mark every entry of every feed read?"), callback=self._everything_answered
        )

    def _everything_answered(self, yes: bool | None) -> None:
        if yes:
            self._mark_many(ALL, None)

    @reader_work(group="mark-many", exclusive=True)
    async def _mark_many(self, view: View, entry_ids: list[int] | None) -> None:
        """Mark `view` read in a thread; the message says how many and how to undo."""
        library = self.reader_app.library
        try:
            count = await asyncio.to_thread(
                partial(
                    library.mark_all_read,
                    feed_id=view.feed_id if view.kind == "feed" else None,
                    saved_search=view.name if view.kind == "search" else None,
                    entry_ids=entry_ids,
                )
            )
        except ReaderError as error:
            self.report(error)
            return
        undo = key_for("reader.undo_mark_read", self.reader_app.settings.keymap)
        noun = "entry" if count == 1 else "entries"
        self.notify(f"{count:,} {noun} marked read — {undo} to undo", markup=False)
        self.load_feeds()
        self.load_entries()

    @reader_work(group="mark-many", exclusive=True)
    async def action_undo_mark_read(self) -> None:
        try:
            count = await asyncio.to_thread(self.reader_app.library.undo_mark_all_read)
        except ReaderError as error:
            self.report(error)
            return
        if not count:
            self.notify("No bulk mark to undo.", markup=False)
            return
        noun = "entry" if count == 1 else "entries"
        self.notify(f"{count:,} {noun} unread again.", markup=False)
        self.load_feeds()
        self.load_entries()
