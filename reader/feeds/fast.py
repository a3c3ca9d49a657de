"""A fast path for plain, well-formed RSS 2.0/0.9x, RSS 1.0 (RDF) and Atom 1.0 documents.

Why: feedparser is pure Python and costs about 12 ms for a 30-item feed, which
is most of the CPU of a 300-feed refresh. Most real feeds are well-formed and
use only a handful of elements, and lxml (C) reads those in a fraction of that
time. This module reads them into the same shape feedparser produces (the
keys `reader.feeds.xmlfeed` consumes: title, link, id, summary, content, dates,
author) and mirrors feedparser's rules for those keys, so both paths give the
same entries; a test checks that over the whole corpus.

Anything out of the ordinary returns None and the document goes to
feedparser: a DOCTYPE, any XML error or warning, a charset header that
disagrees with the XML declaration, Atom 0.3, XHTML or base64 content,
repeated fields, and every element that feedparser folds into these fields
through an alias (dc:title, media:description, itunes:summary, ...).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from lxml import etree

from reader.feeds import _feedparser_private as private
from reader.feeds.clean import PLAIN_ABSOLUTE_URL
from reader.feeds.limits import MAX_ENTRIES

_parse_date, _urljoin, make_safe_absolute_uri = private.fast_path_rules()

_ATOM = "{http://www.w3.org/2005/Atom}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_RSS_VERSIONS = {
    "2.0": "rss20",
    "0.91": "rss091u",
    "0.92": "rss092",
    "0.93": "rss093",
    "0.94": "rss094",
    "2.0.1": "rss20",
    "": "rss",
}

# Field elements of an item/entry, by the name feedparser lower-cases them to.
_RSS_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "summary",
    "guid": "id",
    "pubdate": "published",
    _CONTENT_ENCODED: "content",
    _DC + "date": "updated",
}
_RSS1_FIELDS = {
    _RSS1 + "title": "title",
    _RSS1 + "link": "link",
    _RSS1 + "description": "summary",
    _CONTENT_ENCODED: "content",
    _DC + "date": "updated",
}
_ATOM_FIELDS = {
    _ATOM + "title": "title",
    _ATOM + "id": "id",
    _ATOM + "summary": "summary",
    _ATOM + "content": "content",
    _ATOM + "published": "published",
    _ATOM + "updated": "updated",
}
_ITUNES_AUTHORS = (
    "{http://www.itunes.com/dtds/podcast-1.0.dtd}author",
    "{http://example.com/dtds/podcast-1.0.dtd}author",
)
_AUTHORS = frozenset({"author", _DC + "creator", _ATOM + "author", *_ITUNES_AUTHORS})
_MEDIA_TITLE = "{http://search.yahoo.com/mrss/}title"
"""Ignored by feedparser whenever the item has its own non-empty <title>."""
# At the channel/feed level only the title and the link are used.
_FEED_ALIASES = frozenset(
    {
        _DC + "title",
        _MEDIA_TITLE,
        _ATOM + "title",
        _ATOM + "id",
        "id",
    }
)
# Elements feedparser maps onto title/summary/content/dates/author/id through
# handlers we do not mirror: their presence sends the document to feedparser.
_ALIASES = frozenset(
    {
        "summary",
        "content",
        "body",
        "fullitem",
        "abstract",
        "id",
        "published",
        "updated",
        "issued",
        "modified",
        "created",
        "managingeditor",
        "webmaster",
        "expirationdate",
        _DC + "title",
        _DC + "description",
        _DC + "author",
        "{http://purl.org/dc/terms/}created",
        "{http://purl.org/dc/terms/}issued",
        "{http://purl.org/dc/terms/}modified",
        "{http://www.w3.org/1999/xhtml}body",
        "{http://search.yahoo.com/mrss/}description",
        "{http://www.itunes.com/dtds/podcast-1.0.dtd}summary",
        "{http://example.com/dtds/podcast-1.0.dtd}summary",
    }
)
_SENSITIVE = frozenset(
    tag.lower()
    for tag in (
        *_RSS_FIELDS,
        *_RSS1_FIELDS,
        *_ATOM_FIELDS,
        *_AUTHORS,
        *_ALIASES,
        _ATOM + "link",
        "enclosure",  # podcasts and video: feedparser reads their enclosures
        "item",
        "entry",
        _ATOM + "entry",
        _RSS1 + "item",
        "name",
        _ATOM + "name",
    )
)
"""Lower-cased, as feedparser matches names and namespace URIs without regard to case."""
_AUTHORS_LOWER = frozenset(tag.lower() for tag in _AUTHORS)
_AUTHOR_EMAIL = re.compile(
    r"(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"
    r"([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"
)
_CP1252 = {
    code: char for code in range(0x80, 0xA0) if (char := bytes([code]).decode("cp1252", "ignore"))
}
"""feedparser's mapping of C1 control characters to the Windows-1252 characters meant."""
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


class _Unusual(Exception):
    """Raised inside the reader to hand the whole document to feedparser."""


def read_plain_feed(
    body: bytes, url: str, content_type: str | None
) -> tuple[dict[str, Any], list[dict[str, Any]], str] | None:
    """(feed, entries, version) in feedparser's shape, or None if feedparser must read it."""
    if b"<!DOCTYPE" in body[:4096] or not _charset_agrees(body, content_type):
        return None
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if len(parser.error_log) or root is None:
        return None
    if root.getroottree().docinfo.internalDTD is not None:
        return None  # a DOCTYPE past the first 4 KB: entities are for the guarded path to vet
    try:
        return _read(root, url)
    except _Unusual:
        return None


def _charset_agrees(body: bytes, content_type: str | None) -> bool:
    """feedparser lets a Content-Type charset override the XML declaration; lxml does not."""
    match = _CHARSET.search(content_type or "")
    if match is None:
        return True
    declared = _DECLARED_ENCODING.match(body[:200])
    charset = match.group(1).lower().replace("_", "-")
    encoding = declared.group(1).decode().lower().replace("_", "-") if declared else "utf-8"
    return charset == encoding or {charset, encoding} <= {"utf-8", "utf8"}


def _read(root: Any, url: str) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    base = make_safe_absolute_uri(url) or url
    tag = root.tag
    if tag == "rss":
        version = _RSS_VERSIONS.get(root.get("version", "").strip())
        channel = root.find("channel")
        if version is None or channel is None:
            raise _Unusual
        base = _rebase(_rebase(base, root), channel)
        items = islice(channel.iterchildren("item"), MAX_ENTRIES)
        if root.find("item") is not None:
            raise _Unusual
        return (
            _read_entry(channel, base, _RSS_FIELDS, rss=True, feed_level=True),
            [_read_entry(item, _rebase(base, item), _RSS_FIELDS, rss=True) for item in items],
            version,
        )
    if tag == _ATOM + "feed":
        base = _rebase(base, root)
        return (
            _read_entry(root, base, _ATOM_FIELDS, rss=False, feed_level=True),
            [
                _read_entry(entry, _rebase(base, entry), _ATOM_FIELDS, rss=False)
                for entry in islice(root.iterchildren(_ATOM + "entry"), MAX_ENTRIES)
            ],
            "atom10",
        )
    if tag == _RDF + "RDF":
        channel = root.find(_RSS1 + "channel")
        if (
            channel is None
            or root.find("channel") is not None
            or channel.find(_RSS1 + "item") is not None
        ):
            raise _Unusual
        base = _rebase(base, root)
        items = islice(root.iterchildren(_RSS1 + "item"), MAX_ENTRIES)
        return (
            _read_entry(channel, _rebase(base, channel), _RSS1_FIELDS, rss=True, feed_level=True),
            [
                _read_entry(item, _rebase(base, item), _RSS1_FIELDS, rss=True, rdf=True)
                for item in items
            ],
            "rss10",
        )
    raise _Unusual


def _rebase(base: str, element: Any) -> str:
    """feedparser's xml:base rule: resolve against the current base, keep it if unsafe."""
    value = element.get(_XML_BASE) or element.get("base")
    if not value:
        return base
    return make_safe_absolute_uri(base, value) or base


@dataclass(slots=True)
class _Reading:
    """What `_read_entry` has gathered so far from one item/entry's children."""

    entry: dict[str, Any] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    link: str | None = None
    author: str | None = None
    guid_is_link: bool = False
    media_title: bool = False


def _read_entry(
    element: Any,
    base: str,
    fields: dict[str, str],
    *,
    rss: bool,
    feed_level: bool = False,
    rdf: bool = False,
) -> dict[str, Any]:
    """One item/entry (or the channel/feed itself) as a feedparser-shaped dict.

    Three phases: each child is read as a field, a link, an author or checked
    for anything feedparser would read differently (`_Unusual`); then the
    leftovers are settled the way feedparser settles them.
    """
    reading = _Reading()
    if rdf and element.get(_RDF + "about"):
        reading.entry["id"] = element.get(_RDF + "about")
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            raise _Unusual  # an entity reference or other non-element node
        if tag[0] != "{":
            tag = tag.lower()
        name = fields.get(tag)
        if name is not None:
            _read_field(reading, child, name, base, rss=rss, rdf=rdf, feed_level=feed_level)
        elif tag == _ATOM + "link":
            reading.link = _atom_link(child, base, reading.link)
        elif feed_level:
            _check_feed_child(tag, rss=rss)
        else:
            _read_other(reading, child, tag, rss=rss)
    return _settle(reading, feed_level=feed_level)


def _read_field(
    reading: _Reading,
    child: Any,
    name: str,
    base: str,
    *,
    rss: bool,
    rdf: bool,
    feed_level: bool,
) -> None:
    """A title, link, id, date, summary or content element, read by feedparser's rules."""
    if name in reading.seen or len(child) or child.get("mode"):
        raise _Unusual
    reading.seen.add(name)
    entry = reading.entry
    value = _text(child)
    if name == "title":
        _content_type(child, "text/plain")
        if value:
            entry["title"] = value
    elif name == "link":
        reading.link = _read_link(_rebase(base, child), value, feed_level=feed_level)
    elif name == "id":
        guid_is_link = rss and not rdf and child.get("isPermaLink", "true") == "true"
        reading.guid_is_link = guid_is_link or not rss
        entry["id"] = (
            _join(_rebase(base, child), value) if reading.guid_is_link and value else value
        )
    elif name in ("published", "updated"):
        entry[name + "_parsed"] = _parse_date(value) if value else None
    elif name == "summary":
        _content_type(child, "text/html" if rss else "text/plain")
        entry["summary"] = value
    else:  # content: feedparser also makes it the summary when there is none yet
        kind = _content_type(child, "text/html" if rss else "text/plain")
        entry["content"] = [{"type": kind, "value": value}]
        entry.setdefault("summary", value)


def _read_link(base: str, value: str, *, feed_level: bool) -> str:
    """An RSS <link>: even empty, it is the link; entries get feedparser's "&amp;" fix."""
    link = _join(base, value) if value else ""
    if "&" in link and not feed_level:
        link = re.sub("&([A-Za-z0-9_]+);", r"&\g<1>", link.replace("&amp;", "&"))
    return link


def _check_feed_child(tag: str, *, rss: bool) -> None:
    """At channel/feed level only title and link are read: refuse what feedparser aliases."""
    if (
        tag in _FEED_ALIASES
        or (not rss and tag[0] != "{")
        or (
            tag.rpartition("}")[2].lower() in ("item", "entry")
            and tag not in ("item", _ATOM + "entry")
        )
    ):
        raise _Unusual


def _read_other(reading: _Reading, child: Any, tag: str, *, rss: bool) -> None:
    """Any other child of an item: an author, media:title, or something to rule out."""
    low = tag.lower()
    if low in _AUTHORS_LOWER:
        if reading.author is not None:
            raise _Unusual  # several authors: feedparser's choice is subtle
        reading.author = _author(child)
    elif low == _MEDIA_TITLE:
        reading.media_title = True
    elif low in _SENSITIVE or (rss and tag.startswith(_ATOM)) or (not rss and tag[0] != "{"):
        raise _Unusual
    elif len(child):
        for inner in child.iterdescendants():
            inner_tag = inner.tag.lower() if isinstance(inner.tag, str) else ""
            if inner_tag == _MEDIA_TITLE:
                reading.media_title = True
            elif inner_tag in _SENSITIVE:
                raise _Unusual  # e.g. media:group/media:description, which feedparser reads


def _settle(reading: _Reading, *, feed_level: bool) -> dict[str, Any]:
    """feedparser's last steps: media:title as a fallback, the guid as link, the author."""
    entry = reading.entry
    if reading.media_title and not entry.get("title"):
        raise _Unusual
    link = reading.link
    if link is None and reading.guid_is_link and entry.get("id"):
        link = entry["id"]
    if link is not None:
        entry["link"] = link
    if reading.author is not None and not feed_level:
        entry["author"] = reading.author
        entry["author_detail"] = {"name": reading.author}
    return entry


def _join(base: str, uri: str) -> str:
    """feedparser's URI resolution, skipped for URLs it would return unchanged."""
    return uri if PLAIN_ABSOLUTE_URL.match(uri) else _urljoin(base, uri)


def _text(element: Any) -> str:
    """Element text with feedparser's clean-ups (whitespace, mis-decoded UTF-8, cp1252)."""
    value = (element.text or "").strip()
    if value and not value.isascii():
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            value = value.encode("iso-8859-1").decode("utf-8")
        value = value.translate(_CP1252)
    return value


def _content_type(element: Any, default: str) -> str:
    """The MIME type of a text construct; XHTML and base64 are left to feedparser."""
    kind = (element.get("type") or default).lower()
    kind = {"text": "text/plain", "plain": "text/plain", "html": "text/html"}.get(kind, kind)
    if kind not in ("text/plain", "text/html") or element.get("mode"):
        raise _Unusual
    return kind


def _atom_link(element: Any, base: str, current: str | None) -> str | None:
    """feedparser's link rule: the last rel=alternate link of an HTML type wins."""
    if len(element):
        raise _Unusual
    rel = element.get("rel") or "alternate"
    if rel == "enclosure":
        raise _Unusual  # feedparser reads enclosures
    kind = element.get("type") or ("application/atom+xml" if rel == "self" else "text/html")
    href = element.get("href")
    if href is None:
        raise _Unusual
    if rel == "alternate" and kind.lower() in ("text/html", "application/xhtml+xml", "html"):
        return _join(_rebase(base, element), href.strip())
    return current


def _author(element: Any) -> str | None:
    """The name in an author element, "email (Name)" forms included (feedparser's rule)."""
    if element.tag == _ATOM + "author":  # the only author element with structure
        name = element.find(_ATOM + "name")
        # feedparser keeps an Atom name as written (none of its text clean-ups apply).
        if name is None or len(name) or not (text := (name.text or "").strip()):
            raise _Unusual  # no name: feedparser falls back to the e-mail or the URI
        return text
    if len(element):
        raise _Unusual
    text = _text(element)
    email = _AUTHOR_EMAIL.search(text)
    if email:
        text = text.replace(email.group(0), "").replace("()", "").replace("<>", "")
        text = text.replace("&lt;&gt;", "").strip()
        if text.startswith("("):
            text = text[1:]
        if text.endswith(")"):
            text = text[:-1]
        text = text.strip()
        return text or email.group(0)
    return text or None
