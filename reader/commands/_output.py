"""The one way the command line writes: every line passes the terminal sanitiser.

Why one module: a message built from a server's header, a feed title or a file
name can carry escape sequences (an OSC 52 clipboard write, a window title) or
bidi overrides. Each command prints through `say`, `emit_json`, `report` or
`print_table`, so nothing reaches stdout or stderr without `for_terminal` (plain
text) or `json_for_terminal` (JSON lines). Kept free of heavy imports: `reader.cli`
uses it to report errors before any command module is loaded.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from typing import Any, Literal

from reader.text import for_terminal, json_for_terminal

JSON = json.JSONEncoder(ensure_ascii=False)
"""One encoder for every line (json.dumps with options builds a new one per call)."""

Align = Literal["left", "right"]


def say(text: str = "") -> None:
    """One or more lines of plain text on stdout, made safe for a terminal."""
    sys.stdout.write(for_terminal(text) + "\n")


def emit_json(value: dict[str, Any]) -> None:
    """One JSON object on one line; characters a terminal acts on are \\u-escaped."""
    sys.stdout.write(json_for_terminal(JSON.encode(value)) + "\n")


def emit_json_lines(values: Sequence[dict[str, Any]]) -> None:
    """Many JSON objects, one per line, in one write (fast for 10,000 entries)."""
    encode = JSON.encode
    sys.stdout.write(json_for_terminal("".join(encode(v) + "\n" for v in values)))


def one_line(text: str) -> str:
    """A message squeezed to one safe line (a multi-line error would read as two)."""
    return " ".join(for_terminal(text).split())


def report(message: str) -> None:
    """One line on stderr, `reader: MESSAGE`."""
    sys.stderr.write(f"reader: {one_line(message)}\n")


def note(message: str) -> None:
    """A hint on stderr that is not a failure (`reader: note: ...`)."""
    report(f"note: {message}")


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 entry`, `2 entries`: counts in messages read as English."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def terminal_width() -> int | None:
    """Columns of the terminal on stdout, or None when piped (lines are then never cut)."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def fit(line: str, width: int | None) -> str:
    """`line` cut to `width` terminal cells with an ellipsis; unchanged when width is None."""
    from rich.cells import cell_len, set_cell_size

    line = line.rstrip()
    if width is None or cell_len(line) <= width:
        return line
    return set_cell_size(line, max(width - 1, 0)).rstrip() + "…"


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    align: Sequence[Align],
    legend: str | None = None,
) -> None:
    """A header row, aligned columns two spaces apart, then an optional legend line.

    The last column is free text (a title) and is not padded, so no line ends in
    spaces; on a terminal each line is cut to its width, piped lines stay whole.
    """
    from rich.cells import cell_len

    cells = [[for_terminal(" ".join(cell.split())) for cell in row] for row in rows]
    widths = [
        max([cell_len(headers[i])] + [cell_len(row[i]) for row in cells])
        for i in range(len(headers) - 1)
    ]
    width = terminal_width()
    out = [_row(headers, widths, align, width)]
    out += [_row(row, widths, align, width) for row in cells]
    if legend:
        out.append(fit(legend, width))
    sys.stdout.write("\n".join(out) + "\n")


def _row(
    row: Sequence[str], widths: Sequence[int], align: Sequence[Align], width: int | None
) -> str:
    from rich.cells import cell_len

    parts = []
    for index, cell in enumerate(row[:-1]):
        pad = " " * (widths[index] - cell_len(cell))
        parts.append(pad + cell if align[index] == "right" else cell + pad)
    parts.append(row[-1])
    return fit("  ".join(parts), width)
