"""Web addresses from untrusted places (the user, a feed, a server's Location header).

Why a module of its own: the same checks are needed where an address enters
(`reader add`, `reader save`, a redirect) and where it is stored, and `reader.store`
must not import the network code. Nothing here does I/O or imports anything heavy.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from reader.errors import ReaderError

_UNSAFE_IN_URL = re.compile(
    "[\x00-\x20\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
"""C0 and C1 controls, space, DEL and the invisible or bidi marks: never kept raw in an
address (a U+009B in a Location header is an 8-bit CSI once printed)."""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")
"""A scheme typed without "//" ("javascript:alert(1)", "mailto:x"); "host:8080" is not one."""


class BadAddress(ReaderError):
    """An address that is not an http(s) URL the reader can fetch."""


def escape_unsafe(url: str) -> str:
    """`url` with controls, spaces and bidi marks percent-encoded (UTF-8), all else kept."""
    if not _UNSAFE_IN_URL.search(url):
        return url
    return _UNSAFE_IN_URL.sub(
        lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode("utf-8")), url
    )


def check_web_url(url: str) -> str:
    """`url` if it is an http(s) address with a host and a valid port, else `BadAddress`.

    `urlsplit(...).port` raises ValueError for "host:abc" and "host:99999", and the
    socket layer raises OverflowError for the latter: both become a sentence here.
    """
    shown = escape_unsafe(url)
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as error:
        if "port" in str(error).lower():
            raise BadAddress("not a valid port in the address (0 to 65535)", shown) from None
        raise BadAddress("not a valid web address", shown) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadAddress("not a web address (http:// or https://)", shown)
    if not host:
        raise BadAddress("not a web address (no host name)", shown)
    if port == 0:
        raise BadAddress("not a valid port in the address (0 to 65535)", shown)
    return url


def normalise_user_url(url: str) -> str:
    """What a person typed, as a checked address; a bare host gets https://.

    "javascript:alert(1)" is refused as a non-web address rather than read as the
    host "javascript" with the port "alert(1)".
    """
    url = url.strip()
    if not url:
        raise BadAddress("empty address")
    if "://" not in url:
        if _SCHEME.match(url):
            raise BadAddress("not a web address (http:// or https://)", escape_unsafe(url))
        url = "https://" + url
    return check_web_url(url)
