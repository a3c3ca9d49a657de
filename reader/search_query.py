"""What a person types in the search box, as an SQLite FTS5 query.

The syntax is the one search engines taught everybody: plain words must all
match (the last one also as a prefix, so results come while typing), `OR`
between words offers alternatives, `"an exact phrase"`, `-word` leaves out,
and `word*` matches a prefix. Every term reaches FTS5 quoted, so its own
operators and punctuation in the user's text never raise a syntax error, and
the number of terms is capped so a pasted wall of text stays a quick query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_TERMS = 32
"""Distinct terms kept from one query; the rest are ignored (a 20,000-word paste stays fast)."""

MAX_TERM_LENGTH = 100
"""Characters kept of one term."""

_TOKEN = re.compile(r'(-?)"([^"]*)("?)|(\S+)')


@dataclass(frozen=True, slots=True)
class Term:
    """One word or phrase of the query."""

    text: str
    phrase: bool = False
    prefix: bool = False

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', " ") + '"'
        return quoted + "*" if self.prefix else quoted


@dataclass(slots=True)
class ParsedQuery:
    """Groups of alternatives that must all match, and terms that must not."""

    required: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    def fts(self) -> str:
        """The FTS5 MATCH expression; "" when nothing positive is left to search for."""
        groups = [_alternatives(group) for group in self.required if group]
        if not groups:
            return ""
        expression = " AND ".join(groups)
        for term in self.excluded:
            expression = f"({expression}) NOT {term.fts()}"
        return expression

    def words(self) -> list[str]:
        """The positive words and phrases, for highlighting what matched."""
        return [term.text for group in self.required for term in group]


def parse(text: str, *, last_word_prefix: bool = True) -> ParsedQuery:
    """Parse the user's query (see the module docstring for the syntax).

    `last_word_prefix=False` for stored queries (saved searches), which are not
    being typed and should not match "ferryman" for "ferry".
    """
    query = ParsedQuery()
    seen: set[tuple[str, bool, bool]] = set()
    pending_or = False
    tokens = list(_TOKEN.finditer(text))
    for position, match in enumerate(tokens):
        if len(seen) >= MAX_TERMS:
            break
        negated, phrase, closing, bare = match.group(1, 2, 3, 4)
        if phrase is not None and not closing and last_word_prefix:
            phrase += "*"  # a phrase still being typed: its last word is a prefix
        if bare == "OR":
            pending_or = bool(query.required)
            continue
        last = last_word_prefix and position == len(tokens) - 1
        term, excluded = _term(negated, phrase, bare, last=last)
        if term is None:
            continue
        key = (term.text.casefold(), term.phrase, excluded)
        if key in seen:
            continue
        seen.add(key)
        if excluded:
            query.excluded.append(term)
        elif pending_or:
            query.required[-1].append(term)
        else:
            query.required.append([term])
        pending_or = False
    return query


def to_fts(text: str, *, last_word_prefix: bool = True) -> str:
    """The FTS5 MATCH expression for the user's query ("" matches nothing)."""
    return parse(text, last_word_prefix=last_word_prefix).fts()


def _term(
    negated: str, phrase: str | None, bare: str | None, *, last: bool
) -> tuple[Term | None, bool]:
    """One token as a Term (None when nothing in it is searchable), and whether it is excluded."""
    if phrase is not None:
        typing = phrase.endswith("*")
        words = " ".join(phrase.rstrip("*").split())[:MAX_TERM_LENGTH]
        term = Term(words, phrase=True, prefix=typing and last) if _searchable(words) else None
        return term, bool(negated)
    word = bare or ""
    excluded = word.startswith("-") and len(word) > 1
    if excluded:
        word = word[1:]
    explicit_prefix = word.endswith("*")
    word = word.rstrip("*").replace('"', "")[:MAX_TERM_LENGTH]
    if not _searchable(word):
        return None, excluded
    prefix = explicit_prefix or (last and not excluded)
    return Term(word, prefix=prefix), excluded


def _searchable(text: str) -> bool:
    """True when `text` has a letter or digit, the only characters FTS5 indexes."""
    return any(ch.isalnum() for ch in text)


def _alternatives(group: list[Term]) -> str:
    if len(group) == 1:
        return group[0].fts()
    return "(" + " OR ".join(term.fts() for term in group) + ")"
