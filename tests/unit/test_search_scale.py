"""Search at scale, on a real SQLite file: only the newest matches are ranked, the count
stays exact, hidden entries never show, and the query syntax is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.model import Article, Section
from reader.store import FeedUpdate, Store
from tests.unit.test_store import Item


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "lib" / "library.sqlite3")
    yield opened
    opened.close()


def _fill(store: Store, titles: list[str]) -> list[int]:
    """Store one entry per title, oldest first; returns their ids in the same order."""
    feed = store.add_feed("http://scale.test/feed.xml", "Scale Gazette")
    assert feed is not None
    ids = []
    for n, title in enumerate(titles):
        item = Item(f"g{n}", title, f"http://scale.test/{n}", summary="a quiet market day")
        store.apply_update(FeedUpdate(feed.id, entries=[item]))
        ids.append(store.last_entry_id())
    return ids


def test_only_the_newest_matches_are_ranked(store: Store) -> None:
    # The oldest entry is the best match (the word three times in its title), but with
    # a cap of 3 only the three newest matches are ranked.
    ids = _fill(
        store,
        ["lighthouse lighthouse lighthouse keeper"]
        + [f"a long report on the lighthouse repairs, part {n}" for n in range(5)],
    )
    capped = store.search("lighthouse", 3, rank_cap=3)
    assert {hit.id for hit in capped} == set(ids[-3:])
    uncapped = store.search("lighthouse", 10, rank_cap=100)
    assert uncapped[0].id == ids[0]  # without the cap, bm25 puts it first
    assert len(uncapped) == 6
    assert store.search_count("lighthouse") == 6  # the count is exact either way


def test_the_cap_still_ranks_within_the_newest(store: Store) -> None:
    ids = _fill(store, ["ferry news", "ferry ferry ferry strike", "the ferry timetable"])
    hits = store.search("ferry", 2, rank_cap=2)
    assert [hit.id for hit in hits] == [ids[1], ids[2]]


def test_count_leaves_out_hidden_entries_and_counts_articles(store: Store) -> None:
    ids = _fill(store, ["harbour pilots", "harbour tolls", "orchard harvest"])
    store.hide_filtered(lambda row, url: "tolls" in row.title)
    assert store.search_count("harbour") == 1
    assert [hit.id for hit in store.search("harbour", 10)] == [ids[0]]
    article = Article(
        title="Harbour pilots return",
        url="http://scale.test/saved",
        sections=[Section(None, 1, ["The harbour reopened at dawn."])],
    )
    store.put_article("http://scale.test/saved", article, None)
    assert store.search_count("harbour") == 2
    assert store.search_count("") == 0
    assert store.search_count("zzzunknownword") == 0


def test_hidden_entries_never_crowd_out_visible_ones(store: Store) -> None:
    # Many hidden entries rank above the visible one: the store asks for more rows.
    titles = [f"quarry quarry quarry blast {n}" for n in range(40)] + ["a quarry opens"]
    ids = _fill(store, titles)
    store.hide_filtered(lambda row, url: "blast" in row.title)
    hits = store.search("quarry", 1)
    assert [hit.id for hit in hits] == [ids[-1]]


def test_syntax_is_unchanged_under_the_cap(store: Store) -> None:
    ids = _fill(store, ["storm warning", "storms ahead", "budget vote", "storm budget"])
    assert {h.id for h in store.search("storm -budget", 2, rank_cap=2)} == {ids[0], ids[1]}
    assert {h.id for h in store.search('"budget vote"', 1, rank_cap=1)} == {ids[2]}
    assert {h.id for h in store.search("bud*", 5, rank_cap=5)} == {ids[2], ids[3]}
    assert store.search_count("storm OR vote") == 4
    assert store.search("storm", 0) == []


def test_asking_for_more_hits_than_the_cap_ranks_as_many(store: Store) -> None:
    ids = _fill(store, [f"canal lock report {n}" for n in range(6)])
    assert {hit.id for hit in store.search("canal", 5, rank_cap=2)} == set(ids[-5:])


def test_hidden_entries_are_found_by_their_own_index_not_a_scan(store: Store) -> None:
    _fill(store, ["harbour pilots"])
    plan = store._read(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM entries h CROSS JOIN entries_fts "
        "ON entries_fts.rowid = h.id WHERE h.hidden AND entries_fts MATCH ?",
        ("harbour",),
    )
    assert any("entries_hidden" in str(row[-1]) for row in plan), plan


def test_a_limit_beyond_sqlite_parameter_count_still_answers(store: Store) -> None:
    import sqlite3

    feed = store.add_feed("http://many.test/feed.xml", "Many")
    assert feed is not None
    items = [Item(f"m{n}", f"weir notice {n}", f"http://many.test/{n}") for n in range(2_500)]
    store.apply_update(FeedUpdate(feed.id, entries=items))
    # The smallest limit SQLite can be built with (this build allows far more).
    store._reader().setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    hits = store.search("weir", 3_000)
    assert len(hits) == 2_500 == store.search_count("weir")
