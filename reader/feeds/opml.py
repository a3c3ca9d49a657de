"""OPML import and export: the subscription list every feed reader speaks.

Why lxml with a locked-down parser: OPML files come from other programs and
other people, so a broken one must be reported with its line number, and a
hostile one (entity expansion, external entities, absurd nesting) must not
expand or fetch anything. Folders become categories ("News/World") and back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any, TypeVar
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from reader.errors import ReaderError
from reader.model import Feed
from reader.text import clean_text, has_unsafe_characters

MAX_FEEDS = 10_000
"""Outlines read from one file; a hostile file cannot make an import run forever."""
MAX_CATEGORY_VALUES = 50
"""Values read from one outline's `category` attribute (a hostile file could list millions)."""
MAX_NAME = 300


T = TypeVar("T")


class Capped(list[T]):
    """A list that also says how many items were left out at a cap (0: none).

    A list, so callers that only want the items need not change; the count is
    there for whoever tells the user ("10,000 more outlines were not read").
    """

    skipped: int

    def __init__(self, items: Iterable[T] = (), skipped: int = 0) -> None:
        super().__init__(items)
        self.skipped = skipped

    def skipped_note(self) -> str | None:
        """The sentence for the user when something was left out, else None."""
        if not self.skipped:
            return None
        outlines = "outline" if self.skipped == 1 else "outlines"
        return (
            f"{self.skipped:,} more feed {outlines} not read "
            f"(at most {MAX_FEEDS:,} feeds are read from one file)"
        )


@dataclass(slots=True)
class OutlineFeed:
    """A subscription found in an OPML file."""

    url: str
    """Absolute http(s) feed URL (the outline's xmlUrl)."""
    title: str | None
    categories: tuple[str, ...] = ()
    """Each place it is filed: the folders around it, outermost first, joined with "/"
    ("News/World"), for every folder it appears in, then OPML 2.0 `category` values."""

    @property
    def category(self) -> str | None:
        return self.categories[0] if self.categories else None


def parse_opml(data: bytes, where: str) -> Capped[OutlineFeed]:
    """The feeds of an OPML document, in document order, without duplicates.

    At most `MAX_FEEDS` are read; `.skipped` counts the feed outlines past them.

    Outlines whose xmlUrl is not http(s) (newsboat's "|command" feeds, file
    paths) are skipped. Raises `ReaderError("not valid OPML: <reason> at line N",
    where)` for anything that is not well-formed OPML.
    """
    from lxml import etree

    if not data or not data.strip():
        raise ReaderError("not valid OPML: the file is empty", where)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReaderError(f"not valid OPML: {_syntax_reason(exc)}", where) from None
    except (ValueError, etree.LxmlError) as exc:
        raise ReaderError(f"not valid OPML: {clean_text(str(exc))[:200]}", where) from None
    if root is None:
        raise ReaderError("not valid OPML: no root element", where)
    if _local_name(root) != "opml":
        name = clean_text(_local_name(root))[:50]
        raise ReaderError(
            f"not valid OPML: the root element is <{name}>, not <opml>, at line {root.sourceline}",
            where,
        )
    body = next((child for child in root if _local_name(child) == "body"), None)
    if body is None:
        raise ReaderError(f"not valid OPML: no <body> element at line {root.sourceline}", where)
    return _collect(body)


def _collect(body: Any) -> Capped[OutlineFeed]:
    """Walk the outline tree in document order, iteratively (deep nesting is no problem)."""
    feeds: Capped[OutlineFeed] = Capped()
    seen: set[str] = set()
    kept: dict[str, OutlineFeed] = {}
    stack: list[tuple[Iterator[Any], tuple[str, ...]]] = [(iter(body), ())]
    while stack:
        children, folders = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        if _local_name(child) != "outline":
            continue
        attrs = {str(key).lower(): str(value) for key, value in child.attrib.items()}
        name = _name(attrs.get("text")) or _name(attrs.get("title"))
        url = _feed_url(attrs.get("xmlurl"))
        if url is not None and url not in seen and len(feeds) >= MAX_FEEDS:
            seen.add(url)
            feeds.skipped += 1  # counted, not kept: a hostile file cannot make the import endless
        elif url is not None and url not in seen:
            seen.add(url)
            kept[url] = OutlineFeed(
                url, _name(attrs.get("title")) or name, _categories(folders, attrs)
            )
            feeds.append(kept[url])
        elif url is not None and url in kept:  # the same feed in another folder: one more category
            also = _categories(folders, attrs)
            kept[url].categories = tuple(dict.fromkeys((*kept[url].categories, *also)))
        if len(child):
            stack.append((iter(child), (*folders, name) if name and url is None else folders))
    return feeds


def _categories(folders: tuple[str, ...], attrs: dict[str, str]) -> tuple[str, ...]:
    """The folder path (when inside one), then each OPML 2.0 `category="/News/World,tag"`."""
    found = ["/".join(folders)] if folders else []
    for value in attrs.get("category", "").split(",")[:MAX_CATEGORY_VALUES]:
        parts = [_name(part) for part in value.split("/")]
        if path := "/".join(part for part in parts if part):
            found.append(path)
    return tuple(dict.fromkeys(found))


def _name(value: str | None) -> str | None:
    cleaned = clean_text(value)[:MAX_NAME] if value else ""
    return cleaned or None


def _feed_url(value: str | None) -> str | None:
    if not value:
        return None
    url = value.strip()
    if url.lower().startswith("feed:"):
        url = (
            url[5:].removeprefix("//")
            if url[5:].lower().startswith(("http", "//http"))
            else "http:" + url[5:]
        )
    scheme, separator, rest = url.partition("://")
    if (
        scheme.lower() not in ("http", "https")
        or not separator
        or not rest
        or len(url) > 4096
        or any(c in url for c in " \n\t")
        or has_unsafe_characters(url)
        or not _has_host_and_port(url)
    ):
        return None
    return f"{scheme.lower()}://{rest}"


def _has_host_and_port(url: str) -> bool:
    """A host, and a port (if any) from 1 to 65535: `http://host:99999/` is refused here."""
    try:
        parts = urlsplit(url)
        return bool(parts.hostname) and parts.port != 0
    except ValueError:
        return False


def _local_name(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1].lower()


_FRIENDLIER = (
    (re.compile(r"^xmlParseEntityRef: no name"), "a bare '&' (it must be written &amp;)"),
    (re.compile(r"^Excessive depth in document.*"), "outlines nested more than 256 deep"),
    (re.compile(r"^Maximum entity amplification.*"), "entity expansion refused (billion laughs)"),
    (
        re.compile(r"^Input is not proper UTF-8.*|^Invalid bytes in character encoding"),
        "bytes that are not valid in the declared encoding",
    ),
)


def _syntax_reason(exc: Any) -> str:
    """lxml's syntax error (its first one, the real cause) as "reason at line N"."""
    message = re.sub(r",? line \d+,? column \d+$", "", clean_text(str(exc.msg or "")))[:200]
    for pattern, friendlier in _FRIENDLIER:
        message = pattern.sub(friendlier, message)
    line = exc.lineno
    return f"{message or 'malformed XML'} at line {line}" if line else message or "malformed XML"


# --------------------------------------------------------------------------- export

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def write_opml(feeds: Iterable[Feed]) -> str:
    """OPML 2.0 for the subscriptions, with categories as nested folders.

    `parse_opml(write_opml(feeds))` gives back every URL, title and category: a feed
    sits in the folder of its first category, and carries all of them in OPML 2.0's
    `category` attribute when it has more than one.
    """
    tree: _Folder = _Folder()
    for feed in feeds:
        folder = tree
        for part in (feed.category or "").split("/"):
            part = part.strip()
            if part:
                folder = folder.subfolders.setdefault(part, _Folder())
        folder.feeds.append(feed)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        "    <title>reader subscriptions</title>",
        f"    <dateCreated>{escape(formatdate(usegmt=True))}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    _write_folder(tree, lines, depth=2)
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


@dataclass(slots=True)
class _Folder:
    feeds: list[Feed]
    subfolders: dict[str, _Folder]

    def __init__(self) -> None:
        self.feeds = []
        self.subfolders = {}


def _write_folder(folder: _Folder, lines: list[str], depth: int) -> None:
    indent = "  " * depth
    for feed in folder.feeds:
        title = _attr(clean_text(feed.title) or feed.url)
        site = f" htmlUrl={_attr(feed.site_url)}" if feed.site_url else ""
        more = feed.categories[1:]
        listed = ",".join("/" + " ".join(name.replace(",", " ").split()) for name in more)
        tags = f" category={_attr(listed)}" if more else ""
        lines.append(
            f'{indent}<outline type="rss" text={title} title={title} '
            f"xmlUrl={_attr(feed.url)}{site}{tags}/>"
        )
    for name, sub in folder.subfolders.items():
        lines.append(f"{indent}<outline text={_attr(name)} title={_attr(name)}>")
        _write_folder(sub, lines, depth + 1)
        lines.append(f"{indent}</outline>")


def _attr(value: str | None) -> str:
    """A quoted XML attribute, with characters XML 1.0 cannot carry removed."""
    return quoteattr(_NOT_XML.sub("", value or ""), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
