"""Snapshots of every screen at 80x24, 120x40, 160x48 and 200x60 (pytest-textual-snapshot).

Deterministic: the demo site and the app share one fixed "now", the library is a
fresh copy of the demo library, text inputs do not blink, and notifications are
cleared before the picture is taken. Review changes with `--snapshot-report`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from reader.library import Library
from reader.model import Article, Link, Quote, SavedArticle, Section
from tests.tui.conftest import make_app, settle

ARTICLE = Article(
    title="Harbour council backs night ferries after a year of trials",
    byline="Ines Valdmaa",
    published="2025-07-03T09:30:00+00:00",
    url="http://news.test/harbour/night-ferries",
    site="The Test Harbour Post",
    description="Two night crossings a day will start in September, the council decided.",
    sections=[
        Section(
            None,
            1,
            [
                "The harbour council voted on Wednesday to keep the night ferries "
                "that ran on trial since last summer.",
                "The service carried 41,000 passengers in its trial year.",
            ],
        ),
        Section(
            "Key points",
            2,
            ["Two crossings a night from September.", "Fares stay at the day rate."],
        ),
        Section(
            "What the crews said",
            2,
            [
                "“We proved there is a need,” said Mara Lind, who captains the late boat. "
                "“Now we need the rota to match.”",
                "The crews' union said it would ask for a second relief crew.",
            ],
        ),
        Section("The cost", 3, ["The council puts the yearly cost at 1.2 million."]),
    ],
    takeaways=[
        "Night ferries stay after the trial year.",
        "Two crossings a night.",
        "Fares stay at the day rate.",
    ],
    quotes=[
        Quote("We proved there is a need", "Mara Lind", 2, 0),
        Quote("Now we need the rota to match.", "Mara Lind", 2, 0),
    ],
    related=[
        Link("Trial night ferry starts on Friday", "http://news.test/harbour/trial"),
        Link("Union asks for relief crews", "http://other.test/union"),
    ],
)
"""The article shown in the reading snapshots: fixed here, so that a change in the
engine's output does not change the pictures (the Pilot tests cover the engine path)."""

SIZES = [
    pytest.param((80, 24), id="80x24"),
    pytest.param((120, 40), id="120x40"),
    pytest.param((160, 48), id="160x48"),
    pytest.param((200, 60), id="200x60"),
]

Steps = Callable[[Pilot[None]], Awaitable[None]]


def steps(*keys: str, after: Steps | None = None) -> Steps:
    """Press `keys` one at a time, letting workers finish after each; then `after`."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if after is not None:
            await after(pilot)
        for text_input in pilot.app.screen.query(Input):
            text_input.cursor_blink = False
        pilot.app.clear_notifications()
        await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_at_launch(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(library), terminal_size=size, run_before=steps())


async def _show_fixed_article(pilot: Pilot[None]) -> None:
    """Replace what Enter opened with `ARTICLE`, then jump to the next section."""
    await pilot.app.screen.present(ARTICLE)  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("right_square_bracket")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_reading(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        make_app(library), terminal_size=size, run_before=steps("enter", after=_show_fixed_article)
    )


@pytest.mark.parametrize("size", SIZES)
def test_story_screen_with_a_marked_quote(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    from reader.tui.screens.article import ArticleScreen

    async def open_story(pilot: Pilot[None]) -> None:
        screen = ArticleScreen()
        await pilot.app.push_screen(screen)
        await settle(pilot)
        await screen.open_saved(
            SavedArticle(
                1,
                ARTICLE.url or "",
                ARTICLE.title,
                ARTICLE.site,
                None,
                "2025-07-03T10:00:00+00:00",
                None,
                ARTICLE,
            )
        )
        await settle(pilot)
        quotes = screen.query_one("#quotes", OptionList)
        quotes.focus()
        quotes.highlighted = 1
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(library), terminal_size=size, run_before=steps(after=open_story))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    from reader.config import Settings

    settings = Settings(path=Path("/home/reader/.config/newsdesk-reader/config.toml"))
    assert snap_compare(
        make_app(library, settings), terminal_size=size, run_before=steps("question_mark")
    )


@pytest.mark.parametrize("size", SIZES)
def test_search_screen(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(library), terminal_size=size, run_before=steps("slash", *"rail"))


@pytest.mark.parametrize("size", SIZES)
def test_saved_screen(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(library), terminal_size=size, run_before=steps("enter", "s", "S"))


@pytest.mark.parametrize("size", SIZES)
def test_welcome_screen(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    library = Library(tmp_path / "empty")
    try:
        assert snap_compare(make_app(library), terminal_size=size, run_before=steps())
    finally:
        library.close()
