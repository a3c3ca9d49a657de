"""The opening of the body as sentences, the same whatever the layout.

Takeaways are chosen among the first sentences of the body. Pages arrive with
real paragraphs, with one sentence per paragraph, or as one long block (plain
text without blank lines, a body that is one element with line breaks, a feed
summary). A block of running text is cut into sentences and each becomes its
own paragraph, which is how news prints its lead; so a sentence's position, not
the page's layout, is what the choice sees.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from reader.article.document import Block, Document
from reader.article.sentences import split_prose

RUNNING_TEXT_SENTENCES = 5
"""A block with more sentences than this is running text, not one paragraph."""

SPLIT_CHARS = 6000
"""Only this much of a block is split: the opening needs a few sentences, not a book."""

WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
"""A word, with inner apostrophes and hyphens ("Kremlin's", "29-year-old")."""


@dataclass(slots=True, frozen=True)
class LeadSentence:
    """One sentence of the opening, with where it stands."""

    text: str
    order: int
    """Index among the opening's sentences, from 0."""
    paragraph: int
    """Index of its paragraph (a sentence of running text counts as one)."""
    opens_paragraph: bool
    block: Block
    """The block it comes from (for its links)."""


def lead_sentences(
    blocks: Iterator[Block], limit: int, strip: re.Pattern[str]
) -> list[LeadSentence]:
    """The first `limit` sentences of `blocks`; `strip` removes a dateline at a block start."""
    sentences: list[LeadSentence] = []
    paragraph = 0
    for block in blocks:
        text = strip.sub("", block.text, count=1)
        parts = split_prose(text[:SPLIT_CHARS])
        if len(text) > SPLIT_CHARS and len(parts) > 1:
            parts.pop()  # cut short: the last piece is not a whole sentence
        running = len(parts) > RUNNING_TEXT_SENTENCES
        for index, text in enumerate(parts):
            if running and index:
                paragraph += 1
            sentences.append(
                LeadSentence(text, len(sentences), paragraph, running or index == 0, block)
            )
            if len(sentences) >= limit:
                return sentences
        paragraph += 1
    return sentences


def word_counts(document: Document, stopwords: frozenset[str]) -> Counter[str]:
    """How often each content word occurs in the whole body (what the story is about)."""
    text = "\n".join(
        block.text
        for section in document.sections
        for block in section.blocks
        if block.kind == "paragraph" or block.kind == "list_item"
    )
    counts = Counter(WORD.findall(text.lower()))  # one pass in C; stopwords go after
    for word in stopwords & counts.keys():
        del counts[word]
    return counts
