"""Helpers shared by the library commands (feeds, entries, saved): open, print, progress.

Why here: every library command opens the library the same way (the global
`--data-dir`, else `READER_DATA_DIR`, else the user folder), prints JSON the same
way (one object per line) and shows the same Rich progress bar on a terminal.
Untrusted text is written as plain text, never as Rich markup.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from reader.commands._input import as_id, check_web_address
from reader.commands._output import emit_json, plural, say
from reader.library import FeedResult, Library, RefreshSummary

write_line = say
"""Plain text on stdout, through the terminal sanitiser (see `_output`)."""
__all__ = ["as_id", "check_web_address", "emit_json", "open_library", "write_line"]


def open_library(args: argparse.Namespace) -> Library:
    """The library named by `--data-dir` / $READER_DATA_DIR / the user's data folder."""
    from reader.config import data_dir

    return Library(data_dir(getattr(args, "data_dir", None)))


def interactive() -> bool:
    """True when a person watches stdout (progress bars and failure lists are shown)."""
    return sys.stdout.isatty()


@contextmanager
def progress_bar(
    label: str, show: bool
) -> Iterator[Callable[[int, int, FeedResult | None], None] | None]:
    """A Rich progress bar on stderr fed by the library's progress callback (or nothing)."""
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, result: FeedResult | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def summary_json(summary: RefreshSummary) -> dict[str, Any]:
    """The `reader refresh --json` object."""
    return {
        "ok": summary.ok,
        "not_modified": summary.not_modified,
        "failed": summary.failed,
        "new_entries": summary.new_entries,
        "seconds": summary.seconds,
        "failures": [
            {"id": r.feed_id, "url": r.url, "error": r.error}
            for r in summary.results
            if r.status == "failed"
        ],
    }


def summary_text(summary: RefreshSummary) -> str:
    total = summary.ok + summary.not_modified + summary.failed
    return (
        f"{plural(total, 'feed')}: {summary.ok} ok, {summary.not_modified} not modified, "
        f"{summary.failed} failed; {plural(summary.new_entries, 'new entry', 'new entries')} "
        f"in {summary.seconds:.1f} s"
    )


def print_failures(summary: RefreshSummary) -> None:
    failures = sorted((r for r in summary.results if r.status == "failed"), key=lambda r: r.feed_id)
    if failures:
        write_line("failed:")
    for result in failures:
        write_line(f"  feed {result.feed_id}  {result.url}: {result.error}")
