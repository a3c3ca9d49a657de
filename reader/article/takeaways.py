"""Key takeaways: the few sentences a reader needs before the whole story.

A page's own list (Key points, Key takeaways, What we know, Story highlights, At
a glance, Summary) wins and is used verbatim. Otherwise we pick at most six
sentences: the standfirst when it adds something, a sentence that announces
takeaways ("Key takeaways from the call include ..."), and the lead's most
informative sentences, in reading order, with near-duplicates and boilerplate out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from reader.article.document import PRINTED_KINDS, Block, Document, printed_blocks
from reader.article.sentences import split_prose, split_sentences, word_set
from reader.article.speech import trie_pattern
from reader.article.summary_split import LeadSentence, lead_sentences, word_counts

MAX_TAKEAWAYS = 6
LEAD_SENTENCES = 3
"""At most this many sentences come from the lead."""
MIN_WORDS = 6
DUPLICATE_OVERLAP = 0.7
"""Share of a sentence's content words already seen that makes it a repeat."""
STANDFIRST_OVERLAP = 0.6
"""The same against the standfirst shown in the header (either way round)."""
STANDFIRST_SENTENCES = 3
"""What a reader takes in of a standfirst; some pages declare the whole story as one."""

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
    r"^(?:(?:[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}(?:,\s*[A-Z][\w.]+)?\s*(?:\([^)]{1,30}\))?"
    r"|\([^)]{1,30}\))\s*[—–-]{1,2}\s+"
    r"|(?:[A-Z][\w.'’-]*(?:[ ,]+[A-Z][\w.'’-]*){0,3}\s*)?\([A-Z][\w.&' -]{0,20}\)(?=[\"“‘]?[A-Z]))"
)
""""MOSCOW (AP) — ", "HALDEN, Norway - ", "(Reuters) — ", "Hong Kong (Wire)The ...":
where and who sent it, not what happened."""
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


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each trait of a lead sentence counts.

    Fit by coordinate ascent on ROUGE-1 against journalists' highlights, on the
    first half of a CNN/DailyMail dev set, and confirmed on the other half
    (bench/takeaways.py, docs/TAKEAWAYS.md). The title weight could not be fit
    there (those articles come without a headline) and stays at a plain 1.
    """

    first: float = 5.0
    """The opening sentence, the journalist's own summary: kept unless it is a quote."""
    position: float = -1.0
    """Per log step of position: the lead says it first."""
    opens_paragraph: float = 1.4
    """A paragraph's opening sentence carries its point."""
    centrality: float = 1.5
    """Mean log-frequency in the whole body of its content words: what the story is about."""
    names: float = -0.5
    """Share of capitalised words after the first: a list of names tells little alone."""
    title: float = 1.0
    """Per content word shared with the headline."""
    quoted: float = -2.85
    """Opens with a quotation: the lead's reported facts read better alone."""
    quotation: float = -0.25
    """Times the share of the sentence inside quotation marks: what was said, not what happened."""
    redundancy: float = -1.25
    """Times the share of its content words that the sentences already chosen hold."""
    long: float = -0.15
    """Per word past LONG_WORDS: long sentences bury their point."""
    short: float = -0.35
    """Per word under SHORT_WORDS: short ones are often teasers."""


WEIGHTS = Weights()
WINDOW = 8
"""Takeaways come from the body's first this many sentences."""
LONG_WORDS = 35
BARE_QUOTE = 0.85
"""A sentence this much inside quotation marks is a quote without its speaker."""
SHORT_WORDS = 12


@dataclass(slots=True)
class Candidate:
    """A lead sentence that may become a takeaway, with what its score is made of."""

    sentence: LeadSentence
    words: int
    content: set[str]
    centrality: float
    names: float
    title: int
    quoted: bool
    quotation: float


def _chosen_sentences(document: Document) -> list[str]:
    """The lead's best sentences in reading order, plus an announcing sentence.

    None repeats the headline or the standfirst that the article header shows.
    """
    header = Header.of(document)
    candidates = lead_candidates(document)
    announcing = _announcing_sentence(document)
    picked = select(candidates, header, WEIGHTS)
    chosen = [(c.sentence.order, c.sentence.text) for c in picked]
    if announcing is not None:
        words = _content_words(announcing)
        if not header.repeated_by(words) and not _near(words, [c.content for c in picked]):
            order = next(
                (c.sentence.order for c in candidates if c.sentence.text.endswith(announcing)),
                WINDOW,
            )
            chosen.append((order, announcing))
    return [text for _, text in sorted(chosen)][:MAX_TAKEAWAYS]


@dataclass(frozen=True, slots=True)
class Header:
    """What the article header shows above the takeaways, as content words."""

    title: set[str]
    standfirst: list[set[str]]
    """One set per sentence; empty when there is none or when it opens the body
    (then the header leaves it out)."""

    @classmethod
    def of(cls, document: Document) -> Header:
        description = (document.description or "").strip()
        shown = bool(description) and not _description_in_body(document, description)
        sentences = split_prose(description)[:STANDFIRST_SENTENCES] if shown else []
        return cls(
            _content_words(document.title or ""),
            [words for words in map(_content_words, sentences) if words],
        )

    def repeated_by(self, words: set[str]) -> bool:
        """Whether a sentence says again what the header says.

        Mostly the headline's words, mostly the standfirst's, or most of one of
        the standfirst's sentences: a lead sentence that holds the headline's
        words and more tells more, but one that holds a sentence of the
        standfirst says it again, whatever it adds.
        """
        if _near(words, [self.title]):
            return True
        if not self.standfirst:
            return False
        everything = set().union(*self.standfirst)
        return _near(words, [everything], STANDFIRST_OVERLAP) or any(
            _near(sentence, [words], STANDFIRST_OVERLAP) for sentence in self.standfirst
        )


def _description_in_body(document: Document, description: str) -> bool:
    """The standfirst opens the body, so the header does not show it (as the app does)."""
    wanted = " ".join(description.split()).casefold()
    for section in document.sections[:2]:
        for block in printed_blocks(section)[:3]:
            if " ".join(block.text.split()).casefold().startswith(wanted):
                return True
    return False


def lead_candidates(document: Document) -> list[Candidate]:
    """The opening's informative sentences, each with the traits its score reads."""
    counts = word_counts(document, STOPWORDS)
    title_words = _content_words(document.title or "")
    candidates = []
    for sentence in lead_sentences(_lead_blocks(document), WINDOW, _DATELINE):
        candidate = _candidate(sentence, counts, title_words)
        if candidate is not None:
            candidates.append(candidate)
    return candidates


def _candidate(
    sentence: LeadSentence, counts: Counter[str], title_words: set[str]
) -> Candidate | None:
    """The sentence's traits, or None when it cannot be a takeaway at all."""
    text = sentence.text
    words = _WORD.findall(text)
    if not _informative(text, words) or _dangling(text) or _question(text):
        return None
    content = {lowered for lowered in map(str.lower, words) if lowered not in STOPWORDS}
    quotation = _quoted_share(text)
    if not content or quotation > BARE_QUOTE:
        return None
    return Candidate(
        sentence=sentence,
        words=len(words),
        content=content,
        centrality=sum(math.log(counts[word] or 1) for word in content) / len(content),
        names=sum(1 for word in words[1:] if word[:1].isupper()) / len(words),
        title=len(content & title_words),
        quoted=text.lstrip()[:1] in "\"“«„'‘",
        quotation=quotation,
    )


def score(candidate: Candidate, weights: Weights) -> float:
    """A weighted sum of the sentence's traits."""
    return (
        weights.first * (candidate.sentence.order == 0)
        + weights.position * math.log1p(candidate.sentence.order)
        + weights.opens_paragraph * candidate.sentence.opens_paragraph
        + weights.centrality * candidate.centrality
        + weights.names * candidate.names
        + weights.title * candidate.title
        + weights.quoted * candidate.quoted
        + weights.quotation * candidate.quotation
        + weights.long * max(0, candidate.words - LONG_WORDS)
        + weights.short * max(0, SHORT_WORDS - candidate.words)
    )


def select(candidates: list[Candidate], header: Header, weights: Weights) -> list[Candidate]:
    """The best sentences that say something new, one at a time, in reading order."""
    scores = {id(c): score(c, weights) for c in candidates}
    left = [c for c in candidates if not header.repeated_by(c.content)]
    picked: list[Candidate] = []
    seen: set[str] = set()
    while left and len(picked) < LEAD_SENTENCES:
        best = max(left, key=lambda c: scores[id(c)] + _novelty(c, seen, weights))
        left.remove(best)
        if _near(best.content, [c.content for c in picked]):
            continue
        picked.append(best)
        seen |= best.content
    return sorted(picked, key=lambda c: c.sentence.order)


_QUOTATION = re.compile(
    r"""(?:^|(?<=[\s(\[]))(["“«]|['‘](?=\w))(.+?)(?:["”»]|['’](?=[\s,.;:!?)]|$))"""
)
"""A quotation: double quotes, or single ones that open before a word and close after one."""


def _quoted_share(text: str) -> float:
    """How much of the sentence is a quotation."""
    inside = sum(len(match.group(2)) for match in _QUOTATION.finditer(text))
    return inside / len(text) if text else 0.0


def _novelty(candidate: Candidate, seen: set[str], weights: Weights) -> float:
    """The redundancy penalty: what share of the sentence is already said."""
    return weights.redundancy * len(candidate.content & seen) / len(candidate.content)


def _lead_blocks(document: Document) -> Iterator[Block]:
    """The body's paragraphs from the start: the untitled first section, or on."""
    for section in document.sections:
        found = False
        for block in section.blocks:
            if block.kind == "paragraph" and not _mostly_links(block):
                found = True
                yield block
        if found and section.heading is None:
            return


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


def _informative(sentence: str, words: list[str]) -> bool:
    """Long enough, not boilerplate, not a label or a bare quote fragment."""
    stripped = sentence.strip()
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


def _question(sentence: str) -> bool:
    """A question asks; a takeaway tells."""
    return sentence.rstrip("\"”’' )").endswith("?")


def _dangling(sentence: str) -> bool:
    """ "It said ..." / "He added ..." leans on an earlier sentence and reads badly alone.

    "This year ..." (a determiner) and "It is likely that ..." (nobody's "it") do not.
    """
    opening = sentence.lstrip('"“«„ ')
    first = _WORD.match(opening)
    if first is None or first.group().lower() not in DANGLING_STARTS:
        return False
    return _STANDS_ALONE.match(opening) is None


_STANDS_ALONE = re.compile(
    r"(?:this|that|these|those)\s+(?!(?:is|was|are|were|has|had|have|will|would|could|can|"
    r"may|might|must|should|means?|meant|comes?|came|makes?|made|includes?|included)\b)"
    r"[^\W\d_]{2,}\b"
    r"|it\s+(?:is|was|'s|’s|has\s+been|had\s+been|will\s+be|would\s+be|seems|seemed|"
    r"appears|appeared|remains|remained)\s+(?:not\s+)?(?:\w+\s+){0,2}?"
    r"(?:that|to|whether|when|how|why|if)\b",
    re.IGNORECASE,
)
"""A determiner before a noun, or an "it" that stands for the clause that follows."""


def _content_words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text) if word.lower() not in STOPWORDS}


def _near(words: set[str], others: list[set[str]], share: float = DUPLICATE_OVERLAP) -> bool:
    """Whether `share` of `words` already appear in one of `others`."""
    if not words:
        return True
    return any(len(words & other) / len(words) >= share for other in others if other)


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for item in items:
        key = " ".join(_WORD.findall(item.casefold()))
        if key and key not in seen:
            seen.add(key)
            result.append(item)
    return result
