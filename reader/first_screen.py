"""The frame drawn before Textual loads: the newest entries, readable at once.

Why: importing and setting up Textual costs a fixed 200-300 ms at any library size,
while the first screenful of entries is one indexed SQLite read (about 1 ms). So
`reader` reads those rows read-only and writes a plain frame of the list on the
terminal's alternate screen; the app then starts on that same screen and paints
over it. This module imports only the standard library and `reader.text`.

Every title and feed name is untrusted: each passes `clean_text` (escapes, C0/C1
controls, bidi overrides stripped, whitespace folded) before it is written.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.text import clean_text

ENTER = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J"
"""Alternate screen (Textual uses the same one, so it takes over in place), cursor hidden."""
LEAVE = "\x1b[?25h\x1b[?1049l"
"""Back to the normal screen with the cursor shown: only when the app never started."""

_QUERY = (
    "SELECT e.title, f.title, COALESCE(e.published, e.updated), e.read "
    "FROM entries e JOIN feeds f ON f.id = e.feed_id WHERE e.hidden = 0 "
    "ORDER BY e.sort_time DESC, e.id DESC LIMIT ?"
)
"""The app's "All" view, newest first, by the `entries_by_time` index: cost does not grow
with the library."""

_FEED_COLUMN = 22
_AGE_COLUMN = 6


@dataclass(slots=True)
class Row:
    """One entry as the frame shows it (already sanitised)."""

    title: str
    feed: str
    published: str | None
    read: bool


@dataclass(slots=True)
class FirstScreen:
    """A frame on the terminal, until the app takes the screen over."""

    fd: int
    attrs: list[Any] | None
    """The terminal modes before the frame quietened the keys (`_quiet_keys`); restored just
    before the app starts, so Textual saves and later restores the user's own."""
    handed: bool = False
    """The app has taken the screen over (it leaves the alternate screen itself)."""

    def hand_over(self) -> None:
        """The app is about to start: give the terminal its modes back, keep the frame."""
        self._restore_modes()
        self.handed = True

    def leave(self) -> None:
        """Unless the app took over: back to the normal screen (an error, Ctrl-C)."""
        self._restore_modes()
        if not self.handed:
            _write(self.fd, LEAVE)

    def _restore_modes(self) -> None:
        if self.attrs is None:
            return
        import termios

        with contextlib.suppress(termios.error):
            termios.tcsetattr(self.fd, termios.TCSANOW, self.attrs)
        self.attrs = None


def show(database: Path, *, fd: int | None = None) -> FirstScreen | None:
    """Draw the newest entries of `database` on the terminal; None when nothing was drawn.

    Nothing is drawn when the output is not a terminal, when the library does not
    exist, cannot be read (locked, older schema) or is empty (the app explains that).
    """
    fd = sys.stdout.fileno() if fd is None else fd
    if not os.isatty(fd) or not database.is_file():
        return None
    try:
        columns, lines = os.get_terminal_size(fd)
    except OSError:
        return None
    if columns < 20 or lines < 4:
        return None
    rows = read_rows(database, lines - 2)
    if not rows:
        return None
    attrs = _quiet_keys(fd)
    _write(fd, ENTER + frame(rows, columns, lines, datetime.now(UTC)))
    return FirstScreen(fd, attrs)


def read_rows(database: Path, limit: int) -> list[Row]:
    """The newest `limit` visible entries, read-only; [] on any SQLite problem."""
    try:
        db = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=0.05)
    except sqlite3.Error:
        return []
    try:
        raw = db.execute(_QUERY, (limit,)).fetchall()
    except sqlite3.Error:
        return []
    finally:
        db.close()
    return [
        Row(
            clean_text(str(title or "")) or "(untitled)",
            clean_text(str(feed or "")),
            when,
            bool(read),
        )
        for title, feed, when, read in raw
    ]


def frame(rows: list[Row], columns: int, lines: int, now: datetime) -> str:
    """The whole frame: a title line, one line per entry, a key line; plain SGR only."""
    out = ["\x1b[1;1H\x1b[7m" + fit(" All", columns) + "\x1b[0m"]
    feed_width = _FEED_COLUMN if columns >= 60 else 0
    title_width = columns - 4 - feed_width - _AGE_COLUMN
    for number, row in enumerate(rows[: lines - 2], start=2):
        mark = " " if row.read else "●"
        title = fit(row.title, title_width)
        line = f"  {mark} " + (title if row.read else f"\x1b[1m{title}\x1b[22m")
        if feed_width:
            line += "\x1b[2m " + fit(row.feed, feed_width - 1)
        line += age(row.published, now).rjust(_AGE_COLUMN - 1) + " \x1b[0m"
        out.append(f"\x1b[{number};1H{line}")
    out.append(f"\x1b[{lines};1H\x1b[2m" + fit(" loading…", columns - 1) + "\x1b[0m")
    return "".join(out)


def fit(text: str, width: int) -> str:
    """`text` cut (with "…") or padded to exactly `width` cells; wide characters take two."""
    if width <= 0:
        return ""
    cells = [_cells(ch) for ch in text]
    total = sum(cells)
    if total <= width:
        return text + " " * (width - total)
    kept, used = [], 0
    for ch, size in zip(text, cells, strict=True):
        if used + size > width - 1:
            break
        kept.append(ch)
        used += size
    return "".join(kept) + "…" + " " * (width - 1 - used)


def _cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def age(value: str | None, now: datetime) -> str:
    """A compact age as the app's list shows it: "5m", "3h", "2d", "7w", or a year."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = (now - moment).total_seconds()
    for limit, unit, size in ((60, "", 0), (3600, "m", 60), (86400, "h", 3600)):
        if seconds < limit:
            return "now" if not unit else f"{int(seconds // size)}{unit}"
    if seconds < 86400 * 14:
        return f"{int(seconds // 86400)}d"
    if seconds < 86400 * 365:
        return f"{int(seconds // (86400 * 7))}w"
    return str(moment.year)


def _quiet_keys(fd: int) -> list[Any] | None:
    """Keys typed while the frame shows wait, unechoed and untranslated, for the app.

    Echo would scribble on the frame; canonical mode would hold them as a line and turn
    Enter into a newline (ICRNL) before Textual reads them. Ctrl-C still interrupts
    (ISIG is kept). Returns the modes to restore, or None when they could not be read.
    """
    import termios

    try:
        attrs = termios.tcgetattr(fd)
        quiet = list(attrs)
        quiet[0] = attrs[0] & ~(termios.ICRNL | termios.INLCR | termios.IGNCR)
        quiet[3] = attrs[3] & ~(termios.ECHO | termios.ICANON)
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
    except termios.error:
        return None
    return attrs


def _write(fd: int, text: str) -> None:
    data = text.encode("utf-8", "replace")
    while data:
        try:
            written = os.write(fd, data)
        except OSError:
            return
        data = data[written:]
