"""Checking what a person typed before the library sees it: web addresses and IDs.

Light on imports (the `article` command and its worker processes use it too).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from reader.errors import ReaderError

_OTHER_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(?!\d+(?:[/?#]|$))")
"""`javascript:`, `mailto:`, `data:`... but not `example.com:8080/feed` (a host and port)."""


def check_web_address(text: str) -> str:
    """The http(s) address the user meant, or a ReaderError that says in a sentence why not.

    Checked before the library sees it, so `javascript:alert(1)` or a port of 99999
    ends in a sentence, not in an error from deep inside URL parsing.
    """
    url = text.strip()
    if not url:
        raise ReaderError("an empty address")
    if "://" not in url and _OTHER_SCHEME.match(url):
        raise ReaderError("not a web address (http:// or https://)", text)
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port that is not 0-65535)
    except ValueError:
        raise ReaderError("not a valid web address (a bad port or host)", text) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ReaderError("not a web address (http:// or https://)", text)
    return url


def as_id(text: str) -> int | None:
    """`text` as an ID when it is one (1 .. 2**63-1), None when it is not a number at all."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit():
        return None
    value = int(digits)
    if len(digits) > 19 or not 1 <= value <= 2**63 - 1:
        raise ReaderError(f"'{text}' is not an ID (IDs run from 1 to {2**63 - 1})")
    return value
