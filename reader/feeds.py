"""Feed documents to clean, bounded data: RSS/RDF/Atom through feedparser, JSON Feed by hand.

Why a module of its own: everything a feed says is untrusted. Titles arrive
double-escaped, with tags, terminal escapes or bidi overrides; links are
relative; entries repeat; a hostile server can send thousands of entries or a
megabyte title. This module turns bytes into `ParsedFeed`/`ParsedEntry` values
that are safe to store and show, and it never raises anything but `NotAFeed`
(a `ReaderError` whose message is the sentence the user sees).

feedparser 6.0.x does not read JSON Feed, so that format has its own small
parser here. feedparser runs with HTML sanitising and in-content URI rewriting
off: they double its CPU cost, and `content_html` is stored raw and cleaned by
the article engine (with the entry URL as base) before anything renders it.
Entry links, xml:base and the feed URL are still resolved by feedparser.
Heavy imports (feedparser) happen inside functions so the app starts fast.
"""

from __future__ import annotations

import calendar
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, partial
from typing import Any
from urllib.parse import urljoin, urlsplit

from reader.errors import ReaderError
from reader.text import clean_text, strip_unsafe

MAX_ENTRIES = 2000
"""Entries read from one document; the rest of a hostile feed is ignored."""
MAX_TITLE = 500
MAX_SUMMARY = 2000
MAX_SUMMARY_SOURCE = 30_000
"""Characters of summary HTML looked at before tag stripping (bounds the work)."""
MAX_CONTENT = 200_000
MAX_URL = 4096
MAX_GUID = 2048
MAX_AUTHOR = 200
UNTITLED = "(untitled)"
_TITLE_FROM_SUMMARY = 100
"""Length of a title made from the start of the summary when the entry has none."""


@dataclass(slots=True)
class ParsedEntry:
    """One item of a feed, cleaned and bounded, ready to be stored."""

    guid: str | None
    """The entry's id/guid as the feed gives it (None when absent)."""
    title: str
    """Plain text: tags stripped, unescaped once, no control characters ("(untitled)" fallback)."""
    url: str | None
    """Absolute http(s) link, resolved against xml:base and the feed URL."""
    author: str | None
    summary: str
    """Plain text with paragraph breaks, at most `MAX_SUMMARY` characters."""
    content_html: str | None
    """The feed's full content HTML if it has any (raw, bounded): sanitise before rendering."""
    published: str | None
    """ISO 8601 UTC ("2025-07-03T10:00:00+00:00"): published, else updated; None if unknown."""
    updated: str | None


@dataclass(slots=True)
class ParsedFeed:
    """A parsed feed document."""

    title: str
    site_url: str | None
    entries: list[ParsedEntry]
    kind: str
    """"rss", "atom", "rdf" or "json"."""
    warning: str | None = None
    """A human sentence when the document was malformed but entries could still be read."""


class NotAFeed(ReaderError):
    """The body is not a feed we can read; the message says why ("not a feed: HTML page")."""


# --------------------------------------------------------------------------- entry points


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document fetched from `url` (its Content-Type if known).

    Raises `NotAFeed` for HTML pages, empty bodies, broken documents with no
    entries and anything else that is not a feed; never any other exception.
    """
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, url)
    if not body or not body.strip():
        raise NotAFeed("not a feed: empty body", url)
    try:
        if _looks_like_json(body, content_type):
            return _parse_json_feed(body, url)
        if looks_like_html(body, content_type) and not _EMBEDDED_FEED.search(body[:65536]):
            raise NotAFeed("not a feed: HTML page", url)
        parsed = _parse_xml_feed(body, url, content_type)
        if not parsed.entries and looks_like_html(body, content_type):
            raise NotAFeed("not a feed: HTML page", url)
        return parsed
    except ReaderError:
        raise
    except (RecursionError, MemoryError):
        raise NotAFeed("not a feed: document too deeply nested or too large", url) from None
    except Exception as exc:  # a parser bug on hostile input must not escape as a traceback
        raise NotAFeed(f"not a feed: could not be parsed ({type(exc).__name__})", url) from exc


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """True when `body` is a web page rather than a feed (sniffs the first tag).

    The body decides over the Content-Type: many servers send real feeds as
    text/html, and some send HTML as application/rss+xml.
    """
    head = _sniff_head(body)
    if head.startswith("<!doctype"):
        return head.startswith("<!doctype html")
    match = re.match(r"<([a-z][a-z0-9:_-]*)", head)
    if match:
        tag = match.group(1)
        if tag in _FEED_ROOTS:
            return False
        if tag in _HTML_ROOTS:
            return True
    return content_type is not None and "html" in content_type.lower() and "xhtml" not in head[:200]


def discover_feeds(page: bytes | str, url: str) -> list[str]:
    """The feed URLs a web page advertises with `<link rel="alternate">`, best first.

    Looks in head and body (YouTube puts them in the body), honours `<base href>`,
    returns absolute http(s) URLs without duplicates; comment feeds go last.
    """
    text = page.decode("utf-8", "replace") if isinstance(page, bytes) else page
    text = text[:_MAX_DISCOVERY_PAGE]
    base = url
    base_tag = _BASE_TAG.search(text)
    if base_tag:
        href = _attributes(base_tag.group(0)).get("href")
        if href:
            base = urljoin(url, href.strip())
    found: list[tuple[bool, int, str]] = []
    seen: set[str] = set()
    for position, tag in enumerate(_LINK_TAG.finditer(text)):
        attrs = _attributes(tag.group(0))
        rels = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "").lower().split(";")[0].strip()
        href = attrs.get("href", "").strip()
        if "alternate" not in rels or not href or not _is_feed_type(kind, attrs, href):
            continue
        absolute = _absolute_http_url(href, base)
        if absolute is None or absolute in seen:
            continue
        seen.add(absolute)
        title = attrs.get("title", "").lower()
        is_comments = "comment" in title or "/comments/" in absolute
        found.append((is_comments, position, absolute))
    return [link for _, _, link in sorted(found)]


# --------------------------------------------------------------------------- sniffing

MAX_GUNZIPPED = 16 * 1024 * 1024
"""Cap on a gzip file served without Content-Encoding (a gzip bomb stops here)."""
_EMBEDDED_FEED = re.compile(rb"<(?:feed|rss|rdf:RDF)[\s>]")


def _gunzip(body: bytes, url: str) -> bytes:
    """Inflate a .gz feed served as is, at most `MAX_GUNZIPPED` bytes."""
    import zlib

    inflater = zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(body, MAX_GUNZIPPED)
    except zlib.error:
        raise NotAFeed("not a feed: corrupt gzip data", url) from None
    if inflater.unconsumed_tail:
        raise NotAFeed(f"not a feed: inflates to more than {MAX_GUNZIPPED // 2**20} MB", url)
    if not data:
        raise NotAFeed("not a feed: corrupt gzip data", url)
    return data


_FEED_ROOTS = frozenset({"rss", "feed", "rdf:rdf", "rdf", "channel", "entry", "opml"})
_HTML_ROOTS = frozenset(
    {
        "html",
        "head",
        "body",
        "meta",
        "div",
        "script",
        "style",
        "p",
        "table",
        "span",
        "a",
        "br",
        "center",
        "iframe",
        "frameset",
        "h1",
        "h2",
        "h3",
        "form",
        "noscript",
        "header",
        "main",
        "section",
        "article",
        "nav",
        "img",
        "pre",
        "ul",
        "b",
        "i",
        "font",
    }
)
_PROLOGUE = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\s+(?!html)[^\[>]*(?:\[.*?\])?\s*>)?", re.S
)


def _sniff_head(body: bytes) -> str:
    """The first kilobyte, lower-cased, with BOM, XML declaration and comments skipped."""
    chunk = body[:2048]
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = chunk.decode("utf-16", "replace")
    else:
        text = chunk.decode("latin-1").removeprefix("\xef\xbb\xbf")
    text = text.lower()
    position = 0
    while True:  # skip XML declaration, processing instructions and comments
        match = _PROLOGUE.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
    return text[position:].lstrip()


def _looks_like_json(body: bytes, content_type: str | None) -> bool:
    """JSON Feed by Content-Type or by a leading `{` (which no XML document has)."""
    start = body[:64].lstrip(b" \t\r\n\xef\xbb\xbf")
    if start.startswith(b"{"):
        return True
    declared_json = content_type is not None and "json" in content_type.lower()
    return declared_json and not start.startswith(b"<")


# --------------------------------------------------------------------------- RSS / Atom / RDF


def _parse_xml_feed(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """Plain documents through the lxml fast path, everything else through feedparser."""
    from reader.fastfeed import read_plain_feed

    plain = read_plain_feed(body, url, content_type)
    if plain is not None:
        return _assemble(*plain, url, None)
    return _parse_with_feedparser(body, url, content_type)


def _parse_with_feedparser(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    """feedparser's reading, its bozo flag a warning when entries came out, else `NotAFeed`."""
    feedparser = _feedparser()
    body, defused = _defuse_entities(body, url)
    body, capped = _cap_entries(body)
    body = _replace_bad_character_references(body)
    parsed = feedparser.parse(
        body,
        response_headers={"content-type": _xml_content_type(content_type), "content-location": url},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    raw_entries = parsed.get("entries") or []
    version = parsed.get("version") or ""
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not raw_entries:
        if problem is not None and (_is_fatal(problem) or not version):
            reason = _ENTITIES_REFUSED if defused else _describe_problem(problem)
            raise NotAFeed(f"not a feed: {reason}", url)
        if not version:
            raise NotAFeed("not a feed: no RSS, Atom or RDF document found", url)
    warning = None
    if capped:
        warning = f"the feed has more than {MAX_ENTRIES:,} entries; only the first were read"
    elif problem is not None:
        reason = _ENTITIES_REFUSED if defused else _describe_problem(problem)
        warning = f"the feed is malformed ({reason}); read what could be read"
    return _assemble(parsed.get("feed") or {}, raw_entries, version, url, warning)


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


def _assemble(
    channel: Any, raw_entries: list[Any], version: str, url: str, warning: str | None
) -> ParsedFeed:
    """The ParsedFeed for feedparser-shaped data (from feedparser or the fast path)."""
    return ParsedFeed(
        title=_clean_title(dict.get(channel, "title")) or _host(url),
        site_url=_absolute_http_url(dict.get(channel, "link"), url),
        entries=_dedupe(_entry_from_feedparser(raw, url) for raw in raw_entries[:MAX_ENTRIES]),
        kind=_kind(version),
        warning=warning,
    )


CHARSET_GUESS_SAMPLE = 16_384
"""Bytes chardet may look at when a feed's declared encoding is wrong."""


@cache
def _feedparser() -> Any:
    """feedparser, imported on first use, with its charset guessing bounded.

    When the declared encoding fails, feedparser runs chardet over the whole
    body: a quarter of a second for an ordinary mislabelled feed, many seconds
    for a 10 MB one. A sample gives the same answer at a bounded cost.
    """
    import feedparser
    from feedparser import encodings

    if getattr(encodings, "lazy_chardet_encoding", None) is not None:
        encodings.lazy_chardet_encoding = _guess_charset
    return feedparser


def _guess_charset(data: bytes) -> str:
    import chardet

    guess = chardet.detect(data[:CHARSET_GUESS_SAMPLE]).get("encoding")
    return guess if isinstance(guess, str) else ""


_ENTITIES_REFUSED = "entity declarations refused (possible billion-laughs attack)"
_DOCTYPE_WITH_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.S)
_ENTITY_DECLARATION = re.compile(
    rb"<!ENTITY\s+(%\s*)?[^\s>]+\s+(?:(SYSTEM|PUBLIC)\b|([\"'])(.*?)\3)", re.S
)
_PROLOGUE_LIMIT = 65536


def _defuse_entities(body: bytes, url: str) -> tuple[bytes, bool]:
    """Remove a DOCTYPE whose entities could expand or fetch (True when one was removed).

    feedparser drops unsafe entity declarations only when each starts a line;
    a one-line billion-laughs document slips past it and costs expat seconds of
    CPU before its amplification limit stops it. Declarations of plain text or
    a character reference (`<!ENTITY nbsp "&#160;">`) are harmless and kept.
    """
    head = body[:_PROLOGUE_LIMIT]
    if b"<!ENTITY" not in head:
        if b"\x00" in head[:4] and b"<!ENTITY" in head.replace(b"\x00", b""):
            raise NotAFeed(f"not a feed: {_ENTITIES_REFUSED}", url)  # UTF-16/32: refuse
        return body, False
    doctype = _DOCTYPE_WITH_SUBSET.search(head)
    if doctype is None:
        raise NotAFeed(f"not a feed: {_ENTITIES_REFUSED}", url)
    subset = doctype.group(0)
    declarations = _ENTITY_DECLARATION.findall(subset)
    if len(declarations) != subset.count(b"<!ENTITY") or any(
        parameter or external or re.search(rb"&(?!#)|%", value)
        for parameter, external, _, value in declarations
    ):
        return body[: doctype.start()] + body[doctype.end() :], True
    return body, False


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


def _kind(version: str) -> str:
    if version.startswith("atom"):
        return "atom"
    if version in ("rss090", "rss10"):
        return "rdf"
    return "rss"


def _entry_from_feedparser(raw: Any, feed_url: str) -> ParsedEntry:
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
    summary = _plain_summary(summary_source) if isinstance(summary_source, str) else ""
    author_detail = get("author_detail")
    author = (author_detail.get("name") if author_detail else None) or get("author")
    published = _struct_to_iso(get("published_parsed"))
    updated = _struct_to_iso(get("updated_parsed"))
    return ParsedEntry(
        guid=_bounded_guid(get("id")),
        title=_clean_title(get("title")) or _title_from_summary(summary),
        url=_absolute_http_url(get("link"), feed_url),
        author=(clean_text(author)[:MAX_AUTHOR] or None) if isinstance(author, str) else None,
        summary=summary,
        content_html=content_html,
        published=published or updated,
        updated=updated,
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


def _struct_to_iso(value: Any) -> str | None:
    """feedparser's UTC struct_time as "YYYY-MM-DDTHH:MM:SS+00:00" (None if unusable)."""
    if not value:
        return None
    try:
        stamp = calendar.timegm((*tuple(value)[:6], 0, 0, 0))
        return datetime.fromtimestamp(stamp, UTC).isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


# --------------------------------------------------------------------------- JSON Feed


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (also the common variants whose version is just "1.1")."""
    try:
        document = json.loads(body)
    except json.JSONDecodeError as exc:
        raise NotAFeed(f"not a feed: invalid JSON at line {exc.lineno} ({exc.msg})", url) from None
    except (ValueError, RecursionError):
        raise NotAFeed("not a feed: invalid JSON", url) from None
    if not isinstance(document, dict) or not _is_json_feed(document):
        raise NotAFeed("not a feed: JSON document that is not a JSON Feed", url)
    base = _absolute_http_url(_string(document.get("feed_url")), url) or url
    items = document.get("items")
    entries = _dedupe(
        _entry_from_json(item, base)
        for item in (items[:MAX_ENTRIES] if isinstance(items, list) else [])
        if isinstance(item, dict)
    )
    return ParsedFeed(
        title=_clean_title(_string(document.get("title"))) or _host(url),
        site_url=_absolute_http_url(_string(document.get("home_page_url")), base),
        entries=entries,
        kind="json",
    )


def _is_json_feed(document: dict[str, Any]) -> bool:
    version = document.get("version")
    if isinstance(version, str) and "jsonfeed.org/version" in version:
        return True
    return isinstance(document.get("items"), list) and (
        isinstance(version, str) or "title" in document
    )


def _entry_from_json(item: dict[str, Any], base: str) -> ParsedEntry:
    content_html = _string(item.get("content_html"))
    content_text = _string(item.get("content_text"))
    summary_source = _string(item.get("summary")) or content_html or ""
    if summary_source:
        summary = _plain_summary(summary_source)
    else:
        summary = _truncate(
            clean_text((content_text or "")[:MAX_SUMMARY_SOURCE], keep_newlines=True), MAX_SUMMARY
        )
    if content_html is None and content_text:
        content_html = "<p>" + html.escape(content_text[:MAX_CONTENT]) + "</p>"
    identifier = item.get("id")
    if isinstance(identifier, int | float) and not isinstance(identifier, bool):
        identifier = str(identifier)
    published = _iso_from_text(_string(item.get("date_published")))
    updated = _iso_from_text(_string(item.get("date_modified")))
    url = _absolute_http_url(_string(item.get("url")), base) or _absolute_http_url(
        _string(item.get("external_url")), base
    )
    return ParsedEntry(
        guid=_bounded_guid(identifier),
        title=_clean_title(_string(item.get("title"))) or _title_from_summary(summary),
        url=url,
        author=_json_author(item),
        summary=summary,
        content_html=strip_unsafe(content_html[:MAX_CONTENT]) if content_html else None,
        published=published or updated,
        updated=updated,
    )


def _json_author(item: dict[str, Any]) -> str | None:
    """`authors` (1.1) or `author` (1.0): the names joined with commas."""
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    names = [
        clean_text(author["name"])
        for author in candidates[:20]
        if isinstance(author, dict) and isinstance(author.get("name"), str)
    ]
    joined = ", ".join(name for name in names if name)
    return joined[:MAX_AUTHOR] or None


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _iso_from_text(value: str | None) -> str | None:
    """An RFC 3339 / ISO 8601 date (or anything feedparser can read) as UTC ISO."""
    if not value:
        return None
    value = value.strip()[:100]
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        from feedparser.datetimes import _parse_date

        try:
            return _struct_to_iso(_parse_date(value))
        except Exception:  # feedparser's date handlers are lenient, not total
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).replace(microsecond=0).isoformat()
    except (ValueError, OverflowError):
        return None


# --------------------------------------------------------------------------- shared helpers

_TAG = re.compile(r"</?[a-zA-Z!?][^<>]*>")
_BLOCK_TAG = re.compile(
    r"<(?:br|/?p|/div|/li|/h[1-6]|/blockquote|/tr|/pre|/ul|/ol|hr)\b[^<>]*>", re.I
)
_INVISIBLE_ELEMENT = re.compile(r"<(script|style|template)\b", re.I)


def _strip_tags(markup: str, *, blocks_to_newlines: bool = False) -> str:
    """Text of an HTML fragment: script/style bodies dropped, tags removed (linear time)."""
    if "<" not in markup:
        return markup
    if _INVISIBLE_ELEMENT.search(markup):
        markup = _drop_invisible(markup)
    if blocks_to_newlines:
        markup = _BLOCK_TAG.sub("\n", markup)
    return _TAG.sub("", markup)


def _drop_invisible(markup: str) -> str:
    """Remove <script>/<style>/<template> elements with their content."""
    lowered = markup.lower()
    parts: list[str] = []
    position = 0
    while True:
        match = _INVISIBLE_ELEMENT.search(markup, position)
        if match is None:
            parts.append(markup[position:])
            break
        parts.append(markup[position : match.start()])
        end = lowered.find(f"</{match.group(1).lower()}", match.end())
        if end < 0:
            break
        close = lowered.find(">", end)
        position = len(markup) if close < 0 else close + 1
    return "".join(parts)


def _clean_title(value: Any) -> str:
    """A title as plain text: tags stripped, entities unescaped once more, bounded."""
    if not isinstance(value, str) or not value:
        return ""
    value = _strip_tags(value[: MAX_TITLE * 4])
    if "&" in value:
        value = html.unescape(value)
    return _truncate(clean_text(value), MAX_TITLE)


def _plain_summary(markup: str) -> str:
    """Summary HTML to plain text with paragraph breaks, bounded."""
    text = _strip_tags(markup[:MAX_SUMMARY_SOURCE], blocks_to_newlines=True)
    if "&" in text:
        text = html.unescape(text)
    return _truncate(clean_text(text, keep_newlines=True), MAX_SUMMARY)


def _title_from_summary(summary: str) -> str:
    """The start of the summary's first line as a title, or "(untitled)"."""
    first_line = summary.split("\n", 1)[0].strip()
    return _truncate(first_line, _TITLE_FROM_SUMMARY) if first_line else UNTITLED


def _truncate(text: str, limit: int) -> str:
    """Cut at a word boundary near `limit` and mark the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _bounded_guid(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:MAX_GUID] if value else None


_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


_URL_CHAR = r"[^\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\\;?#]"
PLAIN_ABSOLUTE_URL = re.compile(
    rf"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/{_URL_CHAR}*)?(?:\?{_URL_CHAR}+)?(?:#{_URL_CHAR}+)?\Z"
)
"""An absolute http(s) URL that `urljoin(base, url)` returns unchanged (no work needed)."""


def _absolute_http_url(value: Any, base: str) -> str | None:
    """`value` resolved against `base`, if the result is an http(s) URL of sane length."""
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_URL:
        return None
    if PLAIN_ABSOLUTE_URL.match(value):
        return value
    value = _URL_JUNK.sub("", value)
    if value.lower().startswith("feed:"):
        value = (
            value[5:].removeprefix("//")
            if value[5:].lower().startswith(("//http", "http"))
            else "http:" + value[5:]
        )
    try:
        absolute = urljoin(base, value)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        return None
    return absolute if absolute.startswith(scheme) else scheme + absolute[len(scheme) :]


def _host(url: str) -> str:
    try:
        return clean_text(urlsplit(url).hostname or "") or url[:200]
    except ValueError:
        return url[:200]


def _completeness(entry: ParsedEntry) -> tuple[bool, int, bool]:
    return (entry.content_html is not None, len(entry.summary), entry.published is not None)


def _dedupe(entries: Iterable[ParsedEntry]) -> list[ParsedEntry]:
    """One entry per guid (else link): the last, most complete copy wins, first position kept."""
    kept: dict[object, ParsedEntry] = {}
    for index, entry in enumerate(entries):
        key: object = entry.guid or entry.url or index
        previous = kept.get(key)
        if previous is None or _completeness(entry) >= _completeness(previous):
            kept[key] = entry
    return list(kept.values())


# --------------------------------------------------------------------------- discovery helpers

_MAX_DISCOVERY_PAGE = 5_000_000
_LINK_TAG = re.compile(r"<link\b[^<>]*>", re.I)
_BASE_TAG = re.compile(r"<base\b[^<>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([a-zA-Z_:][\w:.-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
_FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
        "application/x-rss+xml",
        "application/x-atom+xml",
        "application/rdf+xml",
        "text/xml",
        "application/xml",
    }
)


def _attributes(tag: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for name, value in _ATTRIBUTE.findall(tag):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs.setdefault(name.lower(), html.unescape(value))
    return attrs


def _is_feed_type(kind: str, attrs: dict[str, str], href: str) -> bool:
    """A feed MIME type; application/json only when it is clearly a feed (not a REST API)."""
    if kind in _FEED_TYPES:
        return kind not in ("application/rdf+xml", "text/xml", "application/xml") or (
            "rss" in href.lower() or "feed" in href.lower()
        )
    if kind == "application/json":
        return "feed" in attrs.get("title", "").lower() or "feed" in href.lower()
    return False
