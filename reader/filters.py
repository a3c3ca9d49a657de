"""Filters (a killfile) and saved searches, as the config file states them.

```toml
[[filters]]                 # ignore entries at refresh; any field may be given
title = "Sponsored|Advert"  # a regular expression, case-insensitive
feed = "https://example.org/feed.xml"   # optional: only this feed
author = "..."              # optional

[[saved_searches]]          # a virtual feed in the tree, kept up to date
name = "Transport"
query = "rail OR port OR ferry"
```

The config is the user's file, so nothing here raises on a bad entry: each one
that cannot be used becomes a warning naming it, and the rest still apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from reader.search_query import to_fts

MAX_PATTERN_LENGTH = 1_000
"""A filter's regular expression longer than this is refused (a config typo, not a rule)."""

_FILTER_FIELDS = ("title", "feed", "author", "summary")


class Filterable(Protocol):
    """What a filter looks at in an entry."""

    title: str
    author: str | None
    summary: str


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """One `[[filters]]` table: an entry is dropped when every given field matches."""

    title: re.Pattern[str] | None = None
    author: re.Pattern[str] | None = None
    summary: re.Pattern[str] | None = None
    feed: str | None = None
    """Only entries of the feed with this URL (exact, as subscribed)."""

    def drops(self, entry: Filterable, feed_url: str) -> bool:
        if self.feed is not None and self.feed != feed_url:
            return False
        checks = (
            (self.title, entry.title),
            (self.author, entry.author),
            (self.summary, entry.summary),
        )
        return all(pattern.search(value or "") for pattern, value in checks if pattern is not None)


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """One `[[saved_searches]]` table: a named query shown like a feed."""

    name: str
    query: str
    fts: str
    """The query as FTS5 sees it (see `reader.search_query`)."""


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything the config says about filtering, plus what could not be used."""

    filters: tuple[EntryFilter, ...] = ()
    saved_searches: tuple[SavedSearch, ...] = ()
    warnings: tuple[str, ...] = ()

    def drops(self, entry: Filterable, feed_url: str) -> bool:
        """True when some filter ignores this entry."""
        return self.checker()(entry, feed_url)

    def checker(self) -> Callable[[Filterable, str], bool]:
        """`drops` made fast for a whole library: the filters that test a single field of
        every feed are joined into one regular expression per field (one search each),
        the others are tried one by one."""
        single: dict[str, list[str]] = {"title": [], "author": [], "summary": []}
        others: list[EntryFilter] = []
        for rule in self.filters:
            used = [(n, p) for n in single if (p := getattr(rule, n)) is not None]
            if rule.feed is None and len(used) == 1:
                single[used[0][0]].append(used[0][1].pattern)
            else:
                others.append(rule)
        joined = [
            (name, re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE))
            for name, patterns in single.items()
            if patterns
        ]

        def drops(entry: Filterable, feed_url: str) -> bool:
            for name, pattern in joined:
                if pattern.search(getattr(entry, name) or ""):
                    return True
            return any(rule.drops(entry, feed_url) for rule in others)

        return drops

    def fields(self) -> frozenset[str]:
        """The entry fields some filter reads (the store fetches only those)."""
        used = {
            name
            for rule in self.filters
            for name in ("title", "author", "summary")
            if getattr(rule, name) is not None
        }
        return frozenset(used)

    def saved_search(self, name: str) -> SavedSearch | None:
        folded = name.casefold()
        return next((s for s in self.saved_searches if s.name.casefold() == folded), None)

    def signature(self) -> str:
        """A text that changes whenever the filters change (to know when to re-apply them)."""
        return repr(
            [
                (f.feed, *(p.pattern if p else None for p in (f.title, f.author, f.summary)))
                for f in self.filters
            ]
        )


def load_rules(config: Mapping[str, Any]) -> Rules:
    """Read `[[filters]]` and `[[saved_searches]]` from a parsed config file."""
    warnings: list[str] = []
    filters = tuple(_filters(config.get("filters", []), warnings))
    searches = tuple(_saved_searches(config.get("saved_searches", []), warnings))
    return Rules(filters, searches, tuple(warnings))


def _tables(
    value: object, key: str, warnings: list[str]
) -> Iterable[tuple[int, Mapping[str, Any]]]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        warnings.append(f"{key}: expected [[{key}]] tables; ignored")
        return
    for number, table in enumerate(value, start=1):
        if isinstance(table, Mapping):
            yield number, table
        else:
            warnings.append(f"{key} #{number}: not a table; ignored")


def _filters(value: object, warnings: list[str]) -> Iterable[EntryFilter]:
    for number, table in _tables(value, "filters", warnings):
        where = f"filters #{number}"
        unknown = sorted(set(table) - set(_FILTER_FIELDS))
        if unknown:
            warnings.append(f"{where}: unknown key {', '.join(map(repr, unknown))}; ignored")
        patterns: dict[str, re.Pattern[str] | None] = {}
        usable = True
        for name in ("title", "author", "summary"):
            patterns[name], ok = _pattern(table.get(name), f"{where}.{name}", warnings)
            usable &= ok
        feed = table.get("feed")
        if feed is not None and not isinstance(feed, str):
            warnings.append(f"{where}.feed: expected a URL in quotes; filter ignored")
            usable = False
        if usable and not any(patterns.values()) and feed is None:
            warnings.append(f"{where}: no title, author, summary or feed given; ignored")
            usable = False
        if usable:
            yield EntryFilter(feed=feed, **patterns)


def _pattern(value: object, where: str, warnings: list[str]) -> tuple[re.Pattern[str] | None, bool]:
    """A case-insensitive regular expression, or a warning saying why it cannot be used."""
    if value is None:
        return None, True
    if not isinstance(value, str) or not value:
        warnings.append(f"{where}: expected a regular expression in quotes; filter ignored")
        return None, False
    if len(value) > MAX_PATTERN_LENGTH:
        warnings.append(f"{where}: longer than {MAX_PATTERN_LENGTH} characters; filter ignored")
        return None, False
    try:
        return re.compile(value, re.IGNORECASE), True
    except re.error as error:
        warnings.append(f"{where}: not a valid regular expression ({error}); filter ignored")
        return None, False


def _saved_searches(value: object, warnings: list[str]) -> Iterable[SavedSearch]:
    names: set[str] = set()
    for number, table in _tables(value, "saved_searches", warnings):
        where = f"saved_searches #{number}"
        name, query = table.get("name"), table.get("query")
        if not isinstance(name, str) or not name.strip():
            warnings.append(f"{where}: needs a name; ignored")
            continue
        if not isinstance(query, str) or not (fts := to_fts(query, last_word_prefix=False)):
            warnings.append(f"{where} ({name}): needs a query with a word to look for; ignored")
            continue
        if name.casefold() in names:
            warnings.append(f"{where} ({name}): a saved search of that name comes earlier; ignored")
            continue
        names.add(name.casefold())
        yield SavedSearch(name.strip(), query, fts)
