"""The engine's intermediate form: what the page passes hand to the semantic passes.

`page`/`blocks`/`sections`/`captions`/`plaintext` turn HTML or text into a
`Document`; `takeaways`, `quotes` and `related` read a `Document` and never touch
raw HTML except `Document.page_tree` (for boxes outside the main content).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from lxml.html import HtmlElement

BlockKind = Literal["paragraph", "list_item", "blockquote", "pullquote", "embed", "aside"]
"""`aside`: page furniture found inside the content (box titles such as "Related stories",
link-only "Read more" lines, share/tag lines); kept for the passes, never printed."""


@dataclass(slots=True)
class Anchor:
    """A hyperlink inside a block."""

    text: str
    """The anchor text, whitespace-normalised."""
    href: str
    """Absolute URL (resolved against the page URL / <base>)."""
    start: int = -1
    """Offset of the anchor text in the block's text, -1 if unknown."""


@dataclass(slots=True)
class Block:
    """One text block of the body, in reading order."""

    text: str
    """Whitespace-normalised, control characters stripped."""
    kind: BlockKind = "paragraph"
    """pullquote, embed and aside blocks are kept for the passes but not printed."""
    anchors: list[Anchor] = field(default_factory=list)
    list_id: int | None = None
    """Items of the same <ul>/<ol> share an id, so a key-points list can be read whole."""


@dataclass(slots=True)
class Heading:
    """A heading in the block stream; `bold` marks a bold-only paragraph (a pseudo-heading)."""

    text: str
    level: int
    bold: bool = False


Item = Block | Heading
"""One entry of the block stream that `blocks` produces and `captions`/`sections` read."""


@dataclass(slots=True)
class DraftSection:
    """A heading and the blocks under it."""

    heading: str | None
    level: int
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True)
class Document:
    """Everything the semantic passes need, produced once per page."""

    title: str
    sections: list[DraftSection]
    byline: str | None = None
    published: str | None = None
    url: str | None = None
    site: str | None = None
    description: str | None = None
    lang: str | None = None
    captions: list[str] = field(default_factory=list)
    key_points: list[str] | None = None
    """The page's own "Key points" / "Key takeaways" list, verbatim, when it has one."""
    page_tree: HtmlElement | None = None
    """The whole page (not only the readable part), for related-coverage boxes; None for text."""


PRINTED_KINDS: frozenset[BlockKind] = frozenset({"paragraph", "list_item", "blockquote"})
"""Block kinds that become `Section.paragraphs`; pull quotes and embeds are not printed."""


def printed_blocks(section: DraftSection) -> list[Block]:
    """The blocks of `section` that `assemble` prints, in order.

    `Quote.paragraph` indexes this list: `Article.sections[i].paragraphs[j]` is
    `printed_blocks(document.sections[i])[j].text`.
    """
    return [block for block in section.blocks if block.kind in PRINTED_KINDS]


# Limits on what one article keeps. A hostile or broken page (a 9 MB <title>, a
# million one-word paragraphs) must not make every later step slow: the passes,
# the store and every screen change in the app. A real article is far inside them.
MAX_TITLE = 500
MAX_BYLINE = 300
MAX_SITE = 200
MAX_DESCRIPTION = 2_000
MAX_CAPTIONS = 200
MAX_CAPTION = 1_000
MAX_BLOCKS = 5_000
"""Blocks kept across all sections (a long feature has a few hundred)."""
MAX_BLOCK_TEXT = 20_000
"""Characters kept of one block (a paragraph of a book's length is not a paragraph)."""
MAX_ELEMENTS = 50_000
"""Elements of a page read at all; the rest is cut before any pass (`page.cut_after`).
The largest of 1,147 real news pages in the benchmarks has 10,476."""


def bounded(document: Document) -> Document:
    """`document` within the limits above: longer texts are cut with "…", extra blocks dropped."""
    document.title = _cut(document.title, MAX_TITLE) or ""
    document.byline = _cut(document.byline, MAX_BYLINE)
    document.site = _cut(document.site, MAX_SITE)
    document.description = _cut(document.description, MAX_DESCRIPTION)
    captions = (_cut(caption, MAX_CAPTION) for caption in document.captions[:MAX_CAPTIONS])
    document.captions = [caption for caption in captions if caption]
    left = MAX_BLOCKS
    kept: list[DraftSection] = []
    for section in document.sections:
        if left <= 0:
            break
        section.heading = _cut(section.heading, MAX_TITLE)
        section.blocks = section.blocks[:left]
        for block in section.blocks:
            if len(block.text) > MAX_BLOCK_TEXT:
                block.text = _cut(block.text, MAX_BLOCK_TEXT) or ""
        left -= len(section.blocks)
        kept.append(section)
    document.sections = kept
    return document


def _cut(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
