"""Snapshots of every screen at 80x24 and 160x48 (pytest-textual-snapshot).

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
from tests.tui.conftest import make_app, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]

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


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_reading(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(library), terminal_size=size,
                        run_before=steps("enter", "right_square_bracket"))


@pytest.mark.parametrize("size", SIZES)
def test_related_story_screen(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    async def follow_link(pilot: Pilot[None]) -> None:
        related = pilot.app.screen.query_one("#related", OptionList)
        related.focus()
        related.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(make_app(library), terminal_size=size,
                        run_before=steps("enter", after=follow_link))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    from reader.config import Settings

    settings = Settings(path=Path("/home/reader/.config/newsdesk-reader/config.toml"))
    assert snap_compare(make_app(library, settings), terminal_size=size,
                        run_before=steps("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_search_screen(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(library), terminal_size=size,
                        run_before=steps("slash", *"rail"))


@pytest.mark.parametrize("size", SIZES)
def test_saved_screen(snap_compare, library: Library, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(library), terminal_size=size,
                        run_before=steps("enter", "s", "S"))


@pytest.mark.parametrize("size", SIZES)
def test_welcome_screen(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    library = Library(tmp_path / "empty")
    try:
        assert snap_compare(make_app(library), terminal_size=size, run_before=steps())
    finally:
        library.close()
