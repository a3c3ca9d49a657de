"""Managing feeds, bulk read marks, triage and saved searches in the real app (Pilot)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.style import Style
from textual.content import Content
from textual.widgets import Checkbox, Input, OptionList, Static

from reader.config import Settings
from reader.filters import load_rules
from reader.library import Library
from reader.tui.commands import ActionCommands
from reader.tui.format import found_pattern, found_spans
from reader.tui.screens.confirm import Confirm
from reader.tui.screens.feed_form import FeedForm, parse_categories
from reader.tui.screens.main import MainScreen
from reader.tui.screens.search import SearchScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entry_list import EntryList
from reader.tui.widgets.feed_tree import FeedTree, View
from tests.loopback import LoopbackServer, Response
from tests.tui.conftest import DemoLibrary, make_app, settle

WIDE = (160, 48)
pytestmark = pytest.mark.anyio

KITE_FEED = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Kite Flyers Quarterly</title>"
    "<link>http://kites.test/</link>"
    "<item><title>Tailwinds over the dunes</title><link>http://kites.test/1</link>"
    "<guid>k1</guid><description>Gusts of forty knots.</description></item>"
    "<item><title>Mending a torn spar</title><link>http://kites.test/2</link>"
    "<guid>k2</guid><description>Glue, twine and patience.</description></item>"
    "</channel></rss>"
)
KITE_PAGE = (
    "<html><head><title>Kites</title>"
    "<link rel='alternate' type='application/rss+xml' href='/kites.xml'></head>"
    "<body><p>Our club page.</p></body></html>"
)


def messages(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def tree_of(app: object) -> FeedTree:
    return app.screen.query_one("#feeds", FeedTree)  # type: ignore[attr-defined]


def entries_of(app: object) -> EntryList:
    return app.screen.query_one("#entries", EntryList)  # type: ignore[attr-defined]


def test_categories_are_typed_comma_separated() -> None:
    assert parse_categories(" Tech, news ,, tech,\x1b[31mred") == ("Tech", "news", "red")
    assert parse_categories("") == ()


async def test_tree_lists_a_feed_under_each_category_with_counts_never_cut(
    library: Library,
) -> None:
    first, second, *_ = library.feeds()
    long_title = "An extremely long feed title that goes on and on " * 3
    library.edit_feed(first.id, title=long_title, categories=("Coast", "Daily"))
    library.edit_feed(second.id, categories=("Daily",))
    library.mark_read(library.entries(feed_id=second.id)[0].id)
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        tree = tree_of(app)
        folders = {str(node.label): node for node in tree.root.children if node.children}
        assert set(folders) == {"Coast", "Daily"}
        assert [c.data for c in folders["Coast"].children] == [View("feed", first.id)]
        assert View("feed", first.id) in [c.data for c in folders["Daily"].children]
        width = tree.scrollable_content_region.width
        for node in folders["Daily"].children:
            label = tree.render_label(node, Style(), Style()).plain
            feed = library.feed(node.data.feed_id)  # type: ignore[union-attr]
            assert label.rstrip().endswith(f"{feed.unread}/{feed.total}"), label
            assert len(label) <= width - 2
        daily = tree.render_label(folders["Daily"], Style(), Style()).plain
        feeds = [library.feed(first.id), library.feed(second.id)]
        unread, total = sum(f.unread for f in feeds), sum(f.total for f in feeds)
        assert daily.rstrip().endswith(f"{unread}/{total}"), daily
        long_label = tree.render_label(folders["Coast"].children[0], Style(), Style()).plain
        assert "…" in long_label


async def test_add_a_feed_from_its_page_with_categories_error_first(
    library: Library, loopback: LoopbackServer
) -> None:
    loopback.routes["/club"] = Response(KITE_PAGE)
    loopback.routes["/kites.xml"] = Response(KITE_FEED, content_type="application/rss+xml")
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, FeedForm)
        app.screen.query_one("#form-url", Input).value = loopback.url("/missing")
        app.screen.query_one("#form-categories", Input).value = "Hobbies, outdoors"
        app.screen.query_one("#form-url", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FeedForm), "a failure keeps the dialog open"
        status = str(app.screen.query_one("#form-status", Static).render())
        assert "404" in status and "\n" not in status.strip()
        app.screen.query_one("#form-url", Input).value = loopback.url("/club")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        added = next(f for f in library.feeds() if f.title == "Kite Flyers Quarterly")
        assert added.url == loopback.url("/kites.xml")
        assert added.categories == ("Hobbies", "outdoors")
        assert app.screen.view == View("feed", added.id)
        assert {e.title for e in entries_of(app).entries} == {
            "Tailwinds over the dunes",
            "Mending a torn spar",
        }
        assert any("Subscribed to Kite Flyers Quarterly" in m for m in messages(app))
        # Escape cancels the dialog and adds nothing
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_edit_then_remove_the_feed_under_the_tree_cursor(library: Library) -> None:
    feed = library.feeds()[0]
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.focus_pane("feeds")
        tree_of(app).select_view(View("feed", feed.id))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, FeedForm)
        app.screen.query_one("#form-title", Input).value = "Renamed by hand"
        app.screen.query_one("#form-categories", Input).value = "Alpha, Beta"
        app.screen.query_one("#form-full", Checkbox).value = False
        app.screen.query_one("#form-title", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        edited = library.feed(feed.id)
        assert (edited.title, edited.categories, edited.full_article) == (
            "Renamed by hand",
            ("Alpha", "Beta"),
            False,
        )
        assert isinstance(app.screen, MainScreen)
        screen.focus_pane("feeds")
        tree_of(app).select_view(View("feed", feed.id))
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert "Renamed by hand" in app.screen.question
        assert app.screen.query_one("#confirm-text").region.width > 20  # the words show
        await pilot.press("n")
        await settle(pilot)
        assert library.feed(feed.id).id == feed.id
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert feed.id not in {f.id for f in library.feeds()}
        assert View("feed", feed.id) not in [
            node.data for node in tree_of(app)._walk(tree_of(app).root)
        ]
        assert all(entry.feed_id != feed.id for entry in entries_of(app).entries)


async def test_mark_a_feed_read_undo_then_everything_after_asking(library: Library) -> None:
    feed = next(f for f in library.feeds() if f.unread >= 2)
    total_unread = sum(f.unread for f in library.feeds())
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.show_view(View("feed", feed.id))
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert library.feed(feed.id).unread == 0
        assert f"{feed.unread} entries marked read — ctrl+z to undo" in messages(app)
        assert all(entry.read for entry in entries_of(app).entries)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert library.feed(feed.id).unread == feed.unread
        assert not any(entry.read for entry in entries_of(app).entries)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert "No bulk mark to undo." in messages(app)
        # C asks first; n leaves everything as it was
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await settle(pilot)
        assert sum(f.unread for f in library.feeds()) == total_unread
        await pilot.press("C")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert sum(f.unread for f in library.feeds()) == 0
        assert f"{total_unread} entries marked read — ctrl+z to undo" in messages(app)


async def test_hide_read_and_oldest_first_are_remembered_per_view(library: Library) -> None:
    newest = library.entries()[0]
    library.mark_read(newest.id)
    app = make_app(library, Settings(keymap={"reader.hide_read": "H"}))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        everything = [e.id for e in entries_of(app).entries]
        await pilot.press("H")  # remapped by binding id
        await settle(pilot)
        assert [e.id for e in entries_of(app).entries] == [i for i in everything if i != newest.id]
        await pilot.press("O")
        await settle(pilot)
        assert [e.id for e in entries_of(app).entries] == [
            i for i in reversed(everything) if i != newest.id
        ]
        feed_view = View("feed", newest.feed_id)
        screen.show_view(feed_view)
        await settle(pilot)
        assert newest.id in [e.id for e in entries_of(app).entries]  # another view: untouched
        screen.show_view(View("all"))
        await settle(pilot)
        assert [e.id for e in entries_of(app).entries][-1] == everything[1]
        await pilot.press("H")
        await settle(pilot)
        assert [e.id for e in entries_of(app).entries] == list(reversed(everything))
        screen.show_view(feed_view)
        await settle(pilot)
        await pilot.press("A", "H")
        await settle(pilot)
        assert not entries_of(app).entries
        assert entries_of(app).empty_text == "No unread entries here (H shows the read ones)."


@pytest.fixture
def searching_library(demo_site: DemoLibrary, tmp_path: Path) -> Library:
    folder = tmp_path / "searching"
    shutil.copytree(demo_site.template, folder)
    rules = load_rules({"saved_searches": [{"name": "Transport", "query": "rail OR ferry"}]})
    return Library(folder, rules=rules)


async def test_saved_search_is_a_virtual_feed_with_counts_and_A(
    searching_library: Library,
) -> None:
    library = searching_library
    try:
        (search,) = library.saved_searches()
        assert search.unread >= 2
        matching = {e.id for e in library.entries(saved_search="Transport")}
        app = make_app(library)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            tree = tree_of(app)
            view = View("search", name="Transport")
            node = tree._view_nodes[view]
            label = tree.render_label(node, Style(), Style()).plain
            assert label.startswith("Transport") and label.rstrip().endswith(
                f"{search.unread}/{search.total}"
            )
            app.screen.focus_pane("feeds")  # type: ignore[attr-defined]
            tree.select_view(view)
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert {e.id for e in entries_of(app).entries} == matching
            assert entries_of(app).border_title == "Transport"
            await pilot.press("enter")  # reading one counts at once
            await settle(pilot)
            label = tree.render_label(tree._view_nodes[view], Style(), Style()).plain
            assert label.rstrip().endswith(f"{search.unread - 1}/{search.total}"), label
            await pilot.press("A")
            await settle(pilot)
            assert library.saved_searches()[0].unread == 0
            assert f"{search.unread - 1} entries marked read — ctrl+z to undo" in messages(app)
            others = [e for e in library.entries() if e.id not in matching]
            assert any(not e.read for e in others)
            label = tree.render_label(tree._view_nodes[view], Style(), Style()).plain
            assert label.rstrip().endswith(f"{search.total}")
    finally:
        library.close()


def test_found_pattern_marks_stems_phrases_not_exclusions() -> None:
    pattern = found_pattern('harbours OR "tide tables" -gale kite*')
    text = "Harbour tides: the Tide  tables, harboured kites and a gale"
    assert [text[a:b] for a, b in found_spans(text, pattern)] == [
        "Harbour",
        "Tide  tables",
        "harboured",
        "kites",
    ]
    assert found_pattern("") is None and found_pattern("-gale") is None


async def test_search_marks_its_words_in_results_and_in_the_story_it_opens(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        search = app.screen
        assert isinstance(search, SearchScreen)
        await pilot.press(*"strikes")  # stemmed: the story says "strike"
        await settle(pilot)
        hits = search._hits
        index = next(i for i, hit in enumerate(hits) if "strike" in hit.title.lower())
        results = search.query_one("#search-results", OptionList)
        prompt = results.get_option_at_index(index).prompt
        assert isinstance(prompt, Content)
        marked = [prompt.plain[s.start : s.end] for s in prompt.spans if "reverse" in str(s.style)]
        assert any(word.lower().startswith("strik") for word in marked), marked
        results.focus()
        results.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.reading is not None
        view = screen.query_one("#article", ArticleView)
        assert view.found is not None

        def reversed_words() -> list[str]:
            return [
                segment.text.lower()
                for strip in view._lines
                for segment in strip
                if segment.style is not None and segment.style.reverse
            ]

        assert any(word.startswith("strik") for word in reversed_words())
        await screen.open_entry(library.entries()[-1])  # the next opening is unmarked
        await settle(pilot)
        assert view.found is None and not reversed_words()


async def test_the_palette_offers_the_firehose_actions_and_saved_searches(
    searching_library: Library,
) -> None:
    library = searching_library
    feed = library.feeds()[0]
    library.edit_feed(feed.id, categories=("Harbour",))
    try:
        app = make_app(library)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            names = {name for name, _, _ in ActionCommands(screen)._commands()}
            assert {
                "Add feed",
                "Remove feed",
                "Edit feed",
                "Refresh feed",
                "Mark view read",
                "Mark all read",
                "Undo mark read",
                "Hide/show read",
                "Newest/oldest first",
            } <= names
            views = dict(screen.palette_views())
            views["Show saved search: Transport"]()
            await settle(pilot)
            assert screen.view == View("search", name="Transport")
            # a adds into the category under the tree cursor
            screen.focus_pane("feeds")
            tree = tree_of(app)
            folder = next(n for n in tree.root.children if str(n.label) == "Harbour")
            tree.move_cursor(folder)
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            assert app.screen.query_one("#form-categories", Input).value == "Harbour"
    finally:
        library.close()
