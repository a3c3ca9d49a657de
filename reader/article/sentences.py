"""Sentence splitting that survives news prose.

Takeaways are whole sentences and quote attributions stop at a sentence end, so
both need a splitter that does not cut "Mr. Ushakov", "the U.S. pause", "J. R.
Smith" or "3.5 percent" in two. One linear regex pass over candidate boundaries,
then a look at the word before each one; no model, no quadratic scans.
"""

from __future__ import annotations

import re


def word_set(text: str) -> frozenset[str]:
    """A frozen set of the whitespace-separated words of `text` (for long word lists)."""
    return frozenset(text.split())


# Words that end in a period without ending a sentence (compared lowercased,
# without the period). Titles, months, corporate suffixes and Latin shorthand.
ABBREVIATIONS = word_set(
    """
    mr mrs ms mx dr prof sr jr st sen rep gov gen col lt sgt capt cmdr adm maj cpl
    pvt rev fr hon pres supt insp det atty messrs mme mlle
    no nos vs v etc inc ltd co corp bros dept est approx fig figs vol ed eds
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thurs fri sat sun
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss
    mo mont neb nev okla ore pa tenn tex va vt wash wis wyo
    cf al ca approx p pp
    """
)

# Words that almost always start a sentence; after "U.S." or "a.m." they decide
# that the period did end one.
SENTENCE_STARTERS = word_set(
    """
    The A An He She It They We I You This That These Those There Their His Her Its
    But And Or So Yet In On At As After Before When While If Although Though However
    Meanwhile Still Then Now Some Many Most Officials Asked
    """
)

# A candidate boundary: terminal punctuation, optional closing quotes/brackets,
# whitespace, then something that can start a sentence.
_BOUNDARY = re.compile(r"""([.!?…]+)(["”’»)\]]*)\s+(?=["“‘«„(\[]?[A-Z0-9À-ÞĀ-ſ])""")
_WORD_BEFORE = re.compile(r"""([\w.'’-]+)$""")
_NEXT_WORD = re.compile(r"""["“‘«„(\[]?([\w'’-]+)""")


# The same, where a straight single quote may also close a sentence or open the
# next one (British style: "... a real shame.' Real Madrid ..." / "said. 'We ...").
_BOUNDARY_WITH_SINGLE_QUOTES = re.compile(
    r"""([.!?…]+)(["”’»)\]']*)\s+(?=["“‘«„(\[']?[A-Z0-9À-ÞĀ-ſ])"""
)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping each sentence's own punctuation."""
    return _split(text, _BOUNDARY)


def split_prose(text: str) -> list[str]:
    """Like `split_sentences`, but straight single quotes also delimit quotations.

    For long running text (a whole article in one block), where a missed boundary
    glues several sentences into one. An apostrophe counts only right after the
    terminal punctuation or right before the next capital, where it is a quote mark.
    """
    return _split(text, _BOUNDARY_WITH_SINGLE_QUOTES)


def _split(text: str, boundary: re.Pattern[str]) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in boundary.finditer(text):
        if not _ends_sentence(text, match) or _inside_quote(text, start, match.end(2)):
            continue
        end = match.end(2)
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    """Decide whether the period at `match` ends a sentence (the others do always)."""
    punctuation = match.group(1)
    if punctuation != ".":
        return True
    if match.group(2):
        return True  # a period inside a closing quote or bracket ends the sentence
    word_match = _WORD_BEFORE.search(text, max(0, match.start(1) - 40), match.start(1))
    if word_match is None:
        return True
    word = word_match.group(1)
    bare = word.strip(".'’-").lower()
    next_match = _NEXT_WORD.match(text, match.end())
    next_word = next_match.group(1) if next_match else ""
    if "." in word.strip("."):
        # "U.S." / "a.m." / "e.g.": a sentence ends only before a typical opener.
        return next_word in SENTENCE_STARTERS
    if len(bare) == 1 and bare.isalpha() and word[:1].isupper():
        return False  # an initial: "John F. Kennedy"
    if bare in ABBREVIATIONS:
        # "Sept. 11" continues; "... in Washington, D.C. The" is handled above.
        return bare in {"etc", "inc", "ltd", "co", "corp"} and next_word in SENTENCE_STARTERS
    return True


def sentence_starts(text: str) -> list[int]:
    """Offsets where each sentence of `text` begins (always starts with 0)."""
    starts = [0]
    for match in _BOUNDARY.finditer(text):
        if _ends_sentence(text, match) and not _inside_quote(text, starts[-1], match.end(2)):
            starts.append(match.end())
    return starts


MAX_QUOTED_SENTENCE = 600
"""Past this length an open quote mark is taken as unbalanced and stops holding sentences."""


def _inside_quote(text: str, start: int, end: int) -> bool:
    """Whether a quotation opened since `start` is still open at `end` ("“We won. We ...")."""
    if end - start > MAX_QUOTED_SENTENCE:
        return False
    piece = text[start:end]
    return (
        piece.count("“") > piece.count("”")
        or piece.count('"') % 2 == 1
        or piece.count("«") > piece.count("»")
    )
