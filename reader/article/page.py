"""HTML page -> `Document`: decoding, main-content detection and metadata.

The page is decoded once (HTTP charset, BOM, meta charset, then UTF-8 with a
Windows-1252 fallback) and parsed once with lxml. Metadata is read from that tree,
readability-lxml 0.9 is handed the same tree (it deep-copies it before cutting),
and our own passes (`blocks`, `sections`, `captions`) turn its readable part into
sections. Nothing here does I/O.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reader.article.document import (
    MAX_ELEMENTS,
    PRINTED_KINDS,
    Block,
    Document,
    DraftSection,
)
from reader.dates import date_from_timestamp
from reader.text import clean_text, remove_escape_sequences

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
# Labels that browsers decode with a superset codec (WHATWG Encoding Standard).
_SUPERSETS = {
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso8859-1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "iso-8859-9": "cp1254",
    "tis-620": "cp874",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "utf8": "utf-8",
}


def _codec(label: str | None) -> str | None:
    """A Python codec for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _SUPERSETS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page that says UTF-16 in a meta tag cannot be UTF-16 (the tag was readable as ASCII).
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Bytes -> text: BOM, HTTP charset, `<meta charset>`, then UTF-8, then Windows-1252.

    A BOM wins over the HTTP header, as in the HTML standard. Undecodable bytes
    become U+FFFD; this never raises.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, "replace")
    candidates: list[str] = []
    header = _HEADER_CHARSET.search(content_type or "")
    if header and (codec := _codec(header.group(1))):
        candidates.append(codec)
    meta = _META_CHARSET.search(data[:4096])
    if meta and (codec := _codec(meta.group(1).decode("ascii", "replace"))):
        candidates.append(codec)
    for codec in candidates:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if candidates:
        return data.decode(candidates[0], "replace")
    return data.decode("cp1252", "replace")


_C0_CONTROLS = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0x7F])
_C0_FOUND = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_tree(text: str) -> HtmlElement | None:
    """Parse decoded HTML once with lxml; None when there is no document at all."""
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False
    )
    # lxml keeps C0 controls in text nodes but refuses them when readability moves
    # text around; no page needs them, so they go before parsing (escape sequences
    # first and whole, so no "0;title" payload is left behind as text).
    text = remove_escape_sequences(text)
    if _C0_FOUND.search(text):  # rare; translate() costs ~5 ms on a long page
        text = text.translate(_C0_CONTROLS)
    payload = text.encode("utf-8", "replace")
    if not payload.strip():
        return None
    try:
        return lxml.html.document_fromstring(payload, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def cut_after(tree: HtmlElement, limit: int) -> bool:
    """Drop every element after the first `limit` (document order); True if any was.

    A page of a million one-word paragraphs would otherwise cost every pass (and
    readability's scoring) a Python object per element: a minute and gigabytes.
    """
    element = next(itertools.islice(tree.iter(), limit, None), None)
    if element is None:
        return False
    node = element
    while (parent := node.getparent()) is not None:
        while (following := node.getnext()) is not None:  # one proxy at a time
            parent.remove(following)
        node = parent
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)
    return True


def parse_page(
    source: str | bytes, url: str | None = None, *, content_type: str | None = None
) -> Document:
    """Turn an HTML page into a `Document` (metadata + sections); never raises on bad HTML."""
    from reader.article.blocks import extract_blocks
    from reader.article.captions import split_captions
    from reader.article.sections import build_sections, find_key_points

    text = decode_html(source, content_type) if isinstance(source, bytes) else source
    tree = parse_tree(text)
    if tree is None:
        return Document(title="", sections=[], url=url)
    cut_after(tree, MAX_ELEMENTS)
    base = _base_url(tree, url)
    meta = read_metadata(tree, base)
    key_points = find_key_points(tree)
    prepare_tree(tree)
    readable = readable_tree(tree)
    items, captions = ([], []) if readable is None else extract_blocks(readable, base)
    items, captions = split_captions(items, captions)
    standfirst = find_standfirst(tree, meta.title)
    if standfirst and not any(standfirst[:60] in item.text for item in items[:8]):
        items.insert(0, Block(standfirst))
    sections = build_sections(items, title=meta.title, byline=meta.byline)
    sections = _photo_story(sections, captions)
    if key_points is None:
        key_points = _key_points_from_sections(sections)
    sections = _prefer_declared_body(sections, meta.body)
    return Document(
        title=meta.title,
        sections=[s for s in sections if s.blocks or s.heading],
        byline=meta.byline,
        published=meta.published,
        url=url,
        site=meta.site,
        description=meta.description,
        lang=meta.lang,
        captions=_unique(captions),
        key_points=key_points,
        page_tree=tree,
    )


_STANDFIRST_CLASS = re.compile(
    r"(?:^|[\s_-])(?:intro|standfirst|lede|lead-?in|article-?lead|dek|teaser|sub-?title|"
    r"subhead(?:line)?|excerpt|abstract|summary|deck|chapo|chapeau)(?:$|[\s_-]|(?-i:[A-Z]))",
    re.I,
)


def find_standfirst(tree: HtmlElement, title: str) -> str | None:
    """The summary paragraph printed under the headline, which readability often leaves out.

    A paragraph marked as an intro/standfirst/dek (`atc-IntroText`, `chapo_block`)
    that comes right after the page's headline (the h1 holding the title), or a
    plain paragraph next to that h1 in the article's `<header>`. When the h1 sits
    apart from the story (a grid cell of its own), the first such marked paragraph
    after it, outside lists, navigation and asides, so teaser lists do not count.
    """
    if not title:
        return None
    headline = _fold(title)
    for h1 in tree.iter("h1"):
        printed = _fold(_text(h1))
        if not printed or not (
            printed == headline or (len(printed) >= 15 and headline.startswith(printed + " "))
        ):
            continue
        in_header = h1.getparent() is not None and h1.getparent().tag in ("header", "hgroup")
        for count, element in enumerate(h1.itersiblings()):
            if count > 4:
                break
            if in_header and count <= 1 and element.tag == "p" and not element.get("class"):
                text = clean_text(element.text_content())
                if 60 <= len(text) <= 600:
                    return text
            for candidate in (element, *element.iterdescendants("p", "div", "h2")):
                if _marked_standfirst(candidate):
                    text = clean_text(candidate.text_content())
                    if 60 <= len(text) <= 600:
                        return text
        for seen, candidate in enumerate(_after(h1)):
            if seen > 400:
                break
            if _marked_standfirst(candidate):
                if _TEASER_CLASS.search(candidate.get("class") or "") or any(
                    a.tag in ("li", "nav", "aside", "a") for a in candidate.iterancestors()
                ):
                    continue
                text = clean_text(candidate.text_content())
                if 60 <= len(text) <= 600:
                    return text
            elif candidate.tag == "p" and len(candidate.text_content().split()) > 30:
                break  # the story has begun: what follows is not its standfirst
        break
    return None


_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _fold(text: str) -> str:
    """A headline for comparison: ASCII quotes and dashes, case folded."""
    return " ".join(text.translate(_TYPOGRAPHY).casefold().split())


_TEASER_CLASS = re.compile(r"teaser|excerpt|card", re.I)


def _marked_standfirst(element: HtmlElement) -> bool:
    classes = f"{element.get('class') or ''} {element.get('id') or ''}"
    return element.tag in ("p", "div", "h2") and _STANDFIRST_CLASS.search(classes) is not None


def _after(element: HtmlElement) -> Iterator[HtmlElement]:
    """The elements that follow `element` in document order (not its own descendants)."""
    for following in element.itersiblings():
        yield following
        yield from following.iterdescendants()
    parent = element.getparent()
    if parent is not None:
        yield from _after(parent)


def _prefer_declared_body(sections: list[DraftSection], body: str) -> list[DraftSection]:
    """The page's JSON-LD articleBody, when the visible page holds under 60% of it.

    Some pages render the story with scripts and leave only a teaser in the HTML;
    their structured data still carries the whole text.
    """
    if len(body) < 500:
        return sections
    shown = sum(len(b.text) for s in sections for b in s.blocks if b.kind in PRINTED_KINDS)
    if shown >= 0.6 * len(body):
        return sections
    paragraphs = [clean_text(p) for p in re.split(r"\n\s*\n|\n", body)]
    blocks = [Block(p) for p in paragraphs if p]
    # The visible teaser stays for the passes (its links), unprinted.
    blocks += [Block(b.text, "aside", b.anchors) for s in sections for b in s.blocks]
    return [DraftSection(None, 1, blocks)]


_LONGEST_CAPTION = 2000
"""Characters above which a "caption" is not one (a paragraph that repeats itself)."""


def _photo_story(sections: list[DraftSection], captions: list[str]) -> list[DraftSection]:
    """A page whose text is mostly its photos' captions (a photo story, a gallery slide):
    the captions are the body, rather than an empty article or its "Next" links."""
    captions = [c for c in _unique(captions) if len(c) <= _LONGEST_CAPTION]
    printed = sum(len(b.text) for s in sections for b in s.blocks if b.kind in PRINTED_KINDS)
    captioned = sum(len(caption) for caption in captions)
    if not captions or (printed and (captioned < 200 or captioned < 2 * printed)):
        return sections
    first = sections[0] if sections else DraftSection(None, 1)
    first.blocks.extend(Block(caption) for caption in captions)
    return [first, *sections[1:]]


def _key_points_from_sections(sections: list[DraftSection]) -> list[str] | None:
    from reader.article.sections import is_key_points_heading

    for section in sections:
        blocks = section.blocks
        for index, block in enumerate(blocks):
            if block.kind == "aside" and is_key_points_heading(block.text):
                items = [
                    b.text
                    for b in blocks[index + 1 : index + 13]
                    if b.kind == "aside" and b.list_id is not None
                ]
                if items:
                    return items
    return None


def _unique(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        key = text.casefold()
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return out


def _base_url(tree: HtmlElement, url: str | None) -> str | None:
    """The URL relative links resolve against: `<base href>` joined to the page URL."""
    from urllib.parse import urljoin

    for base in tree.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            try:
                return (
                    urljoin(url or "", href)
                    if url
                    else (href if urlsplit(href).scheme in ("http", "https") else None)
                )
            except ValueError:
                return url
    return url


# --- main content -------------------------------------------------------------------------


def prepare_tree(tree: HtmlElement) -> None:
    """Drop what no reader sees (scripts, styles, hidden elements) from the page, in place.

    Done once, after the metadata (which needs JSON-LD scripts) has been read;
    it replaces readability's own cleaner, which costs more than the rest of
    readability together because it rewrites every link of the page.
    """
    from lxml import etree

    etree.strip_elements(
        tree,
        "script",
        "style",
        "link",
        "noscript",
        "template",
        "select",
        "option",
        "textarea",
        "button",
        etree.Comment,
        etree.ProcessingInstruction,
        with_tail=False,
    )
    hidden = [
        element
        for element in tree.xpath("//*[@hidden] | //*[@style] | //*[@aria-hidden='true']")
        if (
            element.get("hidden") is not None
            or (element.get("aria-hidden") == "true" and element.tag in ("div", "section", "aside"))
            or _HIDDEN_STYLE.search(element.get("style") or "") is not None
        )
    ]
    for element in hidden:
        if element.getparent() is not None:
            element.drop_tree()


_WIDEN_LEVELS = 5
"""How far up readability's pick may be widened (further up is the page's frame)."""


_INTRODUCERS = frozenset({"p", "h2", "h3", "h4", "h5", "h6"})


_SHORTEST_STORY = 200
"""Characters of text below which readability's best candidate cannot be the story."""


def _text_length(element: HtmlElement) -> int:
    return len(" ".join(element.text_content().split()))


def _story_list(lst: HtmlElement) -> bool:
    """A list introduced by the paragraph or subheading before it ("Read about:"), or of
    prose items."""
    items = [clean_text(li.text_content()) for li in lst.iterchildren("li")]
    if len(items) < 2:
        return False
    previous = lst.getprevious()
    while previous is not None and not clean_text(previous.text_content()):
        previous = previous.getprevious()  # an empty spacer paragraph
    if (
        previous is not None
        and previous.tag in _INTRODUCERS
        and clean_text(previous.text_content()).endswith(":")
    ):
        return True
    text = sum(len(item) for item in items)
    linked = sum(len(a.text_content()) for a in lst.iter("a"))
    return (
        len(items) >= 3 and linked <= 0.35 * text and all(len(item.split()) >= 3 for item in items)
    )


_LIST_STORY_SHARE = 0.6
"""Share of the picked block's text in lists above which the lists are the story."""


def _list_story(element: HtmlElement) -> list[HtmlElement]:
    """The lists that tell the story (a week's links, each with a line of comment), when
    most of the picked block's text sits in them; their links do not make them menus.

    A list counts when 20-75% of its text is link text (a menu is all links) and it
    holds no image (a slideshow's captions are readability's to judge).
    """
    total = _text_length(element)
    if total < _SHORTEST_STORY:
        return []
    lists = [
        lst
        for lst in element.iter("ul", "ol")
        if next(lst.iterancestors("ul", "ol"), None) is None
        and 0.2 <= _link_share(lst) < 0.75
        and next(lst.iter("img"), None) is None
    ]
    in_lists = sum(_text_length(lst) for lst in lists)
    return lists if in_lists >= _LIST_STORY_SHARE * total else []


def _link_share(element: HtmlElement) -> float:
    linked = sum(len(" ".join(a.text_content().split())) for a in element.iter("a"))
    return linked / max(1, _text_length(element))


def _holds_story(element: HtmlElement, label: str, prose: int) -> bool:
    """True for an element readability would drop that holds most of the page's prose.

    A sidebar or a menu never holds most of the paragraphs' text; a comment
    thread may, so comments are never kept this way. An embedded post
    (`blockquote.twitter-tweet`) is kept so the block walker can tag it.
    """
    if element.tag == "blockquote":
        return _EMBED_LABEL.search(label) is not None
    if _DISCUSSION.search(label):
        return False
    own = _prose_length(element)
    return own >= 500 and own >= 0.5 * prose


_DISCUSSION_TOKEN = re.compile(
    r"^(?!(?:has|no|with)[-_])(?:.*[-_])?(?:comments?|commentlist|commentbody|disqus\w*)"
    r"(?:[-_](?:body|content|text|list|area|section|wrapper|container|thread|main|column)s?)?$",
    re.I,
)
"""A class or id token naming a reader-comment thread (`commentbody`, `comments-body`,
`comment-content`), not a state flag (`comments-open`, `has-comments`)."""


def _is_discussion(element: HtmlElement) -> bool:
    """A reader-comment thread, even when its name also says "body" or "content".

    readability spares `comments-body` for its "body"; a comment thread is not the
    article, unless it holds the page's headline (a page that is all one wrapper).
    """
    tokens = f"{element.get('class', '')} {element.get('id', '')}".split()
    return (
        any(_DISCUSSION_TOKEN.match(token) for token in tokens)
        and next(element.iter("h1"), None) is None
    )


def _prose_length(element: HtmlElement) -> int:
    """Characters of paragraph text under `element`."""
    return sum(len(text) for p in element.iter("p") for text in p.itertext())


_UNLIKELY = re.compile(
    r"combx|comment|community|disqus|extra|foot|header|menu|remark|rss|shoutbox|sidebar|"
    r"sponsor|ad-break|agegate|pagination|pager|popup|tweet|twitter",
    re.I,
)
"""readability-lxml 0.9's `unlikelyCandidatesRe` and `okMaybeItsACandidateRe`, verbatim."""
_MAYBE = re.compile(r"and|article|body|column|content|main|shadow", re.I)
_DISCUSSION = re.compile(r"comment|disqus|remark|shoutbox|community|combx", re.I)
_EMBED_LABEL = re.compile(r"twitter-tweet|embed-tweet|instagram-media", re.I)
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)


def _with_text(best: dict[str, Any], ranked: list[dict[str, Any]]) -> dict[str, Any]:
    """readability's best candidate, or the next well-scored one when the best holds no story.

    A 49-character "text" div wins on its class name alone; the story is the next
    top-5 candidate scoring at least half as much that holds some text.
    """
    if _text_length(best["elem"]) >= _SHORTEST_STORY:
        return best
    return next(
        (
            c
            for c in ranked[:5]
            if c["content_score"] >= 0.5 * best["content_score"]
            and _text_length(c["elem"]) >= _SHORTEST_STORY
        ),
        best,
    )


def _widening(best: dict[str, Any], ranked: list[dict[str, Any]]) -> HtmlElement | None:
    """The container to widen the pick to, as Readability.js does, or None.

    When three or more of the other top-five candidates score at least 75% of
    the best one, the story is split over blocks of one container (a CMS's
    content elements, one per paragraph group); the nearest ancestor of the
    best that holds three of them is taken instead.
    """
    close = [
        c["elem"]
        for c in ranked[1:5]
        if c["elem"] is not best["elem"] and c["content_score"] >= 0.75 * best["content_score"]
    ]
    if len(close) < 3:
        return None
    for level, ancestor in enumerate(best["elem"].iterancestors()):
        if ancestor.tag in ("body", "html") or level >= _WIDEN_LEVELS:
            break
        if sum(1 for elem in close if ancestor in elem.iterancestors()) >= 3:
            return ancestor
    return None


def readable_tree(tree: HtmlElement) -> HtmlElement | None:
    """readability-lxml's main content as an lxml element; `tree` itself is left intact.

    readability gets a copy of the prepared tree for each of its attempts, in
    place of re-parsing and re-cleaning the page; links are resolved later, by
    the block walker.
    """
    import copy
    import logging

    from readability import Document as Readability
    from readability.readability import Unparseable

    # readability logs (with a traceback) the pages it gives up on; a failure here
    # means "no readable part", which the caller handles, so it must not reach stderr.
    logging.getLogger("readability").setLevel(logging.CRITICAL)

    class _Readable(Readability):  # type: ignore[misc]  # readability-lxml has no types
        """readability-lxml with our parse step and without its final serialisation."""

        chosen: HtmlElement | None = None
        """The element `select_best_candidate` picked (after our adjustments)."""

        def _parse(self, input: HtmlElement) -> HtmlElement:
            return copy.deepcopy(input)

        def get_clean_html(self) -> str:
            from lxml.etree import tounicode

            return str(tounicode(self.html, method="html"))

        def select_best_candidate(self, candidates: dict[HtmlElement, Any]) -> Any:
            """readability's pick, unless it holds almost no text; widened as Readability.js
            widens it (see `_widening`).

            The pick is remembered: the conditional clean must not drop it (a photo
            story's body has more images than paragraphs; a layout table holding
            the story has few commas and a links column), or the page comes out empty.
            """
            self.chosen = None  # readability may try again on a fresh copy
            best = super().select_best_candidate(candidates)
            if not best:
                return best
            ranked = sorted(candidates.values(), key=lambda c: c["content_score"], reverse=True)
            best = _with_text(best, ranked)
            ancestor = _widening(best, ranked)
            if ancestor is not None:
                # The widened container joins the candidates with the score it stands for.
                widened = candidates.get(ancestor) or self.score_node(ancestor)
                widened["content_score"] = max(widened["content_score"], best["content_score"])
                candidates[ancestor] = widened
                best = widened
            self.chosen = best["elem"]
            return best

        def score_paragraphs(self) -> dict[HtmlElement, Any]:
            """readability's scores, except that a block inside a link scores nothing.

            A teaser card is often one `<a>` around a headline and a summary; the
            summary's div has no link under it, so its text did not count as link
            text and a row of "Most viewed" cards outscored the story.
            """
            candidates: dict[HtmlElement, Any] = super().score_paragraphs()
            for elem, candidate in candidates.items():
                if next(elem.iterancestors("a"), None) is not None:
                    candidate["content_score"] = 0.0
            return candidates

        def get_preserved_elements(self, node: HtmlElement) -> dict[HtmlElement, bool]:
            """readability's own (tables of contents, quote leads) plus the story's lists.

            readability drops a list for its links or its length; a list the text
            introduces ("Read about:") or one of short prose items is part of the story.
            """
            allowed: dict[HtmlElement, bool] = super().get_preserved_elements(node)
            allowed.update((lst, True) for lst in node.iter("ul", "ol") if _story_list(lst))
            if self.chosen is not None:
                for lst in _list_story(self.chosen):  # the lists and what holds them
                    allowed[lst] = True
                    for holder in lst.iterancestors():
                        if holder is self.chosen or holder in allowed:
                            break
                        allowed[holder] = True
            if self.chosen is not None:
                allowed[self.chosen] = True
            return allowed

        def remove_unlikely_candidates(self) -> None:
            """readability's own pass, except for the containers that hold the story.

            readability drops every element whose class or id says "sidebar",
            "header", "menu", "tweet"... A page whose whole article sits in a
            `c-fixed-sidebar-layout` row or an `after-header` wrapper then loses
            its story, and a tweet quoted in the story loses its text.
            """
            prose: int | None = None  # the page's paragraph text, measured when first needed
            for element in self.html.findall(".//*"):
                label = f"{element.get('class', '')} {element.get('id', '')}"
                if (
                    len(label) < 2
                    or not _UNLIKELY.search(label)
                    or (_MAYBE.search(label) and not _is_discussion(element))
                    or element.tag in ("html", "body")
                    or element.xpath(
                        "ancestor-or-self::pre | ancestor-or-self::code | "
                        "descendant-or-self::main | "
                        "descendant-or-self::article | descendant-or-self::math"
                    )
                ):
                    continue
                if prose is None:
                    prose = _prose_length(self.html)
                if not _holds_story(element, label, prose):
                    element.drop_tree()

    doc = _Readable(tree)
    try:
        doc.summary(html_partial=True)
    except (Unparseable, ValueError, TypeError):
        return None
    result: HtmlElement | None = doc.html
    return result


# --- metadata -----------------------------------------------------------------------------


class Metadata:
    """Title, byline, date, site, description and language read from one page tree."""

    __slots__ = ("body", "byline", "description", "lang", "published", "site", "title")

    def __init__(self) -> None:
        self.title = ""
        self.byline: str | None = None
        self.published: str | None = None
        self.site: str | None = None
        self.description: str | None = None
        self.lang: str | None = None
        self.body = ""
        """JSON-LD articleBody: the text of pages that render their body with scripts."""


_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»/]|::)\s+|:\s+")
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|reported|words)\s+by|by|von|par|por|di|door|"
    r"av|af|de)\s*[:\s]\s*",
    re.IGNORECASE,
)
_DATE_IN_TEXT = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def read_metadata(tree: HtmlElement, url: str | None = None) -> Metadata:
    """Read the article's metadata from the whole page, in order of reliability."""
    meta = Metadata()
    props: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = element.get("content")
        if content is None:
            content = element.get("value")  # some saved pages carry the value there
            if content is None:
                continue
        for attribute in ("property", "name", "itemprop", "http-equiv"):
            key = element.get(attribute)
            if key:
                for part in key.lower().split():
                    props.setdefault(part.strip(), content)
    ld = _json_ld(tree)

    meta.body = ld.get("body", "")
    meta.site = _first(props.get("og:site_name"), ld.get("site"), props.get("application-name"))
    meta.title = _title(tree, props, ld, meta.site)
    meta.byline = _byline(tree, props, ld, meta.site)
    meta.published = _published(tree, props, ld, url)
    meta.description = _first(
        props.get("og:description"),
        props.get("description"),
        props.get("twitter:description"),
        ld.get("description"),
    )
    lang = tree.get("lang") or tree.get("xml:lang") or props.get("content-language") or ""
    if not lang and props.get("og:locale"):
        lang = props["og:locale"].replace("_", "-")
    meta.lang = clean_text(lang) or None
    return meta


def _first(*values: str | None) -> str | None:
    for value in values:
        text = clean_text(value)
        if text:
            return text
    return None


def _json_ld(tree: HtmlElement) -> dict[str, str]:
    """The article fields of the page's JSON-LD (headline, author, dates, publisher)."""
    found: dict[str, str] = {}
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if raw.startswith("<![CDATA["):  # XHTML-style wrapping
            raw = raw[9:].rsplit("]]>", 1)[0]
        raw = raw.strip().removeprefix("//").strip()
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if not any(
                isinstance(k, str)
                and (
                    k.endswith("Article")
                    or k
                    in (
                        "BlogPosting",
                        "Report",
                        "NewsArticle",
                        "LiveBlogPosting",
                        "WebPage",
                        "Recipe",
                        "SocialMediaPosting",
                        "VideoObject",
                    )
                )
                for k in kinds
            ):
                continue
            is_article = any(isinstance(k, str) and k != "WebPage" for k in kinds)
            prefix = "" if is_article else "page_"
            for key, field in (
                ("headline", "title"),
                ("name", "name"),
                ("datePublished", "published"),
                ("dateCreated", "created"),
                ("description", "description"),
            ):
                value = item.get(key)
                if isinstance(value, str) and value.strip():
                    found.setdefault(prefix + field, value)
            author = _ld_names(item.get("author") or item.get("creator"))
            if author:
                found.setdefault(prefix + "author", author)
            body = item.get("articleBody")
            if isinstance(body, str) and len(body) > len(found.get("body", "")):
                found["body"] = body
            publisher = _ld_names(item.get("publisher"))
            if publisher:
                found.setdefault("site", publisher)
    return found


def _ld_items(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_items(data["@graph"], depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _ld_items(main, depth + 1)


def _ld_names(value: Any) -> str | None:
    if isinstance(value, str):
        return value if not value.startswith(("http://", "https://")) else None
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) and name.strip() else None
    if isinstance(value, list):
        names = [n for n in (_ld_names(v) for v in value[:6]) if n]
        return ", ".join(dict.fromkeys(names)) if names else None
    return None


def _text(element: HtmlElement) -> str:
    return clean_text(element.text_content())


def _title(tree: HtmlElement, props: dict[str, str], ld: dict[str, str], site: str | None) -> str:
    """The headline: the page's h1 when it agrees with the declared title, else og:title
    (or JSON-LD headline) minus the declared site name, else `<title>` minus a " | Site" tail.

    "Agrees": at least 70% of the h1's words are in the headline part of og:title or
    `<title>` (their longest separator-delimited part), and it is not the site name.
    The h1 is what the reader sees; og:title is often a different social headline.
    og:title loses only a part that is the declared site name (og:site_name): the
    publisher wrote it for this story, and an undeclared tail ("| IAB") is kept, as
    Readability.js keeps it; `<title>` is a template's, so a short tail is guessed.
    """
    page_title = ""
    for element in tree.iter("title"):
        page_title = _text(element)
        break
    declared = next(
        (
            c
            for c in (
                clean_text(props.get("og:title")),
                clean_text(ld.get("title")),
                clean_text(props.get("twitter:title")),
                clean_text(props.get("dc.title")),
            )
            if c
        ),
        "",
    )
    # Compare with the headline part of the titles, not their site-name parts.
    reference = _words(" ".join(_headline_part(full) for full in (declared, page_title)))
    site_parts = {
        part.casefold().strip(" :|-")
        for full in (declared, page_title)
        for part in _site_like_parts(full)
    }
    if site:
        site_parts.add(site.casefold())
    best, best_score = "", 0.0
    for position, h1 in enumerate(tree.iter("h1")):
        if position >= 6:
            break
        text = _text(h1)
        words = _words(text)
        if len(text) < 8 or len(words) > 40 or not words or text.casefold() in site_parts:
            continue
        score = len(words & reference) / len(words)
        if score > best_score:
            best, best_score = text, score
    if best and best_score >= 0.7:
        return best
    if declared:
        return _trim_site(declared, site, guess=False) or declared
    if page_title:
        return _trim_site(page_title, site) or page_title
    return best


def _headline_part(title: str) -> str:
    """The longest separator-delimited part of a title (the rest names the site)."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    return max(parts, key=len) if parts else ""


def _site_like_parts(title: str) -> list[str]:
    """The shorter parts of a "Site: Headline" / "Headline | Site" title (site names)."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p]
    if len(parts) < 2:
        return []
    longest = max(parts, key=len)
    return [p for p in parts if p is not longest]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _trim_site(title: str, site: str | None, *, guess: bool = True) -> str:
    """Cut a " | Site Name" (or "Site Name - ") tail or head off a title.

    With `guess`, a short last part after " | " is taken for a site name too.
    """
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    site_key = (site or "").casefold()
    if site_key:
        # The part cut off is the shorter one: "Headline @ Blog Name :: Host" keeps its
        # headline even though the blog's name is inside that part.
        tail, head = parts[-1].casefold(), parts[0].casefold()
        rest = title[: title.rfind(parts[-1])].rstrip(" |-–—·•:»/")
        if (tail in site_key or site_key in tail) and len(rest) > len(tail):
            return rest
        rest = title[len(parts[0]) :].lstrip(" |-–—·•:»/")
        if (head in site_key or site_key in head) and len(rest) > len(head):
            return rest
    match = list(re.finditer(r"\s+[|·•»]\s+", title)) if guess else []
    if match:
        head_text, tail_text = title[: match[-1].start()], title[match[-1].end() :]
        if len(tail_text.split()) <= 4 and len(head_text.split()) >= 3:
            return head_text
    return title


_BYLINE_XPATHS = (
    '//*[@itemprop="author"]//*[@itemprop="name"][not(self::meta)]',
    '//a[@rel="author"]',
    '//*[@itemprop="author"][not(self::meta)][not(self::link)]',
    '//*[contains(@class, "byline") or contains(@id, "byline")]'
    "[not(self::html)][not(self::body)][not(self::article)]",
    '//*[contains(@class, "author")][not(self::html)][not(self::body)][not(self::article)]'
    "[not(self::meta)][not(self::link)]",
    '//a[contains(@href, "/author/") or contains(@href, "/authors/") or '
    'contains(@href, "/profile/") or contains(@href, "/staff/") or '
    'contains(@href, "/editors/") or contains(@href, "/journalist")]',
    # "By <span>Name</span>": the element whose own text is the "By".
    '//*[starts-with(normalize-space(text()), "By ") or normalize-space(text()) = "By"]'
    "[not(self::script)][not(self::p)]",
)


def _byline(
    tree: HtmlElement, props: dict[str, str], ld: dict[str, str], site: str | None = None
) -> str | None:
    """JSON-LD author, meta author, then elements marked as bylines, then "By X"."""
    publisher = ld.get("site") or site
    for value in (
        ld.get("author"),
        props.get("article:author"),
        props.get("author"),
        props.get("dc.creator"),
        props.get("parsely-author"),
        props.get("sailthru.author"),
        props.get("byl"),
    ):
        name = clean_byline(value, publisher) or clean_byline(value, site)
        if name and (not site or name.casefold() != site.casefold()):
            return name
    for xpath in _BYLINE_XPATHS:
        for element in tree.xpath(xpath)[:8]:
            if len(element) > 12:  # a whole author box or container, not a byline
                continue
            name = clean_byline(_text(element), site)
            if name:
                return name
    return None


_BYLINE_CUT = re.compile(
    r"(?:\s*@|\s*\||\s+[-–—]\s|\s+\d|\s+(?:in|on|at)\s+(?=[A-Z0-9])|,\s*(?:senior|staff|special|chief|contributing)\b|"
    r"\b(?:twitter|facebook|instagram|linkedin|e-?mail|follow|more\s+(?:stories|articles|from|by)|"
    r"view\s+(?:author|all|profile|more)|get\s+author|staff\s+writer|contributor|correspondent|"
    r"reporter|columnist|editor|writer|fellow|updated|published|posted|read\s+more|"
    r"(?:is|was)\s+(?:a|an|the)\s|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+"
    r"\d|january|february|march|july|september|october|november|december|"
    r"senior\s+\w+|watch\s+live|minutes?\s+read|ago)\b|\d{4}-\d\d"
    r"|(?<=[a-z])(?-i:Twitter|Facebook|Staff|Senior|Contributor|Correspondent|Reporter|Editor|"
    r"Writer|More|View|Follow|Email|News|WATCH|Updated|Published|Games|Washington|Jan|Feb|Mar|"
    r"Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)).*$",
    re.I | re.S,
)
_NOT_A_NAME = re.compile(
    r"^(?:by|von|par|por|admin|administrator|staff|unknown|anonymous|"
    r"author|posted|share|\W*)$",
    re.I,
)


def clean_byline(value: str | None, site: str | None = None) -> str | None:
    """A person's name from a byline text: "By X" prefixes, handles, roles and dates cut."""
    text = clean_text(value)
    if not text or text.startswith(("http://", "https://", "{", "[")):
        return None
    text = _BY_PREFIX.sub("", text)
    text = re.sub(r"^[Bb]y(?=[A-Z])", "", text)
    text = _BYLINE_CUT.sub("", text).strip(" ,|-–—:·•")
    if site and text.casefold().endswith(", " + site.casefold()):
        text = text[: -len(site) - 2].rstrip(" ,")
    if not text or _NOT_A_NAME.match(text) or len(text) > 100:
        return None
    half = len(text) // 2
    if text[:half].strip() == text[half:].strip():  # "Duncan Bell Duncan Bell"
        text = text[:half].strip()
    if site and text.casefold() == site.casefold():  # the publisher, not a person
        return None
    words = len(text.split())
    names = len(re.split(r",|&|\band\b|\bund\b|\bet\b|\by\b", text))
    if words > 4 * names or text.endswith((".", "!", "?")):
        return None
    return text


_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article:published_date",
    "published-date",
    "date.published",
    "article.published",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
    "article:published",
    "og:pubdate",
    "datecreated",
    "timestamp",
    "release_date",
)


def _published(
    tree: HtmlElement, props: dict[str, str], ld: dict[str, str], url: str | None = None
) -> str | None:
    """article:published_time and friends, JSON-LD, then `<time datetime>`."""
    for value in (
        ld.get("published"),
        props.get("article:published_time"),
        *(props.get(key) for key in _DATE_META),
        ld.get("created"),
        ld.get("page_published"),
    ):
        iso = normalise_date(value)
        if iso:
            return iso
    for element in tree.xpath(
        "//*[@itemprop='datePublished'][@datetime or @content] | //time[@pubdate] | "
        "//time[@datetime] | //abbr[contains(@class, 'published')][@title]"
    )[:6]:
        iso = normalise_date(
            element.get("datetime") or element.get("content") or element.get("title")
        )
        if iso:
            return iso
    # A date printed near the headline, in an element whose class says it is one.
    for element in tree.xpath(
        "//*[contains(@class, 'date') or contains(@class, 'time') or "
        "contains(@class, 'publish') or contains(@class, 'posted')]"
        "[not(self::html)][not(self::body)][not(self::article)]"
    )[:12]:
        if len(element) > 6:
            continue
        text = _text(element)
        if 6 <= len(text) <= 80 and (iso := _parse_loose_date(text)):
            return iso
    if url and (match := _URL_DATE.search(url)):
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    return None


_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[-_])")


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time from a page's date string; None if it is not one."""
    text = clean_text(value)
    if not text:
        return None
    if re.fullmatch(r"\d{10}(\d{3})?", text):  # a Unix timestamp (s or ms)
        try:
            seconds = int(text[:10])
            return date_from_timestamp(seconds) if seconds > 0 else None
        except (OverflowError, OSError, ValueError):
            return None
    candidate = text.replace("Z", "+00:00") if text.endswith("Z") else text
    candidate = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", candidate)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", candidate):
            return date.fromisoformat(candidate).isoformat()
        return datetime.fromisoformat(candidate).isoformat()
    except ValueError:
        pass
    match = _DATE_IN_TEXT.search(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    return _parse_loose_date(text)


_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def _parse_loose_date(text: str) -> str | None:
    """ "July 3, 2025", "3 July 2025", "2025/07/03", "03.07.2025" -> ISO date."""
    lowered = text.lower()
    match = re.search(r"\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", lowered)
    if match and match[1] in _MONTHS:
        parts = (int(match[3]), _MONTHS[match[1]], int(match[2]))
    elif (match := re.search(r"\b(\d{1,2})\.?\s+([a-z]{3,9})\.?,?\s+(\d{4})\b", lowered)) and match[
        2
    ] in _MONTHS:
        parts = (int(match[3]), _MONTHS[match[2]], int(match[1]))
    elif match := re.search(r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b", lowered):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif match := re.search(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b", lowered):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    else:
        return None
    try:
        return date(*parts).isoformat()
    except ValueError:
        return None
