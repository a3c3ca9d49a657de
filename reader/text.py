"""Making untrusted text safe to store and show.

Feed titles and page text can carry terminal escape sequences (set title, clear
screen, OSC 52 clipboard writes), NUL bytes and bidi overrides that flip what a
reader sees. Everything that comes from the network passes through `clean_text`
before it is stored; the UI additionally never treats it as markup.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST),
# DCS/SOS/PM/APC (ESC P/X/^/_ ... ST), their 8-bit C1 forms, and two-byte
# escapes. A sequence is removed whole, so no payload ("0;evil title") is left
# behind as text, but only when it is well formed: a bounded payload of
# printable characters and its terminator. A lone C1 character (a stray U+009D
# from a mis-decoded sign is common on older pages) goes alone, never the text
# after it; an unterminated 7-bit OSC loses its ESC and "]" only.
_PAYLOAD = r"[^\x00-\x1f\x7f-\x9f]{0,2048}"
_ESCAPE_SEQUENCE = re.compile(
    rf"""
    \x1b\[[0-?]{{0,32}}[ -/]{{0,4}}[@-~]           # CSI
    | \x1b\]{_PAYLOAD}(?:\x07|\x1b\\|\x9c)         # OSC, ended by BEL or ST
    | \x1b[PX^_]{_PAYLOAD}(?:\x1b\\|\x9c)          # DCS, SOS, PM, APC
    | \x9b[0-?]{{1,32}}[ -/]{{0,4}}[@-~]            # 8-bit CSI (with parameters)
    | \x9d{_PAYLOAD}(?:\x07|\x9c|\x1b\\)          # 8-bit OSC
    | [\x90\x98\x9e\x9f]{_PAYLOAD}(?:\x9c|\x1b\\)   # 8-bit DCS, SOS, PM, APC
    | \x1b[@-_]?                                 # any other escape, or a lone ESC
    | [\x80-\x9f]                                # a lone C1 control
    """,
    re.VERBOSE,
)
_INTRODUCERS = ("\x1b", "\x9b", "\x9d", "\x90", "\x98", "\x9e", "\x9f")
_ESCAPE_START = re.compile("[\x1b\x80-\x9f]")
"""Where any sequence would start: one character-class scan, far cheaper than the
alternation above, tells the common case (no escape at all) apart."""

# Bidi embeddings, overrides and isolates, plus other invisible format marks that
# only serve to disguise text. Zero-width joiners are kept: emoji need them.
_BIDI_AND_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
        "\u2028\u2029\ufeff\u00ad\u200b\u2060",
    ),
    None,
)

_WHITESPACE = re.compile(r"\s+")


def clean_text(text: str | None, *, keep_newlines: bool = False) -> str:
    """Strip escape sequences, control characters and bidi overrides from `text`.

    With `keep_newlines`, line breaks survive (for multi-paragraph summaries);
    otherwise all whitespace runs become one space and the ends are trimmed.
    """
    if not text:
        return ""
    if _ESCAPE_START.search(text):
        text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.translate(_BIDI_AND_INVISIBLE)
    text = (
        "".join(
            ch if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co") else " "
            for ch in text
        )
        if _needs_control_scan(text)
        else text
    )
    if keep_newlines:
        lines = [
            _WHITESPACE.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n")
        ]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return _WHITESPACE.sub(" ", text).strip()


def strip_unsafe(text: str) -> str:
    """`clean_text` for markup: drop escapes, controls and bidi overrides, keep the layout.

    For the raw HTML the reader keeps (a feed's content, a saved page): spaces, tabs
    and line breaks stay (a CR becomes a line break), so the markup reads the same.
    """
    if not text:
        return text
    if _ESCAPE_START.search(text):
        text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.translate(_BIDI_AND_INVISIBLE)
    if not _needs_control_scan(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    )


_CONTROL_OR_PRIVATE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")


def remove_escape_sequences(text: str) -> str:
    """Drop terminal escape sequences whole (payload included), leaving all other text.

    For raw documents (a page's HTML) that must keep their layout: `clean_text`
    would also collapse whitespace.
    """
    # Seven substring scans beat one character-class scan on long pages; a lone C1
    # control without a sequence is left to `clean_text`, which removes it too.
    if any(introducer in text for introducer in _INTRODUCERS):
        return _ESCAPE_SEQUENCE.sub("", text)
    return text


def _needs_control_scan(text: str) -> bool:
    """Fast path: most text has no C0/C1 controls or surrogates at all (one regex scan)."""
    return _CONTROL_OR_PRIVATE.search(text) is not None


def has_unsafe_characters(text: str) -> bool:
    """True when `text` holds an escape sequence, control character or bidi override."""
    return (
        _ESCAPE_SEQUENCE.search(text) is not None
        or any(ord(ch) in _BIDI_AND_INVISIBLE for ch in text)
        or any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text)
    )


def for_terminal(text: str) -> str:
    """Text the command line may write to a terminal: no escapes, controls or bidi tricks.

    The one sanitiser under every line the CLI prints (messages, tables, articles):
    `strip_unsafe` keeps spaces, tabs and line breaks, so layout survives, while a
    server's `ESC]52` clipboard write or an 8-bit CSI in a header never reaches the tty.
    """
    return strip_unsafe(text) if text else text


_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069"
    "\ufeff\ud800-\udfff]"
)


def json_for_terminal(line: str) -> str:
    """A JSON text (from `ensure_ascii=False`) with the characters a terminal acts on escaped.

    JSON already escapes C0 controls (ESC becomes \\u001b) but writes DEL, C1 controls,
    bidi overrides and lone surrogates raw. Escaping them as \\uXXXX keeps the data
    exactly as it was for a script while nothing reaches a terminal that could act on it.
    Those characters occur only inside strings, so the result is still valid JSON.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
