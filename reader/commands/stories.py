"""`reader stories`: the stories the library groups entries into, newest first.

`--json` prints exactly `{"id", "title", "entries": [{"id", "title", "url", "feed"}]}`
per story, one per line (a contract: scripts and the benchmark read it).
"""

from __future__ import annotations

import argparse
import sys

from reader.commands._library import JSON, open_library, write_line
from reader.stories import StoryView


def story_json(story: StoryView) -> dict[str, object]:
    return {
        "id": story.id,
        "title": story.title,
        "entries": [
            {"id": e.id, "title": e.title, "url": e.url, "feed": e.feed_title}
            for e in story.entries
        ],
    }


def list_stories(args: argparse.Namespace) -> int:
    """Stories with at least --min-size entries (default 2), newest first."""
    with open_library(args) as library:
        stories = library.stories(since=args.since, min_size=args.min_size)
    if args.json:
        encode = JSON.encode
        sys.stdout.write("".join(encode(story_json(s)) + "\n" for s in stories))
        return 0
    for story in stories:
        write_line(f"{story.id:>7}  {len(story.entries):>3} entries  {story.title}")
        for entry in story.entries:
            write_line(f"{'':9}{entry.id:>7}  {entry.feed_title}: {entry.title}")
    return 0
