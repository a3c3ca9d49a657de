"""`reader article SOURCE... [--json] [--url URL]`: clean pages into structured articles.

A SOURCE is an http(s) URL, an .html/.htm file or a .txt file. Each one is read
(or fetched through `reader.net`), cleaned by `reader.article.clean()` and
printed: a Rich rendering for people, or one JSON object per line for scripts.
A source that fails prints `{"source": ..., "error": ...}` in its place and a
one-line message on stderr; the others still come out, and the status is 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from reader.commands._input import check_web_address
from reader.commands._output import emit_json, report
from reader.errors import ReaderError, UsageError
from reader.text import for_terminal

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from rich.console import Console
    from rich.text import Text

    from reader.model import Article

MAX_FILE_BYTES = 20 * 2**20
"""Largest local file read (a saved page with inline images can be large)."""
_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_TEXT_SUFFIXES = {".txt", ".text", ".md"}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document, not a web page or text"),
    (b"\x89PNG", "an image, not a web page or text"),
    (b"\xff\xd8\xff", "an image, not a web page or text"),
    (b"GIF8", "an image, not a web page or text"),
    (b"RIFF", "an image or media file, not a web page or text"),
    (b"PK\x03\x04", "an archive, not a web page or text"),
    (b"\x1f\x8b", "a compressed file, not a web page or text"),
)


@dataclass(slots=True)
class Loaded:
    """A source's bytes and how to read them."""

    body: bytes
    url: str | None
    content_type: str | None
    plain_text: bool


PARALLEL_FROM = 8
"""A batch of this many sources is cleaned in worker processes, one per core."""


def run(args: argparse.Namespace) -> int:
    """Clean every SOURCE in order; 1 if any failed, 0 otherwise."""
    base_url: str | None = args.url
    if base_url and urlsplit(base_url).scheme not in ("http", "https"):
        raise UsageError(
            f"--url must be an http(s) address, not {base_url!r} (see 'reader article --help')"
        )
    debug = bool(getattr(args, "debug", False))
    fetched = _fetch_all([s for s in args.sources if _is_url(s)])
    jobs = [
        (source, _as_job_input(fetched.get(source)), base_url, debug) for source in args.sources
    ]
    from rich.text import Text

    console = None if args.json else _console()
    failed = False
    with _workers(len(jobs), debug) as pool:
        results = pool.map(_process, jobs, chunksize=4) if pool else map(_process, jobs)
        for index, (source, (article, reason)) in enumerate(
            zip(args.sources, results, strict=True)
        ):
            if article is None:
                failed = True
                report(f"{source}: {reason}")
                if args.json:
                    _print_json({"source": source, "error": reason})
                continue
            if args.json:
                _print_json(article.to_json())
                continue
            assert console is not None
            if index:
                console.rule(style="dim")
            render(article, console)
            if not base_url and not _is_url(source) and _has_relative_links(source):
                console.print()
                _emit(console, Text(RELATIVE_HINT, style="dim"))
    return 1 if failed else 0


def _workers(count: int, debug: bool) -> contextlib.AbstractContextManager[Executor | None]:
    """A process pool for a large batch on a machine with several cores, else nothing.

    Cleaning is CPU-bound (lxml and readability hold the GIL), so a batch of pages
    scales with processes, not threads; a handful of sources is not worth the start-up.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if debug or count < PARALLEL_FROM or not cores or cores < 2:
        return contextlib.nullcontext()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    return ProcessPoolExecutor(max_workers=min(cores, count), mp_context=context)


def _as_job_input(fetched: Loaded | ReaderError | None) -> Loaded | str | None:
    """A fetch failure travels to a worker as its reason (exceptions pickle poorly)."""
    return fetched.message if isinstance(fetched, ReaderError) else fetched


def _process(
    job: tuple[str, Loaded | str | None, str | None, bool],
) -> tuple[Article | None, str | None]:
    """Read (unless fetched) and clean one source: (article, None) or (None, reason)."""
    source, fetched, base_url, debug = job
    if isinstance(fetched, str):
        return None, fetched
    try:
        loaded = fetched or _read_file(source, base_url)
        return _clean_or_fail(loaded, source, debug=debug), None
    except ReaderError as error:
        return None, error.message


def _print_json(value: dict[str, object]) -> None:
    """One JSON line, flushed at once so a pipe sees each source as it is done."""
    emit_json(value)
    sys.stdout.flush()


RELATIVE_HINT = (
    "Note: this file links to pages by relative address; those links are left out. "
    "Give the page's web address with --url to keep them."
)
_RELATIVE_HREF = re.compile(
    rb"""<a\s[^>]*?href\s*=\s*["']?(?![a-z][a-z0-9+.-]*:|\#|//|["'\s>])""", re.IGNORECASE
)


def _has_relative_links(source: str) -> bool:
    """True when a local HTML file links to pages by relative address (./other.html)."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(MAX_FILE_BYTES)
    except OSError:
        return False
    return _RELATIVE_HREF.search(head) is not None


def _is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


def _clean(loaded: Loaded) -> Article:
    from reader.article import clean

    return clean(
        loaded.body, url=loaded.url, content_type=loaded.content_type, plain_text=loaded.plain_text
    )


def _clean_or_fail(loaded: Loaded, source: str, *, debug: bool) -> Article:
    """Clean one source; an engine bug fails that source only, not the whole batch."""
    try:
        return _clean(loaded)
    except Exception as error:
        if debug:
            raise
        raise ReaderError(
            f"internal error while cleaning: {type(error).__name__}: {error}", source
        ) from None


def _sniff(head: bytes) -> str | None:
    """Why `head` is not a page or text (PDF, image, archive), or None when it may be one."""
    for magic, reason in _MAGIC:
        if head.startswith(magic):
            return reason
    if b"\x00" in head[:1024] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "a binary file, not a web page or text"
    return None


_FEED_MIMES = {
    "application/rss+xml": "an RSS feed",
    "application/atom+xml": "an Atom feed",
    "application/rdf+xml": "an RSS feed",
    "application/feed+json": "a JSON feed",
}
_FEED_ROOTS = {b"rss": "an RSS feed", b"feed": "an Atom feed", b"rdf:rdf": "an RSS feed"}
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(rb"\s*<([A-Za-z][\w:.-]*)")


def _not_an_article(body: bytes, mime: str | None) -> str | None:
    """Why `body` is a feed or a JSON document rather than a page, or None.

    Only the first element or the first bytes are looked at (no parse), so a
    feed of any size, or JSON nested 100,000 deep, gets its sentence at once.
    """
    kind = _FEED_MIMES.get(mime or "") or _feed_root(body[:8192])
    if kind is None and body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        kind = "a JSON feed" if b"jsonfeed.org/version" in body[:4096] else None
        if kind is None:
            return "a JSON document, not a web page or text"
    if kind is None and mime == "application/json":
        return "a JSON document, not a web page or text"
    if kind is None:
        return None
    return (
        f"{kind}, not an article page: to follow it, subscribe with 'reader add' and its "
        "web address"
    )


def _feed_root(head: bytes) -> str | None:
    """The feed kind when the document's first element is <rss>, <feed> or <rdf:RDF>."""
    head = head.lstrip(b"\xef\xbb\xbf")
    position = 0
    while match := _PROLOG.match(head, position):
        if match.end() == position:
            break
        position = match.end()
    root = _ROOT.match(head, position)
    return _FEED_ROOTS.get(root.group(1).lower()) if root else None


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(
        (
            b"<!doctype",
            b"<html",
            b"<?xml",
            b"<head",
            b"<body",
            b"<meta",
            b"<!--",
            b"<div",
            b"<article",
            b"<p>",
            b"<title",
        )
    )


def _read_file(source: str, base_url: str | None) -> Loaded:
    """Read a local file; every failure is a ReaderError naming the reason."""
    path = Path(source)
    too_large = ReaderError(f"file larger than {MAX_FILE_BYTES // 2**20} MB", source)
    try:
        if path.is_dir():
            raise ReaderError("is a folder, not a file", source)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise too_large
        # Read with a cap: devices and pipes (/dev/zero, a FIFO) report no size.
        with path.open("rb") as handle:
            body = handle.read(MAX_FILE_BYTES + 1)
        if len(body) > MAX_FILE_BYTES:
            raise too_large
    except FileNotFoundError:
        raise ReaderError("no such file", source) from None
    except PermissionError:
        raise ReaderError("permission denied", source) from None
    except IsADirectoryError:
        raise ReaderError("is a folder, not a file", source) from None
    except OSError as error:
        raise ReaderError(f"cannot read the file ({error.strerror or error})", source) from None
    if not body.strip():
        raise ReaderError("the file is empty", source)
    if reason := _sniff(body[:4096]) or _not_an_article(body, None):
        raise ReaderError(reason, source)
    suffix = path.suffix.lower()
    if suffix in _HTML_SUFFIXES or suffix in _TEXT_SUFFIXES:
        plain = suffix in _TEXT_SUFFIXES
    else:
        plain = not _looks_like_html(body)
    return Loaded(body, base_url, None, plain)


def _fetch_timeout() -> float:
    """Seconds of network silence allowed; READER_FETCH_TIMEOUT overrides the default."""
    from reader.library import default_fetch_timeout

    try:
        value = float(os.environ.get("READER_FETCH_TIMEOUT", ""))
    except ValueError:
        return default_fetch_timeout()
    return value if value > 0 else default_fetch_timeout()


def _fetch_all(urls: list[str]) -> dict[str, Loaded | ReaderError]:
    """Fetch every URL at once (through the library's fetcher); each gets its body or its error."""
    if not urls:
        return {}
    from reader.library import fetch_pages

    results: dict[str, Loaded | ReaderError] = {}
    reachable = []
    for url in dict.fromkeys(urls):
        try:
            check_web_address(url)
            reachable.append(url)
        except ReaderError as error:
            results[url] = ReaderError(error.message, url)
    for url, page in fetch_pages(reachable, _fetch_timeout()).items():
        results[url] = (
            page
            if isinstance(page, ReaderError)
            else _loaded_from_response(url, page.url, page.body, page.content_type)
        )
    return results


def _loaded_from_response(
    source: str, final_url: str, body: bytes, content_type: str | None
) -> Loaded | ReaderError:
    """Check what came back is a page or text, not a PDF, image or nothing at all."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime == "application/pdf":
        return ReaderError("a PDF document, not a web page", source)
    if mime.startswith(("image/", "video/", "audio/")):
        return ReaderError(f"{mime.split('/')[0]} content ({mime}), not a web page", source)
    if not body.strip():
        return ReaderError("the server sent an empty page", source)
    if reason := _sniff(body[:4096]) or _not_an_article(body, mime):
        return ReaderError(reason, source)
    plain = mime == "text/plain" and not _looks_like_html(body)
    return Loaded(body, final_url, content_type, plain)


# --- rendering ------------------------------------------------------------------------------


def _console() -> Console:
    """Rich on stdout: wraps to the terminal's width on a tty, never wraps when piped."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def render(article: Article, console: Console) -> None:
    """A readable terminal rendering; page text is always `Text`, never markup.

    Every string passes `for_terminal`. Lines are wrapped here (not by Rich's
    padding, which fills lines with spaces): on a terminal to its width with a
    hanging indent for list items; piped, each paragraph or item stays one line.
    No line ends in spaces either way.
    """
    _render_head(article, console)
    if article.takeaways:
        _heading(console, "Key takeaways")
        for takeaway in article.takeaways:
            _emit(console, _text(takeaway), "  • ")
    _render_sections(article, console)
    if article.quotes:
        _heading(console, "Quotes")
        for quote in article.quotes:
            line = _text("“") + _text(quote.text) + _text("”")
            if quote.speaker:
                line += _text(" — ") + _text(quote.speaker, "italic")
                if quote.speaker_role:
                    line += _text(f", {quote.speaker_role}")
            _emit(console, line, "  ")
    if article.related:
        _heading(console, "Related coverage")
        for link in article.related:
            line = _text(link.title)
            if link.url:
                line += _text(f"  {link.url}", "dim")
            _emit(console, line, "  • ")
    if article.captions:
        _heading(console, "Captions")
        for caption in article.captions:
            _emit(console, _text(caption, "dim"), "  ")


def _text(value: str | None, style: str = "") -> Text:
    """Page text as a Rich `Text` (never markup), through the terminal sanitiser."""
    from rich.text import Text

    return Text(for_terminal(value or ""), style=style)


def _heading(console: Console, title: str) -> None:
    console.print()
    _emit(console, _text(title, "bold underline"))


def _render_head(article: Article, console: Console) -> None:
    """Title, then byline · date · site · address."""
    _emit(console, _text(article.title or "(untitled)", "bold"))
    facts = [
        part
        for part in (
            article.byline,
            (article.published or "")[:10] or None,
            article.site,
            article.url,
        )
        if part
    ]
    if facts:
        _emit(console, _text(" · ".join(facts), "dim"))


def _render_sections(article: Article, console: Console) -> None:
    for section in article.sections:
        if section.heading:
            console.print()
            style = "bold" if section.level <= 2 else "bold italic"
            _emit(console, _text(section.heading, style))
        for paragraph in section.paragraphs:
            console.print()
            _emit(console, _text(paragraph))


def _emit(console: Console, line: Text, prefix: str = "") -> None:
    """Print `prefix + line`, wrapped with a hanging indent on a terminal, whole when piped."""
    from rich.text import Text

    if not console.is_terminal:
        console.print(Text(prefix) + line, soft_wrap=True)
        return
    indent = " " * len(prefix)
    width = max(console.width - len(prefix), 20)
    for number, part in enumerate(line.wrap(console, width)):
        part.rstrip()
        console.print(Text(prefix if number == 0 else indent) + part, soft_wrap=True)
