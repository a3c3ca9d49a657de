"""Is this body a feed, a web page or JSON? Sniffed from its first bytes.

Why sniff rather than trust the Content-Type: many servers send real feeds as
text/html, and some send HTML as application/rss+xml.
"""

from __future__ import annotations

import re

EMBEDDED_FEED = re.compile(rb"<(?:feed|rss|rdf:RDF)[\s>]")
"""A feed root in the first 64 KB: the "HTML" is a feed after all."""


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


def looks_like_json(body: bytes, content_type: str | None) -> bool:
    """JSON Feed by Content-Type or by a leading `{` (which no XML document has)."""
    start = body[:64].lstrip(b" \t\r\n\xef\xbb\xbf")
    if start.startswith(b"{"):
        return True
    declared_json = content_type is not None and "json" in content_type.lower()
    return declared_json and not start.startswith(b"<")
