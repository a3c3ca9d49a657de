"""Related coverage an article points to (stub until the semantic passes land)."""

from __future__ import annotations

from reader.article.document import Document
from reader.model import Link


def find_related(document: Document) -> list[Link]:
    """Return the article's related-coverage links; the stub returns none."""
    return []
