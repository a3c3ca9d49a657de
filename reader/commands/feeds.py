"""`reader add|remove|feeds|import|export|refresh`: managing and fetching subscriptions."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from reader.commands._library import (
    as_id,
    check_web_address,
    interactive,
    open_library,
    print_failures,
    progress_bar,
    summary_json,
    summary_text,
    write_line,
)
from reader.commands._output import emit_json, emit_json_lines, note, plural, print_table
from reader.errors import ReaderError
from reader.library import Library, RefreshSummary
from reader.model import Feed


def add(args: argparse.Namespace) -> int:
    """Subscribe to a feed, or to the feed a page links to."""
    refuse_local_file(args.url)
    check_web_address(args.url)
    with open_library(args) as library:
        feed = asyncio.run(library.add_feed(args.url, categories=tuple(args.category or ())))
        write_line(
            f"added feed {feed.id}: {feed.title} <{feed.url}> "
            f"({plural(feed.total, 'entry', 'entries')})"
        )
    return 0


def refuse_local_file(target: str) -> None:
    """A path (or file: URL) is not something to subscribe to: say so, not "https:///path".

    Subscriptions are refreshed from the web; a local feed.xml would never change.
    `reader article` is the command that reads local files.
    """
    text = target.strip()
    looks_local = text.lower().startswith("file:") or (
        "://" not in text
        and (text.startswith(("/", "./", "../", "~")) or Path(text).expanduser().exists())
    )
    if looks_local:
        raise ReaderError(
            "a local file, not a feed address: subscribe with the feed's http(s) address "
            "(to read a saved page, use 'reader article FILE')",
            target,
        )


def remove(args: argparse.Namespace) -> int:
    """Unsubscribe by id or URL (its entries go; saved articles stay)."""
    with open_library(args) as library:
        number = as_id(args.feed)
        feed = library.remove_feed(args.feed if number is None else number)
        write_line(f"removed feed {feed.id}: {feed.title} <{feed.url}>")
    return 0


def _feed_json(feed: Feed) -> dict[str, object]:
    return {
        "id": feed.id,
        "title": feed.title,
        "url": feed.url,
        "unread": feed.unread,
        "total": feed.total,
        "last_error": feed.last_error,
        "error_count": feed.error_count,
        "last_success": feed.last_success,
        "category": feed.category,
        "categories": list(feed.categories),
        "site_url": feed.site_url,
        "full_article": feed.full_article,
    }


def list_feeds(args: argparse.Namespace) -> int:
    """Every subscription with its unread count and last error."""
    with open_library(args) as library:
        feeds = library.feeds()
    if args.json:
        emit_json_lines([_feed_json(feed) for feed in feeds])
        return 0
    if not feeds:
        write_line("no feeds yet (subscribe with 'reader add URL')")
        return 0
    rows = [
        (
            str(feed.id),
            str(feed.unread),
            str(feed.total),
            "!" if feed.last_error else "",
            f"{feed.title}  <{feed.url}>"
            + (f"  [{', '.join(feed.categories)}]" if feed.categories else "")
            + (f"  error: {feed.last_error}" if feed.last_error else ""),
        )
        for feed in feeds
    ]
    print_table(
        ("FEED", "UNREAD", "TOTAL", "MK", "TITLE  <URL>"),
        rows,
        ("right", "right", "right", "left", "left"),
        legend=f"{plural(len(rows), 'feed')}; marks: ! last refresh failed",
    )
    return 0


def import_subscriptions(args: argparse.Namespace) -> int:
    """Subscribe to every feed of an OPML file or a newsboat urls file, then fetch the new ones."""
    path = Path(args.file)
    if args.newsboat_cache or _looks_like_urls_file(path):
        return _import_newsboat(args, path)
    with open_library(args) as library:
        added = library.import_opml(path)
        write_line(f"imported {plural(len(added), 'new feed')} from {args.file}")
        if skipped := added.skipped_note():
            write_line(skipped)
        if added:
            summary = _refresh(library, [feed.id for feed in added], json_output=False)
            write_line(summary_text(summary))
            if interactive():
                print_failures(summary)
    return 0


def _looks_like_urls_file(path: Path) -> bool:
    """newsboat's urls file: its first line that is not a comment names a feed or a query."""
    try:
        with path.open("rb") as handle:
            start = handle.read(4096)
    except OSError:
        return False  # the OPML path says what is wrong with the file
    if b"\0" in start:
        return False
    for line in start.decode("utf-8", "replace").splitlines():
        line = line.strip().lstrip('"')
        if line and not line.startswith("#"):
            return line.startswith(("http://", "https://", "query:", "exec:", "filter:"))
    return False


def _import_newsboat(args: argparse.Namespace, path: Path) -> int:
    """newsboat's urls file (and cache): feeds, categories, saved searches, read state."""
    from reader.config import ConfigError, add_saved_searches

    cache = Path(args.newsboat_cache) if args.newsboat_cache else None
    with open_library(args) as library:
        result = library.import_newsboat(path, cache)
        write_line(f"imported {plural(len(result.added), 'new feed')} from {args.file}")
        if cache is not None:
            write_line(
                f"from the cache: {plural(result.entries, 'entry', 'entries')}, "
                f"{result.read} read, {plural(result.saved, 'saved article')}"
            )
        queries = [(query.name, query.query) for query in result.queries]
        try:
            names = add_saved_searches(queries) if queries else []
        except ConfigError as error:
            note(str(error))
            names = []
        if names:
            write_line(f"saved searches added to the config: {', '.join(names)}")
        for line in result.skipped:
            note(f"skipped {line}")
        if result.added:
            summary = _refresh(library, [feed.id for feed in result.added], json_output=False)
            write_line(summary_text(summary))
            if interactive():
                print_failures(summary)
    return 0


def export_opml(args: argparse.Namespace) -> int:
    """The subscriptions as OPML 2.0 on stdout."""
    with open_library(args) as library:
        text = library.export_opml()
    write_line(text.rstrip("\n"))
    return 0


def refresh(args: argparse.Namespace) -> int:
    """Fetch feeds; 0 when at least one could be refreshed (or there are none), else 1."""
    with open_library(args) as library:
        for feed_id in args.feed or ():
            library.feed(feed_id)  # an unknown id is an error, not an empty refresh
        summary = _refresh(library, args.feed, json_output=args.json)
    if args.json:
        emit_json(summary_json(summary))
    else:
        write_line(summary_text(summary))
        if interactive():
            print_failures(summary)
    refreshed = summary.ok + summary.not_modified
    if summary.failed and not refreshed:
        raise ReaderError(_why_nothing_refreshed(summary), str(library.data_dir))
    return 0


def _why_nothing_refreshed(summary: RefreshSummary) -> str:
    """The one line on stderr when no feed could be refreshed (a full disk, no network)."""
    failures = sorted((r for r in summary.results if r.status == "failed"), key=lambda r: r.feed_id)
    reasons = {r.error for r in failures}
    if len(reasons) == 1:
        return f"no feed could be refreshed: {reasons.pop()}"
    first = failures[0]
    return (
        f"no feed could be refreshed ({len(failures)} failed; the first, {first.url}: "
        f"{first.error})"
    )


def _refresh(library: Library, feed_ids: list[int] | None, *, json_output: bool) -> RefreshSummary:
    with progress_bar("refreshing", interactive() and not json_output) as progress:
        return asyncio.run(library.refresh(feed_ids, progress=progress))
