"""`reader save|unsave|saved|show`: articles kept for offline reading.

`show` works with no network: it prints the stored article as Markdown, as a
small standalone HTML document, or as the engine's JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import html

from reader.commands._library import emit_json, open_library, write_line
from reader.model import Article, SavedArticle


def save(args: argparse.Namespace) -> int:
    """Fetch (or reuse the cached copy of) an article and keep it."""
    target = args.target.strip()
    with open_library(args) as library:
        stored = asyncio.run(library.save(int(target) if target.isdigit() else target))
    write_line(f"saved article {stored.id}: {stored.title} <{stored.url}>")
    return 0


def unsave(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        library.unsave(args.id)
    return 0


def _saved_json(item: SavedArticle) -> dict[str, object]:
    return {
        "id": item.id,
        "title": item.title,
        "url": item.url,
        "saved_at": item.saved_at,
        "site": item.site,
        "fetched_at": item.fetched_at,
        "entry_id": item.entry_id,
    }


def list_saved(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        items = library.saved()
    for item in items:
        if args.json:
            emit_json(_saved_json(item))
        else:
            write_line(f"{item.id:>6}  {(item.saved_at or '')[:10]}  {item.title}  <{item.url}>")
    return 0


def show(args: argparse.Namespace) -> int:
    """Print a saved or cached article, offline."""
    with open_library(args) as library:
        stored = library.article(args.id)
    article = stored.article or Article(title=stored.title, url=stored.url, site=stored.site)
    if args.format == "json":
        emit_json(article.to_json())
    elif args.format == "html":
        write_line(to_html(article))
    else:
        write_line(to_markdown(article))
    return 0


def _md_escape(text: str) -> str:
    """Keep page text from turning into Markdown structure (headings, links, emphasis)."""
    for char in "\\`*_[]<>#":
        text = text.replace(char, "\\" + char)
    return text


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace(")", "%29").replace("(", "%28")


def to_markdown(article: Article) -> str:
    """Clean Markdown: title, byline, takeaways, sections, quotes with speakers, related links."""
    out: list[str] = [f"# {_md_escape(article.title or '(untitled)')}", ""]
    meta = [part for part in (article.byline, article.site, article.published) if part]
    if meta:
        out += ["*" + _md_escape(" · ".join(meta)) + "*", ""]
    if article.url:
        out += [f"<{_md_url(article.url)}>", ""]
    if article.description:
        out += [f"> {_md_escape(article.description)}", ""]
    if article.takeaways:
        out += ["## Key takeaways", ""]
        out += [f"- {_md_escape(item)}" for item in article.takeaways]
        out.append("")
    for section in article.sections:
        if section.heading:
            level = min(max(section.level, 2), 6)
            out += [f"{'#' * level} {_md_escape(section.heading)}", ""]
        for paragraph in section.paragraphs:
            out += [_md_escape(paragraph), ""]
    if article.quotes:
        out += ["## Quotes", ""]
        for quote in article.quotes:
            out.append(f"> “{_md_escape(quote.text)}”")
            out.append(f"> — {_md_escape(quote.speaker or 'unattributed')}")
            out.append("")
    if article.related:
        out += ["## Related", ""]
        for link in article.related:
            title = _md_escape(link.title or link.url or "")
            out.append(f"- [{title}]({_md_url(link.url)})" if link.url else f"- {title}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def to_html(article: Article) -> str:
    """A small standalone, escaped HTML document of the cleaned article."""
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html><head><meta charset="utf-8">',
        f"<title>{e(article.title)}</title></head><body><article>",
        f"<h1>{e(article.title)}</h1>",
    ]
    meta = [part for part in (article.byline, article.site, article.published) if part]
    if meta:
        parts.append(f'<p class="meta">{e(" · ".join(meta))}</p>')
    if article.url:
        parts.append(f'<p><a href="{e(article.url)}">{e(article.url)}</a></p>')
    if article.takeaways:
        parts.append('<section class="takeaways"><h2>Key takeaways</h2><ul>')
        parts += [f"<li>{e(item)}</li>" for item in article.takeaways]
        parts.append("</ul></section>")
    for section in article.sections:
        if section.heading:
            level = min(max(section.level, 2), 6)
            parts.append(f"<h{level}>{e(section.heading)}</h{level}>")
        parts += [f"<p>{e(paragraph)}</p>" for paragraph in section.paragraphs]
    if article.quotes:
        parts.append('<section class="quotes"><h2>Quotes</h2>')
        for quote in article.quotes:
            speaker = f"<cite>{e(quote.speaker)}</cite>" if quote.speaker else ""
            parts.append(f"<blockquote><p>{e(quote.text)}</p>{speaker}</blockquote>")
        parts.append("</section>")
    if article.related:
        parts.append('<section class="related"><h2>Related</h2><ul>')
        for link in article.related:
            label = e(link.title or link.url or "")
            parts.append(
                f'<li><a href="{e(link.url)}">{label}</a></li>' if link.url else f"<li>{label}</li>"
            )
        parts.append("</ul></section>")
    parts.append("</article></body></html>")
    return "\n".join(parts)
