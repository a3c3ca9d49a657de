"""The article engine: any news page (HTML or plain text) into an `Article`.

`clean()` is pure: it takes text, returns data, does no I/O. It is the same code
under the CLI, the TUI, the library and the benchmarks.
"""

from __future__ import annotations

from reader.model import Article


def clean(
    source: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    plain_text: bool = False,
) -> Article:
    """Turn a page (or plain text with `plain_text=True`) into a structured article.

    `source` may be bytes (then decoded from `content_type`'s charset, a BOM, a
    meta charset, then a fallback) or already-decoded text. Never raises on bad
    input: an unreadable page gives an Article with an empty body.
    """
    from reader.article.assemble import assemble
    from reader.article.document import bounded
    from reader.article.page import parse_page
    from reader.article.plaintext import parse_text

    if plain_text:
        text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
        document = parse_text(text, url=url)
    else:
        document = parse_page(source, url=url, content_type=content_type)
    return assemble(bounded(document))
