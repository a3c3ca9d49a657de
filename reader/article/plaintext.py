"""Plain text -> `Document`, with the same structure an HTML page gets.

The format is the one people paste: the first line is the title, paragraphs
are separated by blank lines, and a short line without closing punctuation
between paragraphs is a heading. Lines starting with "-", "*", "•" or "1."
are list items, "> " lines a block quote, a "By ..." line under the title the
byline. Captions glued to themselves ("XYZXYZ") are moved to `captions`.
"""

from __future__ import annotations

import re

from reader.article.captions import is_glued, unglue
from reader.article.document import Block, BlockKind, Document, DraftSection
from reader.article.page import clean_byline, normalise_date
from reader.article.sections import is_boilerplate_heading, is_key_points_heading
from reader.text import clean_text

_LIST_ITEM = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")
_CLOSING = re.compile(r"[.!?;:,…\"”’»)\]]$")
_BY_LINE = re.compile(r"^\s*(?:by|von|par|por)\s+\S", re.I)


def _is_heading(text: str) -> bool:
    return (
        len(text) <= 90
        and len(text.split()) <= 14
        and not _CLOSING.search(text)
        and not _LIST_ITEM.match(text)
    )


def parse_text(text: str, url: str | None = None) -> Document:
    """Turn plain text into a `Document`; never raises."""
    text = clean_text(text.replace("\r\n", "\n"), keep_newlines=True)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    title, byline, published = _read_header(paragraphs)
    body = _Body()
    for paragraph in paragraphs:
        body.add(paragraph)
    return Document(
        title=title,
        sections=[s for s in body.sections if s.blocks or s.heading],
        byline=byline,
        published=published,
        url=url,
        captions=list(dict.fromkeys(body.captions)),
        key_points=body.key_points or None,
    )


def _read_header(paragraphs: list[str]) -> tuple[str, str | None, str | None]:
    """Take the title and a byline and/or date line under it off the front of `paragraphs`."""
    if not paragraphs:
        return "", None, None
    byline: str | None = None
    published: str | None = None
    lines = paragraphs.pop(0).split("\n")
    title = clean_text(lines[0])
    rest = lines[1:]
    # A byline and/or date line straight under the title (same block or the next ones).
    while rest or paragraphs:
        source = rest if rest else paragraphs
        head = clean_text(source[0])
        if "\n" in source[0].strip() or len(head) >= 100:
            break
        if byline is None and _BY_LINE.match(head):
            byline = clean_byline(head)
        elif published is None and len(head) < 40 and (date := normalise_date(head)):
            published = date
        else:
            break
        source.pop(0)
    if rest:
        paragraphs.insert(0, "\n".join(rest))
    return title, byline, published


class _Body:
    """The sections read so far, and whether a boilerplate or "Key points" box is open."""

    def __init__(self) -> None:
        self.sections = [DraftSection(None, 1)]
        self.captions: list[str] = []
        self.key_points: list[str] = []
        self.list_count = 0
        self.skipping = False
        """Inside a boilerplate box ("Most read"): its short lines are its teasers."""
        self.reading_key_points = False

    def add(self, paragraph: str) -> None:
        """One blank-line-separated paragraph: a caption, a heading, a list or a block."""
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        if not lines:
            return
        joined = clean_text(" ".join(lines))
        if is_glued(joined):
            self.captions.append(unglue(joined))
            return
        if len(lines) == 1 and _is_heading(joined):
            self.heading(joined)
            return
        self.skipping = False
        if any(_LIST_ITEM.match(line) for line in lines):
            self.list_items(lines)
            return
        self.reading_key_points = False
        kind: BlockKind = "paragraph"
        if all(line.startswith(">") for line in lines):
            kind = "blockquote"
            joined = clean_text(" ".join(line.lstrip("> ") for line in lines))
        self.sections[-1].blocks.append(Block(joined, kind))

    def heading(self, text: str) -> None:
        """A section heading, unless it opens a boilerplate or "Key points" box."""
        self.skipping = self.skipping or is_boilerplate_heading(text)
        self.reading_key_points = not self.skipping and is_key_points_heading(text)
        if self.reading_key_points:  # a summary box, not a section (see sections.py)
            self.sections[-1].blocks.append(Block(text, "aside"))
        elif not self.skipping:
            self.sections.append(DraftSection(text, 2))

    def list_items(self, lines: list[str]) -> None:
        """A list; a line without a marker continues the item before it."""
        self.list_count += 1
        blocks = self.sections[-1].blocks
        kind: BlockKind = "aside" if self.reading_key_points else "list_item"
        for line in lines:
            if _LIST_ITEM.match(line):
                text = clean_text(_LIST_ITEM.sub("", line))
                blocks.append(Block(text, kind, list_id=self.list_count))
                if self.reading_key_points:
                    self.key_points.append(text)
            elif blocks and blocks[-1].list_id == self.list_count:
                blocks[-1].text = f"{blocks[-1].text} {clean_text(line)}"
                if self.reading_key_points:
                    self.key_points[-1] = blocks[-1].text
        self.reading_key_points = False
