"""The app refreshes a library of misbehaving feeds and shows why each one failed.

`r` refreshes every fault in the background; the app keeps answering keys while
the hanging and trickling feeds wait for their timeouts; then the feed-info panel
(`i` with "All" chosen in the feed tree) lists each failing feed with its
`last_error`, and nothing of the hostile feeds reaches the screen as an escape.
"""

from __future__ import annotations

import asyncio
import html
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from reader.library import Library
from tests.reliability.faults import FAULTS, FaultServer, install
from tests.reliability.test_fault_servers import LIMITS
from tests.tui.conftest import make_app

if TYPE_CHECKING:
    from textual.app import App
    from textual.pilot import Pilot

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _screen_text(app: App[None]) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def _settle(pilot: Pilot[None]) -> None:
    """Let messages, screen switches and every worker finish."""
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_every_fault_error_is_shown_in_the_app(
    fault_server: tuple[FaultServer, threading.Event], tmp_path: Path
) -> None:
    server, release = fault_server
    faults = install(server, release)
    with Library(tmp_path / "data", **LIMITS) as library:  # type: ignore[arg-type]
        library.store.add_feeds((url, name, None) for name, url in faults.items())
        rows = 4 * len(faults) + 20  # the panel lists every failing feed in 3-4 lines

        async def run() -> tuple[str, bool]:
            app = make_app(library)
            async with app.run_test(size=(200, rows)) as pilot:
                await _settle(pilot)
                await pilot.press("r")  # refresh every feed in the background
                await pilot.pause()
                await pilot.press("question_mark")  # the app still answers keys meanwhile
                await pilot.pause()
                answered = type(app.screen).__name__ == "HelpScreen"
                await pilot.press("escape")
                await _settle(pilot)  # the refresh worker ends (timeouts of 1-2 s)
                await pilot.press("shift+tab")  # to the feed tree, where "All" is chosen
                await _settle(pilot)
                await pilot.press("i")
                await _settle(pilot)
                return _screen_text(app), answered

        text, answered = asyncio.run(run())
        errors = {feed.title: feed.last_error for feed in library.feeds() if feed.last_error}
    assert answered, "the app did not answer a key during the refresh"
    assert len(errors) >= len([f for f in FAULTS if f.error]) - 1  # billion laughs may pass
    assert not UNSAFE.search(text.replace("\n", "")), "a control character reached the screen"
    for title, error in errors.items():
        assert error in text, (title, error)
