"""OPML import and export (stub: the real implementation follows)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reader.errors import ReaderError
from reader.model import Feed


@dataclass(slots=True)
class OutlineFeed:
    """A subscription found in an OPML file."""

    url: str
    title: str | None
    category: str | None


def parse_opml(data: bytes, where: str) -> list[OutlineFeed]:
    """Read the feeds of an OPML document."""
    raise ReaderError("not valid OPML: parser not implemented yet", where)


def write_opml(feeds: Iterable[Feed]) -> str:
    """OPML 2.0 text for the given subscriptions."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head/><body/></opml>\n'
