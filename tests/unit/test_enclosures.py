"""Enclosures (podcasts, video): read from every feed format, checked, stored, listed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from reader.feeds import parse_feed
from reader.feeds.clean import MAX_ENCLOSURES
from reader.library import Library
from reader.model import Enclosure
from tests.loopback import LoopbackServer, Response
from tests.unit.test_cli_library import cli, json_lines

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Radio</title>
<link>https://radio.example/</link>
<item><title>Episode 12: the night shift</title><link>https://radio.example/12</link>
<guid>ep12</guid>
<enclosure url="https://radio.example/12.mp3" length="24100000" type="audio/mpeg"/></item>
<item><title>Episode 11</title><link>https://radio.example/11</link><guid>ep11</guid>
<enclosure url="javascript:alert(1)" length="1" type="audio/mpeg"/>
<enclosure url="http://radio.example:99999/11.mp3" length="x" type="audio/mpeg"/>
<enclosure url="/11.ogg" length="0" type="audio/ogg&#x1b;]0;t&#x7;"/></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Quay TV</title>
<id>urn:quay</id><updated>2025-01-01T00:00:00Z</updated>
<entry><title>Crane time-lapse</title><id>urn:quay:1</id><updated>2025-01-01T00:00:00Z</updated>
<link rel="alternate" href="https://quay.example/1"/>
<link rel="enclosure" href="https://quay.example/1.mp4" type="video/mp4" length="9000000"/>
</entry></feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Ferry Talk",
        "home_page_url": "https://ferry.example/",
        "items": [
            {
                "id": "1",
                "url": "https://ferry.example/1",
                "title": "Timetables",
                "content_text": "Talk about timetables.",
                "attachments": [
                    {
                        "url": "1.m4a",
                        "mime_type": "audio/mp4\u001b]0;owned\u0007",
                        "size_in_bytes": 5000,
                    },
                    *({"url": f"https://ferry.example/{n}.m4a"} for n in range(50)),
                ],
            }
        ],
    }
).encode()


def test_rss_enclosures_are_kept_and_bad_ones_dropped() -> None:
    feed = parse_feed(RSS, "https://radio.example/feed.xml", "application/rss+xml")
    first, second = feed.entries
    assert first.enclosures == (
        Enclosure("https://radio.example/12.mp3", "audio/mpeg", 24_100_000),
    )
    # javascript: and a bad port are dropped; a relative address is resolved; a control
    # sequence in the type is stripped; a length of 0 means unknown.
    assert second.enclosures == (Enclosure("https://radio.example/11.ogg", "audio/ogg", None),)


def test_atom_and_json_feed_enclosures() -> None:
    atom = parse_feed(ATOM, "https://quay.example/feed", "application/atom+xml")
    assert atom.entries[0].enclosures == (
        Enclosure("https://quay.example/1.mp4", "video/mp4", 9_000_000),
    )
    feed = parse_feed(JSON_FEED, "https://ferry.example/feed.json", "application/feed+json")
    enclosures = feed.entries[0].enclosures
    assert enclosures[0] == Enclosure("https://ferry.example/1.m4a", "audio/mp4", 5000)
    assert len(enclosures) == MAX_ENCLOSURES  # 51 listed, a bounded number kept


def test_enclosures_are_stored_and_listed_by_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    loopback.routes["/radio.xml"] = Response(RSS, content_type="application/rss+xml")
    with Library(tmp_path / "data") as library:
        asyncio.run(library.add_feed(loopback.url("/radio.xml")))
        by_title = {entry.title: entry for entry in library.entries()}
        assert by_title["Episode 12: the night shift"].enclosures[0].length == 24_100_000
    status, out, _ = cli(capsys, tmp_path / "data", "entries", "--json")
    episodes = {row["title"]: row["enclosures"] for row in json_lines(out)}
    assert status == 0 and episodes["Episode 12: the night shift"] == [
        {"url": "https://radio.example/12.mp3", "type": "audio/mpeg", "length": 24_100_000}
    ]
