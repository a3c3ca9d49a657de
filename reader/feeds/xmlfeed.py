"""RSS, Atom and RDF documents: the lxml fast path when it can, feedparser when it must.

Why feedparser still: it reads the broken, mislabelled and exotic feeds that
the fast path hands over (about one in five real ones). It runs with HTML
sanitising and in-content URI rewriting off: they double its CPU cost, and
`content_html` is stored raw and cleaned by the article engine (with the entry
URL as base) before anything renders it. Entry links, xml:base and the feed URL
are still resolved by feedparser. Its private API is reached only through
`reader.feeds._feedparser_private`, which also guards it against entity bombs
and runaway parses.
"""

from __future__ import annotations

import html
import re
from functools import partial
from typing import Any
from xml.parsers import expat

from reader.feeds import _feedparser_private as private
from reader.feeds.clean import (
    absolute_http_url,
    bounded_guid,
    clean_title,
    dedupe,
    enclosures_of,
    host,
    plain_summary,
    struct_to_iso,
    title_from_summary,
)
from reader.feeds.limits import (
    MAX_AUTHOR,
    MAX_CONTENT,
    MAX_ENTITY_EXPANSION,
    MAX_ENTRIES,
    PARSE_CPU_SECONDS,
)
from reader.feeds.model import FeedKind, NotAFeed, ParsedEntry, ParsedFeed
from reader.text import clean_text, strip_unsafe

ENTITIES_REFUSED = "entity declarations refused (possible billion-laughs attack)"


def parse_xml_feed(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """Plain documents through the lxml fast path, everything else through feedparser."""
    from reader.feeds.fast import read_plain_feed  # lxml and feedparser: imported on first use

    plain = read_plain_feed(body, url, content_type)
    if plain is not None:
        return assemble(*plain, url, None)
    return parse_with_feedparser(body, url, content_type)


def parse_with_feedparser(
    body: bytes, url: str, content_type: str | None, *, cpu_seconds: float = PARSE_CPU_SECONDS
) -> ParsedFeed:
    """feedparser's reading, its bozo flag a warning when entries came out, else `NotAFeed`.

    The parse is refused if it meets an entity declaration that could amplify
    (in any encoding, anywhere before the root element) or uses more than
    `cpu_seconds` of CPU.
    """
    feedparser = private.load()
    body, defused, entities = _defuse_entities(body)
    body, capped = _cap_entries(body)
    body = _replace_bad_character_references(body)
    try:
        with private.guard(cpu_seconds, entities):
            parsed = feedparser.parse(
                body,
                response_headers={
                    "content-type": _xml_content_type(content_type),
                    "content-location": url,
                },
                sanitize_html=False,
                resolve_relative_uris=False,
            )
    except private.EntitiesRefused:
        raise NotAFeed(f"not a feed: {ENTITIES_REFUSED}", url) from None
    except private.ParseTooSlow:
        raise NotAFeed(f"not a feed: took more than {cpu_seconds:g} s to parse", url) from None
    raw_entries = parsed.get("entries") or []
    version = parsed.get("version") or ""
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not raw_entries:
        if problem is not None and (_is_fatal(problem) or not version):
            reason = ENTITIES_REFUSED if defused else _describe_problem(problem)
            raise NotAFeed(f"not a feed: {reason}", url)
        if not version:
            raise NotAFeed("not a feed: no RSS, Atom or RDF document found", url)
    cut_short = problem is not None and not capped and _is_cut_short(problem)
    if cut_short and _last_is_junk(raw_entries, body, url):
        raw_entries = raw_entries[:-1]
    feed = assemble(parsed.get("feed") or {}, raw_entries, version, url, None)
    feed.warning = _warning(problem, defused=defused, capped=capped, read=len(feed.entries))
    feed.incomplete = cut_short
    return feed


def _warning(
    problem: BaseException | None, *, defused: bool, capped: bool, read: int
) -> str | None:
    """A sentence for entries read despite a problem (None when there was none)."""
    if capped:
        return f"the feed has more than {MAX_ENTRIES:,} entries; only the first were read"
    if problem is None:
        return None
    if _is_cut_short(problem):
        plural = "entry" if read == 1 else "entries"
        return (
            f"the feed is cut short ({_describe_problem(problem)}); "
            f"read the {read} {plural} before the cut"
        )
    reason = ENTITIES_REFUSED if defused else _describe_problem(problem)
    return f"the feed is malformed ({reason}); read what could be read"


_END_OF_INPUT_ERRORS = frozenset(
    expat.ErrorString(code)
    for code in (
        expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
        expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
        expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
    )
)
"""expat's messages for a document that ends before its root element is closed."""


def _is_cut_short(problem: BaseException) -> bool:
    """True when expat met the end of the document with elements still open."""
    get_message = getattr(problem, "getMessage", None)
    return callable(get_message) and get_message() in _END_OF_INPUT_ERRORS


def _last_is_junk(raw_entries: list[Any], body: bytes, url: str) -> bool:
    """True when the cut went through the last item and left nothing to open or recognise.

    feedparser still reports that item ("(untitled)", no link, no id); stored,
    it would linger as a duplicate of the whole item once the feed is repaired.
    """
    if not raw_entries or not _last_entry_open(body):
        return False
    last = entry_from_feedparser(raw_entries[-1], url)
    return last.url is None and last.guid is None


_ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.I)


def _last_entry_open(body: bytes) -> bool:
    """True when the document's last item/entry has no closing tag (the cut went through it)."""
    last = None
    for last in _ENTRY_START.finditer(body):  # noqa: B007  (only the last match is wanted)
        pass
    return last is not None and _ENTRY_END.search(body, last.end()) is None


_CHARACTER_REFERENCE = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _replace_bad_character_references(body: bytes) -> bytes:
    """`&#55296;` (a surrogate), `&#0;` or past U+10FFFF -> U+FFFD.

    feedparser's loose parser turns such a reference into a character it cannot
    encode and raises, losing every entry of the feed for one bad title.
    """
    if b"&#" not in body:
        return body

    def replace(match: re.Match[bytes]) -> bytes:
        digits = match.group(1)
        number = int(digits[1:], 16) if digits[:1] in b"xX" else int(digits)
        if number == 0 or 0xD800 <= number <= 0xDFFF or number > 0x10FFFF:
            return b"&#65533;"
        return match.group(0)

    return _CHARACTER_REFERENCE.sub(replace, body)


def assemble(
    channel: Any, raw_entries: list[Any], version: str, url: str, warning: str | None
) -> ParsedFeed:
    """The ParsedFeed for feedparser-shaped data (from feedparser or the fast path)."""
    entries = (entry_from_feedparser(raw, url) for raw in raw_entries[:MAX_ENTRIES])
    return ParsedFeed(
        title=clean_title(dict.get(channel, "title")) or host(url),
        site_url=absolute_http_url(dict.get(channel, "link"), url),
        entries=dedupe(entries),
        kind=_kind(version),
        warning=warning,
    )


_DOCTYPE_WITH_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.S)
_ENTITY_DECLARATION = re.compile(
    rb"<!ENTITY\s+(%\s*)?([^\s>]+)\s+(?:(SYSTEM|PUBLIC)\b|([\"'])(.*?)\4)", re.S
)
_MAX_DECLARATIONS = 64
"""Entity declarations a kept DOCTYPE may have (each one costs a scan of the body)."""
_PROLOG_PART = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)?\s*", re.S)


def _defuse_entities(body: bytes) -> tuple[bytes, bool, frozenset[str]]:
    """(body, True when a DOCTYPE was removed, the entity names the parsers may accept).

    A DOCTYPE is removed when an entity could expand, nest or fetch, or when its
    entities are used so often that they would add more than
    `MAX_ENTITY_EXPANSION` characters. Removing it (rather than refusing the
    feed) keeps the entries of a feed whose only fault is its DOCTYPE; what
    stays are short plain declarations (`<!ENTITY nbsp "&#160;">`) used a sane
    number of times. This reads ASCII-compatible documents, wherever the DOCTYPE
    sits after comments and processing instructions; a declaration it did not
    vet (UTF-16, EBCDIC) is refused by the guarded parsers.
    """
    if b"<!ENTITY" not in body:
        return body, False, frozenset()
    doctype = _DOCTYPE_WITH_SUBSET.match(body, _prolog_end(body))
    if doctype is None:
        return body, False, frozenset()  # not where expat reads declarations: the guard decides
    subset = doctype.group(0)
    declarations = _ENTITY_DECLARATION.findall(subset)
    safe = (
        len(declarations) == subset.count(b"<!ENTITY") <= _MAX_DECLARATIONS
        and all(
            private.is_safe_entity(
                value.decode("latin-1"), parameter=bool(parameter), external=bool(external)
            )
            for parameter, _, external, _, value in declarations
        )
        and sum(  # each name counted once over the body: a few names, so linear
            body.count(b"&" + name + b";", doctype.end()) * len(value)
            for _, name, _, _, value in declarations
        )
        <= MAX_ENTITY_EXPANSION
    )
    if not safe:
        return body[: doctype.start()] + body[doctype.end() :], True, frozenset()
    return body, False, frozenset(name.decode("latin-1") for _, name, _, _, _ in declarations)


def _prolog_end(body: bytes) -> int:
    """Where the DOCTYPE may start: after the BOM, XML declaration, comments and PIs."""
    position = 3 if body.startswith(b"\xef\xbb\xbf") else 0
    while True:
        match = _PROLOG_PART.match(body, position)
        if match is None or match.end() == position:
            return position
        position = match.end()


_ENTRY_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]", re.I)


def _cap_entries(body: bytes) -> tuple[bytes, bool]:
    """Cut the document before its entry number `MAX_ENTRIES + 1` (True when cut).

    feedparser reads every entry, in pure Python: a 5 MB document of 100,000
    tiny items costs it a minute, more when the document is also malformed.
    The cut document is malformed on purpose; feedparser reads what precedes.
    """
    if body.count(b"<item") + body.count(b"<entry") <= MAX_ENTRIES:
        return body, False
    for number, match in enumerate(_ENTRY_START.finditer(body)):
        if number == MAX_ENTRIES:
            return body[: match.start()], True
    return body, False


def _xml_content_type(content_type: str | None) -> str:
    """The Content-Type to give feedparser: application/xml with the header's charset.

    feedparser follows RFC 3023 to the letter: text/xml without a charset is
    read as US-ASCII (a spurious "malformed" warning for every UTF-8 feed
    served that way), and text/html is flagged as not XML for its label alone.
    """
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type or "", re.I)
    return "application/xml" + (f"; charset={charset.group(1)}" if charset else "")


def _is_fatal(problem: BaseException) -> bool:
    """A syntax error (rather than an encoding or media-type remark) ruins an empty document."""
    return type(problem).__name__ not in (
        "CharacterEncodingOverride",
        "NonXMLContentType",
        "UndeclaredNamespace",
    )


def _describe_problem(problem: BaseException) -> str:
    """feedparser's bozo exception as a short human sentence."""
    get_line = getattr(problem, "getLineNumber", None)
    get_message = getattr(problem, "getMessage", None)
    if callable(get_line) and callable(get_message):
        try:
            return clean_text(f"invalid XML at line {get_line()} ({get_message()})")[:200]
        except Exception:  # SAX exceptions without a locator
            return "invalid XML"
    return clean_text(str(problem))[:200] or type(problem).__name__


def _kind(version: str) -> FeedKind:
    """feedparser's version string ("rss20", "atom10", "rss10") as our kind."""
    if version.startswith("atom"):
        return "atom"
    if version in ("rss090", "rss10"):
        return "rdf"
    return "rss"


def entry_from_feedparser(raw: Any, feed_url: str) -> ParsedEntry:
    """One feedparser entry to a bounded, cleaned ParsedEntry.

    Plain `dict.get` on feedparser's dict skips its key aliasing (faster, and no
    deprecated updated->published fallback: we choose the fallback ourselves).
    """
    content_html = None
    get = partial(dict.get, raw)
    content = get("content")
    if content:
        content_html = _content_html(content)
    summary_source = get("summary") or content_html or ""
    summary = plain_summary(summary_source) if isinstance(summary_source, str) else ""
    author_detail = get("author_detail")
    author = (author_detail.get("name") if author_detail else None) or get("author")
    published = struct_to_iso(get("published_parsed"))
    updated = struct_to_iso(get("updated_parsed"))
    return ParsedEntry(
        guid=bounded_guid(get("id")),
        title=clean_title(get("title")) or title_from_summary(summary),
        url=absolute_http_url(get("link"), feed_url),
        author=(clean_text(author)[:MAX_AUTHOR] or None) if isinstance(author, str) else None,
        summary=summary,
        content_html=content_html,
        published=published or updated,
        updated=updated,
        enclosures=enclosures_of(
            (
                (e.get("href"), e.get("type"), e.get("length"))
                for e in _dicts(get("links"))  # feedparser's `enclosures` is a view of these
                if e.get("rel") == "enclosure"
            ),
            feed_url,
        ),
    )


def _dicts(value: Any) -> list[dict[str, Any]]:
    return (
        [item for item in value[:100] if isinstance(item, dict)] if isinstance(value, list) else []
    )


def _content_html(content: Any) -> str | None:
    """The richest HTML among the entry's content elements (plain text escaped), bounded."""
    best: str | None = None
    for item in content if isinstance(content, list) else ():
        value = item.get("value") if hasattr(item, "get") else None
        if not isinstance(value, str) or not value.strip():
            continue
        if "html" not in str(item.get("type", "text/html")):
            value = html.escape(value)
        if best is None or len(value) > len(best):
            best = value
    return strip_unsafe(best[:MAX_CONTENT]) if best else None
