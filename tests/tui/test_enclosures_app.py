"""An entry's enclosure shows under the article's link, and P hands it to the player."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Settings
from reader.library import Library
from reader.tui.screens.article import ArticleScreen
from reader.tui.widgets.article_view import ArticleView
from tests.loopback import LoopbackServer, Response
from tests.tui.conftest import fake_browser, make_app, settle
from tests.unit.test_enclosures import RSS

pytestmark = pytest.mark.anyio


async def test_enclosure_is_shown_and_played(tmp_path: Path, loopback: LoopbackServer) -> None:
    feed = RSS.replace(
        b"<link>https://radio.example/12</link>", f"<link>{loopback.url('/12')}</link>".encode()
    )
    loopback.routes["/radio.xml"] = Response(feed, content_type="application/rss+xml")
    notes = "".join(
        f"<p>Show notes, part {n}, about the night shift at the harbour.</p>" for n in range(6)
    )
    loopback.routes["/12"] = Response(
        f"<html><head><title>Episode 12</title></head><body><article>{notes}</article></body></html>"
    )
    library = Library(tmp_path / "lib")
    await library.add_feed(loopback.url("/radio.xml"))
    player, played = fake_browser(tmp_path / "bin", "fakeplayer")
    settings = Settings(player=f"{player} %u", browser_console=False)
    try:
        app = make_app(library, settings)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            await pilot.press("enter")  # the newest entry: Episode 12
            await settle(pilot)
            view = app.screen.query_one("#article", ArticleView)
            lines = [strip.text for strip in (view.render_line(y) for y in range(20))]
            assert any(
                "▶ audio/mpeg  ·  24.1 MB  ·  https://radio.example/12.mp3" in line
                for line in lines
            ), lines
            await pilot.press("P")
            await settle(pilot)
            process = app.screen.browser_process  # type: ignore[attr-defined]
            assert process.wait(timeout=10) == 0
            assert played.read_text().strip() == "https://radio.example/12.mp3"
            assert isinstance(app.screen, ArticleScreen) or app.is_running
    finally:
        library.close()
