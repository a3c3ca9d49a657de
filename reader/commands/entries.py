"""`reader entries|search|read|unread`: reading the library's items."""

from __future__ import annotations

import argparse
import sys

from reader.commands._library import JSON, emit_json, open_library, write_line
from reader.library import Library
from reader.model import Entry


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
                feed_id=args.feed, unread=args.unread, limit=args.limit, summaries=False
            )
    if args.json:
        encode = JSON.encode
        sys.stdout.write("".join(encode(_entry_json(e)) + "\n" for e in entries))
        return 0
    for entry in entries:
        flags = ("*" if not entry.read else " ") + ("S" if entry.saved else " ")
        date = (entry.published or "")[:10]
        write_line(f"{entry.id:>7} {flags} {date:10}  {entry.feed_title}: {entry.title}")
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
    """Full-text search over entries and saved articles."""
    query = " ".join(args.query)
    with open_library(args) as library:
        hits = library.search(query, limit=args.limit)
    for hit in hits:
        if args.json:
            emit_json(
                {
                    "kind": hit.kind,
                    "id": hit.id,
                    "title": hit.title,
                    "url": hit.url,
                    "snippet": hit.snippet,
                    "feed": hit.feed_title,
                    "published": hit.published,
                }
            )
        else:
            write_line(f"{hit.kind:7} {hit.id:>7}  {hit.title}")
            if hit.snippet:
                write_line(f"{'':16}{hit.snippet}")
    return 0


def mark_read(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        library.mark_read(args.id, True)
    return 0


def mark_unread(args: argparse.Namespace) -> int:
    with open_library(args) as library:
        library.mark_read(args.id, False)
    return 0
