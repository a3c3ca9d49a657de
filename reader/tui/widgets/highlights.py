"""The highlights pane: Key takeaways, Quotes and Related coverage, stacked.

Three lists, each scrolling on its own, all visible at once on a wide screen
(not tabs that hide each other). Quotes and related stories are set apart by a
rule, each quote with its speaker (and role, when the engine knows it). Enter on
a quote or a related story is reported to the screen, which jumps the article
or opens the story.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.model import Article, Link, Quote
from reader.tui.format import safe
from reader.tui.widgets.pick_list import PickList, with_dividers


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

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._quotes: list[Quote] = []
        self._related: list[Link] = []

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
        self._quotes = list(article.quotes) if article else []
        self._related = [link for link in article.related if link.url] if article else []
        takeaways = (
            [Option(Content("• " + safe(text))) for text in article.takeaways] if article else []
        )
        quotes = [Option(quote_prompt(quote)) for quote in self._quotes]
        related = [Option(related_prompt(link, publications)) for link in self._related]
        self._fill("takeaways", takeaways, "No key takeaways in this article.", article)
        self._fill("quotes", quotes, "No direct quotes in this article.", article, spaced=True)
        self._fill("related", related, "No related coverage linked.", article, spaced=True)

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
        if 0 <= event.option_index < len(self._related):
            self.post_message(self.RelatedChosen(self._related[event.option_index]))

    @on(OptionList.OptionSelected, "#takeaways")
    def _takeaway_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
