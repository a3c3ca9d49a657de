"""Stories through the real library and CLI: loopback feeds, real SQLite, `main()`."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from reader.cli import main
from reader.library import Library
from reader.stories import group_new
from tests.loopback import LoopbackServer, Response
from tests.unit.test_library import RSS, page

NOW = datetime.now(UTC).replace(microsecond=0)


def feed(title: str, items: list[tuple[str, str, str]], hours_ago: float = 1.0) -> str:
    """RSS with items (guid, title, link), all published `hours_ago` (recent: they get grouped)."""
    when = format_datetime(NOW - timedelta(hours=hours_ago))
    body = "".join(
        f"<item><guid>{escape(guid)}</guid><title>{escape(item_title)}</title>"
        f"<link>{escape(link)}</link><description>{escape(item_title)}.</description>"
        f"<pubDate>{when}</pubDate></item>"
        for guid, item_title, link in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(title)}</title><link>http://x.test/</link>{body}</channel></rss>"
    )


def serve_outlets(server: LoopbackServer) -> None:
    """Three outlets: two report the Harwick flood under different headlines, one does not."""
    base = server.base
    server.routes["/post"] = Response(
        feed(
            "Harbour Post",
            [
                (
                    "p1",
                    "Flooding closes Harwick bridge as River Teme bursts its banks",
                    f"{base}/post/flood",
                ),
                ("p2", "Ferry operator Tidewell raises winter fares", f"{base}/post/fares"),
            ],
        ),
        content_type=RSS,
    )
    server.routes["/courier"] = Response(
        feed(
            "Valley Courier",
            [
                (
                    "c1",
                    "River Teme floods: Harwick bridge shut, residents moved out",
                    f"{base}/courier/teme",
                ),
                ("c2", "Chess prodigy Ilse Marrow wins regional title", f"{base}/courier/chess"),
            ],
        ),
        content_type=RSS,
    )
    server.routes["/gazette"] = Response(
        feed(
            "Hill Gazette \x1b]0;owned\x07[bold]",
            [("g1", "Orchard growers report record pear harvest", f"{base}/gazette/pears")],
        ),
        content_type=RSS,
    )


def cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return status, out, err


def subscribed(capsys: pytest.CaptureFixture[str], data: Path, server: LoopbackServer) -> None:
    serve_outlets(server)
    for path in ("/post", "/courier", "/gazette"):
        assert cli(capsys, data, "add", server.url(path))[0] == 0


def test_refresh_groups_and_stories_json_has_the_exact_shape(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    data = tmp_path / "data"
    subscribed(capsys, data, loopback)
    status, out, err = cli(capsys, data, "stories", "--json")
    assert (status, err) == (0, "")
    stories = [json.loads(line) for line in out.splitlines()]
    assert len(stories) == 1  # default --min-size 2: the flood, nothing else
    story = stories[0]
    assert list(story) == ["id", "title", "entries"]
    assert isinstance(story["id"], int)
    assert "Harwick" in story["title"]
    assert sorted(e["feed"] for e in story["entries"]) == ["Harbour Post", "Valley Courier"]
    for entry in story["entries"]:
        assert list(entry) == ["id", "title", "url", "feed"]
        assert isinstance(entry["id"], int) and isinstance(entry["url"], str)
    status, out, _ = cli(capsys, data, "stories", "--json", "--min-size", "1")
    assert len(out.splitlines()) == 4  # the flood + three stories of one
    assert "\x1b" not in out and "owned" not in out

    status, out, _ = cli(capsys, data, "entries", "--story", str(story["id"]), "--json")
    assert status == 0
    assert sorted(json.loads(line)["id"] for line in out.splitlines()) == sorted(
        e["id"] for e in story["entries"]
    )
    status, out, _ = cli(capsys, data, "stories")
    assert status == 0 and "2 entries" in out and "Valley Courier: River Teme floods" in out


def test_stories_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    data = tmp_path / "data"
    subscribed(capsys, data, loopback)
    status, out, err = cli(capsys, data, "stories", "--since", "last tuesday")
    assert status == 1 and out == "" and err.count("\n") == 1 and "not a date" in err
    status, _, err = cli(capsys, data, "entries", "--story", "99999")
    assert status == 1 and err.count("\n") == 1 and "no story" in err
    status, _, err = cli(capsys, data, "stories", "--min-size", "0")
    assert status == 2 and err.count("\n") == 1
    tomorrow = (NOW + timedelta(days=1)).date().isoformat()
    assert cli(capsys, data, "stories", "--since", tomorrow)[:2] == (0, "")
    yesterday = (NOW - timedelta(days=1)).date().isoformat()
    assert len(cli(capsys, data, "stories", "--json", "--since", yesterday)[1].splitlines()) == 1


def test_old_entries_stay_alone_and_a_second_refresh_keeps_story_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    data = tmp_path / "data"
    subscribed(capsys, data, loopback)
    before = cli(capsys, data, "stories", "--json")[1]
    loopback.routes["/late"] = Response(
        feed(
            "Late Herald",
            [("l1", "Harwick bridge stays shut while River Teme stays high", "http://l.test/1")],
        ),
        content_type=RSS,
    )
    loopback.routes["/old"] = Response(
        feed("Old Times", [("o1", "Harwick bridge flood of long ago", "http://o.test/1")], 24 * 90),
        content_type=RSS,
    )
    assert cli(capsys, data, "add", loopback.url("/late"))[0] == 0
    assert cli(capsys, data, "add", loopback.url("/old"))[0] == 0
    after = json.loads(cli(capsys, data, "stories", "--json")[1])
    assert after["id"] == json.loads(before)["id"]
    assert sorted(e["feed"] for e in after["entries"]) == [
        "Harbour Post",
        "Late Herald",
        "Valley Courier",
    ]


def test_reading_one_entry_marks_read_the_same_article_elsewhere(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    data = tmp_path / "data"
    shared = "https://www.wire.test/2025/harwick-bridge/"
    loopback.routes["/a"] = Response(
        feed("Wire A", [("a1", "Harwick bridge closed", shared + "?utm_source=a")]),
        content_type=RSS,
    )
    loopback.routes["/b"] = Response(
        feed("Wire B", [("b1", "Weekend roundup", "http://wire.test/2025/harwick-bridge")]),
        content_type=RSS,
    )
    for path in ("/a", "/b"):
        assert cli(capsys, data, "add", loopback.url(path))[0] == 0
    entries = [json.loads(line) for line in cli(capsys, data, "entries", "--json")[1].splitlines()]
    assert len(entries) == 2
    (story,) = [json.loads(line) for line in cli(capsys, data, "stories", "--json")[1].splitlines()]
    assert len(story["entries"]) == 2  # same article: one story, titles notwithstanding
    assert cli(capsys, data, "read", str(entries[0]["id"]))[0] == 0
    entries = [json.loads(line) for line in cli(capsys, data, "entries", "--json")[1].splitlines()]
    assert [e["read"] for e in entries] == [True, True]
    assert cli(capsys, data, "unread", str(entries[0]["id"]))[0] == 0
    entries = [json.loads(line) for line in cli(capsys, data, "entries", "--json")[1].splitlines()]
    assert sorted(e["read"] for e in entries) == [False, True]  # unread marks only that one


def test_related_links_resolve_offline_through_redirects_and_words(
    tmp_path: Path, loopback: LoopbackServer
) -> None:
    base = loopback.base
    loopback.routes["/feed"] = Response(
        feed(
            "Harbour Post",
            [
                (
                    "p1",
                    "Flooding closes Harwick bridge as River Teme bursts its banks",
                    f"{base}/go/flood",
                ),
                ("p2", "Ferry operator Tidewell raises winter fares", f"{base}/post/fares"),
            ],
        ),
        content_type=RSS,
    )
    loopback.routes["/go/flood"] = Response(
        b"", status=301, headers={"Location": f"{base}/post/flood-final"}
    )
    loopback.routes["/post/flood-final"] = Response(page("Flooding closes Harwick bridge"))
    with Library(tmp_path / "data", timeout=2, deadline=4) as library:
        asyncio.run(library.add_feed(loopback.url("/feed")))
        flood = next(e for e in library.entries() if "Harwick" in e.title)
        asyncio.run(library.open_article(f"{base}/go/flood", entry_id=flood.id))
        loopback.stop()  # from here on, no network at all

        final = library.resolve_related(f"{base}/post/flood-final/?utm_campaign=x#top")
        assert final is not None and final.how == "url"
        assert final.entry is not None and final.entry.id == flood.id
        assert final.article is not None and final.article.article is not None
        assert final.read is False
        via_feed_link = library.resolve_related(f"{base}/go/flood")
        assert via_feed_link is not None and via_feed_link.entry is not None
        fares = library.resolve_related(f"{base}/post/fares")
        assert fares is not None and fares.article is None and fares.entry is not None
        assert library.resolve_related(f"{base}/post/unknown") is None
        assert library.resolve_related("not a url") is None

        mention = library.resolve_mention("Harwick bridge closed as the River Teme floods")
        assert mention is not None and mention.how == "words"
        assert mention.entry is not None and mention.entry.id == flood.id
        assert library.resolve_mention("winter") is None
        assert library.resolve_mention('" OR * NEAR(') is None


def test_also_covered_and_counts_for_the_app(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    data = tmp_path / "data"
    subscribed(capsys, data, loopback)
    with Library(data) as library:
        entries = library.entries()
        flood = [e for e in entries if "Harwick" in e.title or "Teme" in e.title]
        counts = library.story_counts([e.id for e in entries])
        assert {counts[e.id][1] for e in flood} == {2}
        lone = next(e for e in entries if "pear" in e.title)
        assert counts[lone.id][1] == 1
        others = library.also_covered(flood[0].id)
        assert [e.id for e in others] == [flood[1].id]
        assert library.also_covered(lone.id) == []
        assert library.story_of(lone.id).entries[0].id == lone.id


def test_grouping_is_incremental_and_idempotent(tmp_path: Path, loopback: LoopbackServer) -> None:
    serve_outlets(loopback)
    with Library(tmp_path / "data", timeout=2, deadline=4) as library:
        asyncio.run(library.add_feed(loopback.url("/post")))
        asyncio.run(library.add_feed(loopback.url("/courier")))
        assert group_new(library.store).entries == 0  # refresh already grouped everything
        path = library.store.path
    with sqlite3.connect(path) as db:
        (rows,) = db.execute("SELECT COUNT(*) FROM story_members").fetchone()
        (stories,) = db.execute("SELECT COUNT(DISTINCT story_id) FROM story_members").fetchone()
    assert (rows, stories) == (4, 3)


def test_an_opened_article_text_finds_the_story_its_headline_missed(
    tmp_path: Path, loopback: LoopbackServer
) -> None:
    base = loopback.base
    loopback.routes["/post"] = Response(
        feed(
            "Harbour Post",
            [
                (
                    "p1",
                    "Flooding closes Harwick bridge as River Teme bursts its banks",
                    f"{base}/p/1",
                )
            ],
        ),
        content_type=RSS,
    )
    loopback.routes["/courier"] = Response(
        feed("Valley Courier", [("c1", "What a week it was", f"{base}/c/1")]), content_type=RSS
    )
    paragraphs = "".join(
        f"<p>{text}</p>"
        for text in (
            "Flooding closed the Harwick bridge on Tuesday after the River Teme burst its banks.",
            "Residents near the Teme were moved out overnight while the water kept rising.",
            "Engineers will inspect the Harwick bridge once the flooding has gone down.",
        )
    )
    loopback.routes["/c/1"] = Response(
        f"<!doctype html><html><head><title>What a week it was</title></head><body><article>"
        f"<h1>What a week it was</h1>{paragraphs}</article></body></html>"
    )
    with Library(tmp_path / "data", timeout=2, deadline=4) as library:
        asyncio.run(library.add_feed(loopback.url("/post")))
        asyncio.run(library.add_feed(loopback.url("/courier")))
        vague = next(e for e in library.entries() if e.title == "What a week it was")
        assert len(library.story_of(vague.id).entries) == 1  # the headline says nothing
        asyncio.run(library.open_article(f"{base}/c/1", entry_id=vague.id))
        assert len(library.story_of(vague.id).entries) == 2  # its text does
