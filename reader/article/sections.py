"""The block stream -> sections, with boilerplate headings (and their boxes) left out.

Sections start at h2-h4 headings (h1 when it is not the headline, h5/h6 count as
h4) and at bold-only paragraphs that read like headings: short, no closing
full stop. A heading such as "Most read", "Related stories", "Share this",
"Advertisement" or a newsletter promo is not a section: it and the short or
link-heavy blocks under it become `aside` blocks (kept for the related pass,
never printed). So do share rows, link-only teasers, "Tags:" lines, date lines,
a repeated byline, author bios, and a "Key points" box (the article's summary).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from reader.article.document import PRINTED_KINDS, Block, DraftSection, Heading, Item
from reader.text import clean_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

BOILERPLATE_HEADING = re.compile(
    r"^(?:(?:the\s+)?most\s+(?:read|popular|viewed|shared|watched|commented|emailed)|"
    r"trending(?:\s+(?:now|stories|news|topics))?|popular(?:\s+(?:now|stories|articles|posts))?|"
    r"related(?:\s+(?:stories|articles|coverage|content|posts|links|topics|news|reading|"
    r"videos?))?|more\s+(?:on\s+this\s+(?:story|topic)|from|stories|news|to\s+read|like\s+this)"
    r".{0,40}|read\s+(?:more|next|also)|see\s+also|you\s+(?:may|might)\s+(?:also\s+)?"
    r"(?:like|enjoy|be\s+interested)|recommended(?:\s+\w+)?|editor'?s?\s+picks?|top\s+stories|"
    r"latest(?:\s+(?:news|stories|articles|videos?))?|share(?:\s+(?:this|the|on|via)\b.{0,30})?|"
    r"share\s+(?:article|story|post)|advertisement|sponsored(?:\s+content)?|"
    r"(?:sign\s+up|subscribe)\b.{0,60}|.{0,40}\bnewsletters?\b.{0,40}|follow\s+us.{0,30}|"
    r"(?:leave\s+a\s+|\d+\s+)?(?:comments?|replies|responses)|join\s+the\s+(?:conversation|"
    r"discussion)|tags?|topics|filed\s+under|about\s+the\s+author|more\s+from\s+.{0,40}|"
    r"in\s+(?:case\s+you\s+missed\s+it|other\s+news)|don'?t\s+miss.{0,30}|"
    r"get\s+(?:the|our)\s+.{0,40}|download\s+(?:the|our)\s+app.{0,20}|"
    r"meistgelesen|(?:das\s+(?:thema\s+)?)?könnte\s+(?:sie|dich|euch)\s+auch\s+interessieren|"
    r"mehr\s+zum\s+thema|auch\s+interessant|weitere\s+(?:artikel|beiträge|themen)|"
    r"(?:\d+\s+)?kommentare?|teilen|te\s+puede\s+interesar|(?:\d+\s+)?comentarios|"
    r"compartir|partager|(?:\d+\s+)?commentaires|vous\s+aimerez\s+aussi|"
    r"lesen\s+sie\s+auch|à\s+lire\s+aussi|les\s+plus\s+lus|lire\s+aussi|"
    r"cookies?.{0,40}|privacy.{0,30}|related\s+articles?|partner\s+content)\s*[:.!…]*$",
    re.I,
)
_KEY_POINTS = re.compile(
    r"^(?:key\s+(?:points|takeaways|facts|findings|moments|highlights)|what\s+we\s+know"
    r"(?:\s+so\s+far)?|story\s+highlights|highlights|at\s+a\s+glance|summary|in\s+brief|"
    r"in\s+short|the\s+big\s+picture|tl;?\s?dr|the\s+essentials|what\s+you\s+need\s+to\s+know"
    r"|quick\s+read|the\s+short\s+version|das\s+wichtigste(?:\s+in\s+kürze)?|l'essentiel)"
    r"\s*[:.]?$",
    re.I,
)
_PSEUDO_END = re.compile(r"[.,;:!…\"”»)]$")


def is_boilerplate_heading(text: str) -> bool:
    """True for box titles that are not part of the story ("Most read", "Share", ...)."""
    return len(text) <= 80 and BOILERPLATE_HEADING.match(text.strip()) is not None


def is_key_points_heading(text: str) -> bool:
    """True for the label of a page's own summary list ("Key points", "What we know")."""
    return len(text) <= 50 and _KEY_POINTS.match(text.strip()) is not None


def _is_pseudo_heading(text: str) -> bool:
    """A bold-only paragraph is a heading when it is short and not a sentence."""
    words = text.split()
    return 0 < len(words) <= 14 and len(text) <= 100 and not _PSEUDO_END.search(text)


def _link_share(block: Block) -> float:
    linked = sum(len(a.text) for a in block.anchors if a.start >= 0)
    return linked / max(1, len(block.text))


_SOCIAL_WORDS = re.compile(
    r"^(?:(?:share|tweet|pin|pint|email|e-mail|print|copy(?:\s+link)?|link|whatsapp|facebook|"
    r"twitter|x|linkedin|reddit|pinterest|telegram|flipboard|messenger|sms|mail|save|"
    r"comments?|baixar|download|like|follow|subscribe|share\s+(?:this|on|via)\s+\w+|"
    r"compartilhe|teilen|partager|compartir|condividi|\d+)[\s,|·•/:]*){1,12}$",
    re.I,
)
_JUNK_LINE = re.compile(
    r"^(?:advert(?:isement|isements)?|anzeige|publicidad|publicité|pubblicità|sponsored|"
    r"close|warning|loading\.*|like\s+loading\.*|like\s+this:?|voltar|back(?:\s+to\s+top)?|"
    r"this\s+(?:slideshow|video|content)\s+requires\s+javascript\.?|"
    r"(?:story|article)\s+continues\s+(?:below|after\s+advertisement)|"
    r"continue\s+reading(?:\s+(?:below|the\s+main\s+story))?|skip\s+(?:ad|advert)|"
    r"(?:image|photo|video)\s*:?|tags?\s*:.{0,200}|(?:filed\s+under|topics?|categor(?:y|ies))\s*:.{0,200}|"
    r"(?:(?:\d+\s+)?comments?|leave\s+a\s+(?:comment|reply))|(?:\d\s+){2,}\d|"
    r"(?:read|see|watch|listen)\s+(?:more|also|next)\b.{0,150}|more\s*:.{0,150}|"
    r"related\s*:.{0,150}|also\s+read\s*:?.{0,150}|.{0,80}\bby\s+clicking\s+here\.?|"
    r"(?:\d+\s+)?(?:kommentare?|commentaires?|comentarios?)|(?:aufrufe|views)\s*:?\s*[\d.,]*|"
    r"(?:sign\s+up|subscribe|register)\b.{0,100}(?:newsletter|inbox|email|content|free)\b.{0,100}|"
    r".{0,60}\b(?:als\s+pdf\s+herunterladen|download\s+(?:as|the)\s+pdf)\b.{0,20})$",
    re.I,
)
_LABELLED_LINK = re.compile(r"^[^:]{1,30}:\s")
_DATE_WORDS = re.compile(
    r"\b(?:updated|published|posted|last|modified|on|at|am|pm|a\.m\.|p\.m\.|[ecmp][sd]t|gmt|utc|"
    r"cet|cest|bst|uhr|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|(?:jan|feb|mar|mär|apr|may|mai|"
    r"jun|jul|aug|sep|oct|okt|nov|dec|dez)[a-zä]*|\d+(?:st|nd|rd|th)?)\b|[\d:/.,|·•-]+",
    re.I,
)
_COMMENT_COUNT = re.compile(r"\d+\s+(?:comments?|kommentare?|commentaires?|comentarios?)$", re.I)
_AUTHOR_BIO = re.compile(
    r"^[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s+(?:is|was)\s+an?\s+(?:[\w-]+\s+){0,4}?"
    r"(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|producer|"
    r"freelancer|intern|author)\b",
    re.I,
)
_MONTH = r"(?:jan|feb|mar|mär|apr|may|mai|jun|jul|aug|sep|oct|okt|nov|dec|dez)"
_HAS_DATE = re.compile(
    rf"\b{_MONTH}[a-zä]*\.?\s+\d|\d\.?\s+{_MONTH}|"
    r"\d{4}-\d\d-\d\d|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b",
    re.I,
)


def _is_page_chrome(text: str, title: str, byline: str | None) -> bool:
    """A date line, the headline or byline repeated, or an author bio."""
    if len(text) <= 80 and _HAS_DATE.search(text):
        rest = _DATE_WORDS.sub("", text).strip(" ,.:|-")
        if (
            not rest
            or _COMMENT_COUNT.search(text)
            or (len(rest.split()) <= 2 and re.search(r"[|·•]", text))
        ):
            return True  # "24. März 2004, 19:49 | Genesis", "… Christoph Becker 71 Kommentare"
    folded = text.casefold()
    if title and folded == title:
        return True
    if byline and len(byline.split()) >= 2 and len(text) <= 90:
        name = byline.casefold()
        if folded == name or folded.startswith((name + ",", "by " + name)):
            return True
    return len(text) <= 300 and _AUTHOR_BIO.match(text) is not None


def is_furniture(block: Block) -> bool:
    """Share rows, "Advertisement", tag lists and link-only teaser lines inside the content."""
    text = block.text
    if len(text) <= 300 and (_JUNK_LINE.match(text) or _SOCIAL_WORDS.match(text)):
        return True
    if (
        block.kind != "paragraph" or not block.anchors or len(text) > 200 or len(text.split()) < 3
    ):  # a bare URL or a word or two is content, not a teaser
        return False
    share = _link_share(block)
    if share >= 0.9 and not text.endswith((".", "!", "?", "”", '"', ":")):
        return True  # a teaser: the whole line is a link to another story
    return share >= 0.6 and _LABELLED_LINK.match(text) is not None


def build_sections(
    items: list[Item], title: str = "", byline: str | None = None
) -> list[DraftSection]:
    """Group the block stream into sections; the first has no heading (level 1).

    Boilerplate headings, the boxes under them and in-content furniture stay in
    the stream as `aside` blocks, for the related-coverage pass to read. A "Key
    points" box (its label and list) becomes `aside` blocks too: it is the
    article's summary (`Document.key_points`), and the story after it must not
    end up in a "Key points" section.
    """
    grouper = _Grouper(items, title, byline)
    for item in items:
        if grouper.key_point(item):
            continue
        if isinstance(item, Heading):
            grouper.heading(item)
        else:
            grouper.block(item)
    sections = grouper.sections
    _drop_link_runs(sections)
    _keep_lone_links(sections)
    _cut_comment_thread(sections)
    _drop_trailing_boxes(sections)
    return sections


class _Grouper:
    """The state of one pass over the block stream: the sections so far and the box being read."""

    def __init__(self, items: list[Item], title: str, byline: str | None) -> None:
        self.title_key = title.casefold().strip()
        self.byline = byline
        real_levels = [i.level for i in items if isinstance(i, Heading) and 2 <= i.level <= 6]
        self.top = min(real_levels) if real_levels else 2
        self.bold_level = 2 if not real_levels else min(4, self.top + 1 if self.top >= 2 else 3)
        self.sections = [DraftSection(None, 1)]
        self.skipping = False
        """Inside a boilerplate box: its short or link-heavy blocks are asides."""
        self.key_points: list[Block] | None = None
        """The items of a "Key points" box being read."""

    def key_point(self, item: Item) -> bool:
        """Take `item` as an item of the "Key points" box being read; False when it is not one."""
        points = self.key_points
        if points is None:
            return False
        if (
            isinstance(item, Block)
            and item.kind == "list_item"
            and (not points or item.list_id == points[0].list_id)
        ):
            points.append(item)
            item.kind = "aside"
            self.sections[-1].blocks.append(item)
            return True
        self.key_points = None
        return False

    def heading(self, item: Heading) -> None:
        """A box title becomes an aside, a bold sentence a paragraph, others open a section."""
        text = item.text
        blocks = self.sections[-1].blocks
        if is_boilerplate_heading(text):
            blocks.append(Block(text, "aside"))
            self.skipping = True
            return
        self.skipping = False
        if is_key_points_heading(text):
            # A summary box, not a section: the story after it stays where it was.
            blocks.append(Block(text, "aside"))
            self.key_points = []
            return
        if item.bold and not _is_pseudo_heading(text):
            block = Block(text)
            blocks.append(block)
            if is_furniture(block):
                block.kind = "aside"
            return
        level = self.level(item)
        if level is not None:
            self.sections.append(DraftSection(text, level))

    def level(self, item: Heading) -> int | None:
        """The section level of a heading; None for the headline printed above the story."""
        folded = item.text.casefold()
        at_top = len(self.sections) == 1 and not any(
            b.kind in PRINTED_KINDS for b in self.sections[0].blocks
        )
        if at_top and (folded == self.title_key or item.level == 1):
            return None
        if item.bold:
            return self.bold_level
        if item.level == 1:
            return None if folded == self.title_key else 2
        return min(4, max(2, item.level - self.top + 2))

    def block(self, item: Block) -> None:
        """Add a block; furniture, page chrome and the teasers of a box become asides."""
        self.sections[-1].blocks.append(item)
        if self.skipping and (
            item.kind == "list_item" or _link_share(item) >= 0.5 or len(item.text) < 80
        ):
            item.kind = "aside"
            return
        self.skipping = False
        if item.kind not in ("paragraph", "list_item"):
            return
        if is_furniture(item) or (
            item.kind == "paragraph" and _is_page_chrome(item.text, self.title_key, self.byline)
        ):
            item.kind = "aside"
        elif (
            item.kind == "paragraph" and len(item.text) <= 60 and is_boilerplate_heading(item.text)
        ):
            item.kind = "aside"
            self.skipping = True


_SIGNATURE = re.compile(
    r"^(?:(?:posted|written|submitted|comment(?:ed)?)\s+by\s*:?\s*\S.{0,60}?"
    r"(?:\s+(?:at|on|@)\s+|\s*[|•·,]\s*).{0,40}\d.{0,40}|"
    r"[^.!?:]{1,50}\s+(?:says|said|wrote)\s*:.{0,60})$",
    re.I,
)
"""A comment's signature ("Posted by: Ana | Mar 26, 2007 2:01 PM", "Ana says: 3 May"),
or the post's own ("Posted by Kathy on April 6, 2007 | Permalink")."""
_COMMENTS_LABEL = re.compile(
    r"^(?:\d+\s+)?(?:comments?|responses?|replies|discussion|reader\s+comments|"
    r"leave\s+a\s+(?:comment|reply)|\d+\s+thoughts\s+on\b.{0,80})\s*(?:\(\d+\))?\s*:?$",
    re.I,
)
_STORY_BEFORE_THREAD = 400
"""Characters of printed text a comment thread must follow (a signature-like byline
above the story is not a thread)."""


def _cut_comment_thread(sections: list[DraftSection]) -> None:
    """Reader comments left in the content (signed "Posted by: name | date" one after the
    other) end the article: from the comments label, or the first signature after the
    story, everything is an aside."""
    blocks = [block for section in sections for block in section.blocks]
    signatures = [
        i for i, b in enumerate(blocks) if len(b.text) <= 150 and _SIGNATURE.match(b.text)
    ]
    if len(signatures) < 3:
        return
    printed = 0
    start: int | None = None
    for index, block in enumerate(blocks):
        if printed >= _STORY_BEFORE_THREAD and (
            index in signatures or _COMMENTS_LABEL.match(block.text)
        ):
            start = index
            break
        if block.kind in PRINTED_KINDS:
            printed += len(block.text)
    if start is None or sum(1 for i in signatures if i >= start) < 2:
        return
    for block in blocks[start:]:
        block.kind = "aside"


_MENU_RUN = 3
"""Consecutive link-only lines that make a menu rather than part of the story."""


def _drop_link_runs(sections: list[DraftSection]) -> None:
    """A run of short lines that are each one link, before or after all the text, is a menu.

    Pages laid out with tables put their section links in a cell beside the
    story ("Front page", "Town news", one per line); two-word links are not
    teasers by `is_furniture`'s measure, but a run of them at either end of the
    text is navigation. A run inside the text is the story's own list.
    """
    blocks = [block for section in sections for block in section.blocks]
    runs: list[list[int]] = [[]]
    for index, block in enumerate(blocks):
        if _is_menu_line(block):
            runs[-1].append(index)
        elif runs[-1]:
            runs.append([])
    printed = [index for index, block in enumerate(blocks) if block.kind in PRINTED_KINDS]
    if not printed:
        return
    for run in runs:
        if len(run) >= _MENU_RUN and (printed[0] >= run[0] or printed[-1] <= run[-1]):
            for index in run:
                blocks[index].kind = "aside"


def _is_menu_line(block: Block) -> bool:
    return (
        block.kind in ("paragraph", "aside")
        and bool(block.anchors)
        and len(block.text) <= 80
        and _link_share(block) >= 0.9
    )


def _drop_trailing_boxes(sections: list[DraftSection]) -> None:
    """A trailing heading with nothing printed under it is a leftover box title, unless
    it is written as sentences: a closing line set as a heading, not a box's label."""
    while len(sections) > 1 and not any(b.kind in PRINTED_KINDS for b in sections[-1].blocks):
        leftover = sections.pop()
        if _is_sentence_line(leftover.heading or ""):
            sections[-1].blocks.append(Block(leftover.heading or ""))
        sections[-1].blocks.extend(Block(b.text, "aside", b.anchors) for b in leftover.blocks)


def _keep_lone_links(sections: list[DraftSection]) -> None:
    """A link line between two printed paragraphs is the story's, not a teaser.

    Teasers come in runs, stand at the ends of the text, carry a label ("On
    Site.com: …", "[Related: …]") or shout in capitals; a single unlabelled link
    line with a paragraph on either side ("Here is the Facebook event", the title
    of the video the text talks about) is part of what is being read; so is a
    linked "Label: maker" line that continues a list of such credits.
    """
    for section in sections:
        blocks = section.blocks
        for index in range(1, len(blocks)):
            block, before = blocks[index], blocks[index - 1]
            if block.kind != "aside":
                continue
            if (
                index + 1 < len(blocks)
                and _is_link_line(block)
                and before.kind == "paragraph"
                and blocks[index + 1].kind == "paragraph"
            ):
                block.kind = "paragraph"
            elif _is_credit(before) and _is_credit(block, linked=True):
                block.kind = "paragraph"  # "Earcuff: Zoeca" then "Hoops: <a>Stella</a>"


def _is_sentence_line(text: str) -> bool:
    """Two or more sentences of prose ("It holds. It supports his version."), not a label."""
    return (
        len(text.split()) >= 8
        and text.endswith(".")
        and re.search(r"\w[.!?]\s+[A-ZÄÖÜ]", text) is not None
    )


def _is_credit(block: Block, *, linked: bool = False) -> bool:
    """A short "Label: value" line; with `linked`, its value is a link (a shop, a maker)."""
    text = block.text
    if len(text) > 80 or not _LABELLED_LINK.match(text) or _JUNK_LINE.match(text):
        return False
    if not linked:
        return block.kind == "paragraph" and not block.anchors
    return bool(block.anchors) and _link_share(block) >= 0.4


def _is_link_line(block: Block) -> bool:
    """A teaser-shaped line: mostly link text, short, not a share row or a junk label."""
    text = block.text
    if (
        not block.anchors
        or len(text) > 200
        or len(text.split()) < 3
        or _JUNK_LINE.match(text)
        or _SOCIAL_WORDS.match(text)
        or is_boilerplate_heading(text)
        or _TEASER_LABEL.match(text)
        or _LABELLED_LINK.match(text)
        or _mostly_capitals(text)
    ):
        return False  # "On Site.com: …", "[Related: …]", "SEAN SPICER ELIMINATED FROM …"
    return _link_share(block) >= 0.9


def _mostly_capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


_TEASER_LABEL = re.compile(
    r"^\[|^(?:also|more|elsewhere)\s+(?:on|at|from|in)\b|"
    r"^click\s+here\b",
    re.I,
)


def find_key_points(tree: HtmlElement) -> list[str] | None:
    """The page's own "Key points" list, wherever it sits on the page, verbatim."""
    for lst in tree.iter("ul", "ol"):
        label = _label_before(lst)
        if label and is_key_points_heading(label):
            items = [clean_text(li.text_content()) for li in lst.iter("li")]
            items = [i for i in items if len(i) > 15]
            if items:
                return items[:12]
    return None


def _label_before(lst: HtmlElement) -> str | None:
    """The short text right before a list: its previous sibling, or its parent's."""
    node: HtmlElement | None = lst
    for _ in range(3):
        if node is None:
            return None
        previous = node.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()
        if previous is not None:
            if len(previous) > 3:  # a container, not a label (and costly to read)
                return None
            text = clean_text(previous.text_content())
            return text if len(text) <= 50 else None
        parent_text = (node.getparent().text if node.getparent() is not None else "") or ""
        if parent_text.strip():
            return clean_text(parent_text)
        node = node.getparent()
    return None
