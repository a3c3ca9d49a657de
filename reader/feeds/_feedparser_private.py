"""Every use of feedparser's private API, in one module, checked by one test.

Why one place: feedparser 6.0.x offers no public way to bound its charset
guessing, to refuse entity declarations or to stop a parse that runs too long,
and the fast path mirrors rules it keeps in private functions (`_parse_date`,
`_urljoin`). A feedparser upgrade may move any of these; `check_private_api()`
says which, and `tests/unit/test_feeds_private_api.py` fails loudly when it does.

What is installed on first use (`load()`):
- `encodings.lazy_chardet_encoding`: chardet on a 16 KB sample, not the whole body;
- `api.PREFERRED_XML_PARSERS`: the strict parser is `GuardedExpatParser`, which
  refuses every entity declaration but the short plain ones its caller vetted
  (whatever the document's encoding or where its DOCTYPE sits: it sees what
  expat sees) and checks a CPU budget between 64 KB chunks;
- `api.LooseFeedParser`: the fallback parser keeps only those same entities
  and checks the same budget at every start tag.
"""

from __future__ import annotations

import re
import threading
import time
import xml.sax.expatreader
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import Any, cast
from xml.parsers import expat

from reader.feeds.limits import CHARSET_GUESS_SAMPLE, MAX_ENTITY_VALUE, PARSE_CPU_SECONDS

_CHARACTER_REFERENCE = re.compile(r"&#(?:[xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


class EntitiesRefused(Exception):
    """An entity declaration that could expand, fetch or nest (raised through feedparser).

    Deliberately not a SAX exception: feedparser would catch that and retry the
    document with its loose parser; this one ends the parse.
    """


class ParseTooSlow(Exception):
    """The parse used up its CPU budget (raised through feedparser)."""


def is_safe_entity(value: str | None, *, parameter: bool = False, external: bool = False) -> bool:
    """True for a declaration like `<!ENTITY nbsp "&#160;">`: short, internal, no references."""
    if value is None or parameter or external or len(value) > MAX_ENTITY_VALUE:
        return False
    plain = _CHARACTER_REFERENCE.sub("", value)
    return "&" not in plain and "%" not in plain and "<" not in plain


# --------------------------------------------------------------------------- the CPU budget

_state = threading.local()
"""This thread's parse: its CPU deadline and the entity names the caller vetted."""


class guard:
    """`with guard(seconds, entities):` the guarded parsers may run that much thread CPU
    time and accept only the entity declarations named in `entities`.

    Thread CPU time, not wall time: a parse in a busy pool is not punished for
    waiting on the GIL or on other processes. The names are those the caller
    read in the document's bytes and counted the uses of; a declaration expat
    meets that the caller could not see (an EBCDIC or UTF-16 document) is refused.
    """

    def __init__(
        self, seconds: float = PARSE_CPU_SECONDS, entities: frozenset[str] = frozenset()
    ) -> None:
        self.seconds = seconds
        self.entities = entities

    def __enter__(self) -> None:
        _state.deadline = time.thread_time() + self.seconds
        _state.entities = self.entities

    def __exit__(self, *exc: object) -> None:
        _state.deadline = None
        _state.entities = frozenset()


def check_budget() -> None:
    """Raise `ParseTooSlow` when this thread's parse has used its budget."""
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.thread_time() > deadline:
        raise ParseTooSlow


def vetted_entities() -> frozenset[str]:
    """The entity names this thread's parse may declare (none outside a `guard`)."""
    entities: frozenset[str] = getattr(_state, "entities", frozenset())
    return entities


# --------------------------------------------------------------------------- strict parser


class GuardedExpatParser(xml.sax.expatreader.ExpatParser):
    """xml.sax's expat reader with entity declarations vetted and a CPU budget."""

    def reset(self) -> None:
        super().reset()
        parser = self._parser  # type: ignore[attr-defined]
        parser.EntityDeclHandler = _vet_entity_declaration
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def feed(self, data: Any, isFinal: bool = False) -> None:
        check_budget()
        super().feed(data, isFinal)


def _vet_entity_declaration(
    name: str,
    is_parameter: int,
    value: str | None,
    base: str | None,
    system_id: str | None,
    public_id: str | None,
    notation: str | None,
) -> None:
    """expat's EntityDeclHandler: anything but a vetted short plain value ends the parse."""
    external = system_id is not None or public_id is not None or notation is not None
    safe = is_safe_entity(value, parameter=bool(is_parameter), external=external)
    if not safe or name not in vetted_entities():
        raise EntitiesRefused(name)


def create_parser() -> GuardedExpatParser:
    """The factory `xml.sax.make_parser` looks for in each module of its list."""
    return GuardedExpatParser()


# --------------------------------------------------------------------------- loading


def _guarded_loose_parser(base: type) -> type:
    """feedparser's loose parser keeping only safe entities, checking the budget per tag."""

    class GuardedLooseFeedParser(base):  # type: ignore[misc]  # feedparser has no types
        def __init__(
            self,
            baseuri: str | None = None,
            baselang: str | None = None,
            encoding: str | None = None,
            entities: dict[str, str] | None = None,
        ) -> None:
            vetted = vetted_entities()
            safe = {k: v for k, v in (entities or {}).items() if k in vetted and is_safe_entity(v)}
            super().__init__(baseuri, baselang, encoding, safe)

        def unknown_starttag(self, tag: str, attrs: Any) -> Any:
            check_budget()
            return super().unknown_starttag(tag, attrs)

    return GuardedLooseFeedParser


@cache
def load() -> ModuleType:
    """feedparser, imported on first use, with the guards above installed (once per process)."""
    import feedparser
    from feedparser import api, encodings

    if getattr(encodings, "lazy_chardet_encoding", None) is not None:
        encodings.lazy_chardet_encoding = _guess_charset
    api.PREFERRED_XML_PARSERS = [__name__]
    if not getattr(api.LooseFeedParser, "_reader_guarded", False):
        api.LooseFeedParser = _guarded_loose_parser(api.LooseFeedParser)
        api.LooseFeedParser._reader_guarded = True
    return cast(ModuleType, feedparser)


def _guess_charset(data: bytes) -> str:
    import chardet

    guess = chardet.detect(data[:CHARSET_GUESS_SAMPLE]).get("encoding")
    return guess if isinstance(guess, str) else ""


# ------------------------------------------------------------- rules the fast path mirrors


def fast_path_rules() -> tuple[Callable[[str], Any], Callable[[str, str], str], Callable[..., str]]:
    """(parse_date, urljoin, make_safe_absolute_uri): bound once by the fast path (hot loop)."""
    from feedparser.datetimes import _parse_date
    from feedparser.urls import _urljoin, make_safe_absolute_uri

    return _parse_date, _urljoin, make_safe_absolute_uri


def parse_date(value: str) -> Any:
    """feedparser's date parsing (a UTC struct_time or None): both paths must agree."""
    from feedparser.datetimes import _parse_date

    return _parse_date(value)


def check_private_api() -> list[str]:
    """What this module relies on that the installed feedparser lacks (empty: all is well)."""
    import inspect

    from feedparser import api, datetimes, encodings, urls

    missing = []
    expected: list[tuple[ModuleType, str]] = [
        (encodings, "lazy_chardet_encoding"),
        (encodings, "convert_to_utf8"),
        (api, "PREFERRED_XML_PARSERS"),
        (api, "LooseFeedParser"),
        (api, "StrictFeedParser"),
        (datetimes, "_parse_date"),
        (urls, "_urljoin"),
        (urls, "make_safe_absolute_uri"),
    ]
    for module, name in expected:
        if not hasattr(module, name):
            missing.append(f"{module.__name__}.{name}")
    source = inspect.getsource(api.parse)
    for needle in (
        "xml.sax.make_parser(PREFERRED_XML_PARSERS)",
        "LooseFeedParser(baseuri, baselang, 'utf-8', entities)",
        "except xml.sax.SAXException",
    ):
        if needle not in source:
            missing.append(f"feedparser.api.parse no longer calls {needle}")
    loose = getattr(api, "LooseFeedParser", None)
    if loose is not None and not hasattr(loose, "unknown_starttag"):
        missing.append("feedparser.api.LooseFeedParser.unknown_starttag")
    return missing
