"""`--help` explains every command and option; completion scripts come from the same parser."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import GROUPS, build_parser, main, subcommands
from reader.commands.completion import script

PARSER = build_parser()
COMMANDS = subcommands(PARSER)


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_and_argument_has_a_description(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = COMMANDS[name]
    assert parser.description and len(parser.description.splitlines()[0]) > 10
    for action in parser._actions:
        label = action.option_strings or [action.dest]
        assert action.help and action.help is not argparse.SUPPRESS, (name, label)
        assert len(action.help.split()) >= 3, (name, label, action.help)
    text = _help(capsys, name)
    assert text.startswith(f"usage: reader {name} ")
    for action in parser._actions:
        for flag in action.option_strings:
            assert flag in text, (name, flag)
    assert not [line for line in text.splitlines() if line != line.rstrip()]


def test_top_level_help_groups_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    grouped = [name for _, names in GROUPS for name in names]
    assert sorted(grouped) == sorted(COMMANDS) and len(set(grouped)) == len(grouped)
    text = _help(capsys)
    for title in ("reading:", "library:", "feeds:", "articles:"):
        assert f"\n{title}\n" in text
    for name in COMMANDS:
        assert f"\n  {name} " in text, name
    assert "entry 6" in text and "article 1" in text  # how IDs are named


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_names_every_command_and_option(
    shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["completion", shell]) == 0
    text = capsys.readouterr().out
    assert text == script(shell, build_parser()) + "\n"  # type: ignore[arg-type]
    for name, parser in COMMANDS.items():
        assert name in text
        for action in parser._actions:
            for flag in action.option_strings:
                assert (flag if shell != "fish" else flag.lstrip("-")) in text, (name, flag)
    assert "md html json" in text and "article entry" in text


def _script_file(tmp_path: Path, shell: str) -> Path:
    path = tmp_path / f"reader.{shell}"
    path.write_text(script(shell, build_parser()), encoding="utf-8")  # type: ignore[arg-type]
    return path


BASH_CASES = [
    (["reader", "sh"], "show"),
    (["reader", "sa"], "save saved"),
    (["reader", "--data-dir", "/tmp", "ent"], "entries"),
    (["reader", "show", ""], "article entry"),
    (["reader", "show", "--fo"], "--format"),
    (["reader", "show", "--format", ""], "md html json"),
    (["reader", "completion", ""], "bash zsh fish"),
    (["reader", "entries", "--un"], "--unread"),
]


def test_bash_script_loads_and_completes(tmp_path: Path) -> None:
    path = _script_file(tmp_path, "bash")
    assert subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode == 0
    probe = "\n".join(
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}; "
        'COMPREPLY=(); _reader; echo "${COMPREPLY[*]}"'
        for words, _ in BASH_CASES
    )
    done = subprocess.run(
        ["bash", "-c", f"source {path}\n{probe}"], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [expected for _, expected in BASH_CASES]


def _need_shell(name: str) -> None:
    """Skip without the shell (a person's machine); in CI, which installs it, fail."""
    if shutil.which(name):
        return
    message = f"{name} is not installed (apt-get install {name})"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_fish_script_parses_and_completes(tmp_path: Path) -> None:
    _need_shell("fish")
    path = _script_file(tmp_path, "fish")
    assert subprocess.run(["fish", "-n", str(path)], capture_output=True).returncode == 0
    done = subprocess.run(
        [
            "fish",
            "-c",
            f"source {path}; complete -C 'reader sh'; echo ==; "
            "complete -C 'reader show --format '; echo ==; complete -C 'reader entries --un'",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    first, second, third = done.stdout.split("==\n")
    assert [line.split("\t")[0] for line in first.splitlines()] == ["show"]
    assert sorted(line.split("\t")[0] for line in second.splitlines()) == ["html", "json", "md"]
    assert third.startswith("--unread\t")


def test_zsh_script_parses_and_loads(tmp_path: Path) -> None:
    _need_shell("zsh")
    path = _script_file(tmp_path, "zsh")
    assert subprocess.run(["zsh", "-n", str(path)], capture_output=True).returncode == 0
    done = subprocess.run(
        [
            "zsh",
            "-f",
            "-c",
            f"autoload -U compinit; compinit -u -D; source {path}; whence -w _reader",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0 and done.stdout.strip() == "_reader: function", done


def test_completion_of_an_unknown_shell_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["completion", "tcsh"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'tcsh'" in err and "'reader completion --help'" in err


def test_the_installed_command_prints_help_for_every_command() -> None:
    """Through a real process: every `reader CMD --help` exits 0 with usage on stdout."""
    probe = (
        "import contextlib, io, sys\n"
        "from reader.cli import main, build_parser, subcommands\n"
        "for name in subcommands(build_parser()):\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "        main([name, '--help'])\n"
        "    assert out.getvalue().startswith('usage: reader ' + name), name\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout == "ok\n", done.stderr


DOC = Path(__file__).resolve().parents[2] / "docs" / "CLI.md"
REFERENCE_MARK = "## Reference\n"


def reference() -> str:
    """`reader --help` and every `reader COMMAND --help` at 80 columns, as Markdown."""
    import contextlib
    import io
    import os

    os.environ["COLUMNS"] = "80"
    parts = []
    for argv in [[], *([name] for name in COMMANDS)]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            main([*argv, "--help"])
        title = " ".join(["reader", *argv])
        parts.append(f"### `{title}`\n\n```\n{out.getvalue().rstrip()}\n```\n")
    return "\n".join(parts)


def test_the_reference_in_docs_matches_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = DOC.read_text(encoding="utf-8")
    generated = text.split(REFERENCE_MARK, 1)[1].split("\n", 3)[3]
    assert generated.strip() == reference().strip(), (
        "regenerate: python -m tests.unit.test_cli_help"
    )
    assert not [line for line in text.splitlines() if line != line.rstrip()]


if __name__ == "__main__":
    intro = DOC.read_text(encoding="utf-8").split(REFERENCE_MARK, 1)[0]
    note = (
        "Generated from `reader COMMAND --help` (a test fails when this section and the\n"
        "parser disagree; regenerate with `python -m tests.unit.test_cli_help`).\n\n"
    )
    DOC.write_text(intro + REFERENCE_MARK + "\n" + note + reference(), encoding="utf-8")
