"""Feed discovery: the feeds a web page advertises, so `reader add` takes a site's address.

Why regular expressions rather than an HTML parser: only `<link>` and `<base>`
tags matter, pages can be megabytes of broken markup, and a linear scan of
the first 5 MB is fast and cannot be led astray by the rest.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from reader.feeds.clean import absolute_http_url


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
        absolute = absolute_http_url(href, base)
        if absolute is None or absolute in seen:
            continue
        seen.add(absolute)
        title = attrs.get("title", "").lower()
        is_comments = "comment" in title or "/comments/" in absolute
        found.append((is_comments, position, absolute))
    return [link for _, _, link in sorted(found)]


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
