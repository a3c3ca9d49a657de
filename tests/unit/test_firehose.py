"""Catching up on many feeds: bulk mark-read with undo, one story read everywhere, filters,
saved searches and search that finds (real loopback feeds, real SQLite)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.errors import ReaderError
from reader.filters import load_rules
from reader.library import Library
from reader.store import MIGRATIONS
from tests.loopback import LoopbackServer, Response
from tests.unit.test_library import RSS, rss

RULES = {
    "filters": [{"title": "Sponsored|Advert"}],
    "saved_searches": [{"name": "Transport", "query": "rail OR ferry"}],
}


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


@pytest.fixture
def feeds(loopback: LoopbackServer) -> LoopbackServer:
    loopback.routes["/harbour"] = Response(
        rss(
            "Harbour News",
            [
                ("h1", "Ferry strikes halt crossings"),
                ("h2", "Council budget vote"),
                ("h3", "Sponsored: win a cruise"),
                ("shared", "Rail line reopens"),
            ],
        ),
        content_type=RSS,
    )
    # The same story ("shared") reached through a second feed, under another headline.
    loopback.routes["/valley"] = Response(
        rss("Valley Times", [("v1", "Bridge repairs begin"), ("shared", "Trains run again")]),
        content_type=RSS,
    )
    return loopback


@pytest.fixture
def library(tmp_path: Path, feeds: LoopbackServer) -> Iterator[Library]:
    opened = Library(tmp_path / "data", timeout=2, deadline=4, rules=load_rules(RULES))
    run(opened.add_feed(feeds.url("/harbour")))
    run(opened.add_feed(feeds.url("/valley")))
    yield opened
    opened.close()


def titles(library: Library, **options: object) -> set[str]:
    return {entry.title for entry in library.entries(**options)}  # type: ignore[arg-type]


def test_filters_hide_entries_everywhere(library: Library) -> None:
    assert "Sponsored: win a cruise" not in titles(library)
    counts = {feed.title: (feed.unread, feed.total) for feed in library.feeds()}
    assert counts["Harbour News"] == (3, 3)
    assert not any("cruise" in hit.title for hit in library.search("cruise"))


def test_filters_apply_again_when_they_change(tmp_path: Path, library: Library) -> None:
    library.close()
    reopened = Library(tmp_path / "data", rules=load_rules({}))
    assert "Sponsored: win a cruise" in titles(reopened)
    reopened.close()


def test_mark_feed_read_and_undo(library: Library) -> None:
    harbour = next(feed for feed in library.feeds() if feed.title == "Harbour News")
    assert library.mark_all_read(feed_id=harbour.id) == 4  # 3 of the feed + the shared story
    assert titles(library, unread=True) == {"Bridge repairs begin"}
    assert library.undo_mark_all_read() == 4
    assert len(titles(library, unread=True)) == 5
    assert library.undo_mark_all_read() == 0  # only the last bulk mark


def test_mark_everything_read_before_a_date(library: Library) -> None:
    # Dated 1 and 2 January: two of each feed, and the shared story's twin dated 4 January.
    assert library.mark_all_read(before="2025-01-03") == 5
    assert titles(library, unread=True) == set()
    assert library.mark_all_read() == 0
    with pytest.raises(ReaderError, match="not a date"):
        library.mark_all_read(before="last Tuesday")


def test_one_story_read_in_one_feed_is_read_in_both(library: Library) -> None:
    shared = [e for e in library.entries() if e.url and e.url.endswith("/story/shared")]
    assert len(shared) == 2
    library.mark_read(shared[0].id)
    assert all(e.read for e in library.entries() if e.url and e.url.endswith("/story/shared"))


def test_saved_search_lists_counts_and_marks(library: Library) -> None:
    assert titles(library, saved_search="transport") == {
        "Ferry strikes halt crossings",
        "Rail line reopens",
    }
    [count] = library.saved_searches()
    assert (count.name, count.unread, count.total) == ("Transport", 2, 2)
    assert library.mark_all_read(saved_search="Transport") == 3  # + the shared story's twin
    assert library.saved_searches()[0].unread == 0
    with pytest.raises(ReaderError, match="no saved search"):
        library.entries(saved_search="Weather")


def test_search_stems_and_understands_the_syntax(library: Library) -> None:
    assert {hit.title for hit in library.search("strike")} == {"Ferry strikes halt crossings"}
    assert {hit.title for hit in library.search("bridge OR budget")} == {
        "Bridge repairs begin",
        "Council budget vote",
    }
    assert {hit.title for hit in library.search('"budget vote" -ferry')} == {"Council budget vote"}


def test_first_schema_library_upgrades_search_index(tmp_path: Path) -> None:
    """A library written before stemming keeps its entries and finds them by stem."""
    path = tmp_path / "old" / "library.sqlite3"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    for number in range(4):
        db.executescript(MIGRATIONS[number])
        db.execute(f"PRAGMA user_version = {number + 1}")
    db.execute("INSERT INTO feeds(url, title, added_at) VALUES ('http://x.test/f', 'X', '')")
    db.execute(
        "INSERT INTO entries(feed_id, key, title, summary, first_seen, sort_time, read) "
        "VALUES (1, 'k', 'Dock strikes end', '', '', '2025-01-01', 1)"
    )
    db.execute("INSERT INTO entries_fts(rowid, title, summary) VALUES (1, 'Dock strikes end', '')")
    db.commit()
    db.close()
    library = Library(path.parent)
    assert [(e.title, e.read) for e in library.entries()] == [("Dock strikes end", True)]
    assert [hit.title for hit in library.search("strike")] == ["Dock strikes end"]
    library.close()


def test_feeds_carry_several_categories_and_can_be_edited(library: Library) -> None:
    harbour = next(feed for feed in library.feeds() if feed.title == "Harbour News")
    edited = library.edit_feed(
        harbour.id, title="The Harbour", categories=["Local", "News", "local ", "Local"]
    )
    assert (edited.title, edited.categories, edited.category) == (
        "The Harbour",
        ("Local", "News", "local"),
        "Local",
    )
    assert library.edit_feed(harbour.id, full_article=False).full_article is False
    assert library.edit_feed(harbour.id, categories=[]).categories == ()
    with pytest.raises(ReaderError, match="needs a title"):
        library.edit_feed(harbour.id, title=" \x1b[2J ")


def test_an_old_single_category_becomes_the_first_of_many(tmp_path: Path) -> None:
    path = tmp_path / "old" / "library.sqlite3"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    for number in range(4):
        db.executescript(MIGRATIONS[number])
        db.execute(f"PRAGMA user_version = {number + 1}")
    db.execute(
        "INSERT INTO feeds(url, title, category, added_at) VALUES ('http://x.test/f', 'X', 'Tech', '')"
    )
    db.commit()
    db.close()
    library = Library(path.parent)
    assert [feed.categories for feed in library.feeds()] == [("Tech",)]
    library.close()
