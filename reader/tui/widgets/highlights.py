"""The highlights pane: Key takeaways, Quotes and Related coverage, stacked.

Three lists, each scrolling on its own, all visible at once on a wide screen
(not tabs that hide each other). Quotes and related stories are set apart by a
rule, each quote with its speaker (and role, when the engine knows it). Enter on
a quote or a related story is reported to the screen, which jumps the article
or opens the story.

Related coverage is first the article's own links; once the screen has looked
them up in the library (`show_library`, off the UI thread), it also lists the
other outlets' entries for the same story ("Also covered by", newest first),
marks links the library holds as read or unread (they open from the library,
offline too), and adds mentions without a URL that matched one entry by their
words, marked as a match rather than a link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.model import Article, Entry, Link, Quote
from reader.tui.format import age, safe
from reader.tui.widgets.pick_list import PickList, with_dividers

if TYPE_CHECKING:
    from reader.stories import RelatedMatch


def site_of(url: str | None) -> str:
    """The host name a link points to, without "www."."""
    try:
        host = urlsplit(url or "").hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def site_prefix(url: str | None) -> str:
    """A site's address up to its last "/": "http://host/courier/" for a feed there."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError:  # a port out of range or not a number
        return ""
    if not parts.hostname:
        return ""
    host = parts.hostname.removeprefix("www.")
    path = parts.path[: parts.path.rfind("/") + 1] or "/"
    return f"{host}{f':{port}' if port else ''}{path}"


def publication_of(url: str | None, publications: dict[str, str]) -> str:
    """The name of the followed publication whose site holds `url` (longest match), or ""."""
    here = site_prefix(url)
    best = ""
    for prefix in publications:
        if here.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return publications.get(best, "")


def quote_prompt(quote: Quote) -> Content:
    """ "The words" then – Speaker, role (the role when the engine found one)."""
    speaker = safe(quote.speaker) or "Unattributed"
    role = safe(getattr(quote, "speaker_role", None))
    who = Content.assemble(("– ", "dim"), (speaker, "bold"))
    if role:
        who = Content.assemble(who, (f", {role}", "italic"))
    return Content.assemble(f"“{safe(quote.text)}”", "\n", who)


def related_prompt(link: Link, publications: dict[str, str]) -> Content:
    """The story's title, then its publication (a followed feed's name; the host last)."""
    title = safe(link.title) or safe(link.url)
    host = site_of(link.url)
    source = safe(getattr(link, "site", None)) or publication_of(link.url, publications) or host
    return Content.assemble(title, "\n", (source, "italic dim"))


def read_state(read: bool) -> str:
    return "read" if read else "unread"


def library_link_prompt(
    link: Link, match: RelatedMatch | None, publications: dict[str, str]
) -> Content:
    """A related link, and what the library knows of it (read or not; a match by words)."""
    prompt = related_prompt(link, publications)
    if match is None:
        return prompt
    if match.how == "words":
        title = safe(match.entry.title) if match.entry else safe(link.title)
        source = safe(match.entry.feed_title) if match.entry else ""
        return Content.assemble(
            ("≈ ", "bold"),
            title,
            "\n",
            (f"{source} · " if source else "", "italic dim"),
            (f"match by words, not a link · {read_state(match.read)}", "italic dim"),
        )
    return Content.assemble(prompt, (f" · in your library, {read_state(match.read)}", "italic dim"))


def also_prompt(entry: Entry, now: datetime) -> Content:
    """Another outlet's entry for the story: ● when unread, its feed and age."""
    when = age(entry.published, now)
    meta = safe(entry.feed_title) + (f" · {when}" if when else "") + f" · {read_state(entry.read)}"
    mark = ("  ", "") if entry.read else ("● ", "bold")
    return Content.assemble(mark, safe(entry.title) or "(untitled)", "\n", (meta, "italic dim"))


RowKind = Literal["link", "also", "heading"]


@dataclass(slots=True)
class RelatedRow:
    """What one option of the Related coverage list stands for."""

    kind: RowKind
    link: Link | None = None
    match: RelatedMatch | None = None
    entry: Entry | None = None
    label: str = ""
    """A heading's words."""


class HighlightsPane(Vertical):
    """The three highlight parts of one article."""

    @dataclass
    class QuoteChosen(Message):
        """Enter on a quote: show where it was said."""

        quote: Quote

    @dataclass
    class RelatedChosen(Message):
        """Enter on a related story: open it."""

        link: Link
        match: RelatedMatch | None = None
        """The library's copy of the story, when it has one: opened from there."""

    @dataclass
    class AlsoChosen(Message):
        """Enter on another outlet's entry for the story: open it."""

        entry: Entry

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._quotes: list[Quote] = []
        self._related: list[RelatedRow] = []
        self._article: Article | None = None
        self._publications: dict[str, str] = {}
        self.now: Callable[[], datetime] = lambda: datetime.now(UTC)
        """The clock for the ages of "Also covered by" (the app's, fixed in tests)."""

    def compose(self) -> ComposeResult:
        for list_id, title in (
            ("takeaways", "Key takeaways"),
            ("quotes", "Quotes"),
            ("related", "Related coverage"),
        ):
            option_list = PickList(id=list_id, classes="highlights--part")
            option_list.border_title = title
            yield option_list

    def show(self, article: Article | None, publications: dict[str, str] | None = None) -> None:
        """Fill the three parts from `article` (empty parts say so)."""
        publications = publications or {}
        self._article, self._publications = article, publications
        self._quotes = list(article.quotes) if article else []
        takeaways = (
            [Option(Content("• " + safe(text))) for text in article.takeaways] if article else []
        )
        quotes = [Option(quote_prompt(quote)) for quote in self._quotes]
        self._fill("takeaways", takeaways, "No key takeaways in this article.", article)
        self._fill("quotes", quotes, "No direct quotes in this article.", article, spaced=True)
        links = [link for link in article.related if link.url] if article else []
        self._show_related([RelatedRow("link", link) for link in links])

    def show_library(
        self, also: list[Entry], links: list[tuple[Link, RelatedMatch | None]]
    ) -> None:
        """Related coverage with what the library holds: other outlets, known links, mentions.

        `links` are the article's related links (and URL-less mentions) with their match.
        """
        rows: list[RelatedRow] = []
        if also:
            rows.append(RelatedRow("heading", label="Also covered by"))
            rows.extend(RelatedRow("also", entry=entry) for entry in also)
        linked = [RelatedRow("link", link, match) for link, match in links if link.url or match]
        if also and linked:
            rows.append(RelatedRow("heading", label="Linked from the article"))
        rows.extend(linked)
        self._show_related(rows)

    def _show_related(self, rows: list[RelatedRow]) -> None:
        self._related = rows
        options: list[Option | None] = []
        for row in rows:
            if options and row.kind != "heading" and self._related_option_needs_rule(options):
                options.append(None)
            options.append(self._related_option(row))
        option_list = self.query_one("#related", PickList)
        count = sum(1 for row in rows if row.kind != "heading")
        option_list.border_subtitle = str(count) if count else ""
        if not rows:
            empty = "No related coverage linked." if self._article else ""
            option_list.set_options([Option(Content(empty), disabled=True)])
        else:
            option_list.set_options(options)
        if option_list.has_focus:
            option_list.highlight_first()

    @staticmethod
    def _related_option_needs_rule(options: list[Option | None]) -> bool:
        """A rule between two stories, none right under a heading."""
        last = options[-1]
        return last is not None and not last.disabled

    def _related_option(self, row: RelatedRow) -> Option:
        if row.kind == "heading":
            return Option(Content.styled(row.label, "bold underline"), disabled=True)
        if row.kind == "also" and row.entry is not None:
            return Option(also_prompt(row.entry, self.now()))
        assert row.link is not None
        return Option(library_link_prompt(row.link, row.match, self._publications))

    def _fill(
        self,
        list_id: str,
        options: list[Option],
        empty: str,
        article: Article | None,
        *,
        spaced: bool = False,
    ) -> None:
        option_list = self.query_one(f"#{list_id}", PickList)
        option_list.border_subtitle = str(len(options)) if options else ""
        if not options:
            option_list.set_options([Option(Content(empty if article else ""), disabled=True)])
        else:
            option_list.set_options(with_dividers(options) if spaced else options)
        if option_list.has_focus:
            option_list.highlight_first()

    @on(OptionList.OptionSelected, "#quotes")
    def _quote_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._quotes):
            self.post_message(self.QuoteChosen(self._quotes[event.option_index]))

    @on(OptionList.OptionSelected, "#related")
    def _related_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not 0 <= event.option_index < len(self._related):
            return
        row = self._related[event.option_index]
        if row.kind == "also" and row.entry is not None:
            self.post_message(self.AlsoChosen(row.entry))
        elif row.kind == "link" and row.link is not None:
            self.post_message(self.RelatedChosen(row.link, row.match))

    @on(OptionList.OptionSelected, "#takeaways")
    def _takeaway_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
