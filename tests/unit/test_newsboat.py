"""Reading newsboat's urls file and cache.db (a cache built here with newsboat's table layout)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.errors import ReaderError
from reader.library import Library
from reader.newsboat import parse_urls, read_cache, read_urls, translate_query

URLS = """\
# my feeds
https://harbour.example/feed.xml news "local news" ~"Harbour Gazette"
https://rail.example/rss.xml transport news news
https://hidden.example/atom.xml ! misc
"query:Transport:title =~ \\"rail|ferry\\" or content =~ \\"port\\""
"query:Unread:unread = \\"yes\\""
exec:~/bin/make-feed.sh
ftp://old.example/feed
"https://broken.example/feed.xml unbalanced
"""


def test_feeds_with_tags_titles_and_queries() -> None:
    parsed = parse_urls(URLS)
    assert [(f.url, f.categories, f.title) for f in parsed.feeds] == [
        ("https://harbour.example/feed.xml", ("news", "local news"), "Harbour Gazette"),
        ("https://rail.example/rss.xml", ("transport", "news"), None),
        ("https://hidden.example/atom.xml", ("misc",), None),
    ]
    assert [(q.name, q.query) for q in parsed.queries] == [("Transport", "rail OR ferry OR port")]
    skipped = "\n".join(parsed.skipped)
    assert "query 'Unread'" in skipped and "no equivalent" in skipped
    assert "line 7: exec: feeds run a program" in skipped
    assert "line 8: not a web address" in skipped
    assert "line 9: unbalanced quotes" in skipped


@pytest.mark.parametrize(
    ("expression", "query"),
    [
        ('title =~ "storm"', "storm"),
        ('title # "budget"', "budget"),
        ('content =~ "sea wall" and title =~ "council"', '"sea wall" council'),
        ('title =~ "^Breaking"', None),  # a real regular expression: no equivalent
        ("age < 3", None),
    ],
)
def test_query_translation(expression: str, query: str | None) -> None:
    assert translate_query(expression) == query


def _newsboat_cache(path: Path) -> None:
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE rss_feed (rssurl VARCHAR(1024) PRIMARY KEY NOT NULL, url VARCHAR(1024)
            NOT NULL, title VARCHAR(1024) NOT NULL, lastmodified INTEGER(11) NOT NULL DEFAULT 0,
            is_rtl INTEGER(1) NOT NULL DEFAULT 0, etag VARCHAR(128) NOT NULL DEFAULT '');
        CREATE TABLE rss_item (id INTEGER PRIMARY KEY AUTOINCREMENT, guid VARCHAR(64) NOT NULL,
            title VARCHAR(1024) NOT NULL, author VARCHAR(1024) NOT NULL,
            url VARCHAR(1024) NOT NULL, feedurl VARCHAR(1024) NOT NULL,
            pubDate INTEGER NOT NULL, content VARCHAR(65535) NOT NULL,
            unread INTEGER(1) NOT NULL, enclosure_url VARCHAR(1024),
            enclosure_type VARCHAR(1024), enqueued INTEGER(1) NOT NULL DEFAULT 0,
            flags VARCHAR(52), deleted INTEGER(1) NOT NULL DEFAULT 0,
            base VARCHAR(128) NOT NULL DEFAULT '', content_mime_type VARCHAR(255) NOT NULL
            DEFAULT '', enclosure_description VARCHAR(1024) NOT NULL DEFAULT '',
            enclosure_description_mime_type VARCHAR(128) NOT NULL DEFAULT '');
        """
    )
    story = "".join(
        f"<p>Paragraph {n} of the ferry story, long enough to be kept as body text.</p>"
        for n in range(6)
    )
    rows = [
        ("g1", "Ferry returns \x1b]0;pwned\x07", "https://harbour.example/1", 0, "s", 0, story),
        ("g2", "Budget vote", "https://harbour.example/2", 1, None, 0, ""),
        ("g3", "Gone", "https://harbour.example/3", 0, None, 1, ""),
    ]
    db.executemany(
        "INSERT INTO rss_item (guid, title, author, url, feedurl, pubDate, content, unread, "
        "flags, deleted) VALUES (?, ?, 'A. Writer', ?, 'https://harbour.example/feed.xml', "
        "1736935200, ?, ?, ?, ?)",
        [(g, t, u, c, unread, f, d) for g, t, u, unread, f, d, c in rows],
    )
    db.commit()
    db.close()


def test_cache_read_and_flagged_state(tmp_path: Path) -> None:
    cache = tmp_path / "cache.db"
    _newsboat_cache(cache)
    items = list(read_cache(cache))
    assert [(i.guid, i.title, i.read, i.flagged) for i in items] == [
        ("g1", "Ferry returns", True, True),
        ("g2", "Budget vote", False, False),
    ]


def test_bad_files_say_what_and_where(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="no such file"):
        list(read_cache(tmp_path / "missing.db"))
    not_a_cache = tmp_path / "other.db"
    sqlite3.connect(not_a_cache).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ReaderError, match="not a newsboat cache"):
        list(read_cache(not_a_cache))
    with pytest.raises(ReaderError, match="cannot read the file"):
        read_urls(tmp_path / "nothing-here")


def test_import_through_the_library_keeps_tags_read_state_and_flags(tmp_path: Path) -> None:
    urls = tmp_path / "urls"
    urls.write_text(URLS)
    cache = tmp_path / "cache.db"
    _newsboat_cache(cache)
    library = Library(tmp_path / "data")
    result = library.import_newsboat(urls, cache)
    assert sorted(feed.url for feed in result.added) == [
        "https://harbour.example/feed.xml",
        "https://hidden.example/atom.xml",
        "https://rail.example/rss.xml",
    ]
    harbour = library.feed("https://harbour.example/feed.xml")
    assert (harbour.title, harbour.categories) == ("Harbour Gazette", ("news", "local news"))
    assert (result.entries, result.read, result.saved) == (2, 1, 1)
    entries = {entry.title: entry for entry in library.entries()}
    assert entries["Ferry returns"].read and entries["Ferry returns"].saved
    assert not entries["Budget vote"].read
    assert entries["Budget vote"].published == "2025-01-15T10:00:00+00:00"
    [saved] = library.saved()
    assert saved.url == "https://harbour.example/1"
    again = library.import_newsboat(urls)  # a second import adds nothing
    assert again.added == []
    library.close()
