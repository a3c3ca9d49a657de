"""The article pane: header, then each section's heading and paragraphs.

A line-API widget: the article is wrapped once into lines (again on resize or a
theme change) and `render_line` draws the ones on screen. Opening an article
mounts no widgets, so it costs one wrap and one paint, whatever its length, and
moving the focus to the pane restyles nothing. Every block remembers its first
line, so `]`/`[` put a section heading at the top of the pane and a quote's
paragraph can be found, marked and centred. Lines of blank space after the end
let the last heading reach the top too. Text arrives as plain strings and is
wrapped as `rich.text.Text`, never parsed as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Article, Enclosure, Quote
from reader.tui import bindings
from reader.tui.format import found_spans, long_date, safe, safe_block

_MARGIN = 2
"""Blank cells left and right of the text."""


BlockKind = Literal[
    "title",
    "description",
    "meta",
    "link",
    "notice",
    "rule",
    "heading",
    "subheading",
    "paragraph",
    "placeholder",
    "end",
]


_SEARCHED = {"title", "description", "heading", "subheading", "paragraph"}
"""The blocks where a search's words are marked."""


@dataclass(slots=True)
class _Block:
    """One run of text with one look: a title, a heading, a paragraph…"""

    kind: BlockKind
    """Its component class suffix (how it looks)."""
    text: str
    section: int = -1
    paragraph: int = -1
    space_before: int = 0


class ArticleView(ScrollView, can_focus=True):
    """Shows one `Article`; reports the section at the top as the reader scrolls."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.ARTICLE_VIEW)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--title",
        "article-view--meta",
        "article-view--link",
        "article-view--rule",
        "article-view--notice",
        "article-view--description",
        "article-view--heading",
        "article-view--subheading",
        "article-view--paragraph",
        "article-view--marked",
        "article-view--spoken",
        "article-view--found",
        "article-view--end",
        "article-view--placeholder",
    }

    @dataclass
    class SectionChanged(Message):
        """The section at the top of the pane is now `index`."""

        article_view: ArticleView
        index: int

        @property
        def control(self) -> ArticleView:
            return self.article_view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        """The article on show, or None before the first one is opened."""
        self.notice: str | None = None
        """The sentence shown above the article (feed text only, fetch failed…)."""
        self.message: str = "Choose an entry and press Enter to read it."
        """What the pane says when it has no article."""
        self.current_section = 0
        """Index of the section whose heading is at (or above) the top of the pane."""
        self.marked: tuple[int, int] | None = None
        """(section, paragraph) of the paragraph marked by a quote jump."""
        self._spoken = ""
        self.found: re.Pattern[str] | None = None
        """The searched words marked in the text (an article opened from a search)."""
        self._blocks: list[_Block] = []
        self._lines: list[Strip] = []
        self._layout_width = -1
        self._section_lines: list[int] = []
        self._paragraph_lines: dict[tuple[int, int], tuple[int, int]] = {}
        self._left = _MARGIN
        self.max_width = 80
        """The longest line of text, in cells (the `max_width` setting); 0: the pane's width."""

    # content -------------------------------------------------------------
    def show(
        self,
        article: Article,
        *,
        notice: str | None = None,
        feed_name: str | None = None,
        feed_date: str | None = None,
        found: re.Pattern[str] | None = None,
        enclosures: tuple[Enclosure, ...] = (),
    ) -> None:
        """Replace the pane's content with `article` (and an optional notice above it).

        `feed_name` and `feed_date` stand in for the page's site and date when the
        page did not say; `found` marks a search's words.
        """
        self.article = article
        self.found = found
        self.notice = notice
        self.marked = None
        blocks = _header(article, notice, feed_name, feed_date, enclosures)
        for s_index, section in enumerate(article.sections):
            if section.heading:
                kind: BlockKind = "heading" if section.level <= 2 else "subheading"
                blocks.append(_Block(kind, safe(section.heading), s_index, space_before=1))
            for p_index, paragraph in enumerate(section.paragraphs):
                blocks.append(_Block("paragraph", safe_block(paragraph), s_index, p_index, 1))
            if not section.heading and not section.paragraphs:
                blocks.append(_Block("paragraph", "", s_index))
        if not article.sections:
            blocks.append(_Block("placeholder", "This article has no text.", space_before=1))
        blocks.append(_Block("end", "·  ·  ·", space_before=1))
        self._set_blocks(blocks)

    def show_message(self, message: str) -> None:
        """Show a sentence instead of an article (nothing to read, or a failure)."""
        self.article = None
        self.notice = None
        self.marked = None
        self.message = message
        self._set_blocks([])

    def _set_blocks(self, blocks: list[_Block]) -> None:
        self._blocks = blocks
        self._layout_width = -1
        self._lay_out()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.current_section = 0

    # layout --------------------------------------------------------------
    def _lay_out(self) -> None:
        """Wrap every block to the pane's width into strips, remembering where each starts."""
        width = self.scrollable_content_region.width or self.size.width
        self._layout_width = width
        base = self.rich_style
        text_width = max(10, width - 2 * _MARGIN)
        if self.max_width > 0:
            text_width = min(text_width, self.max_width)
        self._left = max(_MARGIN, (width - text_width) // 2)
        blocks = self._blocks or [_Block("placeholder", self.message, space_before=1)]
        lines: list[Strip] = []
        section_lines: dict[int, int] = {}
        paragraph_lines: dict[tuple[int, int], tuple[int, int]] = {}
        blank = Strip.blank(width, base)
        for block in blocks:
            lines.extend([blank] * block.space_before)
            start = len(lines)
            lines.extend(self._wrap(block, width, text_width, base))
            if block.section >= 0:
                section_lines.setdefault(block.section, start)
                if block.paragraph >= 0:
                    paragraph_lines[(block.section, block.paragraph)] = (start, len(lines))
        if self._blocks:  # room below the end, so that the last heading can reach the top
            lines.extend([blank] * max(0, self.size.height - 2))
        self._lines = lines
        count = len(self.article.sections) if self.article else 0
        self._section_lines = [
            0 if index == 0 else section_lines.get(index, 0) for index in range(count)
        ]
        self._paragraph_lines = paragraph_lines
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def _wrap(self, block: _Block, width: int, text_width: int, base: Style) -> list[Strip]:
        key: str = block.kind
        if (block.section, block.paragraph) == self.marked and block.kind == "paragraph":
            key = "marked"
        # The blended style (alpha colours resolved) on the pane's background, except for
        # the boxes (a marked paragraph, a notice) which bring their own.
        style = self.get_component_rich_style(f"article-view--{key}")
        if key not in ("marked", "notice"):
            style += Style(bgcolor=base.bgcolor)
        text = Text(end="")
        body = block.text.center(text_width) if block.kind in ("end", "rule") else block.text
        text.append(body, style)  # a span: Text.render() ignores Text.style
        if key == "marked" and self._spoken:
            start = block.text.find(self._spoken)
            if start >= 0:
                spoken = self.get_component_rich_style("article-view--spoken", partial=True)
                text.stylize(spoken, start, start + len(self._spoken))
        if self.found is not None and block.kind in _SEARCHED:
            found = self.get_component_rich_style("article-view--found", partial=True)
            for start, end in found_spans(body, self.found):
                text.stylize(found, start, end)
        console = self.app.console
        # A marked paragraph and a notice are boxes: their background fills the line.
        fill = style if key in ("marked", "notice") else base
        left = (
            Segment(" " * self._left, fill)
            if key not in ("marked", "notice")
            else Segment(" " * (self._left - _MARGIN), base)
        )
        pad = Segment(" " * _MARGIN, fill) if key in ("marked", "notice") else None
        strips = []
        for line in text.wrap(console, text_width) if block.text else [Text("")]:
            segments = [left, pad, *line.render(console)] if pad else [left, *line.render(console)]
            strip = Strip(segments).extend_cell_length(
                self._left + text_width + (2 if pad else 0), fill
            )
            strips.append(strip.crop_extend(0, width, base))
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._layout_width:
            self._lay_out()
        index = y + round(self.scroll_offset.y)
        if 0 <= index < len(self._lines):
            return self._lines[index]
        return Strip.blank(width, self.rich_style)

    def on_resize(self) -> None:
        self._lay_out()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._layout_width = -1  # a theme change: colours are baked into the strips
        self.refresh()

    # sections ------------------------------------------------------------
    @property
    def section_count(self) -> int:
        return len(self._section_lines)

    def section_line(self, index: int) -> int:
        """The line where section `index` starts (its heading, or its first paragraph)."""
        return self._section_lines[index]

    def jump_to_section(self, index: int) -> None:
        """Bring section `index` to the top of the pane."""
        if 0 <= index < len(self._section_lines):
            self.scroll_to(y=self._section_lines[index], animate=False, immediate=True)
            self._set_current(index)

    def next_section(self) -> None:
        self.jump_to_section(min(self.current_section + 1, self.section_count - 1))

    def previous_section(self) -> None:
        index = self.current_section
        if index < len(self._section_lines) and self._section_lines[index] < round(self.scroll_y):
            self.jump_to_section(index)  # back to the start of the current section first
        else:
            self.jump_to_section(max(index - 1, 0))

    def section_at_top(self) -> int:
        """The last section whose start is at or above the top of the pane."""
        top = round(self.scroll_y)
        current = 0
        for index, line in enumerate(self._section_lines):
            if line <= top:
                current = index
            else:
                break
        return current

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._section_lines:
            self._set_current(self.section_at_top())

    def _set_current(self, index: int) -> None:
        if index != self.current_section:
            self.current_section = index
            self.post_message(self.SectionChanged(self, index))

    # quotes --------------------------------------------------------------
    def paragraph_lines(self, section: int, paragraph: int) -> tuple[int, int] | None:
        """(first line, line after the last) of a paragraph, if it is on show."""
        return self._paragraph_lines.get((section, paragraph))

    def mark_quote(self, quote: Quote) -> bool:
        """Scroll to the paragraph where `quote` was said and mark it; False if not found."""
        spoken = safe(quote.text)
        place: tuple[int, int] | None = (quote.section, quote.paragraph)
        if place not in self._paragraph_lines:
            place = self._find(spoken)
        if place is None:
            return False
        self.marked, self._spoken = place, spoken
        self._lay_out()
        self._centre_marked()
        # The pane may just have been revealed (narrow layout) and not have its size yet.
        self.call_after_refresh(self._centre_marked)
        return True

    def _centre_marked(self) -> None:
        lines = self._paragraph_lines.get(self.marked) if self.marked else None
        if lines is None:
            return
        start, end = lines
        height = self.scrollable_content_region.height
        self.scroll_to(
            y=max(0, start - max(0, height - (end - start)) // 2), animate=False, immediate=True
        )

    def _find(self, spoken: str) -> tuple[int, int] | None:
        """The paragraph holding `spoken`, when the quote's recorded place is missing."""
        needle = spoken[:60]
        for block in self._blocks:
            if block.kind == "paragraph" and needle and needle in block.text:
                return (block.section, block.paragraph)
        return None


WORDS_PER_MINUTE = 230
"""A common adult reading speed, for the header's reading time."""


def reading_minutes(article: Article) -> int:
    """Minutes to read the article's text (at least 1)."""
    words = sum(len(p.split()) for section in article.sections for p in section.paragraphs)
    return max(1, round(words / WORDS_PER_MINUTE))


def _header(
    article: Article,
    notice: str | None,
    feed_name: str | None,
    feed_date: str | None,
    enclosures: tuple[Enclosure, ...] = (),
) -> list[_Block]:
    """Title; standfirst; publication · byline · date · reading time; the link; a notice."""
    blocks = [_Block("title", safe(article.title) or "(untitled)", space_before=1)]
    if article.description and not _description_in_body(article):
        blocks.append(_Block("description", safe_block(article.description), space_before=1))
    words = sum(len(p.split()) for section in article.sections for p in section.paragraphs)
    who = [
        safe(article.site) or safe(feed_name),
        f"By {safe(article.byline)}" if article.byline else "",
    ]
    when = [
        long_date(article.published or feed_date),
        f"{reading_minutes(article)} min read" if words else "",
    ]
    first = True
    for parts in (who, when):  # two short lines: each part stays whole on narrow panes
        line = "  ·  ".join(part for part in parts if part)
        if line:
            blocks.append(_Block("meta", line, space_before=1 if first else 0))
            first = False
    if article.url:
        blocks.append(_Block("link", safe(article.url)))
    for enclosure in enclosures:  # podcasts, video: P hands the first to the player
        blocks.append(_Block("link", enclosure_line(enclosure)))
    if notice:
        blocks.append(_Block("notice", notice, space_before=1))
    blocks.append(_Block("rule", "─" * 12, space_before=1))
    return blocks


def enclosure_line(enclosure: Enclosure) -> str:
    """ "▶ audio/mpeg · 24.1 MB · https://..." (the size only when the feed states one)."""
    size = f"{enclosure.length / 1e6:.1f} MB" if enclosure.length else ""
    parts = [safe(enclosure.type), size, safe(enclosure.url)]
    return "▶ " + "  ·  ".join(part for part in parts if part)


def _description_in_body(article: Article) -> bool:
    """True when the standfirst is already one of the opening paragraphs (shown once)."""

    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    description = norm(article.description or "")
    opening = [norm(p) for section in article.sections[:2] for p in section.paragraphs[:3]]
    return any(p == description or p.startswith(description) for p in opening)
