"""The screen stays ours: hostile titles and text are shown as inert characters.

Two layers. The real app in a real pseudo-terminal, on a library filled from a
hostile feed and page served by a loopback server: the bytes it writes to the
terminal must hold no escape sequence of ours (no title change, no clear, no
clipboard write), and markup-like text must be on screen verbatim. And the
widgets fed raw, uncleaned model objects (as if the library had let them in):
no crash, brackets visible, no control character reaches the screen.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path

import pytest

from reader.library import Library
from reader.model import Article, Entry, Feed, Link, Quote, Section
from tests.loopback import Response
from tests.tui.conftest import make_app, run_in_pty, settle

pytestmark = pytest.mark.anyio

HOSTILE = [
    ("Set title \x1b]0;PWNED-TITLE\x07 done", "Set title done"),
    ("Clear \x1b[2J screen", "Clear screen"),
    ("Clip \x1b]52;c;UFdORUQ=\x07 board", "Clip board"),
    ("Markup [bold red]x[/] here", "Markup [bold red]x[/] here"),
    ("Lone [/ bracket", "Lone [/ bracket"),
    ("RTL \u202eevil\u202c text", "RTL evil text"),
    ("NUL \x00 byte", "NUL byte"),
]
"""(what the feed says, what the reader must show)."""

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _hostile_page() -> str:
    paragraphs = "".join(
        f"<p>{html.escape(raw)} in a paragraph of the story body.</p>" for raw, _ in HOSTILE
    )
    return (
        f"<html><head><title>Hostile page [bold]x[/]</title></head><body><article>"
        f"<h1>Hostile page [bold]x[/]</h1>{paragraphs}"
        f"<h2>Second [/ part</h2><p>“[red]Quoted[/] words,” said [Person].</p>"
        f"</article></body></html>"
    )


def _serve_hostile(loopback) -> str:  # type: ignore[no-untyped-def]
    items = [
        {
            "id": str(i),
            "url": loopback.url(f"/story/{i}"),
            "title": raw,
            "content_text": f"{raw} is the feed's own text.",
            "date_published": f"2025-07-0{i + 1}T10:00:00Z",
        }
        for i, (raw, _) in enumerate(HOSTILE)
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Hostile \x1b]0;FEED\x07 [b]Gazette[/b]",
        "items": items,
    }
    loopback.routes["/feed.json"] = Response(json.dumps(feed), content_type="application/feed+json")
    for i in range(len(HOSTILE)):
        loopback.routes[f"/story/{i}"] = Response(_hostile_page())
    return loopback.url("/feed.json")


async def test_the_real_terminal_receives_no_escape_sequence_from_content(
    loopback, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    url = _serve_hostile(loopback)
    library = Library(tmp_path / "data")
    try:
        await library.add_feed(url)
        titles = [entry.title for entry in library.entries()]
    finally:
        library.close()
    assert titles == [shown for _, shown in reversed(HOSTILE)]  # whole sequences removed
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "READER_DATA_DIR": str(tmp_path / "data"),
        "READER_CONFIG": str(tmp_path / "config.toml"),
        "TEXTUAL": "",
    }
    output = run_in_pty(
        [sys.executable, "-m", "reader"],
        env,
        [
            (b"Markup [bold red]x[/] here", b"\r"),  # the list is painted: open the newest
            (b"in a paragraph of the story body", b"q"),  # the cleaned page arrived: leave it
            (b"", b"q"),  # back in the list: quit
        ],
    )
    text = output.decode("utf-8", "replace")
    for _, shown in HOSTILE:
        assert shown in text, shown
    # Feed titles lose the whole sequence. In page text the HTML parser may already have
    # dropped the ESC, leaving "]0;PWNED-TITLE" as harmless characters: what matters is
    # that no sequence reaches the terminal.
    assert "\x1b]0;PWNED" not in text and "\x1b]52;c;UFdORUQ" not in text
    assert "\x1b]0;" not in text and "\x1b]2;" not in text  # the terminal title is untouched
    assert "\x1b]52;" not in text  # the clipboard is untouched
    assert "FEED" not in text
    assert "Clear \x1b[2J" not in text and "\u202e" not in text and "\x00" not in text
    assert "Hostile  [b]Gazette[/b]" in text or "Hostile [b]Gazette[/b]" in text


def _raw_article() -> Article:
    raw = [text for text, _ in HOSTILE]
    return Article(
        title=raw[0],
        byline=raw[3],
        published="2025-07-03T10:00:00Z",
        url="http://x.test/a",
        site=raw[4],
        description=raw[5],
        sections=[Section(None, 1, raw[:4]), Section(raw[4], 2, raw[4:])],
        takeaways=raw,
        quotes=[Quote(text, raw[3], 0, 0) for text in raw],
        related=[Link(text, "http://x.test/r", raw[1]) for text in raw],
        captions=raw,
    )


def _screen_text(app) -> str:  # type: ignore[no-untyped-def]
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_raw_hostile_model_objects_render_inert(library: Library) -> None:
    """As if the library had stored them uncleaned: every pane still shows plain text."""
    from reader.tui.screens.main import MainScreen
    from reader.tui.widgets.entry_list import EntryList
    from reader.tui.widgets.feed_tree import FeedTree

    raw = [text for text, _ in HOSTILE]
    entries = [
        Entry(
            id=1000 + i,
            feed_id=1,
            title=text,
            url=None,
            feed_title=raw[3],
            summary=f"{text}\n\n{raw[4]}",
            published="2025-07-03T10:00:00Z",
        )
        for i, text in enumerate(raw)
    ]
    app = make_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.query_one("#feeds", FeedTree).show_feeds(
            [Feed(id=1, url="http://x.test/f", title=raw[3], last_error=raw[4], unread=3)], 0, None
        )
        entry_list = screen.query_one("#entries", EntryList)
        entry_list.set_entries(entries)
        await pilot.pause()
        lines = [entry_list.render_line(y).text for y in range(len(entries))]
        for line in lines:
            assert not UNSAFE.search(line), repr(line)
        assert any("Markup [bold red]x[/] here" in line for line in lines)
        await screen.present(_raw_article())
        await settle(pilot)
        screen.notify(raw[4], markup=False)
        await pilot.press("tab", "tab")  # into the highlights
        await settle(pilot)
        text = _screen_text(app)
        assert not UNSAFE.search(text.replace("\n", "")), "a control character reached the screen"
        assert "Markup [bold red]x[/] here" in text
        assert "Lone [/ bracket" in text
        assert "RTL evil text" in text
        assert app.clipboard == ""
        await pilot.press("i")  # the feed's info panel shows the hostile error as text
        await settle(pilot)
        assert "Lone [/ bracket" in _screen_text(app)
