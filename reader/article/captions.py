"""Photo captions: recognised, de-duplicated, kept out of the paragraphs.

Pages mark captions in many ways (`<figcaption>`, `class="caption"`, a
`<figure>` around an image, the image's alt text), and scrapers often glue the
alt text and the caption together so that the same words appear twice with no
space: "Putin speaks in MoscowPutin speaks in Moscow". A caption is listed once,
a glued double is cut in half, and a photo credit after it may stay attached.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from reader.article.document import Block, Item

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_CAPTION_CLASS = re.compile(
    r"(?:^|[\s_-])(?:caption|figcaption|wp-caption-text|image-?caption|photo-?caption|"
    r"media-?caption|img-?caption|credit|image-?credit|photo-?credit|getty|cutline|"
    r"img-?desc|image-?desc|photo-?desc|legend)(?:$|[\s_-])",
    re.I,
)
_CREDIT = re.compile(
    r"^(?:\(?(?:photo|image|picture|foto|bild|beitragsbild|titelbild|credit|source|"
    r"illustration)s?\b.{0,80}|"
    r".{0,40}(?:getty images|reuters|associated press|\bap\b|afp|epa|shutterstock|"
    r"alamy|pa media|dpa)\)?\.?)$",
    re.I,
)
_MIN_GLUED = 8


def is_caption_element(element: HtmlElement) -> bool:
    """True for `<figcaption>`, a figure without a quote in it, or a caption/credit class.

    Not when it holds paragraphs of prose: photo stories put their text in the
    image's caption box (`div.caption-image` around the photo and four
    paragraphs), and that text is the story.
    """
    tag = element.tag
    if tag == "figcaption":
        caption = True
    elif tag == "figure":
        caption = element.find(".//blockquote") is None
    elif tag in ("p", "div", "span", "small", "em", "cite", "i"):
        classes = element.get("class")
        caption = bool(classes) and _CAPTION_CLASS.search(classes) is not None
    else:
        return False
    return caption and not _holds_prose(element)


_PROSE_PARAGRAPH = 80
"""Characters of a paragraph that reads as running text rather than a caption line."""


def _holds_prose(element: HtmlElement) -> bool:
    """Two or more paragraphs of running text inside `element`."""
    count = 0
    for paragraph in element.iter("p"):
        if len(paragraph.text_content().strip()) >= _PROSE_PARAGRAPH:
            count += 1
            if count >= 2:
                return True
    return False


def unglue(text: str) -> str:
    """Cut a text that repeats itself with no space ("XYZXYZ", "XYZ XYZ", "XYZXYZ Credit")."""
    length = len(text)
    if length < 2 * _MIN_GLUED:
        return text
    half = length // 2
    if text[:half] == text[length - half :] and text[half : length - half].strip() == "":
        return text[:half].rstrip()  # an exact double, "XYZXYZ" or "XYZ XYZ"
    head = text[:_MIN_GLUED]
    start = text.find(head, _MIN_GLUED)
    while start != -1 and start * 2 <= length + 2:  # "XYZ XYZ": allow the space
        first = text[:start].rstrip()
        if text[start:].startswith(first):
            rest = text[start + len(first) :].strip()
            return f"{first} {rest}" if rest else first
        start = text.find(head, start + 1)
    return text


def clean_caption(text: str) -> str:
    """A caption's text with a glued repetition removed."""
    return unglue(text.strip())


def is_glued(text: str) -> bool:
    """True when `text` is a caption glued to itself (it repeats its own opening)."""
    return unglue(text) != text


def split_captions(items: list[Item], captions: list[str]) -> tuple[list[Item], list[str]]:
    """Move glued doubles and known captions out of the block stream.

    A paragraph that is a glued double becomes a caption; a paragraph that
    repeats a caption already found (or a caption plus a credit) is dropped.
    """
    known = {c.casefold() for c in captions}
    kept: list[Item] = []
    found = list(captions)
    for item in items:
        if isinstance(item, Block) and item.kind == "paragraph":
            key = item.text.casefold()
            if key in known:
                continue
            if is_glued(item.text):
                found.append(unglue(item.text))
                known.add(found[-1].casefold())
                continue
            if (
                len(item.text) < 120
                and _CREDIT.match(item.text)
                and not item.anchors
                and not item.text.endswith((".", "!", "?", "”", '"'))
            ):
                continue
        kept.append(item)
    return kept, found
