"""Readable HTML -> an ordered stream of `Block`s and `Heading`s, plus captions.

readability-lxml keeps the right part of the page but leaves its inner markup
as it found it: text directly in divs, `<br>`-separated paragraphs, lists,
tables, figures. This walker reads that markup the way a browser lays it out:
block elements start a new block, inline elements (links, emphasis) join the
current one. Headings stay in the stream for `sections`; figure captions,
photo credits and image alt texts go to a separate list so they never end up
inside paragraphs; pull quotes and embed widgets (divs, figures) are tagged so
the assembler does not print them twice. A post quoted in a `<blockquote>`
(`twitter-tweet`, `instagram-media`) is printed as a block quote: it is part of
the story, the reporter quotes it (on the Zyte set printing them raised F1).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from reader.article.captions import clean_caption, is_caption_element
from reader.article.document import Anchor, Block, BlockKind, Heading, Item
from reader.text import clean_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "svg",
        "button",
        "select",
        "option",
        "input",
        "textarea",
        "form",
        "nav",
        "template",
        "object",
        "embed",
        "video",
        "audio",
        "canvas",
        "map",
        "head",
        "title",
        "meta",
        "link",
        "source",
        "picture",
        "label",
    }
)
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hgroup",
        "hr",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
        "html",
    }
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_EMBED_CLASS = re.compile(
    r"twitter-tweet|instagram-media|tiktok-embed|fb-post|facebook|social-embed|embed-tweet|"
    r"bluesky|threads-post|reddit-embed|mastodon",
    re.I,
)
_PULLQUOTE_CLASS = re.compile(r"pull-?quote|pull-?out|quote--pull|blockquote--pull|pq\b", re.I)
_BOLD = frozenset({"strong", "b"})


class _Walker:
    """Accumulates inline text into blocks while walking the readable tree once."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.items: list[Item] = []
        self.captions: list[str] = []
        self.pieces: list[str] = []
        self.anchors: list[tuple[str, str]] = []
        self.list_count = 0

    def flush(self, kind: BlockKind, list_id: int | None) -> None:
        if not self.pieces:
            return
        text = clean_text(" ".join("".join(self.pieces).split()))
        self.pieces = []
        anchors, self.anchors = self.anchors, []
        if not text:
            return
        found: list[Anchor] = []
        position = 0
        for anchor_text, href in anchors:
            start = text.find(anchor_text, position) if anchor_text else -1
            if start >= 0:
                position = start + len(anchor_text)
            found.append(Anchor(anchor_text, href, start))
        self.items.append(Block(text, kind, found, list_id if kind == "list_item" else None))

    def href(self, raw: str | None) -> str | None:
        if not raw:
            return None
        raw = raw.strip()
        try:
            href = urljoin(self.base, raw) if self.base else raw
            scheme = urlsplit(href).scheme
        except ValueError:
            return None
        if scheme and scheme not in ("http", "https"):
            return None
        return href

    def walk(self, element: HtmlElement, kind: BlockKind, list_id: int | None) -> None:
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions
            return
        tag = tag.lower()
        if tag in _SKIP:
            return
        if tag == "br":
            self.flush(kind, list_id)
            return
        if tag == "img":
            self.image(element)
            return
        if is_caption_element(element):
            self.caption(element)
            return
        level = _HEADINGS.get(tag)
        if level is not None:
            self.flush(kind, list_id)
            text = clean_text(element.text_content())
            if text:
                self.items.append(Heading(text, level))
            return
        if tag not in _BLOCK:
            self.inline(element, kind, list_id)
            return
        self.flush(kind, list_id)
        inner_kind, inner_list = self.block_context(element, tag, kind, list_id)
        if tag in ("p", "div") and inner_kind == "paragraph" and _bold_only(element):
            text = clean_text(element.text_content())
            if text:
                self.items.append(Heading(text, 0, bold=True))
            return
        if tag == "hr":
            return
        self.text(element.text)
        for child in element:
            self.walk(child, inner_kind, inner_list)
            self.text(child.tail)
            if tag == "tr":
                self.pieces.append(" ")
        self.flush(inner_kind, inner_list)

    def block_context(
        self, element: HtmlElement, tag: str, kind: BlockKind, list_id: int | None
    ) -> tuple[BlockKind, int | None]:
        """The kind of the blocks inside `element` (list item, quote, pull quote, embed)."""
        if kind in ("embed", "pullquote"):
            return kind, list_id
        classes = f"{element.get('class') or ''} {element.get('id') or ''}"
        if tag in ("ul", "ol"):
            self.list_count += 1
            return kind, self.list_count
        if tag in ("li", "dd", "dt"):
            return ("list_item" if kind == "paragraph" else kind), list_id
        if tag == "blockquote":
            if _PULLQUOTE_CLASS.search(classes):
                return "pullquote", None
            return "blockquote", None
        if tag in ("aside", "figure", "div") and classes.strip():
            if _EMBED_CLASS.search(classes):
                return "embed", None
            if _PULLQUOTE_CLASS.search(classes):
                return "pullquote", None
        return kind, list_id

    def inline(self, element: HtmlElement, kind: BlockKind, list_id: int | None) -> None:
        if element.tag == "a":
            href = self.href(element.get("href"))
            if href:
                self.anchors.append((clean_text(element.text_content()), href))
        self.text(element.text)
        for child in element:
            self.walk(child, kind, list_id)
            self.text(child.tail)
        if element.tag in ("td", "th"):
            self.pieces.append(" ")

    def text(self, text: str | None) -> None:
        if text:
            self.pieces.append(text)

    def image(self, element: HtmlElement) -> None:
        """An image's alt text is a caption when it reads like one (a few words, not a file)."""
        alt = clean_text(element.get("alt"))
        if len(alt.split()) >= 4 and not re.search(r"\.(?:jpe?g|png|gif|webp)\b", alt, re.I):
            self.captions.append(clean_caption(alt))

    def caption(self, element: HtmlElement) -> None:
        text = clean_caption(clean_text(element.text_content()))
        if text:
            self.captions.append(text)


def _bold_only(element: HtmlElement) -> bool:
    """True when all of a paragraph's text sits in `<strong>`/`<b>` (and holds no link)."""
    if element.text and element.text.strip():
        return False
    bold = False
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if child.tail and child.tail.strip():
            return False
        if tag == "br":
            continue
        if tag not in _BOLD or child.find(".//a") is not None:
            return False
        bold = True
    return bold


def extract_blocks(readable: HtmlElement, base: str | None = None) -> tuple[list[Item], list[str]]:
    """Walk the readable tree once; return the block stream and the captions found."""
    walker = _Walker(base)
    try:
        walker.walk(readable, "paragraph", None)
        walker.flush("paragraph", None)
    except RecursionError:  # absurdly deep markup: fall back to its text as one block
        text = clean_text(readable.text_content())
        walker.items = [Block(text)] if text else []
    return walker.items, walker.captions
