"""The bounds every feed path applies, in one place so the fast path and feedparser agree.

Why: everything a feed says is untrusted. A hostile server can send thousands
of entries, a megabyte title or an entity bomb; these numbers are where the
reader stops reading, whatever path the document takes.
"""

from __future__ import annotations

MAX_DOCUMENT = 16 * 1024 * 1024
"""Largest feed document parsed (bytes, after gzip); a bigger one is refused."""
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
TITLE_FROM_SUMMARY = 100
"""Length of a title made from the start of the summary when the entry has none."""
MAX_GUNZIPPED = MAX_DOCUMENT
"""Cap on a gzip file served without Content-Encoding (a gzip bomb stops here)."""
CHARSET_GUESS_SAMPLE = 16_384
"""Bytes chardet may look at when a feed's declared encoding is wrong."""
MAX_ENTITY_VALUE = 32
"""Longest replacement text of an entity declaration that is accepted (no entity may
refer to another, so nothing nests)."""
MAX_ENTITY_EXPANSION = 100_000
"""Characters all uses of a document's entities may add; past that its DOCTYPE is dropped.

Real feeds declare an entity or two (`&nbsp;`) and use them a few times; a
million uses of a 32-character entity would cost feedparser ~200 MB.
"""
PARSE_CPU_SECONDS = 10.0
"""CPU time one feedparser parse may take before it is abandoned (`NotAFeed`).

A well-formed 10 MB feed of 2,000 items takes 1.4 s (1.8 s when malformed, through
the loose parser); a million entity references take the loose parser over 20 s.
"""
