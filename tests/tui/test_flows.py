"""The main flows through the real app (Pilot), on a real demo library and server."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from reader.config import Settings, load_settings
from reader.library import Library
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.main import MainScreen
from reader.tui.screens.search import SearchScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entry_list import EntryList
from reader.tui.widgets.outline import Outline
from tests.tui.conftest import NOW, fake_browser, make_app, settle

WIDE = (160, 48)
pytestmark = pytest.mark.anyio


FEED_XML = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Slow Gazette</title>"
    "<link>http://x.test/</link><item><title>Only story</title>"
    "<link>http://x.test/1</link><guid>1</guid></item></channel></rss>"
)


def article_view(app: object) -> ArticleView:
    return app.screen.query_one("#article", ArticleView)  # type: ignore[attr-defined]


async def test_open_the_newest_entry_feed_text_first_then_full_and_marks(
    library: Library, tmp_path: Path
) -> None:
    browser, opened = fake_browser(tmp_path)
    newest, second = library.entries()[:2]
    app = make_app(library, Settings(browser=f"{browser} %u", browser_console=False))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        entries = screen.query_one("#entries", EntryList)
        assert isinstance(screen, MainScreen)
        assert app.focused is entries
        assert entries.highlighted is not None and entries.highlighted.id == newest.id
        assert len(entries.entries) == len(library.entries())
        # Enter reads the newest entry: the cleaned article replaces the feed text
        await pilot.press("enter")
        await settle(pilot)
        view = article_view(app)
        assert view.article is not None and view.article.sections
        assert screen.reading is not None and screen.reading.showing == "full"
        assert library.entry(newest.id).read
        assert library.cached_article(newest.url or "") is not None
        # a story not yet cached shows the feed's text at once, with a notice
        await screen.open_entry(second)  # returns once the feed text is on screen
        assert screen.reading.showing == "feed"
        view = article_view(app)
        assert view.notice is not None and "Fetching the full article" in view.notice
        await settle(pilot)
        assert screen.reading.showing == "full"
        assert view.notice is None
        await pilot.press("v")
        await settle(pilot)
        assert screen.reading.showing == "feed"
        await pilot.press("v")
        await settle(pilot)
        assert screen.reading.showing == "full"
        # m toggles the read mark of the story on screen, wherever the list cursor is
        entries.focus()
        entries.move_to(0)
        await pilot.press("m")
        await settle(pilot)
        assert not library.entry(second.id).read and library.entry(newest.id).read
        await pilot.press("m")
        await settle(pilot)
        assert library.entry(second.id).read
        # n opens the unread story after the one on screen, shows it and focuses it
        await pilot.press("n")
        await settle(pilot)
        assert entries.cursor == 2  # entries 0 and 1 are read
        assert app.focused is article_view(app)
        reading = screen.reading
        assert reading.entry is not None and library.entry(reading.entry.id).read
        await pilot.press("y")
        assert app.clipboard == reading.url
        await pilot.press("o")
        await settle(pilot)
        assert screen.browser_process is not None
        assert screen.browser_process.wait(timeout=10) == 0
        assert opened.read_text(encoding="utf-8").split() == [reading.url]


async def test_sections_outline_and_quote_jumps(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_first_with_quotes(pilot, library)
        view = article_view(app)
        outline = app.screen.query_one("#outline", Outline)
        assert view.section_count > 2
        # ] and [ bring the section heading to the top; the outline follows
        await pilot.press("right_square_bracket")
        await pilot.pause()
        heading = view.section_line(1)
        assert heading > 0 and round(view.scroll_y) == heading
        assert outline.highlighted == 1
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert round(view.scroll_y) == view.section_line(2) > heading
        assert outline.highlighted == 2
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert round(view.scroll_y) == heading
        assert outline.highlighted == 1
        # Enter in the outline jumps too
        outline.focus()
        outline.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert view.scroll_y == 0
        # Enter on a quote scrolls to the paragraph where it was said and marks it
        assert view.article is not None
        quotes = app.screen.query_one("#quotes", OptionList)
        target_index = len(view.article.quotes) - 1  # the last one: furthest down the page
        quote = view.article.quotes[target_index]
        quotes.focus()
        quotes.highlighted = target_index
        await pilot.press("enter")
        await pilot.pause()
        assert view.marked == (quote.section, quote.paragraph)
        lines = view.paragraph_lines(quote.section, quote.paragraph)
        assert lines is not None
        top = view.scroll_y
        assert top > 0
        assert top <= lines[0] < top + view.scrollable_content_region.height
        shown = "".join(
            view.render_line(y).text for y in range(lines[0] - round(top), lines[1] - round(top))
        )
        assert " ".join(quote.text.split()[:3]) in " ".join(shown.split())


async def test_related_link_opens_in_the_app_saves_and_back_returns(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        entries = app.screen.query_one("#entries", EntryList)
        main = app.screen
        found = None
        for index in range(len(entries.entries)):
            entries.move_to(index)
            entries.focus()
            await pilot.press("enter")
            await settle(pilot)
            article = article_view(app).article
            if article is not None and any(link.url for link in article.related):
                found = article
                break
        assert found is not None, "the demo links one story to another"
        related = main.query_one("#related", OptionList)
        related.focus()
        related.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        shown = article_view(app).article
        assert shown is not None and shown.sections and shown.title != found.title
        await pilot.press("s")
        await settle(pilot)
        assert [saved.title for saved in library.saved()] == [shown.title]
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is main
        assert article_view(app).article is found
        # the Saved list reads it back offline, and u stops keeping it
        await pilot.press("S")
        await settle(pilot)
        saved = app.screen.query_one("#saved-list", OptionList)
        assert saved.option_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert article_view(app).article.title == shown.title  # type: ignore[union-attr]
        await pilot.press("q")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert not library.saved()


async def test_refresh_in_the_background_progress_and_failed_feeds(
    library: Library, loopback
) -> None:  # type: ignore[no-untyped-def]
    import threading

    from tests.loopback import Response

    gate = threading.Event()
    loopback.routes["/slow.xml"] = Response(FEED_XML, content_type="application/rss+xml")
    loopback.routes["/flaky.xml"] = Response(
        FEED_XML.replace("Slow", "Flaky"), content_type="application/rss+xml"
    )
    await library.add_feed(loopback.url("/slow.xml"))
    await library.add_feed(loopback.url("/flaky.xml"))

    def held(handler: object) -> Response:
        gate.wait(20)  # the refresh cannot finish until the test has typed
        return Response(FEED_XML, content_type="application/rss+xml")

    loopback.routes["/slow.xml"] = held
    loopback.routes["/flaky.xml"] = Response("down", status=500, content_type="text/plain")
    progress: list[tuple[int, int]] = []

    def hook(message: object) -> None:
        if isinstance(message, MainScreen.RefreshProgress):
            progress.append((message.done, message.total))

    app = make_app(library)
    async with app.run_test(size=WIDE, message_hook=hook) as pilot:
        await settle(pilot)
        entries = app.screen.query_one("#entries", EntryList)
        await pilot.press("r")
        bar = app.screen.query_one("#refresh")
        assert bar.has_class("-active")
        await pilot.press("j", "j")  # typing is not blocked while the refresh runs
        assert entries.cursor == 2
        assert bar.has_class("-active")
        gate.set()
        await settle(pilot)
        assert not bar.has_class("-active")
        total = len(library.feeds())
        assert progress and progress[-1] == (total, total)
        tree = app.screen.query_one("#feeds")
        labels = [str(node.label) for node in tree.root.children]
        assert any(label.startswith("⚠ Flaky Gazette") for label in labels)
        assert not any(label.startswith("⚠ Slow Gazette") for label in labels)
        assert "1 failed" in str(tree.border_subtitle)
        failed = next(node for node in tree.root.children if str(node.label).startswith("⚠"))
        tree.focus()
        tree.move_cursor(failed)
        await pilot.press("i")  # the chosen feed's info panel tells why it failed
        await settle(pilot)
        text = str(app.screen.query_one("#feed-info").render())
        assert "Flaky Gazette" in text and "500" in text


async def test_config_keymap_theme_help_and_palette(library: Library, tmp_path: Path) -> None:
    from reader.tui.commands import ActionCommands

    config = tmp_path / "config.toml"
    config.write_text(
        'theme = "nord"\n[keymap]\n"reader.next_section" = "ctrl+n"\n', encoding="utf-8"
    )
    settings = load_settings(config)
    app = make_app(library, settings)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        await open_first_with_quotes(pilot, library)
        view = article_view(app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert view.current_section == 1
        # every action that applies is in the command palette, with its key
        commands = {name: keys for name, _, keys in ActionCommands(app.screen)._commands()}
        for expected in (
            "Save",
            "Next section",
            "Browser",
            "Copy link",
            "Feed/full",
            "Next unread",
            "Refresh",
            "Refresh feed",
            "Feed info",
            "Search",
            "Saved list",
            "Help",
            "Read/unread",
        ):
            assert expected in commands
        assert commands["Next section"] == "Key: ctrl+n"
        before = app.screen.reading
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"next unread")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reading = app.screen.reading
        assert reading is not before and reading is not None and reading.entry is not None
        # the help screen shows the config file's path
        await pilot.press("question_mark")
        await settle(pilot)
        assert str(config) in str(app.screen.query_one("#help-config").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        app.theme = "gruvbox"
        await pilot.pause()
    assert load_settings(config).theme == "gruvbox"
    assert load_settings(config).keymap == {"reader.next_section": "ctrl+n"}


async def open_first_with_quotes(pilot, library: Library) -> int:  # type: ignore[no-untyped-def]
    """Open the newest entry whose cleaned article has quotes; returns its list index."""
    entries = pilot.app.screen.query_one("#entries", EntryList)
    for index in range(len(entries.entries)):
        entries.move_to(index)
        entries.focus()
        await pilot.press("enter")
        await settle(pilot)
        article = article_view(pilot.app).article
        if article is not None and article.quotes and len(article.sections) > 2:
            return index
    raise AssertionError("no demo article with quotes and sections")


async def test_save_then_read_offline_with_the_server_gone(demo_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from reader.demo import start_demo
    from tests.tui.conftest import fill

    site = start_demo(tmp_path / "own", now=NOW, port=0)
    library = Library(site.data_dir)
    try:
        await fill(library, site.feed_urls)
        first, second = library.entries()[:2]
        app = make_app(library)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert library.saved() and library.entry(first.id).saved
        site.stop()
        app = make_app(library)
        async with app.run_test(size=WIDE) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, MainScreen)
            assert screen.reading is not None and screen.reading.showing == "full"
            assert article_view(app).notice is None
            # a story never opened: the feed text stays, with a clear sentence why
            await pilot.press("escape")
            await pilot.pause()
            entries = screen.query_one("#entries", EntryList)
            entries.move_to(entries.index_of(second.id) or 1)
            await pilot.press("enter")
            await settle(pilot)
            view = article_view(app)
            texts = view.notice if view.article is not None else view.message
            assert "could not be fetched" in texts and "no saved" in texts
    finally:
        site.stop()
        library.close()


async def test_search_finds_and_opens_an_entry(library: Library) -> None:
    target = library.entries()[3]
    word = max(target.title.split(), key=len)
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*word)
        await settle(pilot)
        results = app.screen.query_one("#search-results", OptionList)
        assert results.option_count >= 1
        hits = app.screen._hits
        index = next(i for i, hit in enumerate(hits) if hit.id == target.id)
        results.focus()
        results.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.reading is not None
        assert app.screen.reading.entry is not None
        assert app.screen.reading.entry.id == target.id


async def test_narrow_terminal_panes_take_turns(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        entries = screen.query_one("#entries", EntryList)
        view = article_view(app)
        assert screen.has_class("-narrow")
        assert entries.region.height > 10 and view.region.height == 0
        await pilot.press("enter")
        await settle(pilot)
        assert view.region.width > 60 and entries.region.height == 0
        await pilot.press("tab")
        await settle(pilot)
        takeaways = screen.query_one("#takeaways", OptionList)
        assert app.focused is takeaways and takeaways.region.height > 0
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is entries and entries.region.height > 10


async def test_welcome_screen_on_an_empty_library(tmp_path: Path) -> None:
    from reader.tui.screens.welcome import WelcomeScreen

    library = Library(tmp_path / "empty")
    try:
        app = make_app(library)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, WelcomeScreen)
            text = str(app.screen.query_one("#welcome-text").render())
            assert "reader add URL" in text and "--demo" in text and "opml" in text.lower()
            await pilot.press(*"http://127.0.0.1:9/nothing.xml", "enter")
            await settle(pilot)
            assert "127.0.0.1:9" in str(app.screen.query_one("#welcome-status").render())
    finally:
        library.close()
