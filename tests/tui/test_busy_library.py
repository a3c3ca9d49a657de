"""The app's main thread never waits on the database: another process holding a write
transaction (a `reader refresh` in a second terminal) leaves every key answering at once."""

from __future__ import annotations

import sqlite3
import time

import pytest

from reader.library import Library
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.entry_list import EntryList
from tests.tui.conftest import make_app, settle

pytestmark = pytest.mark.anyio


async def test_keys_answer_while_another_process_writes(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # open (and cache) the newest story
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        writer = sqlite3.connect(library.store.path, timeout=0)
        writer.execute("BEGIN IMMEDIATE")  # the write lock, held as another process would
        try:
            for keys in (["j"], ["k"], ["enter"], ["q"], ["m"], ["slash", "escape"]):
                started = time.monotonic()
                for key in keys:
                    await pilot.press(key)
                await pilot.pause()
                # Reads use their own connection and writes go to a worker thread: the
                # screen answers well before the 5 s a write would wait for the lock.
                assert time.monotonic() - started < 2.5, keys
                assert app.is_running
            view = app.screen.query_one("#article", ArticleView)
            assert view.article is not None  # the cached story opened while locked
            assert app.screen.query_one("#entries", EntryList).entries
        finally:
            writer.rollback()
            writer.close()
        await settle(pilot)  # the marks waiting for the lock finish (or say the library is busy)
        assert app.is_running
