"""Key takeaways: the few sentences a reader needs before the whole story.

A page's own list (Key points, Key takeaways, What we know, Story highlights, At
a glance, Summary) wins and is used verbatim. Otherwise we pick at most six
sentences: the standfirst when it adds something, a sentence that announces
takeaways ("Key takeaways from the call include ..."), and the lead's most
informative sentences, in reading order, with near-duplicates and boilerplate out.
"""

from __future__ import annotations

import re

from reader.article.document import PRINTED_KINDS, Block, Document, printed_blocks
from reader.article.sentences import split_sentences, word_set
from reader.article.speech import trie_pattern

MAX_TAKEAWAYS = 6
LEAD_PARAGRAPHS = 4
"""How many opening paragraphs count as the lead."""
LEAD_SENTENCES = 3
"""At most this many sentences come from the lead."""
MIN_WORDS = 6
DUPLICATE_OVERLAP = 0.7
"""Share of a sentence's content words already seen that makes it a repeat."""

_KEY_POINTS_LABEL = re.compile(
    r"^\W*(?:the\s+)?(?:key\s+(?:points?|takeaways?|facts|findings)|main\s+points|"
    r"what\s+we\s+know(?:\s+so\s+far)?|story\s+highlights|highlights|at\s+a\s+glance|"
    r"summary|in\s+brief|in\s+short|the\s+big\s+picture|what\s+you\s+need\s+to\s+know|"
    r"the\s+essentials|tl;?dr|das\s+wichtigste(?:\s+in\s+kürze)?|auf\s+einen\s+blick|"
    r"en\s+bref|l'essentiel|ce\s+qu'il\s+faut\s+retenir|en\s+resumen|lo\s+esencial)"
    r"(?:\s*(?:[:\-–—]|from|of|about|on)\b.{0,80})?\W*$",
    re.IGNORECASE,
)
_ANNOUNCES_TAKEAWAYS = re.compile(
    r"\b(?:key|main|major|chief|central)\s+(?:takeaways?|points?|topics?|issues?|themes?|"
    r"highlights?|outcomes?|elements?)\b[^.]{0,120}?\b(?:include[ds]?|included|were|are|was|is)\b"
    r"|\btakeaways?\s+from\b",
    re.IGNORECASE,
)
_ANNOUNCING_HEADS = ("key ", "main ", "major ", "chief ", "central ")
BOILERPLATE_PHRASES = (
    "click here",
    "tap here",
    "subscribe",
    "sign up",
    "newsletter",
    "cookie",
    "cookies",
    "all rights reserved",
    "follow us",
    "read more",
    "watch video",
    "watch the video",
    "get the latest",
    "breaking news",
    "latest news",
    "download our app",
    "download the app",
    "copyright",
    "photo:",
    "photograph:",
    "image:",
    "file photo",
    "this story has been updated",
    "this story has been corrected",
    "support our journalism",
    "support independent journalism",
    "advertisement",
    "javascript",
    "your browser",
    "share on",
    "share this",
    "share via",
)
# One prefix-factored alternation: a flat one costs a millisecond on a long paragraph.
_BOILERPLATE = re.compile(
    rf"(?<!\w)(?:{trie_pattern(frozenset(BOILERPLATE_PHRASES))})(?!\w)|©", re.IGNORECASE
)


def _boilerplate(text: str) -> bool:
    return _BOILERPLATE.search(text) is not None


_DATELINE = re.compile(
    r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}(?:,\s*[A-Z][\w.]+)?\s*(?:\([^)]{1,30}\))?"
    r"|\([^)]{1,30}\))\s*[—–-]{1,2}\s+"
)
""""MOSCOW (AP) — ", "HALDEN, Norway - ", "(Reuters) — ": where, not what."""
_DIGIT = re.compile(r"\d")
_DATE_WORD = re.compile(
    r"^(?:\d+\w*|am|pm|a|p|m|[A-Z]{2,4}T|GMT|UTC|updated|published|posted|last|on|at|de|às|le|"
    r"am|um|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|"
    r"dec\w*|mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|sat\w*|sun\w*|\w+-feira|outubro)$",
    re.IGNORECASE,
)
"""Words of a dateline or timestamp, which says when, not what."""
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
STOPWORDS = word_set(
    """
    a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those he she they we i you his her their our your my them him us
    has have had do does did will would can could may might must shall should not no so than
    then there here about after before over under into onto out up down also just more most
    very said says say told tells one two which who whom whose what when where why how all any
    some such only own same other others each both few many much again further once while
    der die das und ist ein eine nicht mit den dem des von zu im auf für le la les et est un une
    des du en pour que qui dans sur au aux pas
    """
)
DANGLING_STARTS = word_set("he she it they this that these those his her its their")


def pick_takeaways(document: Document) -> list[str]:
    """The article's takeaways: its own key-points list, or up to six chosen sentences."""
    if document.key_points:
        return _unique([point.strip() for point in document.key_points if point.strip()])
    listed = _explicit_list(document)
    if listed:
        return listed
    return _chosen_sentences(document)


def _explicit_list(document: Document) -> list[str]:
    """Items of a list under a "Key points" heading or after a "Key points:" lead-in."""
    for section in document.sections:
        blocks = printed_blocks(section)
        if section.heading and _KEY_POINTS_LABEL.match(section.heading):
            items = _first_list(blocks)
            if items:
                return items
        for index, block in enumerate(blocks[:-1]):
            if (
                block.kind != "list_item"
                and len(block.text) <= 120
                and _KEY_POINTS_LABEL.match(block.text)
            ):
                items = _first_list(blocks[index + 1 :])
                if items:
                    return items
    return []


def _first_list(blocks: list[Block]) -> list[str]:
    """The items of the list the blocks open with (same list_id, consecutive)."""
    items: list[str] = []
    list_id: int | None = None
    for block in blocks:
        if block.kind != "list_item":
            if items or len(block.text) > 200:
                break
            continue  # a short line between the label and its list
        if items and block.list_id != list_id:
            break
        list_id = block.list_id
        items.append(block.text.strip())
    return _unique([item for item in items if item])


def _chosen_sentences(document: Document) -> list[str]:
    """Description, the announcing sentence and the lead's best sentences, in order."""
    seen: list[set[str]] = []
    title_words = _content_words(document.title or "")
    chosen: list[str] = []
    description = (document.description or "").strip()
    lead_blocks = _lead_blocks(document)
    lead_text = " ".join(block.text for block in lead_blocks[:2])
    if (
        description
        and _informative(description)
        and not _near(_content_words(description), [title_words])
        and not _contained(description, lead_text)
    ):
        chosen.append(description)
        seen.append(_content_words(description))
    seen_with_title = [*seen, title_words] if title_words else seen
    announcing = _announcing_sentence(document)
    lead_candidates: list[tuple[float, int, str]] = []
    announcing_order = 1 << 30  # after the lead, unless it is part of the lead
    position = 0
    for block in lead_blocks:
        for sentence in split_sentences(_DATELINE.sub("", block.text)):
            position += 1
            if announcing is not None and sentence.endswith(announcing):
                announcing_order = position
            elif _informative(sentence) and not _dangling(sentence):
                lead_candidates.append((_score(sentence, title_words), position, sentence))
    best = sorted(lead_candidates, key=lambda item: (-item[0], item[1]))
    picked: list[tuple[int, str]] = []
    room = MAX_TAKEAWAYS - len(chosen) - (1 if announcing else 0)
    for _score_value, order, sentence in best:
        if len(picked) >= min(LEAD_SENTENCES, room):
            break
        words = _content_words(sentence)
        if _near(words, seen_with_title if len(picked) else seen) or _near(
            words, [_content_words(s) for _, s in picked]
        ):
            continue
        picked.append((order, sentence))
    if announcing and not _near(
        _content_words(announcing), [_content_words(s) for _, s in picked] + seen
    ):
        picked.append((announcing_order, announcing))
    chosen.extend(sentence for _, sentence in sorted(picked))
    return chosen[:MAX_TAKEAWAYS]


def _lead_blocks(document: Document) -> list[Block]:
    """The opening paragraphs of the body (the untitled first section, or the first ones)."""
    blocks: list[Block] = []
    for section in document.sections:
        for block in section.blocks:
            if (
                block.kind == "paragraph"
                and not _boilerplate(block.text)
                and not _mostly_links(block)
            ):
                blocks.append(block)
                if len(blocks) >= LEAD_PARAGRAPHS:
                    return blocks
        if blocks and section.heading is None:
            return blocks
    return blocks


def _mostly_links(block: Block) -> bool:
    """A paragraph that is mostly link text is navigation or a promo, not the lead."""
    linked = sum(len(anchor.text) for anchor in block.anchors)
    return linked > 0.5 * len(block.text)


def _announcing_sentence(document: Document) -> str | None:
    """The first sentence that announces the takeaways, anywhere in the body."""
    for section in document.sections:
        for block in section.blocks:
            if (
                block.kind in PRINTED_KINDS
                and _may_announce(block.text)
                and _ANNOUNCES_TAKEAWAYS.search(block.text)
            ):
                for sentence in split_sentences(block.text):
                    if _ANNOUNCES_TAKEAWAYS.search(sentence) and not _boilerplate(sentence):
                        return sentence
    return None


def _may_announce(text: str) -> bool:
    """Cheap test before the announcing-sentence regex (it runs on every block)."""
    lowered = text.lower()
    return "takeaway" in lowered or any(word in lowered for word in _ANNOUNCING_HEADS)


def _informative(sentence: str) -> bool:
    """Long enough, not boilerplate, not a label or a bare quote fragment."""
    stripped = sentence.strip()
    words = _WORD.findall(stripped)
    if len(words) < MIN_WORDS or stripped.endswith(":"):
        return False
    if (
        len(words) < 3 * MIN_WORDS
        and _DIGIT.search(stripped)
        and sum(1 for word in words if not _DATE_WORD.match(word)) < MIN_WORDS - 1
    ):
        return False  # "Updated 1:39 am EST, Wednesday, November 20, 2019"
    plain = 0
    for word in words:  # names only is a byline or a label ("Kevin Johnson and Kevin McCoy")
        if not word[:1].isupper() and word.lower() not in STOPWORDS:
            plain += 1
            if plain == 2:
                break
    else:
        return False
    return not _boilerplate(stripped)


def _dangling(sentence: str) -> bool:
    """ "It said ..." / "He added ..." leans on an earlier sentence and reads badly alone."""
    first = _WORD.match(sentence.lstrip('"“«„ '))
    return first is not None and first.group().lower() in DANGLING_STARTS


def _score(sentence: str, title_words: set[str]) -> float:
    """Content words, names and figures count; words shared with the headline count double."""
    words = _WORD.findall(sentence)
    content = [word for word in words if word.lower() not in STOPWORDS]
    names = sum(1 for word in content[1:] if word[:1].isupper())
    figures = sum(1 for word in content if any(ch.isdigit() for ch in word))
    overlap = len({word.lower() for word in content} & title_words)
    length_penalty = max(0, len(words) - 45) * 0.5
    # "He said ..." / "It was ..." lean on an earlier sentence; they read badly alone.
    # The lead's reported facts make better takeaways than its quotations.
    quoted = 8 if sentence.lstrip()[:1] in '"“«„' else 0
    return len(content) + names + figures + 2 * overlap - length_penalty - quoted


def _content_words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text) if word.lower() not in STOPWORDS}


def _near(words: set[str], others: list[set[str]]) -> bool:
    """Whether most of `words` already appear in one of `others`."""
    if not words:
        return True
    return any(len(words & other) / len(words) >= DUPLICATE_OVERLAP for other in others if other)


def _contained(sentence: str, text: str) -> bool:
    """Whether the lead already says the same thing as the description."""
    words = _content_words(sentence)
    return bool(text) and _near(words, [_content_words(text)])


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for item in items:
        key = " ".join(_WORD.findall(item.casefold()))
        if key and key not in seen:
            seen.add(key)
            result.append(item)
    return result
