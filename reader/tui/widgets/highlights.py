"""The highlights pane: Key takeaways, Quotes and Related coverage, stacked.

Three option lists, each scrolling on its own, all visible at once on a wide
screen (not tabs that hide each other). Enter on a quote or a related story is
reported to the screen, which jumps the article or opens the story.
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


def site_of(url: str | None) -> str:
    """The host name a link points to, without "www."."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


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
            option_list = OptionList(id=list_id, classes="highlights--part")
            option_list.border_title = title
            yield option_list

    def show(self, article: Article | None) -> None:
        """Fill the three parts from `article` (empty parts say so)."""
        self._quotes = list(article.quotes) if article else []
        self._related = [link for link in article.related if link.url] if article else []
        takeaways = (
            [Option(Content("• " + safe(text))) for text in article.takeaways] if article else []
        )
        quotes = [Option(self._quote_prompt(quote)) for quote in self._quotes]
        related = [Option(self._related_prompt(link)) for link in self._related]
        self._fill("takeaways", takeaways, "No key takeaways in this article.", article)
        self._fill("quotes", quotes, "No direct quotes in this article.", article)
        self._fill("related", related, "No related coverage linked.", article)

    def _fill(
        self, list_id: str, options: list[Option], empty: str, article: Article | None
    ) -> None:
        option_list = self.query_one(f"#{list_id}", OptionList)
        option_list.border_subtitle = str(len(options)) if options else ""
        if not options:
            options = [Option(Content(empty if article else ""), disabled=True)]
        option_list.set_options(options)

    @staticmethod
    def _quote_prompt(quote: Quote) -> Content:
        speaker = safe(quote.speaker) or "Unattributed"
        return Content.assemble((speaker, "bold"), " – ", f"“{safe(quote.text)}”")

    @staticmethod
    def _related_prompt(link: Link) -> Content:
        title = safe(link.title) or safe(link.url)
        return Content.assemble(title, "\n", (site_of(link.url), "italic dim"))

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
