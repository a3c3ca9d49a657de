"""Leaving a story whose page is still being cleaned stops the clean.

The app's worker for a story is cancelled when the reader opens another one; the
library then interrupts the clean in its thread (nothing is cached, the core is
free again), and opening the same story twice at once fetches and cleans it once.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from reader.library import Library
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entry_list import EntryList
from tests.loopback import LoopbackServer, Response
from tests.tui.conftest import make_app, settle
from tests.unit.test_open_article_once import clean_threads, long_page

pytestmark = pytest.mark.anyio


def _feed(base: str) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><guid>{path}</guid>"
        f"<description>The feed's own words about {title.lower()}.</description></item>"
        for title, path in (("Ferry timetable, in full", "/long"), ("A short note", "/short"))
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Harbour News</title>"
        f"<link>{base}/</link>{items}</channel></rss>"
    )


SHORT = (
    "<html><head><title>A short note</title></head><body><article><h1>A short note</h1>"
    + "<p>The harbour office opens at nine on weekdays and at ten on Saturdays.</p>" * 8
    + "</article></body></html>"
)


async def _until(pilot: object, condition: object, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.01)  # type: ignore[attr-defined]


async def test_opening_another_story_stops_the_clean_and_reopening_cleans_once(
    tmp_path: Path, loopback: LoopbackServer
) -> None:
    loopback.routes["/feed.xml"] = Response(
        _feed(loopback.url("")), content_type="application/rss+xml"
    )
    loopback.routes["/long"] = Response(long_page())
    loopback.routes["/short"] = Response(SHORT)
    long_url = loopback.url("/long")
    library = Library(tmp_path / "lib")
    try:
        await library.add_feed(loopback.url("/feed.xml"))
        app = make_app(library)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            entries = app.screen.query_one("#entries", EntryList)
            titles = [entry.title for entry in entries.entries]
            long_row, short_row = (
                titles.index("Ferry timetable, in full"),
                titles.index("A short note"),
            )
            entries.focus()
            entries.move_to(long_row)
            await pilot.press("enter")
            await _until(pilot, lambda: bool(clean_threads()))
            (cleaning,) = clean_threads()

            entries.focus()
            entries.move_to(short_row)
            await pilot.press("enter")
            begun = time.monotonic()
            await asyncio.to_thread(cleaning.join, 10)
            assert not cleaning.is_alive() and time.monotonic() - begun < 1.5
            await settle(pilot)
            assert library.opening == frozenset()
            assert library.cached_article(long_url) is None
            view = app.screen.query_one("#article", ArticleView)
            assert view.article is not None and view.article.title == "A short note"

            entries.focus()
            entries.move_to(long_row)
            await pilot.press("enter")
            await pilot.press("enter")
            await settle(pilot)
            assert loopback.hits["/long"] == 2  # the first, cancelled, and one more
            assert library.cached_article(long_url) is not None
            assert view.article is not None and view.article.title == "The longest ferry story"
        assert app.return_code in (None, 0)
    finally:
        library.close()
