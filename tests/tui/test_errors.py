"""No worker can end the app: bad links and unexpected errors become messages.

Entries whose links carry an impossible port (`:99999`, `:abc`) are opened,
saved and followed as related stories in the real app; it keeps running, says
what went wrong in one line, and an unexpected error lands in the log file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.library import Library
from reader.model import Link
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.main import MainScreen
from reader.tui.widgets.entry_list import EntryList
from reader.tui.widgets.highlights import HighlightsPane
from tests.loopback import Response
from tests.tui.conftest import make_app, settle

pytestmark = pytest.mark.anyio

BAD_LINKS = ["http://127.0.0.1:99999/x", "http://host:abc/"]


def _feed(links: list[str]) -> str:
    items = "".join(
        f"<item><title>Story {i} with a broken address</title><link>{link}</link>"
        f"<guid>bad-{i}</guid><description>The feed's own words for story {i}.</description>"
        "</item>"
        for i, link in enumerate(links)
    )
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Broken Links Weekly</title>"
        f"<link>http://127.0.0.1/</link>{items}</channel></rss>"
    )


def _messages(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_enter_and_save_on_entries_with_bad_ports_keep_the_app_running(
    tmp_path: Path, loopback
) -> None:  # type: ignore[no-untyped-def]
    loopback.routes["/bad.xml"] = Response(_feed(BAD_LINKS), content_type="application/rss+xml")
    library = Library(tmp_path / "lib")
    await library.add_feed(loopback.url("/bad.xml"))
    library.close()
    # The feed parser now stores such links as no link; a library written before
    # that (or by another tool) may still hold them, and the app must survive them.
    with sqlite3.connect(tmp_path / "lib" / "library.sqlite3") as db:
        for index, url in enumerate(BAD_LINKS):
            db.execute("UPDATE entries SET url = ? WHERE guid LIKE ?", (url, f"%bad-{index}"))
    library = Library(tmp_path / "lib")
    try:
        assert {entry.url for entry in library.entries()} == set(BAD_LINKS)
        app = make_app(library)
        async with app.run_test(size=(160, 48)) as pilot:
            await settle(pilot)
            entries = app.screen.query_one("#entries", EntryList)
            for index in range(len(entries.entries)):
                entries.focus()
                entries.move_to(index)
                await pilot.press("enter")
                await settle(pilot)
                assert app.is_running and isinstance(app.screen, MainScreen)
                await pilot.press("s")
                await settle(pilot)
                assert app.is_running
            assert app.is_running and isinstance(app.screen, MainScreen)
            titles = [n.title for n in app._notifications]
            assert titles.count("Could not save") == len(BAD_LINKS), titles
        assert app.return_code in (None, 0)
    finally:
        library.close()


async def test_related_links_with_bad_ports_say_why_and_the_app_runs_on(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for url in BAD_LINKS:
            pane = app.screen.query_one(HighlightsPane)
            pane.post_message(HighlightsPane.RelatedChosen(Link("A related story", url)))
            await settle(pilot)
            assert isinstance(app.screen, ArticleScreen)
            view = app.screen.query_one("#article")
            assert "could not be fetched" in view.message  # type: ignore[attr-defined]
            await pilot.press("s")  # saving it fails in words too
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, ArticleScreen)
            await pilot.press("q")
            await settle(pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)
        titles = [n.title for n in app._notifications]
        assert titles.count("Could not save") == len(BAD_LINKS), titles
    assert app.return_code in (None, 0)


async def test_an_unexpected_error_in_a_worker_is_a_message_and_a_log_line(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)

        def broken(*args: object, **kwargs: object) -> object:
            raise RuntimeError("disk \x1b]0;on fire\x07 caught fire")

        library.mark_read = broken  # type: ignore[method-assign]
        await pilot.press("enter")  # opening marks the entry read: in a thread worker
        await settle(pilot)
        assert app.is_running
        messages = _messages(app)
        assert any("RuntimeError" in m and "caught fire" in m for m in messages), messages
        assert not any("\x1b" in m for m in messages)
        log = (library.data_dir / "reader.log").read_text(encoding="utf-8")
        assert "Traceback" in log and "caught fire" in log
    assert app.return_code in (None, 0)
