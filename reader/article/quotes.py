"""Direct quotations and their speakers (stub until the semantic passes land)."""

from __future__ import annotations

from reader.article.document import Document
from reader.model import Quote


def find_quotes(document: Document) -> list[Quote]:
    """Return the article's quotes; the stub returns none."""
    return []
