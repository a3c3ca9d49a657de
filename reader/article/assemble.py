"""`Document` -> `Article`: printed paragraphs plus the semantic passes.

Sections map one to one (so a quote's `section` index found on the Document is
valid on the Article); only paragraphs, list items and block quotes are
printed, while pull quotes and embeds stay for the passes to read.
"""

from __future__ import annotations

from reader.article.document import Document, printed_blocks
from reader.article.quotes import find_quotes
from reader.article.related import find_related
from reader.article.takeaways import pick_takeaways
from reader.model import Article, Section


def assemble(document: Document, *, semantic: bool = True) -> Article:
    """Build the Article; `semantic=False` skips takeaways/quotes/related (for benchmarks)."""
    sections = [
        Section(section.heading, section.level, [block.text for block in printed_blocks(section)])
        for section in document.sections
    ]
    return Article(
        title=document.title,
        byline=document.byline,
        published=document.published,
        url=document.url,
        site=document.site,
        description=document.description,
        lang=document.lang,
        sections=sections,
        takeaways=pick_takeaways(document) if semantic else [],
        quotes=find_quotes(document) if semantic else [],
        related=find_related(document) if semantic else [],
        captions=list(document.captions),
    )
