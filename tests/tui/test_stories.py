"""Stories in the app (issue 15): counts, one row per story, "Also covered by", library links.

Three invented outlets on a real loopback server report one event (a ferry
strike in the port of Calloway) under different headlines; each also carries a
story of its own. The library is a real SQLite file filled through the real
fetch -> parse -> store -> group path; the app runs through Pilot.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from reader.article import clean
from reader.library import Library
from reader.model import Entry
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.main import MainScreen
from reader.tui.screens.reading import Reading
from reader.tui.widgets.entry_list import EntryList
from reader.tui.widgets.highlights import HighlightsPane
from reader.tui.widgets.pick_list import PickList
from tests.loopback import LoopbackServer, Response
from tests.tui.conftest import make_app, settle

WIDE = (160, 48)
pytestmark = pytest.mark.anyio
NOW = datetime.now(UTC).replace(microsecond=0)
"""Real time: the grouping only joins entries published recently."""

STRIKE = {
    "/mole": "Ferry crews in Calloway walk out over night shift rotas",
    "/lantern": "Calloway ferry strike: crews stop sailings over night rotas",
    "/beacon": "Night rota dispute halts Calloway ferry sailings as crews strike",
}
"""One event, three headlines (feed path -> title)."""
OWN = {
    "/mole": "Glassblowers of Penmarrow open their kilns to visitors",
    "/lantern": "Beekeeper Odile Varga wins county honey prize",
    "/beacon": "Library in Wrenfield extends its winter opening hours",
}
"""A story only that outlet carries."""
NAMES = {"/mole": "Harbour Mole", "/lantern": "Lantern Weekly", "/beacon": "Beacon Evening"}
AGES = {"/mole": 1.0, "/lantern": 2.0, "/beacon": 3.0}
"""Hours since each outlet's strike story: the Mole's is the newest."""


def rss(server: LoopbackServer, path: str) -> str:
    items = [
        (f"{path}-strike", STRIKE[path], f"{path}/strike", AGES[path]),
        (f"{path}-own", OWN[path], f"{path}/own", 5.0),
    ]
    body = "".join(
        f"<item><guid>{guid}</guid><title>{escape(title)}</title>"
        f"<link>{server.url(link)}</link><description>{escape(title)}.</description>"
        f"<pubDate>{format_datetime(NOW - timedelta(hours=hours))}</pubDate></item>"
        for guid, title, link, hours in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{NAMES[path]}</title><link>{server.base}{path}/</link>{body}</channel></rss>"
    )


def page(title: str, related: list[tuple[str, str]] = ()) -> str:  # type: ignore[assignment]
    """An article page; `related` is (path, anchor text) for its "Related stories" box."""
    paragraphs = "".join(
        f"<p>Paragraph {n}: harbour staff said the timetable would be posted each morning, "
        "and travellers were asked to check before setting out for the quay.</p>"
        for n in range(6)
    )
    links = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in related)
    aside = (
        f'<aside class="related-stories"><h2>Related stories</h2><ul>{links}</ul></aside>'
        if related
        else ""
    )
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title></head><body>"
        f"<article><h1>{escape(title)}</h1>{paragraphs}</article>{aside}</body></html>"
    )


def serve(server: LoopbackServer) -> None:
    for path in NAMES:
        server.routes[path] = Response(rss(server, path), content_type="application/rss+xml")
        server.routes[f"{path}/own"] = Response(page(OWN[path]))
    server.routes["/mole/strike"] = Response(
        page(
            STRIKE["/mole"],
            [
                (server.url("/lantern/own"), "A county prize for Odile Varga's honey"),
                (server.url("/mole/own?utm_source=box"), "Penmarrow kilns open"),
                (
                    "http://elsewhere.test/unknown-story",
                    "Lighthouse keepers retire on the far coast",
                ),
            ],
        )
    )
    server.routes["/lantern/strike"] = Response(page(STRIKE["/lantern"]))
    server.routes["/beacon/strike"] = Response(page(STRIKE["/beacon"]))


@pytest.fixture
def outlets(tmp_path: Path) -> Iterator[tuple[Library, LoopbackServer]]:
    server = LoopbackServer().start()
    serve(server)
    library = Library(tmp_path / "library")
    try:
        yield library, server
    finally:
        library.close()
        server.stop()


async def subscribe(library: Library, server: LoopbackServer) -> None:
    for path in NAMES:
        await library.add_feed(server.url(path))


def row_text(entry_list: EntryList, y: int) -> str:
    return entry_list.render_line(y).text


def by_title(entries: list[Entry] | tuple[Entry, ...], title: str) -> Entry:
    return next(entry for entry in entries if entry.title == title)


async def test_rows_show_other_outlets_and_collapse_to_one_row_per_story(
    outlets: tuple[Library, LoopbackServer],
) -> None:
    library, server = outlets
    await subscribe(library, server)
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        entries = app.screen.query_one("#entries", EntryList)
        assert len(entries.entries) == 6
        texts = [row_text(entries, y) for y in range(6)]
        for title in STRIKE.values():  # each strike entry: two other outlets carry it
            assert "+2" in next(t for t in texts if title[:30] in t)
        for title in OWN.values():
            assert "+" not in next(t for t in texts if title[:30] in t)

        await pilot.press("c")  # one row per story: the newest strike entry stands for it
        await settle(pilot)
        assert [e.title for e in entries.entries].count(STRIKE["/mole"]) == 1
        assert len(entries.entries) == 4
        assert not {STRIKE["/lantern"], STRIKE["/beacon"]} & {e.title for e in entries.entries}
        head = entries.index_of(by_title(entries.all_entries, STRIKE["/mole"]).id)
        assert head is not None
        assert "▸" in row_text(entries, head) and "+2" in row_text(entries, head)
        entries.move_to(head)
        await pilot.press("enter")  # expands, opens nothing
        await settle(pilot)
        assert app.screen.reading is None
        assert len(entries.entries) == 6
        assert "▾" in row_text(entries, head)
        assert [e.title for e in entries.entries[head : head + 3]] == [
            STRIKE["/mole"],
            STRIKE["/lantern"],
            STRIKE["/beacon"],
        ]
        await pilot.press("down", "enter")  # a story's entry opens like any other
        await settle(pilot)
        reading = app.screen.reading
        assert reading is not None and reading.entry is not None
        assert reading.entry.title == STRIKE["/lantern"]
        assert library.entry(reading.entry.id).read

        entries.focus()
        await pilot.press("c")  # back to every entry, the cursor still on its entry
        await settle(pilot)
        assert len(entries.entries) == 6
        assert entries.highlighted is not None
        assert entries.highlighted.title == STRIKE["/lantern"]


async def test_collapse_key_is_remappable_and_listed_in_help_and_palette(
    outlets: tuple[Library, LoopbackServer], tmp_path: Path
) -> None:
    from rich.console import Console

    from reader.config import Settings
    from reader.tui.commands import ActionCommands
    from reader.tui.screens.help import HelpScreen

    library, server = outlets
    await subscribe(library, server)
    keymap = {"reader.stories": "K"}
    app = make_app(library, Settings(path=tmp_path / "c.toml", keymap=keymap))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        entries = app.screen.query_one("#entries", EntryList)
        await pilot.press("c")  # the default key no longer does it
        await settle(pilot)
        assert not entries.collapsed
        await pilot.press("K")
        await settle(pilot)
        assert entries.collapsed and len(entries.entries) == 4
        commands = {name: keys for name, _, keys in ActionCommands(app.screen)._commands()}
        assert commands["One row per story"] == "Key: K"
        console = Console(width=120, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(HelpScreen._table(keymap))
        help_text = console.export_text()
        line = next(line for line in help_text.splitlines() if "One row per story" in line)
        assert line.split()[0] == "K" and "reader.stories" in line


def related_rows(app: object) -> list[str]:
    related = app.screen.query_one("#related", PickList)  # type: ignore[attr-defined]
    return [str(option.prompt) for option in related.options]


async def test_also_covered_by_lists_the_other_outlets_newest_first_and_opens_them(
    outlets: tuple[Library, LoopbackServer],
) -> None:
    library, server = outlets
    await subscribe(library, server)
    lantern = by_title(library.entries(), STRIKE["/lantern"])
    library.mark_read(lantern.id)
    mole = by_title(library.entries(), STRIKE["/mole"])
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await screen.open_entry(mole, focus=True)
        await settle(pilot)
        rows = related_rows(app)
        assert rows[0] == "Also covered by"
        assert rows[1].startswith("  " + STRIKE["/lantern"]) and "Lantern Weekly" in rows[1]
        assert rows[1].rstrip().endswith("· read")
        assert rows[2].startswith("● " + STRIKE["/beacon"]) and rows[2].endswith("unread")
        screen.focus_pane("related")
        await settle(pilot)
        await pilot.press("down", "enter")  # the second: Beacon Evening's, unread
        await settle(pilot)
        reading = screen.reading
        assert reading is not None and reading.entry is not None
        assert reading.entry.title == STRIKE["/beacon"]
        assert library.entry(reading.entry.id).read
        entries = screen.query_one("#entries", EntryList)
        listed = entries.index_of(reading.entry.id)
        assert listed is not None and entries.entries[listed].read
        # now the Beacon's story is on screen: the Mole is among the others, newest first
        rows = related_rows(app)
        assert STRIKE["/mole"] in rows[1] and STRIKE["/lantern"] in rows[2]


async def test_related_links_in_the_library_open_offline_and_show_read_state(
    outlets: tuple[Library, LoopbackServer],
) -> None:
    library, server = outlets
    await subscribe(library, server)
    kilns = by_title(library.entries(), OWN["/mole"])
    await library.open_article(kilns.url or "", entry_id=kilns.id)  # cached, and read below
    library.mark_read(kilns.id)
    honey = by_title(library.entries(), OWN["/lantern"])
    await library.open_article(honey.url or "", entry_id=honey.id)  # cached, still unread
    mole = by_title(library.entries(), STRIKE["/mole"])
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await screen.open_entry(mole, focus=True)
        await settle(pilot)
        rows = related_rows(app)
        linked = rows[rows.index("Linked from the article") + 1 :]
        assert len(linked) == 3
        assert "Odile Varga" in linked[0] and linked[0].endswith("in your library, unread")
        assert "Penmarrow" in linked[1] and linked[1].endswith("in your library, read")
        assert "Lighthouse" in linked[2] and "library" not in linked[2]

        server.stop()  # offline from here: the library's copy must be enough
        screen.focus_pane("related")
        await settle(pilot)
        related = screen.query_one("#related", PickList)
        related.highlighted = len(rows) - 3
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        story = app.screen.reading
        assert story is not None and story.entry is not None and story.entry.id == honey.id
        assert story.showing == "full" and story.full is not None
        assert library.entry(honey.id).read
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is screen
        entries = screen.query_one("#entries", EntryList)
        listed = entries.index_of(honey.id)
        assert listed is not None and entries.entries[listed].read


async def test_a_mention_without_a_link_is_matched_by_its_words_and_marked_so(
    outlets: tuple[Library, LoopbackServer],
) -> None:
    library, server = outlets
    await subscribe(library, server)
    honey = by_title(library.entries(), OWN["/lantern"])
    text = (
        "Harbour notes\n\n"
        "The quay was quiet all week while the rota talks went on, and the harbour "
        "master kept the ticket office open for refunds every morning.\n\n"
        "See also: Odile Varga wins the county honey prize\n\n"
        "See also: Elephants learn to paint in a distant valley\n"
    )
    article = clean(text, plain_text=True)
    assert [link.url for link in article.related] == [None, None]
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.reading = Reading(url=None)
        await screen.present(article)
        await settle(pilot)
        rows = related_rows(app)
        assert len(rows) == 1  # the elephants match nothing: not shown
        assert rows[0].startswith("≈ " + OWN["/lantern"])
        assert "match by words, not a link" in rows[0]
        screen.focus_pane("related")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ArticleScreen)
        opened = app.screen.reading
        assert opened is not None and opened.entry is not None and opened.entry.id == honey.id


async def test_hostile_titles_in_related_coverage_are_inert(
    outlets: tuple[Library, LoopbackServer],
) -> None:
    library, server = outlets
    hostile = "Calloway ferry strike \x1b]0;owned\x07 [bold]crews[/bold] \u202enight rotas"
    server.routes["/lantern"] = Response(
        rss(server, "/lantern").replace(escape(STRIKE["/lantern"]), escape(hostile)),
        content_type="application/rss+xml",
    )
    await subscribe(library, server)
    mole = by_title(library.entries(), STRIKE["/mole"])
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await screen.open_entry(mole, focus=True)
        await settle(pilot)
        text = "\n".join(related_rows(app))
        assert "[bold]crews[/bold]" in text  # shown as written, never parsed as markup
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        pane = screen.query_one("#highlights", HighlightsPane)
        assert pane.is_mounted


async def test_a_library_failure_while_reading_counts_is_reported_and_the_app_runs_on(
    outlets: tuple[Library, LoopbackServer],
) -> None:
    library, server = outlets
    await subscribe(library, server)
    app = make_app(library)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        entries = app.screen.query_one("#entries", EntryList)
        library.store.close()  # every query fails from here
        entries.set_entries(list(entries.all_entries))  # as a reload does: counts asked again
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.is_running
        assert entries.collapsed and len(entries.entries) == 4  # the counts read before stay
        messages = [str(n.message) for n in app._notifications]
        assert any("closed" in message for message in messages), messages
