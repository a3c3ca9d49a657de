"""Key takeaways of an article (stub until the semantic passes land)."""

from __future__ import annotations

from reader.article.document import Document


def pick_takeaways(document: Document) -> list[str]:
    """Return the article's key takeaways; the stub returns none."""
    return []
