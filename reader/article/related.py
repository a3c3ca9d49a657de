"""Related coverage: the stories an article itself offers as further reading.

Three places hold them: sentences in the body that point onward ("For more on X,
read this related article"), labelled lines ("Related:", "See also:", "Read
more:"), and labelled boxes ("More on this story", "Related stories") that often
sit outside the main content readability keeps, so we look for those in the
whole page. Navigation, tags, footers, share links and "Most read" / "Trending"
boxes are never related coverage, nor is the article's own address.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import islice
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

from reader.article.document import Anchor, Block, Document
from reader.article.sentences import split_sentences
from reader.model import Link
from reader.text import clean_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MAX_BOX_LINKS = 40
"""A "box" with more links than this is a whole page region, not a related box."""
MAX_LABEL_CHARS = 60
MAX_CLIMB = 4
"""How many levels above a box label we look for the box's links."""
MAX_TITLE_CHARS = 200
"""Longest related-link title kept (a 7.7 MB link text was kept whole); cut at a word."""
MAX_CONTEXT_CHARS = 400
"""Longest context sentence kept with a related link."""
MAX_BOX_LABELS = 50
"""Box labels examined per page: each looks through its box, and a page of thousands of
"Related" labels made that quadratic."""

_LABEL_LINE = re.compile(
    r"^\W*(?P<label>related(?:\s+(?:coverage|stories|story|articles?|content|reading|news|links?))?"
    r"|see\s+also|read\s+(?:more|also|next)|also\s+read|further\s+reading|more\s+on\s+this"
    r"(?:\s+story)?|more\s+coverage|previously|mehr\s+zum\s+thema|lesen\s+sie\s+auch|"
    r"lire\s+aussi|à\s+lire\s+aussi|voir\s+aussi)\s*[:|»›>–—-]+\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
_BOX_LABEL = re.compile(
    r"^\W*(?:more\s+(?:on|about)\s+(?:this|the)\s+(?:story|topic|subject)|more\s+on\s+this|"
    r"related(?:\s+(?:coverage|stories|story|articles?|content|reading|news|links|posts))?|"
    r"see\s+also|read\s+more(?:\s+(?:on|about)\s+(?:this|the)\s+(?:story|topic))?|"
    r"further\s+reading|read\s+also|also\s+read|more\s+coverage|in\s+depth|"
    r"mehr\s+zum\s+thema|lesen\s+sie\s+auch|das\s+könnte\s+sie\s+auch\s+interessieren|"
    r"à\s+lire\s+aussi|lire\s+aussi|sur\s+le\s+même\s+sujet|voir\s+aussi|"
    r"noticias\s+relacionadas|relacionad[oa]s)\W*$",
    re.IGNORECASE,
)
_BOX_CLASS = re.compile(r"related|more-?on|see-?also|further-?reading|story-?more")
"""A class or id (lowercased) that marks a related-coverage box."""
_BOX_TAGS = (
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "span",
    "strong",
    "b",
    "em",
    "div",
    "section",
    "aside",
    "ul",
    "ol",
    "dl",
    "dt",
    "label",
)
"""Elements that can hold a box label or be a box (links and list items cannot)."""
_EXCLUDED_CLASS = re.compile(
    r"\b(?:nav|navbar|navigation|menu|footer|masthead|share|sharing|social|tags?|"
    r"topics?|breadcrumbs?|popular|trending|most-?(?:read|viewed|shared|popular)|newsletter|"
    r"promo|sponsor(?:ed)?|advert|ad-|ads|comments?|byline|author|related-?(?:tags|topics))\b"
    r"|mostread|mostpopular|most_read|sharebar|share-",
    re.IGNORECASE,
)
_EXCLUDED_TAGS = frozenset(
    {
        "nav",
        "footer",
        "header",
        "form",
        "button",
        "select",
        "script",
        "style",
        "noscript",
        "template",
    }
)
_LABEL_INITIALS = frozenset("MRSFAILDNVTmrsfaildnvtÀà")
"""First letters of the box labels below ("More on this story", "Related", "See also", ...)."""
LINK_TEXT_SHARE = 0.5
"""A related box is mostly link text; a body region with a few links is not."""
_EXCLUDED_HEADING = re.compile(
    r"most\s+(?:read|popular|viewed|shared|watched)|trending|top\s+stories|latest|"
    r"recommended|sponsored|promoted|around\s+the\s+web|editor'?s\s+picks|popular|"
    r"more\s+(?:stories\s+)?from|you\s+(?:may|might)\s+also\s+like|also\s+on|elsewhere\s+on|"
    r"from\s+our\s+partners|gift\s+guides?|deals",
    re.IGNORECASE,
)
_GENERIC_ANCHOR = re.compile(
    r"^\W*(?:here|this|that|link|more|details|click\s+here|read\s+more|see\s+more|learn\s+more|"
    r"continue\s+reading|full\s+story|read\s+(?:the\s+|our\s+)?(?:full\s+)?(?:story|article|report)|"
    r"(?:this|our|the|an?)\s+(?:related\s+|earlier\s+|previous\s+|full\s+|recent\s+)?"
    r"(?:article|story|report|piece|coverage|explainer|analysis)|related\s+(?:article|story))\W*$",
    re.IGNORECASE,
)
_CUE = re.compile(
    r"\bfor\s+more\s+(?:on|about)\b|\bread\s+(?:more|our|the\s+related|this\s+(?:related\s+)?"
    r"(?:article|story|report|piece|explainer|analysis))\b|"
    r"\brelated\s+(?:article|story|coverage|report)\b|\bsee\s+(?:our|also)\b|"
    r"\blearn\s+more\s+about\b|\bmore\s+on\s+this\b|\b(?:our|an?)\s+(?:earlier|previous)\s+"
    r"(?:story|report|article)\b|\bfor\s+(?:our\s+)?(?:full\s+)?coverage\s+of\b",
    re.IGNORECASE,
)
_CUE_HINTS = ("more", "read", "related", "see ", "earlier", "previous", "coverage")
"""Substrings one of which every onward-reading cue contains: a cheap test first."""
_TOPIC = re.compile(
    r"\b(?:for\s+more\s+(?:on|about)|to\s+read\s+more\s+(?:on|about)|read\s+more\s+(?:on|about)|"
    r"learn\s+more\s+about|more\s+on|for\s+(?:our\s+)?(?:full\s+)?coverage\s+of)\s+"
    r"(?P<topic>[^,.;:!?]{3,160})",
    re.IGNORECASE,
)
_SKIPPED_PATH = re.compile(
    r"/(?:tags?|topics?|category|categories|author|authors|section|"
    r"search|login|signin|signup|register|account|subscribe|newsletters?|"
    r"share)(?:/|$)",
    re.I,
)
_SHARE_HOST = re.compile(
    r"(?:^|\.)(?:facebook\.com|twitter\.com|x\.com|linkedin\.com|"
    r"whatsapp\.com|t\.me|telegram\.me|reddit\.com|pinterest\.com)$"
)
_TRAILING_DATE = re.compile(
    r"\s+\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)(?:\s+\d{4})?$|\s+(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\s+\d{1,2},\s+\d{4}$"
)
"""A teaser's date glued to its headline ("... row explained 1 July 2019")."""
_LEADING_MEDIA_LABEL = re.compile(r"^(?:Video|Audio|Watch|Listen|Gallery|Podcast)\s+(?=[A-Z'\"‘“])")
_TITLE_TRIM = " \t»›→>|•·–—-:"
_WORDS = re.compile(r"\w+")


def find_related(document: Document) -> list[Link]:
    """The further-reading links of an article, in-text first, then the page's boxes."""
    collector = _Collector(document.url)
    plain_text = document.page_tree is None
    for section in document.sections:
        if plain_text and section.heading:
            # Plain text turns a short unpunctuated "See also: X" line into a heading.
            _from_block(Block(section.heading), collector, plain_text)
        for block in section.blocks:
            _from_block(block, collector, plain_text)
    if document.page_tree is not None:
        _from_page(document.page_tree, document.url, collector)
    return collector.links


class _Collector:
    """Keeps links in order, without duplicates or the article's own address."""

    def __init__(self, own_url: str | None) -> None:
        self.links: list[Link] = []
        self.seen: set[str] = set()
        self.own_key = _url_key(own_url) if own_url else None

    def add(self, title: str, url: str | None, context: str, *, box: bool = False) -> None:
        title = _shorten(clean_text(title[: 4 * MAX_TITLE_CHARS]), MAX_TITLE_CHARS)
        title = _TRAILING_DATE.sub("", _LEADING_MEDIA_LABEL.sub("", title))
        title = title.strip(_TITLE_TRIM).removesuffix(".")
        context = _shorten(clean_text(context[: 4 * MAX_CONTEXT_CHARS]), MAX_CONTEXT_CHARS)
        if (
            not title
            or _GENERIC_ANCHOR.match(title)
            or (box and title.casefold() in context.casefold())
        ):
            return  # the box's own label linked to a section page ("Next up in Science")
        if url is not None:
            url = _without_tracking(url)
            key = _url_key(url)
            if key is None or key == self.own_key or key in self.seen:
                return
            self.seen.add(key)
        else:
            key = "title:" + title.casefold()
            if key in self.seen:
                return
            self.seen.add(key)
        self.links.append(Link(title, url, context))


def _shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def _without_tracking(url: str) -> str:
    """Drop utm_* campaign parameters, which only tell the site where the click came from."""
    if "utm_" not in url:
        return url
    parts = urlsplit(url)
    query = "&".join(pair for pair in parts.query.split("&") if not pair.startswith("utm_"))
    return urlunsplit(parts._replace(query=query))


def _url_key(url: str) -> str | None:
    """A comparable form of an http(s) URL; None for anything else or a share link."""
    bare, _ = urldefrag(url.strip())
    parts = urlsplit(bare)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    if _SHARE_HOST.search(host.split(":")[0]) and ("share" in bare or "intent" in bare):
        return None
    path = parts.path.rstrip("/")
    if _SKIPPED_PATH.search(parts.path) or (not path and not parts.query):
        return None
    return f"{host}{path}?{parts.query}" if parts.query else f"{host}{path}"


def _from_block(block: Block, collector: _Collector, plain_text: bool) -> None:
    """Labelled lines and onward-pointing sentences of one body block."""
    text = block.text
    label = _LABEL_LINE.match(text) if len(text) < 400 else None
    if label:
        rest = label.group("rest").strip()
        if block.anchors:
            for anchor in block.anchors:
                title = anchor.text if not _GENERIC_ANCHOR.match(anchor.text) else rest
                collector.add(title, anchor.href, text)
        elif plain_text:
            collector.add(rest, None, text)
        return
    lowered = text.lower()
    if not any(hint in lowered for hint in _CUE_HINTS) or not _CUE.search(text):
        return
    # Anchors in text order, found per sentence by bisection: linear in the block,
    # where testing every anchor against every sentence was quadratic (10k links: 7.5 s).
    found: dict[str, int] = {}
    placed = sorted(
        ((_anchor_start(anchor, text, found), n, anchor) for n, anchor in enumerate(block.anchors)),
        key=lambda item: (item[0], item[1]),
    )
    starts = [position for position, _, _ in placed]
    for sentence, start, end in _sentences_with_offsets(text):
        if not _CUE.search(sentence):
            continue
        anchors = [
            anchor for _, _, anchor in placed[bisect_left(starts, start) : bisect_left(starts, end)]
        ]
        topic_match = _TOPIC.search(sentence)
        topic = topic_match.group("topic").strip() if topic_match else None
        if anchors:
            for anchor in anchors:
                generic = _GENERIC_ANCHOR.match(anchor.text) is not None
                title = topic if generic and topic else anchor.text
                if generic and not topic:
                    continue
                collector.add(title or "", anchor.href, sentence)
        elif plain_text and topic:
            collector.add(topic, None, sentence)


def _sentences_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Each sentence of `text` with its start and end offsets."""
    result: list[tuple[str, int, int]] = []
    cursor = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, cursor)
        if start < 0:
            start = cursor
        end = start + len(sentence)
        result.append((sentence, start, end))
        cursor = end
    return result


def _anchor_start(anchor: Anchor, text: str, found: dict[str, int]) -> int:
    """Where the anchor's text sits in the block (-1: nowhere); each text looked up once."""
    if anchor.start >= 0:
        return anchor.start
    if anchor.text not in found:
        found[anchor.text] = text.find(anchor.text)
    return found[anchor.text]


def _from_page(tree: HtmlElement, url: str | None, collector: _Collector) -> None:
    """Links of labelled "More on this story" / "Related" boxes anywhere on the page."""
    base = _page_base(tree, url)
    labels = 0
    for element in tree.iter(*_BOX_TAGS):  # filtered in C: no links, list items, images
        own_text = element.text
        # Cheap tests first: most elements have no short label text and no box class.
        if (
            own_text
            and len(own_text) <= 2 * MAX_LABEL_CHARS
            and own_text.lstrip()[:1] in _LABEL_INITIALS
        ):
            own_text = own_text.strip()
            if len(own_text) <= MAX_LABEL_CHARS and _BOX_LABEL.match(own_text):
                labels += 1
                if labels > MAX_BOX_LABELS:
                    return
                if not _inside_link(element) and not _excluded(element):
                    _collect_box(element, base, collector, own_text)
                continue
        marker = element.get("class")
        identifier = element.get("id")
        if marker is None and identifier is None:
            continue
        marker = f"{marker or ''} {identifier or ''}"
        # Substring tests that skip the lower() and the regex for nearly every element.
        if (
            ("elated" in marker or "ore" in marker or "lso" in marker or "urther" in marker)
            and _BOX_CLASS.search(marker.lower())
            and not _excluded(element)
        ):
            label = _box_heading(element)
            if label is None or not _EXCLUDED_HEADING.search(label):
                _collect_links(element, None, base, collector, label or "Related")


def _page_base(tree: HtmlElement, url: str | None) -> str:
    """The address relative links resolve against: <base href>, else the page URL."""
    head = tree.find("head") if tree.tag == "html" else None
    for base in (head if head is not None else tree).iter("base"):  # <base> sits in <head>
        href = base.get("href")
        if href:
            return urljoin(url or "", str(href))
    return url or str(tree.base_url or "")


def _collect_box(label: HtmlElement, base: str, collector: _Collector, label_text: str) -> None:
    """Find the box a label heads (climbing a few levels) and take its links."""
    label_block = label
    while (
        label_block.tag in ("span", "strong", "b", "em", "i")
        and label_block.getparent() is not None
    ):
        label_block = label_block.getparent()
    # "<p><b>Read more</b></p><ul>...</ul>" inside the body: the list after the label.
    following = label_block.getnext()
    if (
        following is not None
        and following.tag in ("ul", "ol", "div", "p", "section")
        and _collect_links(following, None, base, collector, label_text)
    ):
        return
    container = label_block.getparent()
    for _ in range(MAX_CLIMB):
        if container is None or container.tag in ("body", "html"):
            return
        if _has_link_after(container, label_block):
            _collect_links(container, label_block, base, collector, label_text)
            return
        container = container.getparent()


def _has_link_after(container: HtmlElement, label: HtmlElement) -> bool:
    label_links = {id(a) for a in islice(label.iter("a"), MAX_BOX_LINKS + 1)}
    return any(id(a) not in label_links for a in islice(container.iter("a"), len(label_links) + 1))


def _collect_links(
    container: HtmlElement,
    label: HtmlElement | None,
    base: str,
    collector: _Collector,
    context: str,
) -> bool:
    """Every qualifying link of a box, after its label, in page order; False if no box."""
    anchors = list(islice(container.iter("a"), MAX_BOX_LINKS + 1))  # more: not a box
    if not anchors or len(anchors) > MAX_BOX_LINKS or not _mostly_links(container, anchors, label):
        return False
    label_links = {id(a) for a in label.iter("a")} if label is not None else set()
    for anchor in anchors:
        if id(anchor) in label_links:
            continue
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        title = _anchor_title(anchor)
        if len(_WORDS.findall(title)) < 2 or _excluded(anchor, stop=container):
            continue
        collector.add(title, urljoin(base, href), context, box=True)
    return True


def _mostly_links(
    container: HtmlElement, anchors: list[HtmlElement], label: HtmlElement | None
) -> bool:
    """Whether link text makes up most of the box (its label aside)."""
    total = len(_WORDS.findall(container.text_content()))
    if label is not None:
        total -= len(_WORDS.findall(label.text_content()))
    linked = sum(len(_WORDS.findall(anchor.text_content())) for anchor in anchors)
    return total > 0 and linked / total >= LINK_TEXT_SHARE


def _anchor_title(anchor: HtmlElement) -> str:
    """A link's headline: a heading inside it if any, else its whole text."""
    for heading in anchor.iter("h2", "h3", "h4", "h5", "h6"):
        text = clean_text(heading.text_content())
        if len(_WORDS.findall(text)) >= 3:  # not a category label such as "News Cloud"
            return text
    return clean_text(anchor.text_content())


def _box_heading(element: HtmlElement) -> str | None:
    """The label of a box found by its class: its first heading that is not a linked headline."""
    for heading in element.iter("h2", "h3", "h4", "h5", "h6"):
        if heading.find(".//a") is None and not _inside_link(heading):
            return clean_text(heading.text_content())
    return None


def _inside_link(element: HtmlElement) -> bool:
    return any(ancestor.tag == "a" for ancestor in element.iterancestors())


def _excluded(element: HtmlElement, stop: HtmlElement | None = None) -> bool:
    """Whether the element sits in navigation, a footer, a share bar or a "Most read" box."""
    node: HtmlElement | None = element
    while node is not None and node is not stop:
        tag = node.tag
        if isinstance(tag, str) and tag in _EXCLUDED_TAGS:
            return True
        marker = f"{node.get('class', '')} {node.get('id', '')} {node.get('role', '')}"
        if marker.strip() and _EXCLUDED_CLASS.search(marker.replace("_", "-")):
            return True
        node = node.getparent()
    return False
