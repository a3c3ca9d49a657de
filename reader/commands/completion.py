"""`reader completion bash|zsh|fish`: shell completion generated from the argparse parser.

Why generated: a hand-kept list of commands and flags drifts the day someone adds
an option. Here the script is written from `reader.cli.build_parser()` at the
moment it is asked for, so it names exactly the commands, options, choices and
descriptions that `--help` shows. Values are completed by kind: files for a
SOURCE or FILE, folders for a DIR, the listed choices (`--format md|html|json`,
`show [article|entry] ID`), nothing for free text such as a URL or an ID.
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field
from typing import Literal

from reader.commands._output import say

Shell = Literal["bash", "zsh", "fish"]
ValueKind = Literal["none", "file", "dir", "choice", "text"]


@dataclass(slots=True)
class Option:
    """One flag (`--json`) or flag pair (`-h`, `--help`) and the value it takes."""

    flags: list[str]
    help: str
    value: ValueKind
    choices: list[str] = field(default_factory=list)
    metavar: str = ""
    repeat: bool = False


@dataclass(slots=True)
class Positional:
    """One positional argument: what it completes to and how many words it takes."""

    metavar: str
    help: str
    value: ValueKind
    choices: list[str] = field(default_factory=list)
    nargs: str = "1"


@dataclass(slots=True)
class Command:
    """A sub-command (or the top level, with an empty name)."""

    name: str
    help: str
    options: list[Option]
    positionals: list[Positional]


def _kind(metavar: str, choices: list[str], takes_value: bool) -> ValueKind:
    """Infer how to complete a value from its metavar (FILE, SOURCE, DIR) or choices."""
    if not takes_value:
        return "none"
    if choices:
        return "choice"
    if "DIR" in metavar:
        return "dir"
    if "FILE" in metavar or "SOURCE" in metavar:
        return "file"
    return "text"


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _describe(parser: argparse.ArgumentParser, name: str, summary: str) -> Command:
    """The options and positionals of one parser, as argparse knows them."""
    options: list[Option] = []
    positionals: list[Positional] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        choices = [str(c) for c in action.choices or ()]
        metavar = str(action.metavar or action.dest).upper()
        if action.option_strings:
            takes_value = action.nargs != 0
            options.append(
                Option(
                    flags=list(action.option_strings),
                    help=_one_line(action.help),
                    value=_kind(metavar, choices, takes_value),
                    choices=choices,
                    metavar=metavar,
                    repeat=isinstance(action, argparse._AppendAction),
                )
            )
        else:
            positionals.append(
                Positional(
                    metavar=metavar,
                    help=_one_line(action.help),
                    value=_kind(metavar, choices, True),
                    choices=choices,
                    nargs=str(action.nargs or "1"),
                )
            )
    return Command(name, summary, options, positionals)


def describe(parser: argparse.ArgumentParser) -> tuple[Command, list[Command]]:
    """The top level and every sub-command, in the parser's order."""
    from reader.cli import subcommands

    summaries: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {a.dest: _one_line(a.help) for a in action._choices_actions}
    top = _describe(parser, "", "")
    commands = [
        _describe(sub, name, summaries.get(name, "")) for name, sub in subcommands(parser).items()
    ]
    return top, commands


def run(args: argparse.Namespace) -> int:
    """Print the script for `args.shell`."""
    from reader.cli import build_parser

    say(script(args.shell, build_parser()))
    return 0


def script(shell: Shell, parser: argparse.ArgumentParser) -> str:
    """The completion script for `shell`, written from `parser`."""
    top, commands = describe(parser)
    writer = {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell]
    return writer(top, commands)


# --- bash ------------------------------------------------------------------------------------


def _words(items: list[str]) -> str:
    return shlex.quote(" ".join(items))


def _bash_value(kind: ValueKind, choices: list[str]) -> str:
    """The bash statement that completes one value."""
    if kind == "choice":
        return f'COMPREPLY=($(compgen -W {_words(choices)} -- "$cur"))'
    if kind == "dir":
        return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur"))'
    if kind == "file":
        return 'compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))'
    return "COMPREPLY=()"


def _bash_option_values(options: list[Option], indent: str) -> list[str]:
    """`case "$prev" in --flag) ...;; esac`: complete the value of the option just typed."""
    lines = [f'{indent}case "$prev" in']
    for option in options:
        if option.value != "none":
            pattern = "|".join(option.flags)
            lines.append(
                f"{indent}    {pattern}) {_bash_value(option.value, option.choices)}; return ;;"
            )
    lines.append(f"{indent}esac")
    return lines


def _bash_command(command: Command) -> list[str]:
    flags = [flag for option in command.options for flag in option.flags]
    lines = [f"        {command.name})"]
    lines += _bash_option_values(command.options, " " * 12)
    lines.append(
        f'            if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W {_words(flags)} '
        '-- "$cur")); return; fi'
    )
    choices = [c for p in command.positionals if p.value == "choice" for c in p.choices]
    if any(p.value == "file" for p in command.positionals):
        lines.append(f"            {_bash_value('file', [])}")
    elif choices:
        lines.append(f"            {_bash_value('choice', choices)}")
    lines.append("            ;;")
    return lines


def _bash(top: Command, commands: list[Command]) -> str:
    valued = [flag for o in top.options if o.value != "none" for flag in o.flags]
    skip = "|".join(valued) or "--no-such-option"
    top_words = [c.name for c in commands] + [f for o in top.options for f in o.flags]
    lines = [
        "# bash completion for reader (generated by 'reader completion bash' from its parser)",
        "_reader() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    local cmd="" i',
        "    for ((i = 1; i < COMP_CWORD; i++)); do",
        '        case "${COMP_WORDS[i]}" in',
        f"            {skip}) ((i++)) ;;",
        "            -*) ;;",
        '            *) cmd="${COMP_WORDS[i]}"; break ;;',
        "        esac",
        "    done",
        '    if [[ -z "$cmd" ]]; then',
        *_bash_option_values(top.options, " " * 8),
        f'        COMPREPLY=($(compgen -W {_words(top_words)} -- "$cur"))',
        "        return",
        "    fi",
        '    case "$cmd" in',
    ]
    for command in commands:
        lines += _bash_command(command)
    lines += ["    esac", "}", "complete -F _reader reader"]
    return "\n".join(lines)


# --- zsh -------------------------------------------------------------------------------------


def _zsh_text(text: str) -> str:
    """Text for inside a single-quoted _arguments spec: brackets and colons escaped."""
    for char in "\\[]:":
        text = text.replace(char, "\\" + char)
    return text.replace("'", "'\\''")


def _zsh_action(kind: ValueKind, choices: list[str]) -> str:
    if kind == "choice":
        return "(" + " ".join(_zsh_text(c) for c in choices) + ")"
    if kind == "dir":
        return "_files -/"
    if kind == "file":
        return "_files"
    return " "


def _zsh_specs(command: Command) -> list[str]:
    specs = []
    for option in command.options:
        for flag in option.flags:
            spec = ("*" if option.repeat else "") + flag
            if option.value != "none":
                spec += "=" if flag.startswith("--") else ""
            spec += f"[{_zsh_text(option.help)}]"
            if option.value != "none":
                spec += f":{_zsh_text(option.metavar)}:{_zsh_action(option.value, option.choices)}"
            specs.append(f"'{spec}'")
    for positional in command.positionals:
        action = _zsh_action(positional.value, positional.choices)
        message = _zsh_text(positional.metavar)
        if positional.nargs in ("+", "*"):
            specs.append(f"'*:{message}:{action}'")
        elif positional.nargs == "?":
            specs.append(f"'::{message}:{action}'")
        else:
            specs.append(f"':{message}:{action}'")
    return specs


def _zsh(top: Command, commands: list[Command]) -> str:
    join = " \\\n        "
    lines = [
        "#compdef reader",
        "# zsh completion for reader (generated by 'reader completion zsh' from its parser)",
        "_reader() {",
        '    local curcontext="$curcontext" state line',
        "    typeset -A opt_args",
        "    local -a commands",
        "    commands=(",
        *(f"        '{_zsh_text(c.name)}:{_zsh_text(c.help)}'" for c in commands),
        "    )",
        "    _arguments -C \\\n        "
        + join.join([*_zsh_specs(top), "'1:command:->command'", "'*::argument:->argument'"]),
        "    case $state in",
        "        command) _describe -t commands 'reader command' commands ;;",
        "        argument)",
        "            case $line[1] in",
    ]
    for command in commands:
        specs = _zsh_specs(command)
        lines.append(f"                {command.name}) _arguments {' '.join(specs)} ;;")
    lines += [
        "            esac",
        "            ;;",
        "    esac",
        "}",
        'if [[ "${funcstack[1]}" == "_reader" ]]; then',
        '    _reader "$@"',
        "else",
        "    compdef _reader reader",
        "fi",
    ]
    return "\n".join(lines)


# --- fish ------------------------------------------------------------------------------------


def _fish_text(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


_FISH_HELPERS = """\
function __reader_command --description 'the sub-command on the command line, if any'
    set -l words (commandline -opc)
    set -e words[1]
    set -l skip 0
    for word in $words
        if test $skip = 1
            set skip 0
            continue
        end
        switch $word
            case {valued}
                set skip 1
            case '-*'
            case '*'
                echo $word
                return 0
        end
    end
    return 1
end
function __reader_using --description 'true when the sub-command is $argv[1]'
    set -l command (__reader_command)
    and test "$command" = "$argv[1]"
end"""


def _fish_option(option: Option, condition: str) -> str:
    parts = ["complete -c reader", f"-n {_fish_text(condition)}"]
    for flag in option.flags:
        parts.append(f"-l {flag[2:]}" if flag.startswith("--") else f"-s {flag[1:]}")
    if option.value == "choice":
        parts.append(f"-x -a {_fish_text(' '.join(option.choices))}")
    elif option.value == "dir":
        parts.append("-x -a '(__fish_complete_directories)'")
    elif option.value == "file":
        parts.append("-r -F")
    elif option.value == "text":
        parts.append("-x")
    parts.append(f"-d {_fish_text(option.help)}")
    return " ".join(parts)


def _fish(top: Command, commands: list[Command]) -> str:
    valued = [flag for o in top.options if o.value != "none" for flag in o.flags]
    lines = [
        "# fish completion for reader (generated by 'reader completion fish' from its parser)",
        _FISH_HELPERS.replace("{valued}", " ".join(valued) or "--no-such-option"),
        "complete -c reader -f",
    ]
    lines += [_fish_option(option, "not __reader_command") for option in top.options]
    lines += [
        f"complete -c reader -n 'not __reader_command' -a {_fish_text(c.name)} "
        f"-d {_fish_text(c.help)}"
        for c in commands
    ]
    for command in commands:
        condition = f"__reader_using {command.name}"
        lines += [_fish_option(option, condition) for option in command.options]
        for positional in command.positionals:
            if positional.value == "file":
                lines.append(f"complete -c reader -n {_fish_text(condition)} -F")
            elif positional.value == "choice":
                lines.append(
                    f"complete -c reader -n {_fish_text(condition)} "
                    f"-a {_fish_text(' '.join(positional.choices))} "
                    f"-d {_fish_text(positional.help)}"
                )
    return "\n".join(lines)
