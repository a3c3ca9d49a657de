"""`reader entries|search|read|unread`: reading the library's items."""

from __future__ import annotations

import argparse

from reader.commands._input import as_id
from reader.commands._library import open_library
from reader.commands._output import (
    emit_json_lines,
    fit,
    plural,
    print_table,
    report,
    say,
    terminal_width,
)
from reader.errors import ReaderError, UsageError
from reader.library import Library
from reader.model import Entry
from reader.text import for_terminal

ENTRY_LEGEND = "marks: * unread, S saved"


def _entry_json(entry: Entry) -> dict[str, object]:
    return {
        "id": entry.id,
        "feed": entry.feed_title,
        "feed_id": entry.feed_id,
        "title": entry.title,
        "url": entry.url,
        "published": entry.published,
        "read": entry.read,
        "saved": entry.saved,
        "enclosures": [enclosure.to_json() for enclosure in entry.enclosures],
    }


def list_entries(args: argparse.Namespace) -> int:
    """Entries newest first, optionally one feed's or only the unread ones."""
    with open_library(args) as library:
        if args.feed is not None:
            library.feed(args.feed)  # an unknown feed id is an error, not an empty list
        if getattr(args, "story", None) is not None:
            entries = _story_entries(library, args)
        else:
            entries = library.entries(
                feed_id=args.feed,
                unread=args.unread,
                limit=args.limit,
                summaries=False,
                saved_search=args.saved_search,
            )
    if args.json:
        emit_json_lines([_entry_json(e) for e in entries])
        return 0
    if not entries:
        say("no unread entries" if args.unread else "no entries (fetch some with 'reader refresh')")
        return 0
    rows = [
        (
            str(entry.id),
            ("*" if not entry.read else " ") + ("S" if entry.saved else " "),
            (entry.published or "")[:10],
            entry.feed_title,
            entry.title or "(untitled)",
        )
        for entry in entries
    ]
    print_table(
        ("ENTRY", "MK", "DATE", "FEED", "TITLE"),
        rows,
        ("right", "left", "left", "left", "left"),
        legend=f"{plural(len(rows), 'entry', 'entries')}; {ENTRY_LEGEND}",
    )
    return 0


def _story_entries(library: Library, args: argparse.Namespace) -> list[Entry]:
    """`--story ID`: that story's entries, with --feed, --unread and --limit applied."""
    entries = library.story(args.story).entries
    entries = [
        e
        for e in entries
        if (args.feed is None or e.feed_id == args.feed) and not (args.unread and e.read)
    ]
    return entries[: args.limit] if args.limit else entries


def search(args: argparse.Namespace) -> int:
    """Full-text search over entries and saved articles; exit 1 when nothing matches (as grep)."""
    query = " ".join(args.query)
    with open_library(args) as library:
        hits = library.search(query, limit=args.limit)
    if not hits:
        report(f"no matches for {query!r}")
        return 1
    if args.json:
        emit_json_lines(
            [
                {
                    "kind": hit.kind,
                    "id": hit.id,
                    "title": hit.title,
                    "url": hit.url,
                    "snippet": hit.snippet,
                    "feed": hit.feed_title,
                    "published": hit.published,
                    "saved": hit.saved,
                }
                for hit in hits
            ]
        )
        return 0
    width = terminal_width()
    for hit in hits:
        label = f"{hit.kind} {hit.id}" + (" (saved)" if hit.saved else "")
        say(fit(for_terminal(f"{label}: {hit.title or '(untitled)'}"), width))
        if hit.snippet:
            say(fit(for_terminal(f"    {' '.join(hit.snippet.split())}"), width))
    say(plural(len(hits), "hit"))
    return 0


def mark_read(args: argparse.Namespace) -> int:
    """One entry by id, or in bulk: --feed, --saved-search, --before, --all."""
    entry_id = _entry_target(args.target)
    bulk = args.feed is not None or args.saved_search or args.before or args.all
    if (entry_id is None) == (not bulk):
        raise UsageError(
            "give an entry ID, or one of --feed, --saved-search, --before, --all "
            "(see 'reader read --help')"
        )
    with open_library(args) as library:
        if entry_id is not None:
            library.mark_read(entry_id, True)
            say(f"entry {entry_id} marked read")
            return 0
        changed = library.mark_all_read(
            feed_id=args.feed, saved_search=args.saved_search, before=args.before
        )
    say(f"{plural(changed, 'entry', 'entries')} marked read")
    return 0


def _entry_target(words: list[str]) -> int | None:
    """`[entry] ID` as given to `reader read` (None when no ID was given)."""
    if words[:1] == ["entry"]:
        words = words[1:]
    if not words:
        return None
    try:
        entry_id = as_id(words[0]) if len(words) == 1 else None
    except ReaderError as error:  # a number out of range: wrong usage, as argparse says it
        raise UsageError(f"{error.message} (see 'reader read --help')") from None
    if entry_id is None:
        shown = " ".join(words)
        raise UsageError(
            f"'{shown}' is not an ID (IDs are whole numbers; see 'reader read --help')"
        )
    return entry_id


def mark_unread(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        library.mark_read(args.id, False)
    say(f"entry {args.id} marked unread")
    return 0
