"""feedparser's private API, as reader/feeds/_feedparser_private.py uses it.

If a feedparser upgrade moves or changes any of it, these tests fail and name
what changed, before a user meets an entity bomb the guard no longer sees.
"""

from __future__ import annotations

import time
import xml.sax

import pytest

from reader.feeds import _feedparser_private as private


def test_everything_we_rely_on_is_still_there() -> None:
    assert private.check_private_api() == []


def test_the_guards_are_installed_in_feedparser() -> None:
    feedparser = private.load()
    from feedparser import api, encodings

    assert list(api.PREFERRED_XML_PARSERS) == [private.__name__]
    assert isinstance(xml.sax.make_parser(api.PREFERRED_XML_PARSERS), private.GuardedExpatParser)
    assert getattr(api.LooseFeedParser, "_reader_guarded", False)
    assert encodings.lazy_chardet_encoding is private._guess_charset
    assert private.load() is feedparser  # installed once, however often it is asked for


def test_the_strict_parser_refuses_an_entity_bomb_through_feedparser() -> None:
    feedparser = private.load()
    body = (
        b'<?xml version="1.0"?><!-- <a> --><!DOCTYPE rss [<!ENTITY a "lol">'
        b'<!ENTITY b "&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title>'
        b"</channel></rss>"
    )
    with private.guard(entities=frozenset({"a", "b"})), pytest.raises(private.EntitiesRefused):
        feedparser.parse(body)


def test_the_strict_parser_accepts_only_vetted_plain_entities() -> None:
    feedparser = private.load()
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY co "Acme">]><rss version="2.0">'
        b"<channel><title>&co; news</title></channel></rss>"
    )
    with private.guard(entities=frozenset({"co"})):
        assert feedparser.parse(body)["feed"]["title"] == "Acme news"
    for unvetted in (frozenset(), frozenset({"other"})):
        with private.guard(entities=unvetted), pytest.raises(private.EntitiesRefused):
            feedparser.parse(body)
    with pytest.raises(private.EntitiesRefused):  # outside a guard nothing is vetted
        feedparser.parse(body)


def test_the_loose_parser_keeps_only_vetted_safe_entities() -> None:
    feedparser = private.load()
    from feedparser import api

    entities = {"co": "Acme", "big": "x" * 1000, "nbsp": "&#160;"}
    with private.guard(entities=frozenset({"co", "big"})):
        parser = api.LooseFeedParser("", None, "utf-8", entities)
        assert parser.entities == {"co": "Acme"}
        parsed = feedparser.parse(
            b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY co "Acme">\n]>\n'
            b'<rss version="2.0"><channel><title>&co; & sons</title></channel></rss>'
        )
    assert parsed["feed"]["title"] == "Acme & sons"  # the loose parser read it, with the entity
    assert api.LooseFeedParser("", None, "utf-8", entities).entities == {}  # outside a guard


def test_the_cpu_budget_stops_both_parsers() -> None:
    feedparser = private.load()
    items = b"".join(b"<item><title>t</title></item>" for _ in range(50))
    for body in (
        b'<rss version="2.0"><channel>' + items + b"</channel></rss>",  # strict
        b'<rss version="2.0"><channel><title>a & b</title>' + items,  # loose
    ):
        start = time.thread_time()
        with private.guard(-1.0), pytest.raises(private.ParseTooSlow):
            feedparser.parse(body)
        assert time.thread_time() - start < 1.0
        assert len(feedparser.parse(body)["entries"]) == 50  # no budget outside the block


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("&#160;", True),
        ("Acme", True),
        ("x" * 32, True),
        ("x" * 33, False),
        ("&a;", False),
        ("%p;", False),
        ("<b>x</b>", False),
        (None, False),
    ],
)
def test_which_entity_values_are_safe(value: str | None, safe: bool) -> None:
    assert private.is_safe_entity(value) is safe


def test_the_fast_path_rules_are_feedparser_s() -> None:
    parse_date, urljoin, make_safe_absolute_uri = private.fast_path_rules()
    assert tuple(parse_date("Thu, 03 Jul 2025 10:00:00 GMT"))[:6] == (2025, 7, 3, 10, 0, 0)
    assert urljoin("https://a.example.test/x/", "y") == "https://a.example.test/x/y"
    assert make_safe_absolute_uri("https://a.example.test/", "javascript:x") == ""
