"""The app shows why each misbehaving feed failed, as inert text.

After a refresh of a library holding every fault, the feed-info panel (`i` with
"All" chosen in the feed tree) lists each failing feed with its `last_error`,
and nothing of the hostile feeds reaches the screen as an escape or as markup.
"""

from __future__ import annotations

import asyncio
import html
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from reader.library import Library
from tests.reliability.faults import FAULTS, FaultServer, install, install_good
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
        fault_server: tuple[FaultServer, threading.Event], tmp_path: Path) -> None:
    server, release = fault_server
    faults = install(server, release)
    install_good(server, 2)
    with Library(tmp_path / "data", **LIMITS) as library:  # type: ignore[arg-type]
        library.store.add_feeds((url, name, None) for name, url in faults.items())
        asyncio.run(library.refresh())
        errors = {feed.title: feed.last_error for feed in library.feeds() if feed.last_error}
        assert len(errors) >= len([f for f in FAULTS if f.error]) - 1  # billion laughs may pass

        async def run() -> str:
            app = make_app(library)
            rows = 4 * len(errors) + 20  # the panel lists every failing feed in 3-4 lines
            async with app.run_test(size=(200, rows)) as pilot:
                await _settle(pilot)
                await pilot.press("shift+tab")  # to the feed tree, where "All" is chosen
                await _settle(pilot)
                await pilot.press("i")
                await _settle(pilot)
                return _screen_text(app)

        text = asyncio.run(run())
    assert not UNSAFE.search(text.replace("\n", "")), "a control character reached the screen"
    for title, error in errors.items():
        assert error in text, (title, error)
