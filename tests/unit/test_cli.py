"""The command-line front end: global options work before or after the command."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import build_parser, main


@pytest.mark.parametrize(
    "argv",
    [
        ["--data-dir", "X", "feeds", "--json"],
        ["feeds", "--data-dir", "X", "--json"],
        ["feeds", "--json", "--data-dir", "X"],
    ],
)
def test_data_dir_is_accepted_anywhere(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert (args.command, args.data_dir, args.json) == ("feeds", "X", True)


def test_data_dir_given_after_the_command_is_the_one_used(tmp_path: Path) -> None:
    assert main(["feeds", "--data-dir", str(tmp_path / "lib")]) == 0
    assert (tmp_path / "lib" / "library.sqlite3").exists()


def test_global_data_dir_is_not_reset_by_the_command(tmp_path: Path) -> None:
    args = build_parser().parse_args(["--data-dir", "Y", "entries"])
    assert args.data_dir == "Y"


def test_a_large_batch_keeps_order_and_failures_in_place(tmp_path: Path) -> None:
    """Eight or more sources are cleaned in worker processes; the output is unchanged."""
    import json
    import subprocess
    import sys

    sources: list[str] = []
    for number in range(10):
        page = tmp_path / f"story{number}.html"
        page.write_text(
            f"<html><head><title>Story number {number}</title></head><body><article>"
            f"<h1>Story number {number}</h1>"
            + "".join(
                f"<p>Paragraph {k} of story {number} says something long enough "
                "to be read as prose by the engine, with a comma, and more.</p>"
                for k in range(4)
            )
            + "</article></body></html>",
            encoding="utf-8",
        )
        sources.append(str(page))
    sources.insert(4, str(tmp_path / "missing.html"))
    done = subprocess.run(
        [sys.executable, "-m", "reader", "article", "--json", *sources],
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 1
    assert done.stderr == f"reader: {sources[4]}: no such file\n"
    titles = [f"Story number {n}" for n in range(10)]
    assert [line.get("title") for line in lines] == [*titles[:4], None, *titles[4:]]
    assert lines[4] == {"source": sources[4], "error": "no such file"}
