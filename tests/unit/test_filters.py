"""Filters and saved searches from the config: what applies, and a warning for what cannot."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from reader.filters import load_rules

CONFIG = """
[[filters]]
title = "Sponsored|Advert"

[[filters]]
feed = "https://example.org/feed.xml"
author = "^Press Office$"

[[filters]]
title = "(unclosed"

[[filters]]
colour = "red"

[[saved_searches]]
name = "Transport"
query = "rail OR port OR ferry"

[[saved_searches]]
name = "transport"
query = "bus"

[[saved_searches]]
name = "Nothing"
query = "-everything"
"""


@dataclass
class Item:
    title: str
    author: str | None = None
    summary: str = ""


def test_filters_drop_what_they_describe() -> None:
    rules = load_rules(tomllib.loads(CONFIG))
    assert rules.drops(Item("SPONSORED: a new phone"), "https://other.example/rss")
    assert rules.drops(Item("Harbour news", "Press Office"), "https://example.org/feed.xml")
    assert not rules.drops(Item("Harbour news", "Press Office"), "https://other.example/rss")
    assert not rules.drops(Item("Harbour news", "A. Writer"), "https://example.org/feed.xml")


def test_unusable_tables_are_named_and_skipped() -> None:
    rules = load_rules(tomllib.loads(CONFIG))
    assert len(rules.filters) == 2
    text = "\n".join(rules.warnings)
    assert "filters #3.title: not a valid regular expression" in text
    assert "filters #4: unknown key 'colour'" in text
    assert "saved_searches #2 (transport): a saved search of that name comes earlier" in text
    assert "saved_searches #3 (Nothing): needs a query with a word" in text


def test_saved_searches_are_exact_words() -> None:
    rules = load_rules(tomllib.loads(CONFIG))
    search = rules.saved_search("TRANSPORT")
    assert search is not None
    assert search.fts == '("rail" OR "port" OR "ferry")'


def test_signature_changes_with_the_filters() -> None:
    one = load_rules({"filters": [{"title": "a"}]})
    two = load_rules({"filters": [{"title": "b"}]})
    assert one.signature() != two.signature()
    assert load_rules({}).filters == ()


def test_wrong_shapes_are_warnings_not_errors() -> None:
    rules = load_rules({"filters": "title", "saved_searches": [1]})
    assert rules.filters == () and rules.saved_searches == ()
    assert len(rules.warnings) == 2
