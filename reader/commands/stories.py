"""`reader stories`: the stories the library groups entries into, newest first.

`--json` prints exactly `{"id", "title", "entries": [{"id", "title", "url", "feed"}]}`
per story, one per line (a contract: scripts and the benchmark read it).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reader.commands._library import open_library
from reader.commands._output import emit_json_lines, note, plural, say

if TYPE_CHECKING:
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
        emit_json_lines([story_json(s) for s in stories])
        return 0
    if not stories:
        note(f"no story has {args.min_size} or more entries yet")
        return 0
    for story in stories:
        say(f"story {story.id}: {story.title} ({plural(len(story.entries), 'entry', 'entries')})")
        for entry in story.entries:
            say(f"  entry {entry.id}  {entry.feed_title}: {entry.title}")
    return 0
