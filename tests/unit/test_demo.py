"""The built-in demo: its server over real HTTP, its feeds through our parser, and
its articles through the real engine, with what each article was written to show.

The demo is what a first-time user judges the app by, so each article's shape
(headings, key points, quotes with speakers, glued caption, related links) is
asserted here against `reader.article.clean()`.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.client import HTTPResponse
from pathlib import Path

import pytest

from reader.article import clean
from reader.config import DATABASE_NAME
from reader.demo import BASE_URL_FILE, DemoSite, start_demo
from reader.demo.render import Publication, load_manifest
from reader.feeds import discover_feeds, parse_feed
from reader.model import Article

NOW = datetime(2026, 3, 5, 9, 30, tzinfo=UTC)
"""A fixed 'now' so every date the demo serves is known."""

MANIFEST = load_manifest()
ARTICLE_PATHS = [a.path for a in MANIFEST.articles]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    site = start_demo(tmp_path_factory.mktemp("root"), now=NOW, port=0)
    try:
        yield site
    finally:
        site.stop()


def _get(
    url: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        response: HTTPResponse = urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as error:  # 304 and 404 arrive as HTTPError
        return error.code, dict(error.headers.items()), error.read()
    with response:
        return response.status, dict(response.headers.items()), response.read()


@pytest.fixture(scope="module")
def articles(demo: DemoSite) -> dict[str, Article]:
    """Every demo article fetched over HTTP and cleaned by the real engine, by slug."""
    cleaned = {}
    for article in MANIFEST.articles:
        status, headers, body = _get(demo.base_url + article.path)
        assert status == 200
        cleaned[article.slug] = clean(
            body, demo.base_url + article.path, content_type=headers["Content-Type"]
        )
    return cleaned


# -- the server ---------------------------------------------------------------------------


def test_the_demo_has_five_publications_and_a_dozen_articles() -> None:
    assert len(MANIFEST.publications) == 5
    assert 11 <= len(MANIFEST.articles) <= 13
    assert {p.feed for p in MANIFEST.publications} == {
        "rss-full",
        "rss-summary",
        "atom",
        "atom-summary",
        "json",
    }


def test_every_feed_page_and_asset_is_served(demo: DemoSite) -> None:
    paths = demo.server.paths if demo.server else []
    assert set(ARTICLE_PATHS) <= set(paths)
    assert "/" in paths
    for path in paths:
        status, headers, body = _get(demo.base_url + path)
        assert status == 200, path
        assert int(headers["Content-Length"]) == len(body) > 0, path
        assert headers["ETag"] and headers["Last-Modified"], path
    assert _get(demo.base_url + "/no/such/page")[0] == 404


def test_server_listens_on_loopback_only(demo: DemoSite) -> None:
    assert demo.base_url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    "path", ["/courier/feed.xml", "/ledger/feed.json", "/courier/harbour-night-shifts", "/"]
)
def test_conditional_requests_get_304(demo: DemoSite, path: str) -> None:
    url = demo.base_url + path
    status, headers, _ = _get(url)
    assert status == 200
    etag, last_modified = headers["ETag"], headers["Last-Modified"]

    status, headers, body = _get(url, {"If-None-Match": etag})
    assert (status, body, headers["ETag"]) == (304, b"", etag)
    assert _get(url, {"If-None-Match": f'W/{etag}, "other"'})[0] == 304
    assert _get(url, {"If-None-Match": '"something-else"'})[0] == 200

    assert _get(url, {"If-Modified-Since": last_modified})[0] == 304
    earlier = format_datetime(NOW - timedelta(days=30), usegmt=True)
    assert _get(url, {"If-Modified-Since": earlier})[0] == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110)
    assert _get(url, {"If-None-Match": '"x"', "If-Modified-Since": last_modified})[0] == 200
    assert _get(url, {"If-Modified-Since": "not a date"})[0] == 200


def test_head_answers_without_a_body(demo: DemoSite) -> None:
    status, headers, body = _get(demo.base_url + "/meridian/atom.xml", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) > 0


def test_item_dates_are_relative_to_now(demo: DemoSite) -> None:
    for article in MANIFEST.articles:
        _, headers, _ = _get(demo.base_url + article.path)
        modified = NOW - timedelta(minutes=article.updated_minutes or article.age_minutes)
        assert headers["Last-Modified"] == format_datetime(modified, usegmt=True)
    newest = MANIFEST.articles[0]
    assert newest.age_minutes <= 30, "the newest story should look fresh"


def test_the_same_now_renders_the_same_site(demo: DemoSite, tmp_path: Path) -> None:
    again = start_demo(tmp_path, now=NOW, port=0)
    try:
        for path in [*ARTICLE_PATHS, "/fieldnote/rss.xml"]:
            first = _get(demo.base_url + path)[2].replace(demo.base_url.encode(), b"BASE")
            second = _get(again.base_url + path)[2].replace(again.base_url.encode(), b"BASE")
            assert first == second, path
    finally:
        again.stop()


def test_index_page_advertises_every_feed(demo: DemoSite) -> None:
    _, _, page = _get(demo.base_url + "/")
    assert sorted(discover_feeds(page, demo.base_url + "/")) == sorted(demo.feed_urls)
    for pub in MANIFEST.publications:
        _, _, home = _get(demo.base_url + pub.home_path)
        assert discover_feeds(home, demo.base_url + pub.home_path) == [
            demo.base_url + pub.feed_path
        ]


# -- start_demo and its library folder ------------------------------------------------------


def test_demo_library_lives_beside_the_users(tmp_path: Path) -> None:
    site = start_demo(tmp_path, now=NOW, port=0)
    try:
        assert site.data_dir == tmp_path / "demo"
        assert (site.data_dir / BASE_URL_FILE).read_text().strip() == site.base_url
        assert len(site.feed_urls) == 5
        assert all(url.startswith(site.base_url + "/") for url in site.feed_urls)
    finally:
        site.stop()
        site.stop()  # twice is harmless
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(site.base_url.rsplit(":", 1)[1])), timeout=2)


def test_data_root_defaults_to_the_configured_data_dir(tmp_path: Path) -> None:
    site = start_demo(now=NOW, port=0)  # conftest points READER_DATA_DIR at tmp_path/data
    try:
        assert site.data_dir == tmp_path / "data" / "demo"
    finally:
        site.stop()


def _fake_library(folder: Path) -> list[Path]:
    files = [folder / (DATABASE_NAME + suffix) for suffix in ("", "-wal", "-shm")]
    for file in files:
        file.write_bytes(b"demo data")
    return files


def test_a_new_address_starts_the_demo_library_fresh(tmp_path: Path) -> None:
    demo_dir = tmp_path / "demo"
    demo_dir.mkdir()
    (demo_dir / BASE_URL_FILE).write_text("http://127.0.0.1:1\n")
    files = _fake_library(demo_dir)
    (demo_dir / "keep.txt").write_text("not ours to remove")
    site = start_demo(tmp_path, now=NOW, port=0)
    site.stop()
    assert not any(file.exists() for file in files)
    assert (demo_dir / "keep.txt").exists()
    assert (demo_dir / BASE_URL_FILE).read_text().strip() == site.base_url


def test_the_same_address_keeps_the_demo_library(tmp_path: Path) -> None:
    first = start_demo(tmp_path, now=NOW, port=0)
    first.stop()
    files = _fake_library(first.data_dir)
    port = int(first.base_url.rsplit(":", 1)[1])
    second = start_demo(tmp_path, now=NOW, port=port)
    second.stop()
    assert second.base_url == first.base_url
    assert all(file.exists() for file in files)


def test_a_taken_port_falls_back_to_a_free_one(tmp_path: Path) -> None:
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        taken = blocker.getsockname()[1]
        site = start_demo(tmp_path, now=NOW, port=taken)
        try:
            assert site.base_url != f"http://127.0.0.1:{taken}"
            assert _get(site.feed_urls[0])[0] == 200
        finally:
            site.stop()


def test_a_second_demo_does_not_wipe_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two `reader --demo` at once: the second runs in a throwaway folder of its own."""
    import reader.demo.server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    monkeypatch.setattr(reader.demo.server, "PREFERRED_PORT", free)
    first = start_demo(tmp_path, now=NOW)
    try:
        files = _fake_library(first.data_dir)
        second = start_demo(tmp_path, now=NOW)
        second.stop()
        assert second.data_dir != first.data_dir
        assert not second.data_dir.exists()
        assert all(file.exists() for file in files)
    finally:
        first.stop()


def test_importing_the_demo_stays_light() -> None:
    code = "import json, sys, reader.demo\nprint(json.dumps(sorted(sys.modules)))"
    loaded = set(
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
    )
    for heavy in ("httpx", "feedparser", "lxml", "readability", "textual", "http.server"):
        assert heavy not in loaded, heavy


def test_the_demo_runs_through_the_real_library(tmp_path: Path) -> None:
    """What `reader --demo` does: subscribe, refresh, read; a second refresh is all 304s."""
    import asyncio

    from reader.library import Library

    site = start_demo(tmp_path, now=NOW, port=0)
    try:
        with Library(site.data_dir, parse_workers=0) as library:

            async def subscribe_and_refresh() -> tuple[int, int]:
                for url in site.feed_urls:
                    await library.add_feed(url)
                first = await library.refresh()
                second = await library.refresh()
                return first.failed, second.not_modified

            failed, not_modified = asyncio.run(subscribe_and_refresh())
            assert (failed, not_modified) == (0, 5)
            entries = library.entries()
            assert len(entries) == len(MANIFEST.articles)
            newest = entries[0]
            assert newest.title == MANIFEST.articles[0].title
            assert newest.url == site.base_url + MANIFEST.articles[0].path
            saved = asyncio.run(library.open_article(newest.url or "", entry_id=newest.id))
            assert saved.article is not None
            assert saved.article.captions == ["Harbour cranes at dawn"]
    finally:
        site.stop()


# -- the feeds ------------------------------------------------------------------------------

FEED_KINDS = {
    "courier": "rss",
    "meridian": "atom",
    "ledger": "json",
    "fieldnote": "rss",
    "civic": "atom",
}


@pytest.mark.parametrize("pub", MANIFEST.publications, ids=lambda p: p.id)
def test_feeds_parse_into_entries_with_absolute_links(demo: DemoSite, pub: Publication) -> None:
    url = demo.base_url + pub.feed_path
    _, headers, body = _get(url)
    feed = parse_feed(body, url, headers["Content-Type"])
    assert feed.kind.startswith(FEED_KINDS[pub.id])
    assert feed.title == pub.name
    assert feed.site_url == demo.base_url + pub.home_path
    expected = MANIFEST.articles_of(pub.id)
    assert [e.url for e in feed.entries] == [demo.base_url + a.path for a in expected]
    assert [e.title for e in feed.entries] == [a.title for a in expected]
    for entry, article in zip(feed.entries, expected, strict=True):
        assert entry.guid and entry.author == article.author
        assert entry.summary == article.standfirst
        assert entry.published is not None
        published = datetime.fromisoformat(entry.published.replace("Z", "+00:00"))
        assert published == NOW - timedelta(minutes=article.age_minutes)
        if pub.feed in ("rss-full", "atom", "json"):
            assert entry.content_html and "<p>" in entry.content_html
        else:
            assert not entry.content_html, "this feed carries only a summary"


def test_bracketed_titles_reach_the_feed_literally(demo: DemoSite) -> None:
    titles = []
    for url in demo.feed_urls:
        _, headers, body = _get(url)
        titles += [e.title for e in parse_feed(body, url, headers["Content-Type"]).entries]
    assert "[Updated] Storm warning lifted for coastal districts" in titles
    assert "Newsletter start-up bets on [bold] plain text" in titles


# -- the articles through the engine --------------------------------------------------------


@dataclass
class Expected:
    """What one demo article was written to show."""

    headings: list[tuple[int, str]]
    """(level, heading) of the sections, in order (explicit key-points headings aside)."""
    captions: list[str] = field(default_factory=list)
    takeaways: list[str] | None = None
    """The page's own list, verbatim, when it has one."""
    quotes: list[tuple[str, str]] = field(default_factory=list)
    """(speaker, quote-text substring) pairs that must be found together; the speaker
    exactly (a leading "the" of an organisation aside)."""
    related: dict[str, str] = field(default_factory=dict)
    """slug of the demo article pointed to -> a substring of the related title."""


HARBOUR_POINTS = [
    "Cranes at Kessling Quay may work through the night from 2 March, ending a curfew that has "
    "stood since 2015.",
    "The port authority expects the terminal to handle about 18 percent more containers a year.",
    "Residents of the Old Rope Walk will get double glazing paid for by the port.",
    "Dockers' shifts will be voluntary for the first six months.",
]
DROUGHT_POINTS = [
    "Farms may take no more than half their licensed volume from the Ashwater and its "
    "tributaries until 30 June.",
    "The valley had 41 percent of its usual winter rainfall.",
    "Growers of potatoes and salad crops, which need the most water, will be offered compensation.",
    "Reservoirs that supply Port Averley are at 58 percent, against 85 percent in a normal March.",
]

EXPECTED: dict[str, Expected] = {
    "harbour-night-shifts": Expected(
        headings=[
            (2, "Why the curfew is ending"),
            (2, "Noise and light for the Old Rope Walk"),
            (3, "What the dockers say"),
        ],
        captions=["Harbour cranes at dawn"],
        takeaways=HARBOUR_POINTS,
        quotes=[
            ("Piet Lindqvist", "Ships are waiting in the roads"),
            ("port authority", "the single biggest bottleneck"),
            ("Hanna Sorensen", "a decision taken by people"),
            ("Hanna Sorensen", "We are not against the port"),
            ("Owen Makepeace", "cautiously on board"),
            ("Owen Makepeace", "If people are being leaned on"),
        ],
        related={
            "calder-finch-ferry-contract": "hybrid ferries",
            "fish-prices-cold-snap": "Fish prices climb",
            "storm-warning-lifted": "Storm warning lifted",
        },
    ),
    "rail-talks-resume": Expected(
        headings=[],
        quotes=[
            ("Ilona Varga", "We talked until five this morning"),
            ("Ilona Varga", "a long way apart"),
            ("Ilona Varga", "falls well short"),
            ("Tomas Reddick", "put every pound it can find on the table"),
            ("Tomas Reddick", "Nobody wins if the trains stop"),
            ("regional transport ministry", "following the talks closely"),
            ("Nadia Holm", "I understand why they are doing it"),
        ],
        related={"rail-union-demands": "union's pay demands"},
    ),
    "rail-union-demands": Expected(
        headings=[
            (2, "Pay"),
            (2, "Rosters and rest"),
            (2, "Guards on every train"),
            (2, "What happens next"),
        ],
        quotes=[
            ("Ilona Varga", "A one-off payment is gone by Easter"),
            ("Ilona Varga", "A camera cannot help a passenger"),
        ],
        related={
            "rail-talks-resume": "Rail strike talks resume",  # a box outside <article>
            "storm-warning-lifted": "Storm warning lifted",
        },
    ),
    "water-tariff-explained": Expected(
        headings=[
            (2, "What is changing?"),
            (2, "Why now?"),
            (2, "Who pays more?"),
            (3, "Households with gardens and pools"),
            (3, "Large families"),
            (2, "Who pays less?"),
            (2, "When does it start, and can I appeal?"),
            (2, "What happens next?"),
        ],
        quotes=[
            ("Leena Haverfield", "the fairest way to ask heavy users"),
            ("Leena Haverfield", "If you do not tell us"),
            ("Arthur Quayle", "finally stop people who use very little"),
        ],
        related={"kessel-drought-measures": "drought measures"},
    ),
    "calder-finch-ferry-contract": Expected(
        headings=[
            (2, "A yard that nearly closed"),
            (2, "Why Bay Crossings chose a local yard"),
            (2, "The numbers"),
        ],
        captions=["A ferry hull section in the Calder & Finch construction hall"],
        quotes=[
            ("Rosalind Finch", "There were weeks when the only sound"),
            ("Bay Crossings", "competitive on price"),
            ("Daniel Okonjo", "good business, not charity"),
            ("Daniel Okonjo", "When one of these ferries needs a part"),
            ("Mirela Dragan", "a second customer"),
        ],
        related={"harbour-night-shifts": "night shifts"},
    ),
    "fish-prices-cold-snap": Expected(
        headings=[(2, "Restaurants feel the squeeze"), (2, "When boats can go out again")],
        quotes=[
            ("Mads Iversen", "You can't sell fish you haven't caught"),
            ("Sofia Brandt", "Mussels don't mind the wind"),
            ("Mads Iversen", "The fish are still there"),
        ],
        related={"storm-warning-lifted": "Storm warning lifted"},
    ),
    "storm-warning-lifted": Expected(
        headings=[(2, "Ferries and trains"), (2, "Coastguard advice")],
        captions=["Waves breaking over the sea wall at Marlow Point on Wednesday night"],
        quotes=[("Carla Brennan", "The wind has gone but the sea has not caught up")],
    ),
    "seagrass-returns-lintmoor": Expected(
        headings=[
            (2, "How the meadows were lost"),
            (2, "Seeds by the bucket"),
            (3, "Fish are returning too"),
            (2, "What could go wrong"),
        ],
        captions=["Divers surveying a seagrass meadow in Lintmoor Bay"],
        quotes=[
            ("Amara Okafor", "Seagrass spreads slowly"),
            ("Amara Okafor", "We used to dive here and see bare sand"),
        ],
        related={"kessel-drought-measures": "Drought measures"},
    ),
    "kessel-drought-measures": Expected(
        headings=[],
        takeaways=DROUGHT_POINTS,
        quotes=[
            ("Yusuf Arslan", "We would not extend these measures"),
            ("Elspeth Rowan", "We accept that the rivers come first"),
            ("Elspeth Rowan", "perhaps a quarter"),
        ],
        related={"water-tariff-explained": "water tariff"},
    ),
    "plain-text-newsletter-bold": Expected(
        headings=[
            (2, "Born from a broken template"),
            (2, "Early numbers"),
            (2, "Not everyone is convinced"),
        ],
        quotes=[
            ("Ines Carvalho", "Half our readers saw nothing but a grey box"),
            ("Jonah Pryce", "It looks odd for about two days"),
            ("Beatrix Holloway", "a bet on patience over polish"),
            ("Kasper Lind", "A bracket is not a brand"),
        ],
    ),
    "rowing-club-regatta": Expected(
        headings=[],
        quotes=[
            ("Freya Lund", "At the bridge I told them"),
            ("Callum Ashdown", "You get used to the dark"),
            ("Henrik Dahl", "the best last 500 metres"),
        ],
    ),
    "variable-stars-survey": Expected(
        headings=[
            (2, "Who did the work?"),
            (2, "Why do variable stars matter?"),
            (2, "What comes next?"),
        ],
        quotes=[
            ("Tobias Whitlock", "Most nights it was just the telescope and the sheep"),
            ("Selma Rautio", "deserve a much closer look"),
            ("Tobias Whitlock", "You do not need a telescope"),
        ],
    ),
}

KEY_POINT_HEADINGS = {"Key points", "What we know"}
BOILERPLATE = (
    "cookies",
    "Sign up for",
    "Share on",
    "Most read",
    "Topics:",
    "Subscribe",
    "Skip to content",
    "fictional",
)


def test_every_demo_article_has_expectations() -> None:
    assert set(EXPECTED) == {a.slug for a in MANIFEST.articles}


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_article_metadata(articles: dict[str, Article], demo: DemoSite, slug: str) -> None:
    article, meta = articles[slug], MANIFEST.article(slug)
    assert article.title == meta.title  # brackets such as [Updated] stay literal
    assert article.byline == meta.author
    assert article.site == MANIFEST.publication(meta.publication).name
    assert article.url == demo.base_url + meta.path
    assert article.published is not None
    assert datetime.fromisoformat(article.published) == meta.published(NOW)


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_article_sections_and_captions(articles: dict[str, Article], slug: str) -> None:
    article, expected = articles[slug], EXPECTED[slug]
    headings = [
        (s.level, s.heading)
        for s in article.sections
        if s.heading and s.heading not in KEY_POINT_HEADINGS
    ]
    assert headings == expected.headings
    paragraphs = [p for s in article.sections for p in s.paragraphs]
    assert len(paragraphs) >= 6
    for caption in expected.captions:
        assert sum(c.startswith(caption) for c in article.captions) == 1, article.captions
        assert not any(caption in p for p in paragraphs), caption
    assert len(article.captions) == len(expected.captions)
    for paragraph in paragraphs:
        assert not any(word in paragraph for word in BOILERPLATE), paragraph


@pytest.mark.parametrize(
    ("slug", "lead"),
    [
        ("harbour-night-shifts", "The Averley Port Authority voted on Tuesday evening"),
        ("kessel-drought-measures", "The limits were first imposed in January."),
    ],
)
def test_a_key_points_box_does_not_swallow_the_story(
    articles: dict[str, Article], slug: str, lead: str
) -> None:
    (section,) = [s for s in articles[slug].sections if any(lead in p for p in s.paragraphs)]
    assert section.heading not in KEY_POINT_HEADINGS


def test_the_glued_caption_is_shown_once(articles: dict[str, Article]) -> None:
    assert articles["harbour-night-shifts"].captions == ["Harbour cranes at dawn"]


# -- the semantic passes on the demo articles -----------------------------------------------


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_article_takeaways(articles: dict[str, Article], slug: str) -> None:
    article, expected = articles[slug], EXPECTED[slug]
    if expected.takeaways is not None:
        assert article.takeaways == expected.takeaways
    else:
        assert 1 <= len(article.takeaways) <= 6
        assert len(set(article.takeaways)) == len(article.takeaways)


def _speaker_key(speaker: str) -> str:
    """Case, an organisation's leading "the" and a title such as "Dr." do not matter."""
    key = speaker.lower().removeprefix("the ")
    for title in ("dr. ", "dr ", "mr. ", "ms. ", "mrs. ", "prof. "):
        key = key.removeprefix(title)
    return key


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_article_quotes_have_their_speakers(articles: dict[str, Article], slug: str) -> None:
    article = articles[slug]
    found = [(_speaker_key(q.speaker or ""), q.text) for q in article.quotes]
    for speaker, words in EXPECTED[slug].quotes:
        assert any(_speaker_key(speaker) == who and words in text for who, text in found), (
            speaker,
            words,
            found,
        )
    speakers = {_speaker_key(speaker) for speaker, _ in EXPECTED[slug].quotes}
    for quote in article.quotes:
        # every quote in the demo is attributed, to someone the story names
        assert _speaker_key(quote.speaker or "") in speakers, quote
        # and points at the paragraph it came from
        paragraph = article.sections[quote.section].paragraphs[quote.paragraph]
        assert quote.text[:30] in paragraph


def test_a_quote_over_two_paragraphs_is_one_quote(articles: dict[str, Article]) -> None:
    quotes = articles["rail-talks-resume"].quotes
    whole = [q for q in quotes if "They have spent two years covering" in q.text]
    assert len(whole) == 1
    assert "go back to running the railway" in whole[0].text
    assert whole[0].speaker == "Ilona Varga"


def test_a_pull_quote_is_not_a_second_quote(articles: dict[str, Article]) -> None:
    quotes = articles["fish-prices-cold-snap"].quotes
    assert sum("You can't sell fish" in q.text for q in quotes) == 1


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_related_coverage_points_at_other_demo_articles(
    articles: dict[str, Article], demo: DemoSite, slug: str
) -> None:
    """Only the links written as further reading; never Most read, nav, tags or footer."""
    article = articles[slug]
    expected = {
        demo.base_url + MANIFEST.article(s).path: t for s, t in EXPECTED[slug].related.items()
    }
    assert {link.url for link in article.related} == set(expected)
    for link in article.related:
        assert expected[link.url or ""].lower() in link.title.lower(), link
        assert _get(link.url or "")[0] == 200  # following it works offline


def test_an_in_text_related_link_takes_its_title_from_the_sentence(
    articles: dict[str, Article],
) -> None:
    (link,) = articles["rail-talks-resume"].related
    assert "this related article" not in link.title
    assert link.title.startswith("the union's pay demands")
