"""OPML import (folders become categories, broken files name their line) and export."""

from __future__ import annotations

import pytest

from reader.errors import ReaderError
from reader.feeds import OutlineFeed, parse_opml, write_opml
from reader.model import Feed
from tests.conftest import SHARED, need_shared

CORPUS = SHARED / "corpus" / "feeds"


def test_round_trip_keeps_urls_titles_and_categories() -> None:
    feeds = [
        Feed(1, "https://a.example.test/feed", 'A & <Co> "quoted"', categories=("News/World",)),
        Feed(2, "https://b.example.test/rss?x=1&y=2", "B", site_url="https://b.example.test/"),
        Feed(3, "https://c.example.test/atom", "C", categories=("News",)),
        Feed(4, "https://d.example.test/atom", "Ctrl\x01 chars\nand lines", categories=("Tech",)),
        Feed(5, "https://e.example.test/atom", "", categories=("News/World",)),
        Feed(6, "https://f.example.test/rss", "F", categories=("News", "Local, maybe", "Tech/AI")),
    ]
    text = write_opml(feeds)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    parsed = parse_opml(text.encode(), "export.opml")
    assert sorted(parsed, key=lambda f: f.url) == [
        OutlineFeed("https://a.example.test/feed", 'A & <Co> "quoted"', ("News/World",)),
        OutlineFeed("https://b.example.test/rss?x=1&y=2", "B"),
        OutlineFeed("https://c.example.test/atom", "C", ("News",)),
        OutlineFeed("https://d.example.test/atom", "Ctrl chars and lines", ("Tech",)),
        OutlineFeed("https://e.example.test/atom", "https://e.example.test/atom", ("News/World",)),
        # Several categories: the first is the folder, the rest OPML 2.0's category list
        # (a comma inside a name cannot survive that list, so it becomes a space).
        OutlineFeed("https://f.example.test/rss", "F", ("News", "Local maybe", "Tech/AI")),
    ]


def test_a_feed_in_two_folders_has_both_categories() -> None:
    data = b"""<opml version="2.0"><body>
  <outline text="News"><outline type="rss" text="A" xmlUrl="https://a.example.test/"/></outline>
  <outline text="Local"><outline type="rss" text="A" xmlUrl="https://a.example.test/"/></outline>
</body></opml>"""
    assert parse_opml(data, "two.opml") == [
        OutlineFeed("https://a.example.test/", "A", ("News", "Local"))
    ]


def test_export_nests_folders() -> None:
    text = write_opml([Feed(1, "https://a.example.test/f", "A", categories=("Outer/Inner",))])
    outer = text.index('<outline text="Outer"')
    inner = text.index('<outline text="Inner"')
    feed = text.index('xmlUrl="https://a.example.test/f"')
    assert outer < inner < feed
    assert text.count("</outline>") == 2


def test_nested_folders_become_categories() -> None:
    data = """<?xml version="1.0"?>
<opml version="1.0"><head><title>t</title></head><body>
  <outline text="Top"><outline title="Mid">
     <outline type="rss" text="Deep feed" xmlUrl="https://deep.example.test/rss"/>
  </outline>
  <outline type="rss" text="Shallow" xmlurl="https://shallow.example.test/rss"/></outline>
  <outline type="rss" title="Loose" text="ignored" xmlUrl="feed://loose.example.test/rss"/>
  <outline type="rss" text="Command" xmlUrl="|~/bin/fetch.sh"/>
  <outline type="rss" text="Dup" xmlUrl="https://deep.example.test/rss"/>
  <outline type="rss" text="Tagged" xmlUrl="https://t.example.test/" category="/Sports/Tennis,x"/>
  <outline type="rss" text="Upper" xmlUrl="HTTPS://u.example.test/Feed"/>
  <outline type="rss" text="Bidi" xmlUrl="https://b.example.test/‮fdp.exe"/>
  <outline type="rss" text="No host" xmlUrl="https://"/>
</body></opml>""".encode()
    assert parse_opml(data, "subs.opml") == [
        OutlineFeed("https://deep.example.test/rss", "Deep feed", ("Top/Mid",)),
        OutlineFeed("https://shallow.example.test/rss", "Shallow", ("Top",)),
        OutlineFeed("http://loose.example.test/rss", "Loose"),
        OutlineFeed("https://t.example.test/", "Tagged", ("Sports/Tennis", "x")),
        OutlineFeed("https://u.example.test/Feed", "Upper"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not valid OPML: the file is empty"),
        (
            b"<?xml version='1.0'?>\n<opml>\n<body>\n<outline text='a & b'/>\n</body></opml>",
            "not valid OPML: a bare '&' (it must be written &amp;) at line 4",
        ),
        (
            b"<opml version='2.0'>\n<head/>\n<body>\n<outline text='x'>\n</body>\n</opml>",
            "not valid OPML: Opening and ending tag mismatch: outline line 4 and body at line 5",
        ),
        (b"<opml>\n<body>\n", "not valid OPML: Premature end of data in tag body line 2 at line 3"),
        (
            b"<?xml version='1.0'?>\n<rss version='2.0'><channel/></rss>",
            "not valid OPML: the root element is <rss>, not <opml>, at line 2",
        ),
        (
            b"<opml version='2.0'>\n  <head/>\n</opml>",
            "not valid OPML: no <body> element at line 1",
        ),
    ],
)
def test_broken_opml_names_the_line(data: bytes, message: str) -> None:
    with pytest.raises(ReaderError) as caught:
        parse_opml(data, "subs.opml")
    assert caught.value.message == message
    assert str(caught.value) == f"subs.opml: {message}"


def test_entity_expansion_is_refused() -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{k} "{f"&a{k - 1};" * 10}">' for k in range(1, 10)
    )
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE opml [{entities}]>\n<opml><body>'
        '<outline text="&a9;" xmlUrl="https://x.example.test/"/></body></opml>'
    ).encode()
    with pytest.raises(ReaderError, match="not valid OPML"):
        parse_opml(data, "bomb.opml")


def test_external_entities_are_not_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY s SYSTEM "file://{secret}">]>'
        '<opml><body><outline text="&s;" title="&s;" xmlUrl="https://x.example.test/"/>'
        "</body></opml>"
    ).encode()
    try:
        feeds = parse_opml(data, "xxe.opml")
    except ReaderError:
        return
    assert all("TOPSECRET" not in (feed.title or "") for feed in feeds)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    data = b"<opml><body>" + b"<outline text='f'>" * 5000 + b"</outline>" * 5000 + b"</body></opml>"
    with pytest.raises(ReaderError, match="nested more than 256 deep"):
        parse_opml(data, "deep.opml")


NEWSBOAT = CORPUS / "newsboat" / "opml"


def test_newsboat_example_folders() -> None:
    need_shared("corpus", "feeds")
    feeds = parse_opml((NEWSBOAT / "example.opml").read_bytes(), "example.opml")
    assert [(f.url, f.category) for f in feeds] == [
        ("https://example.com/feed.xml", None),
        ("https://example.com/mirrors/distrowatch.rss", None),
        ("https://example.com/feed.atom", None),
        ("https://example.com/feed.rss09", None),
        ("https://blogs.example.com/~john/posts.rss", "Blogs"),
        ("https://blogs.example.com/~mike/.rss", "Blogs/friends"),
        ("https://fred.example.com/writing/index.php?type=rss", "eloquent"),
    ]


def test_newsboat_nested_tags_and_commands() -> None:
    need_shared("corpus", "feeds")
    urls_plus = parse_opml((NEWSBOAT / "test-urls+.opml").read_bytes(), "test-urls+.opml")
    assert [(f.title, f.category) for f in urls_plus] == [
        ("CC Test", "tag1/tag2"),
        ("Anotherfeed", None),
        ("One more feed", "tag1/tag3"),
        ("example.com website (Atom feed)", None),
    ]
    piped = parse_opml((NEWSBOAT / "piped.opml").read_bytes(), "piped.opml")
    assert [f.url for f in piped] == ["https://example.com/feed.atom"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("body-element-missing.opml", "not valid OPML: no <body> element at line 2"),
        (
            "opml-element-missing.opml",
            "not valid OPML: the root element is <not-opml>, not <opml>, at line 2",
        ),
    ],
)
def test_newsboat_broken_files(name: str, message: str) -> None:
    need_shared("corpus", "feeds")
    with pytest.raises(ReaderError) as caught:
        parse_opml((NEWSBOAT / name).read_bytes(), name)
    assert caught.value.message == message


CORPUS_OPML = (
    sorted(
        str(path.relative_to(CORPUS))
        for path in [
            *NEWSBOAT.glob("*.opml"),
            *(CORPUS / "netnewswire-rsparser" / "opml").glob("*.opml"),
            CORPUS / "rome" / "modules" / "opml_1.0.xml",
            CORPUS / "rome" / "modules" / "opml_2.0.xml",
        ]
        if "missing" not in path.name
    )
    if CORPUS.exists()
    else ["needs-shared-corpus"]  # one test that skips (fails in CI) through need_shared
)


def test_the_corpus_opml_files_are_there() -> None:
    need_shared("corpus", "feeds")
    assert len(CORPUS_OPML) == 10


@pytest.mark.parametrize("path", CORPUS_OPML)
def test_corpus_opml_files_parse(path: str) -> None:
    need_shared("corpus", "feeds")
    feeds = parse_opml((CORPUS / path).read_bytes(), path)
    assert feeds
    for feed in feeds:
        assert feed.url.startswith(("http://", "https://"))
        assert feed.title is None or feed.title.strip() == feed.title


def test_netnewswire_subscriptions_with_and_without_title_attributes() -> None:
    need_shared("corpus", "feeds")
    folder = CORPUS / "netnewswire-rsparser" / "opml"
    with_titles = parse_opml((folder / "Subs.opml").read_bytes(), "Subs.opml")
    without = parse_opml((folder / "SubsNoTitleAttributes.opml").read_bytes(), "x.opml")
    assert len(with_titles) > 100
    assert [f.url for f in with_titles] == [f.url for f in without]
    assert all(f.title for f in without)  # the text attribute stands in for the title
