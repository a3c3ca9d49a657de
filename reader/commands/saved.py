"""`reader save|unsave|saved|show`: articles kept for offline reading.

`show` works with no network: it prints the stored article as Markdown, as a
small standalone HTML document, or as the engine's JSON.

IDs: an article (saved or cached page) has its own id, shown by `reader saved`;
an entry (feed item) has another, shown by `reader entries`. Every message names
the kind ("entry 6", "article 1"), and `show`/`unsave` accept either:
`reader show 1` is article 1, `reader show entry 6` is the article of entry 6.
"""

from __future__ import annotations

import argparse
import asyncio
import html
from datetime import datetime

from reader.commands._library import as_id, check_web_address, open_library
from reader.commands._output import emit_json, emit_json_lines, plural, print_table, say
from reader.errors import ReaderError, UsageError
from reader.library import Library
from reader.model import Article, SavedArticle


def _save_target(kind: str | None, text: str) -> int | str:
    """An entry id (`6`, `entry 6`) or a checked web address."""
    number = as_id(text)
    if number is None and kind == "entry":
        raise UsageError(f"'entry' takes an entry id, not {text!r} (see 'reader save --help')")
    return number if number is not None else check_web_address(text)


def save(args: argparse.Namespace) -> int:
    """Fetch (or reuse the cached copy of) an article and keep it."""
    target = _save_target(args.kind, args.target)
    with open_library(args) as library:
        stored = asyncio.run(library.save(target))
    origin = f"entry {stored.entry_id} " if stored.entry_id is not None else ""
    say(f"saved {origin}as article {stored.id}: {stored.title} <{stored.url}>")
    return 0


def _article_of(library: Library, kind: str | None, number: int) -> SavedArticle:
    """Article `number`, or with kind "entry" the saved or cached article of entry `number`."""
    if kind != "entry":
        return library.article(number)
    entry = library.entry(number)
    found = library.cached_article(entry.url) if entry.url else None
    if found is None:
        raise ReaderError(
            f"entry {number} has no saved or cached article (save it with 'reader save {number}')"
        )
    return found


def unsave(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        if args.kind == "entry":
            stored = _article_of(library, args.kind, args.id)
            if stored.saved_at is None:
                raise ReaderError(f"entry {args.id}'s article {stored.id} is cached, not saved")
            library.unsave(stored.id)
        else:
            library.unsave(args.id)  # "no saved article with id N" when it is not saved
            stored = library.article(args.id)
    say(f"article {stored.id} is no longer saved: {stored.title}")
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
    if args.json:
        emit_json_lines([_saved_json(item) for item in items])
        return 0
    if not items:
        say("no saved articles (keep one with 'reader save ENTRY_ID' or 'reader save URL')")
        return 0
    rows = [
        (
            str(item.id),
            (item.saved_at or "")[:10],
            "" if item.entry_id is None else str(item.entry_id),
            f"{item.title or '(untitled)'}  <{item.url}>",
        )
        for item in items
    ]
    print_table(
        ("ARTICLE", "SAVED", "ENTRY", "TITLE  <URL>"),
        rows,
        ("right", "left", "right", "left"),
        legend=f"{plural(len(rows), 'saved article')}; read one with 'reader show ARTICLE'",
    )
    return 0


def show(args: argparse.Namespace) -> int:
    """Print a saved or cached article, offline."""
    with open_library(args) as library:
        stored = _article_of(library, args.kind, args.id)
    article = stored.article or Article(title=stored.title, url=stored.url, site=stored.site)
    if args.format == "json":
        emit_json(article.to_json())
    elif args.format == "html":
        say(to_html(article))
    else:
        say(to_markdown(article))
    return 0


def human_date(text: str | None) -> str | None:
    """`2026-03-04T09:30:00+00:00` -> `4 March 2026, 09:30 UTC`; unparsable text as it is."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return text
    day = f"{moment.day} {moment:%B %Y}"
    if len(text.strip()) <= 10:
        return day
    offset = moment.utcoffset()
    zone = "" if offset is None else (" UTC" if not offset else f" {moment:%z}")
    return f"{day}, {moment:%H:%M}{zone}"


def _standfirst(article: Article) -> str | None:
    """The description, unless the article's first paragraph already says it."""
    if not article.description:
        return None
    first = next((p for s in article.sections for p in s.paragraphs), "")
    squeeze = " ".join(article.description.split()).casefold().rstrip(".…")
    if squeeze and " ".join(first.split()).casefold().startswith(squeeze):
        return None
    return article.description


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
    meta = [part for part in (article.byline, article.site, human_date(article.published)) if part]
    if meta:
        out += ["*" + _md_escape(" · ".join(meta)) + "*", ""]
    if article.url:
        out += [f"<{_md_url(article.url)}>", ""]
    if standfirst := _standfirst(article):
        out += [f"> {_md_escape(standfirst)}", ""]
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
            who = quote.speaker or "unattributed"
            if quote.speaker and quote.speaker_role:
                who += f", {quote.speaker_role}"
            out.append(f"> — {_md_escape(who)}")
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
            who = quote.speaker or ""
            if who and quote.speaker_role:
                who += f", {quote.speaker_role}"
            speaker = f"<cite>{e(who)}</cite>" if who else ""
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
