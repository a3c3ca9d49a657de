"""Story grouping as pure code: event-level fixtures of our own (invented headlines)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.store import FeedUpdate, Store
from reader.stories import (
    MAX_STORY_TERMS,
    Grouper,
    StoryIndex,
    best_mention,
    decode_terms,
    encode_terms,
    entry_terms,
    normalise_url,
    representative,
    words,
)

HOUR = 3600.0
DAY = 24 * HOUR

BACKGROUND = [
    "Orchard growers report record pear harvest in the Vell valley",
    "City library extends opening hours for exam season",
    "Tram line twelve closed for track repairs until Friday",
    "Chess prodigy Ilse Marrow wins regional title at fourteen",
    "Bakery chain Crumbwell to open forty new shops",
    "Museum returns carved masks to island community",
    "Ferry operator Tidewell raises winter fares",
    "Water board warns of hosepipe ban after dry spring",
    "Local choir tours abroad for the first time",
    "University opens new robotics laboratory",
]
"""Unrelated headlines, so that grouping is not trivially 'everything together'."""


def grouped(
    headlines: list[tuple[str, float]], *, urls: list[str | None] | None = None
) -> list[int]:
    """Story id of each headline, added in order (after the background), merged at the end."""
    index = StoryIndex(now=0.0)
    for n, title in enumerate(BACKGROUND):
        index.add(1000 + n, 0.0, entry_terms(title), None)
    ids = []
    for n, (title, at) in enumerate(headlines):
        url = urls[n] if urls else None
        ids.append(index.add(n + 1, at, entry_terms(title), normalise_url(url)).story_id)
    merged = index.merge_touched()
    return [merged.get(story, story) for story in ids]


def test_two_outlets_one_event_different_headlines_share_a_story() -> None:
    ids = grouped(
        [
            ("Flooding closes Harwick bridge as River Teme bursts its banks", 0.0),
            ("River Teme floods: Harwick bridge shut and residents moved out", 2 * HOUR),
            ("Harwick bridge to stay shut while the Teme stays high, council says", 5 * HOUR),
        ]
    )
    assert ids[0] == ids[1] == ids[2]


def test_two_storms_a_week_apart_are_two_stories() -> None:
    ids = grouped(
        [
            ("Storm Aldric batters northern coast with 90 mph winds", 0.0),
            ("Northern coast counts the cost after Storm Aldric winds", 6 * HOUR),
            ("Storm Bexley batters northern coast, thousands without power", 8 * DAY),
            (
                "Thousands on northern coast without power as Storm Bexley winds rise",
                8 * DAY + HOUR,
            ),
        ]
    )
    assert ids[0] == ids[1]
    assert ids[2] == ids[3]
    assert ids[0] != ids[2]


def test_one_word_in_common_is_not_a_story() -> None:
    ids = grouped(
        [
            ("Apple harvest falls short", 0.0),
            ("Apple unveils thinner laptop", HOUR),
        ]
    )
    assert ids == [1, 2]  # each alone: not together, nor with the pear harvest of the background


def test_background_stays_apart_from_the_event() -> None:
    index = StoryIndex(now=0.0)
    stories = {index.add(n, 0.0, entry_terms(t), None).story_id for n, t in enumerate(BACKGROUND)}
    assert len(stories) == len(BACKGROUND)


def test_same_url_is_always_one_story_whatever_the_titles() -> None:
    ids = grouped(
        [("Mayor opens new harbour walkway", 0.0), ("Weekend: what to do in town", HOUR)],
        urls=[
            "https://www.harbourpost.test/news/walkway/?utm_source=rss",
            "http://harbourpost.test/news/walkway#top",
        ],
    )
    assert ids[0] == ids[1]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://www.a.test/x/?utm_medium=feed&id=3", "http://a.test/x?id=3"),
        ("https://a.test/x?b=2&a=1", "https://a.test/x?a=1&b=2"),
        ("https://A.TEST:443/x", "https://a.test/x/"),
    ],
)
def test_normalised_urls_match(one: str, other: str) -> None:
    assert normalise_url(one) == normalise_url(other)


def test_normalised_urls_keep_what_makes_an_article() -> None:
    assert normalise_url("https://a.test/x?id=3") != normalise_url("https://a.test/x?id=4")
    assert normalise_url("https://a.test/x") != normalise_url("https://b.test/x")
    assert normalise_url("mailto:someone@a.test") is None
    assert normalise_url("http://[broken") is None
    assert normalise_url(None) is None


def test_terms_are_stemmed_without_stopwords_and_round_trip() -> None:
    assert words("The Storms' winds and Aldric's floods") == ["storm", "wind", "aldric", "flood"]
    terms = entry_terms("Storm Aldric", "Winds rose along the coast")
    assert terms == {
        "storm": 2.0,
        "aldric": 2.0,
        "wind": 1.0,
        "rose": 1.0,
        "along": 1.0,
        "coast": 1.0,
    }
    assert decode_terms(encode_terms(terms)) == terms


def test_story_state_is_bounded() -> None:
    index = StoryIndex(now=0.0)
    for n in range(400):
        title = f"Harwick bridge flood update {n} with word{n} and other{n}"
        index.add(n, 0.0, entry_terms(title, f"extra{n} more{n} text{n}"), None)
    index.merge_touched()
    for story in index.stories.values():
        assert len(story.vec) <= MAX_STORY_TERMS
        assert len(story.counts or ()) <= 4 * MAX_STORY_TERMS + 40


def test_representative_headline_carries_the_common_terms() -> None:
    members = [
        (title, encode_terms(entry_terms(title)))
        for title in (
            "Bridge shut",
            "Flooding closes Harwick bridge as River Teme rises",
            "River Teme floods Harwick",
        )
    ]
    assert representative(members) == "Flooding closes Harwick bridge as River Teme rises"


def test_a_mention_matches_only_with_confidence() -> None:
    candidates = [
        (1, "Flooding closes Harwick bridge as River Teme bursts its banks", ""),
        (2, "Tram line twelve closed for track repairs", ""),
    ]
    assert best_mention("Harwick bridge closed by River Teme flooding", candidates) == 1
    assert best_mention("closed", candidates) is None  # too little to go on
    twins = [(1, "Harwick bridge flood", ""), (2, "Harwick bridge flood", "")]
    assert best_mention("Harwick bridge flood", twins) is None  # two equal matches: none


def test_a_grouper_sees_what_another_process_grouped(tmp_path: Path) -> None:
    """The stories kept in memory are rebuilt when someone else grouped entries meanwhile."""
    store = Store.open(tmp_path / "library.sqlite3")
    one, other = (store.add_feed(f"http://feeds.test/{n}", f"Feed {n}") for n in (1, 2))
    assert one is not None and other is not None
    mine, theirs = Grouper(), Grouper()
    now = time.time()

    def write(feed_id: int, key: str, title: str) -> None:
        item = _Item(key, title, datetime.fromtimestamp(now - 60, UTC).isoformat())
        store.apply_update(FeedUpdate(feed_id, entries=[item]))

    write(one.id, "a", "Tram line twelve closed for track repairs")
    assert mine.run(store, now).started == 1
    write(other.id, "b", "Storm Aldric batters northern coast with 90 mph winds")
    assert theirs.run(store, now).started == 1  # a story `mine` has never seen
    write(one.id, "c", "Northern coast counts the cost after Storm Aldric winds")
    stats = mine.run(store, now)
    assert (stats.joined, stats.started) == (1, 0)
    store.close()


class _Item:
    """A feed item as the store takes it."""

    def __init__(self, key: str, title: str, published: str) -> None:
        self.guid, self.title, self.url, self.published = (
            key,
            title,
            f"http://x.test/{key}",
            published,
        )
        self.author = self.content_html = self.updated = None
        self.summary = ""
