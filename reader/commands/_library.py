"""Helpers shared by the library commands (feeds, entries, saved): open, print, progress.

Why here: every library command opens the library the same way (the global
`--data-dir`, else `READER_DATA_DIR`, else the user folder), prints JSON the same
way (one object per line) and shows the same Rich progress bar on a terminal.
Untrusted text is written as plain text, never as Rich markup.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from reader.commands._output import emit_json, plural, say
from reader.errors import ReaderError
from reader.library import FeedResult, Library, RefreshSummary

write_line = say
"""Plain text on stdout, through the terminal sanitiser (see `_output`)."""
__all__ = ["emit_json", "open_library", "write_line"]


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


_OTHER_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(?!\d+(?:[/?#]|$))")
"""`javascript:`, `mailto:`, `data:`... but not `example.com:8080/feed` (a host and port)."""


def check_web_address(text: str) -> str:
    """The http(s) address the user meant, or a ReaderError that says in a sentence why not.

    Checked before the library sees it, so `javascript:alert(1)` or a port of 99999
    ends in a sentence, not in an error from deep inside URL parsing.
    """
    url = text.strip()
    if not url:
        raise ReaderError("an empty address")
    if "://" not in url and _OTHER_SCHEME.match(url):
        raise ReaderError("not a web address (http:// or https://)", text)
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port that is not 0-65535)
    except ValueError:
        raise ReaderError("not a valid web address (a bad port or host)", text) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ReaderError("not a web address (http:// or https://)", text)
    return url


def as_id(text: str) -> int | None:
    """`text` as an ID when it is one (1 .. 2**63-1), None when it is not a number at all."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit():
        return None
    value = int(digits)
    if len(digits) > 19 or not 1 <= value <= 2**63 - 1:
        raise ReaderError(f"'{text}' is not an ID (IDs run from 1 to {2**63 - 1})")
    return value
