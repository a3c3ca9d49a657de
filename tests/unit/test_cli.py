"""The command-line front end: global options work before or after the command."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.cli import build_parser, main


@pytest.mark.parametrize("argv", [
    ["--data-dir", "X", "feeds", "--json"],
    ["feeds", "--data-dir", "X", "--json"],
    ["feeds", "--json", "--data-dir", "X"],
])
def test_data_dir_is_accepted_anywhere(argv: list[str]) -> None:
    args = build_parser().parse_args(argv)
    assert (args.command, args.data_dir, args.json) == ("feeds", "X", True)


def test_data_dir_given_after_the_command_is_the_one_used(tmp_path: Path) -> None:
    assert main(["feeds", "--data-dir", str(tmp_path / "lib")]) == 0
    assert (tmp_path / "lib" / "library.sqlite3").exists()


def test_global_data_dir_is_not_reset_by_the_command(tmp_path: Path) -> None:
    args = build_parser().parse_args(["--data-dir", "Y", "entries"])
    assert args.data_dir == "Y"
