"""The daily reading loop has no traps (issue 10, "What was seen"), in the real app.

Each test drives the app through Pilot on a copy of the demo library, with the
demo server answering, at the sizes people use (80x24 and 160x48).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from reader.config import Settings
from reader.library import Library
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.confirm import ConfirmQuit
from reader.tui.screens.feed_info import FeedInfoScreen
from reader.tui.screens.main import MainScreen
from reader.tui.screens.saved import SavedScreen
from reader.tui.screens.search import SearchScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entry_list import EntryList
from reader.tui.widgets.feed_tree import View
from tests.tui.conftest import make_app, settle
from tests.tui.test_flows import open_first_with_quotes

pytestmark = pytest.mark.anyio
NARROW, WIDE = (80, 24), (160, 48)


def messages(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def view_of(app: object) -> ArticleView:
    return app.screen.query_one("#article", ArticleView)  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80x24", "160x48"])
async def test_escape_never_quits_and_q_goes_back_one_level(library: Library, size) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        entries = app.screen.query_one("#entries", EntryList)
        await pilot.press("enter", "escape", "escape", "escape")
        await settle(pilot)
        assert app.is_running and app.focused is entries
        # Enter, q, n, q: n shows and focuses the story, so q only goes back
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert app.focused is entries
        await pilot.press("n")
        await settle(pilot)
        view = view_of(app)
        assert app.focused is view and view.region.height > 0 and view.region.width > 60
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and app.focused is entries
        await pilot.press("q")  # from the top-level list, q quits
        await pilot.pause()
        assert not app.is_running


async def test_confirm_quit_asks_first(library: Library) -> None:
    app = make_app(library, Settings(confirm_quit=True))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmQuit)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.is_running
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running


async def test_n_and_p_walk_unread_stories_across_feeds_and_say_when_done(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        tree = screen.query_one("#feeds")
        first_feed = tree.feed_order()[0]  # type: ignore[attr-defined]
        screen.show_view(View("feed", first_feed))
        await settle(pilot)
        seen: list[int] = []
        for _ in range(len(library.entries()) + 2):
            await pilot.press("n")
            await settle(pilot)
            reading = screen.reading
            assert reading is not None and reading.entry is not None
            assert app.focused is view_of(app) and view_of(app).region.height > 0
            if reading.entry.id in seen:
                break
            seen.append(reading.entry.id)
            entries = screen.query_one("#entries", EntryList)
            assert entries.highlighted is not None and entries.highlighted.id == reading.entry.id
        feeds = {library.entry(entry_id).feed_id for entry_id in seen}
        assert len(feeds) >= 2, "n crossed into the next feed"
        assert any("No unread stories after this one" in m for m in messages(app))
        assert not [e for e in library.entries() if not e.read]
        # p goes back through the list: nothing unread before, it says so
        app.clear_notifications()
        await pilot.press("p")
        await settle(pilot)
        assert any("No unread stories before this one" in m for m in messages(app))


async def test_m_i_and_R_act_on_the_story_on_screen_after_a_search(library: Library) -> None:
    target = library.entries()[5]
    word = max(target.title.split(), key=len)
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *word)
        await settle(pilot)
        hits = app.screen._hits  # type: ignore[attr-defined]
        assert hits and hits[0].kind == "entry"
        await pilot.press("enter")  # Enter in the query box opens the top hit
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.reading is not None and screen.reading.entry is not None
        opened = screen.reading.entry
        assert opened.id == hits[0].id
        entries = screen.query_one("#entries", EntryList)
        assert entries.highlighted is not None and entries.highlighted.id == opened.id
        entries.move_to(0)  # the cursor wanders off; the story on screen stays the subject
        assert entries.highlighted.id != opened.id
        was_read = library.entry(entries.highlighted.id).read
        await pilot.press("m")
        await settle(pilot)
        assert not library.entry(opened.id).read
        assert library.entry(entries.highlighted.id).read == was_read
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, FeedInfoScreen)
        assert library.feed(opened.feed_id).title in str(
            app.screen.query_one("#feed-info").render()
        )


async def test_tab_to_quotes_then_enter_acts_at_once(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_first_with_quotes(pilot, library)
        view = view_of(app)
        view.focus()
        await pilot.pause()
        quotes = app.screen.query_one("#quotes", OptionList)
        while app.focused is not quotes:
            await pilot.press("tab")
            await pilot.pause()
        assert quotes.highlighted == 0
        await pilot.press("enter")
        await pilot.pause()
        assert view.marked is not None


async def test_search_down_then_enter_opens_the_first_result(library: Library) -> None:
    word = max(library.entries()[2].title.split(), key=len)
    app = make_app(library)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash", *word)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        first = screen._hits[0]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.reading is not None and app.screen.reading.entry is not None
        assert app.screen.reading.entry.id == first.id


async def test_keys_that_do_nothing_here_say_so(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_first_with_quotes(pilot, library)
        view = view_of(app)
        for _ in range(view.section_count + 1):
            await pilot.press("right_square_bracket")
            await pilot.pause()
        assert "This is the last section." in messages(app)
        # i on a story opened from a link, on the Saved list, in search: a sentence
        app.screen.post_message(  # type: ignore[union-attr]
            __import__(
                "reader.tui.widgets.highlights", fromlist=["x"]
            ).HighlightsPane.RelatedChosen(
                __import__("reader.model", fromlist=["x"]).Link(
                    "Elsewhere", "http://127.0.0.1:9/gone"
                )
            )
        )
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        assert "r refreshes" not in view_of(app).message
        app.clear_notifications()
        await pilot.press("i")
        await settle(pilot)
        assert any("not from one of your feeds" in m for m in messages(app))
        await pilot.press("q", "S")
        await settle(pilot)
        assert isinstance(app.screen, SavedScreen)
        app.clear_notifications()
        await pilot.press("i")
        await settle(pilot)
        assert messages(app)
        await pilot.press("q", "slash")
        await settle(pilot)
        app.clear_notifications()
        await pilot.press("down", "i")
        await settle(pilot)
        assert messages(app)


async def test_one_click_highlights_a_double_click_opens_in_every_list(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await open_first_with_quotes(pilot, library)
        view = view_of(app)
        quotes = app.screen.query_one("#quotes", OptionList)
        await pilot.click(quotes, offset=(3, 1))
        await settle(pilot)
        assert quotes.highlighted == 0 and view.marked is None
        await pilot.double_click(quotes, offset=(3, 1))
        await settle(pilot)
        assert view.marked is not None
        entries = app.screen.query_one("#entries", EntryList)
        before = app.screen.reading
        await pilot.click(entries, offset=(10, 4))
        await settle(pilot)
        clicked = entries.highlighted
        assert app.screen.reading is before and clicked is not None
        assert before is not None and before.entry is not None and clicked.id != before.entry.id
        await pilot.double_click(entries, offset=(10, 4))
        await settle(pilot)
        assert app.screen.reading.entry.id == clicked.id  # type: ignore[union-attr]
        tree = app.screen.query_one("#feeds")
        await pilot.click(tree, offset=(4, 5))
        await settle(pilot)
        assert app.screen.view.kind == "all"  # type: ignore[attr-defined]
        await pilot.double_click(tree, offset=(4, 5))
        await settle(pilot)
        assert app.screen.view.kind == "feed"  # type: ignore[attr-defined]


async def test_a_manual_refresh_restarts_the_one_auto_refresh_timer(library: Library) -> None:
    app = make_app(library, Settings(refresh_minutes=5))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen

        def pending() -> int:
            return sum(
                1
                for timer in list(screen._timers)
                if timer.name == "auto-refresh" and timer._task is not None
            )

        assert pending() == 1
        for _ in range(3):
            await pilot.press("r")
            await settle(pilot)
            assert pending() == 1
        assert not any("already running" in m for m in messages(app))


async def test_o_without_any_browser_says_how_to_set_one(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    app = make_app(library, Settings(path=tmp_path / "config.toml"))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        said = messages(app)
        assert any("No browser found" in m and "%u" in m for m in said), said
        assert not any(m.startswith("Opening") for m in said)
        app.clear_notifications()
        await pilot.press("y")
        assert any("OSC 52" in m for m in messages(app))


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 48), (200, 60)], ids=str)
async def test_layout_at_every_size(library: Library, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    app = make_app(library, Settings(path=path))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        bar = str(screen.query_one("KeyBar").render())
        assert "? Help" in bar, bar
        # no empty boxes before a story is opened
        assert not screen.query_one("#highlights").display
        assert not screen.query_one("#outline").display
        await pilot.press("enter")
        await settle(pilot)
        view = view_of(app)
        assert screen.query_one("#highlights").display or size[0] < 120
        assert "? Help" in str(screen.query_one("KeyBar").render())
        if 120 <= size[0] < 150:
            assert view.region.width >= 70
            assert screen.query_one("#entries").region.width >= 60  # keeps the feed column
        lines = [view.render_line(y).text for y in range(view.region.height)]
        assert max(len(line.strip()) for line in lines) <= 80
        if size[0] >= 200:  # the text column is centred in a wider pane
            assert min(len(line) - len(line.lstrip()) for line in lines if line.strip()) > 2
        await pilot.press("z")
        await settle(pilot)
        assert app.focused is view and not screen.query_one("#entries").region.height
        assert view.region.width >= size[0] - 2
        await pilot.press("z", "L")
        await settle(pilot)
    assert 'layout = "article-tall"' in path.read_text(encoding="utf-8")


def test_related_stories_name_the_publication_and_the_host_only_last() -> None:
    from reader.model import Link
    from reader.tui.widgets.highlights import related_prompt, site_prefix

    publications = {
        site_prefix("http://127.0.0.1:8080/courier/"): "The Courier",
        site_prefix("http://127.0.0.1:8080/ledger/"): "The Ledger",
    }
    said = related_prompt(Link("Ferries", "http://127.0.0.1:8080/ledger/ferries"), publications)
    assert str(said).endswith("The Ledger")
    said = related_prompt(Link("Elsewhere", "http://www.other.test/a/b"), publications)
    assert str(said).endswith("other.test")
    said = related_prompt(Link("Bad port", "http://127.0.0.1:99999/x"), publications)
    assert str(said).endswith("127.0.0.1")


async def test_h_hides_the_highlights_and_the_choice_is_kept(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# mine\n", encoding="utf-8")
    app = make_app(library, Settings(path=path))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pane = app.screen.query_one("#highlights")
        assert pane.display
        width = view_of(app).region.width
        await pilot.press("h")
        await settle(pilot)
        assert not pane.display and view_of(app).region.width > width
        await pilot.press("tab", "tab")  # Tab into the highlights shows them again
        await settle(pilot)
        assert pane.display
    assert path.read_text(encoding="utf-8").startswith("# mine\n")
    assert "highlights = false" in path.read_text(encoding="utf-8")


def test_a_quote_stands_alone_with_its_speakers_role_when_known() -> None:
    from dataclasses import dataclass

    from reader.model import Quote
    from reader.tui.widgets.highlights import quote_prompt

    @dataclass
    class RoledQuote(Quote):  # the engine's Quote may carry the role
        speaker_role: str | None = None

    said = str(
        quote_prompt(RoledQuote("We sail at dawn", "Ana Ruiz", 0, 0, speaker_role="harbour master"))
    )
    assert said == "“We sail at dawn”\n– Ana Ruiz, harbour master"
    assert str(quote_prompt(Quote("Quiet", None, 0, 0))) == "“Quiet”\n– Unattributed"
