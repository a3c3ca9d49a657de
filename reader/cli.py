"""The `reader` command line: parse, call the library or the engine, print.

The sub-command names and flags are a contract (scripts depend on them). Handlers
live in `reader.commands.*` and are imported only when their command runs, so
`reader` with no arguments starts the app without loading httpx or readability.
Every failure ends in one line on stderr: status 2 for wrong usage, 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

from reader import __version__
from reader.errors import ReaderError, UsageError

if TYPE_CHECKING:
    from reader.first_screen import FirstScreen

# command -> "module:function"; the function takes the parsed namespace, returns an exit code.
HANDLERS: dict[str, str] = {
    "article": "reader.commands.article:run",
    "add": "reader.commands.feeds:add",
    "remove": "reader.commands.feeds:remove",
    "feeds": "reader.commands.feeds:list_feeds",
    "import": "reader.commands.feeds:import_subscriptions",
    "export": "reader.commands.feeds:export_opml",
    "refresh": "reader.commands.feeds:refresh",
    "entries": "reader.commands.entries:list_entries",
    "search": "reader.commands.entries:search",
    "read": "reader.commands.entries:mark_read",
    "unread": "reader.commands.entries:mark_unread",
    "save": "reader.commands.saved:save",
    "unsave": "reader.commands.saved:unsave",
    "saved": "reader.commands.saved:list_saved",
    "show": "reader.commands.saved:show",
    "completion": "reader.commands.completion:run",
    "stories": "reader.commands.stories:list_stories",
}

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("reading", ("entries", "stories", "search", "read", "unread")),
    ("library", ("save", "unsave", "saved", "show")),
    ("feeds", ("add", "remove", "feeds", "refresh", "import", "export")),
    ("articles", ("article",)),
    ("shell", ("completion",)),
)
"""How `reader --help` groups the commands; a test checks every command is in one group."""

MAX_ID = 2**63 - 1
"""SQLite's largest integer: a bigger ID cannot name anything."""

IDS_NOTE = (
    "IDs name their kind: an entry (a feed item, from 'reader entries') or an article "
    "(a saved or cached page, from 'reader saved'). A bare number means the kind the "
    "command takes first; write 'entry 6' or 'article 1' to say which."
)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line instead of usage + error."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the hand-made line breaks of descriptions and examples, and shows defaults."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help
        if (
            text
            and action.default not in (None, False, argparse.SUPPRESS)
            and "%(default)" not in text
            and action.option_strings
        ):
            text += " (default: %(default)s)"
        return text


def _positive_int(text: str) -> int:
    """argparse type for counts such as --limit: a whole number of at least 1.

    A count beyond what the library can hold means "all" and is capped, so a
    20-digit --limit lists everything instead of failing inside SQLite.
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return min(value, MAX_ID)


def _ident(text: str) -> int:
    """argparse type for an ID: a whole number from 1 to SQLite's largest integer."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not an ID (IDs are whole numbers)")
    if len(digits) > 19 or not 1 <= int(digits) <= MAX_ID:
        raise argparse.ArgumentTypeError(f"'{text}' is not an ID (IDs run from 1 to {MAX_ID})")
    return int(digits)


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each sub-command's parser by name (for error pointers, completion and help tests)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _grouped_commands(sub: argparse._SubParsersAction[_Parser]) -> str:
    """The `reader --help` command list, grouped (reading, library, feeds, articles)."""
    summaries = {action.dest: action.help or "" for action in sub._choices_actions}
    width = max(map(len, summaries)) + 2
    lines = []
    for title, names in GROUPS:
        lines.append(f"{title}:")
        lines += [f"  {name:<{width}}{summaries[name]}" for name in names]
        lines.append("")
    return "\n".join(lines).rstrip()


def _add_kind_and_id(p: argparse.ArgumentParser, kinds: tuple[str, ...], what: str) -> None:
    """`[KIND] ID` positionals: `reader show 3`, `reader show entry 6`."""
    p.add_argument(
        "kind",
        nargs="?",
        choices=kinds,
        metavar="KIND",
        help=f"what the ID names: {' or '.join(kinds)} (default: {kinds[0]})",
    )
    p.add_argument("id", type=_ident, metavar="ID", help=what)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; `reader completion` and the help test walk this same tree."""
    parser = _Parser(
        prog="reader",
        usage="reader [OPTIONS] [COMMAND] [ARGS...]",
        formatter_class=_Formatter,
        description="A terminal news reader. With no command, opens the app on your library.",
        epilog="Run 'reader COMMAND --help' for a command's options and examples.\n\n"
        + textwrap.fill(IDS_NOTE, 78),
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="library folder (default: $READER_DATA_DIR or the user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on built-in demo feeds served from this machine",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    # The global options are accepted after the command too (`reader show 3 --data-dir X`);
    # SUPPRESS keeps a sub-command's absent option from overwriting the global one.
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="library folder (as before the command)",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show tracebacks on errors",
    )
    sub = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        parser_class=_Parser,
        help=argparse.SUPPRESS,
        prog="reader",
    )

    def command(name: str, summary: str, examples: str = "", more: str = "") -> _Parser:
        epilog = f"examples:\n{textwrap.indent(examples.strip(), '  ')}" if examples else None
        description = summary[0].upper() + summary[1:] + "." + (f"\n\n{more}" if more else "")
        made = sub.add_parser(
            name,
            parents=[common],
            help=summary,
            description=description,
            epilog=epilog,
            formatter_class=_Formatter,
        )
        assert isinstance(made, _Parser)
        return made

    _articles(command)
    _feeds(command)
    _reading(command)
    _library(command)
    p = command(
        "completion",
        "print a shell completion script",
        examples="""
reader completion bash > ~/.local/share/bash-completion/completions/reader
reader completion zsh > "${fpath[1]}/_reader"
reader completion fish > ~/.config/fish/completions/reader.fish
""",
    )
    p.add_argument("shell", choices=("bash", "zsh", "fish"), help="the shell to complete for")
    parser.description = (parser.description or "") + "\n\n" + _grouped_commands(sub)
    return parser


Command = Callable[..., _Parser]


def _articles(command: Command) -> None:
    p = command(
        "article",
        "clean article pages (URL, .html or .txt) into structure",
        examples="""
reader article https://example.org/news/story
reader article saved-page.html --url https://example.org/news/story
reader article --json page1.html page2.html | jq .title
""",
        more="Prints the title, key takeaways, sections, quotes and related links. "
        "A feed is not an article:\nsubscribe to it with 'reader add'.",
    )
    p.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="an http(s) URL, an .html file or a .txt file"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per source, one per line")
    p.add_argument(
        "--url",
        metavar="URL",
        help="the page's web address, for a local file (keeps its relative links)",
    )


def _feeds(command: Command) -> None:
    p = command(
        "add",
        "subscribe to a feed (a page URL is followed to its feed)",
        examples="""
reader add https://example.org/feed.xml
reader add https://example.org/ --category News
""",
    )
    p.add_argument("url", metavar="URL", help="the feed's web address, or a page that links to it")
    p.add_argument(
        "--category",
        metavar="NAME",
        action="append",
        help="a category (folder, tag) for the feed; repeat for several",
    )

    p = command("remove", "unsubscribe (by URL or feed id)", examples="reader remove 3")
    p.add_argument(
        "feed", metavar="URL|ID", help="the feed's web address or its id in 'reader feeds'"
    )

    p = command("feeds", "list subscriptions with unread counts and errors")
    p.add_argument("--json", action="store_true", help="one JSON object per feed, one per line")

    p = command(
        "refresh",
        "fetch every feed (or only some)",
        examples="reader refresh\nreader refresh --feed 2 --feed 5",
    )
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument(
        "--feed",
        type=_ident,
        action="append",
        metavar="ID",
        help="only this feed (repeat for several)",
    )

    p = command(
        "import",
        "subscribe to every feed of an OPML file or a newsboat urls file, then fetch them",
        examples="""
reader import subscriptions.opml
reader import ~/.newsboat/urls --newsboat-cache ~/.newsboat/cache.db
""",
        more="A newsboat urls file brings its tags as categories and its query feeds as saved\n"
        "searches in the config file; its cache brings read state, and flagged items are saved.",
    )
    p.add_argument(
        "file", metavar="FILE", help="an OPML file, or newsboat's urls file (one feed a line)"
    )
    p.add_argument(
        "--newsboat-cache",
        metavar="CACHE.DB",
        help="newsboat's cache.db: keep its items, read state and flagged items (as saved)",
    )

    command(
        "export",
        "print the subscriptions as OPML 2.0",
        examples="reader export > subscriptions.opml",
    )


def _reading(command: Command) -> None:
    p = command(
        "entries",
        "list entries, newest first",
        examples="reader entries --unread --limit 20\nreader entries --feed 2 --json",
        more="Marks: * unread, S saved.",
    )
    p.add_argument("--feed", type=_ident, metavar="ID", help="only this feed's entries")
    p.add_argument("--unread", action="store_true", help="only entries not yet read")
    p.add_argument("--limit", type=_positive_int, metavar="N", help="at most N entries")
    p.add_argument("--json", action="store_true", help="one JSON object per entry, one per line")
    p.add_argument("--story", type=_ident, metavar="ID", help="only this story's entries")
    p.add_argument(
        "--saved-search",
        metavar="NAME",
        help="only the entries of this saved search ([[saved_searches]] in the config)",
    )

    p = command(
        "stories",
        "stories told by several entries (one event, several outlets), newest first",
        examples="reader stories --since 2025-07-01\nreader stories --json --min-size 3",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per story, one per line")
    p.add_argument("--since", metavar="DATE", help="only stories with an entry since DATE")
    p.add_argument(
        "--min-size",
        type=_positive_int,
        default=2,
        metavar="N",
        help="only stories with at least N entries (default 2)",
    )

    p = command(
        "search",
        "full-text search over entries and saved articles",
        examples="""
reader search harbour strike
reader search 'rail OR ferry -"bus replacement"'
reader search --json zeppelin | jq .id
""",
        more="Words are stemmed (strike finds strikes); the last word is also a prefix.\n"
        "Exit status 1 when nothing matches, as grep.",
    )
    p.add_argument(
        "query",
        nargs="+",
        metavar="WORD",
        help='words that must all occur; also OR, "a phrase", -word (quote it), prefix*',
    )
    p.add_argument("--limit", type=_positive_int, default=50, metavar="N", help="at most N hits")
    p.add_argument("--json", action="store_true", help="one JSON object per hit, one per line")

    p = command(
        "read",
        "mark an entry read, or many at once (a feed, a saved search, a date, everything)",
        examples="""
reader read 6
reader read --feed 2
reader read --before 2025-07-01
reader read --all
""",
        more="A story reached through several feeds (the same link) is marked read in each.",
    )
    p.add_argument(
        "target",
        nargs="*",
        metavar="[entry] ID",
        help="the entry's id in 'reader entries' (leave out with a bulk option)",
    )
    p.add_argument("--feed", type=_ident, metavar="ID", help="every entry of this feed")
    p.add_argument("--saved-search", metavar="NAME", help="every entry of this saved search")
    p.add_argument(
        "--before", metavar="DATE", help="only entries published before DATE (YYYY-MM-DD)"
    )
    p.add_argument("--all", action="store_true", help="every entry of the library")
    p = command("unread", "mark an entry unread", examples="reader unread 6")
    _add_kind_and_id(p, ("entry",), "the entry's id in 'reader entries'")


def _library(command: Command) -> None:
    p = command(
        "save",
        "keep an article for offline reading",
        examples="reader save 6\nreader save https://example.org/news/story",
        more="The page is fetched (or its cached copy reused) and kept until 'reader unsave'.",
    )
    p.add_argument(
        "kind",
        nargs="?",
        choices=("entry",),
        metavar="KIND",
        help="'entry' before an ID, optional: 'reader save entry 6' is 'reader save 6'",
    )
    p.add_argument(
        "target",
        metavar="URL|ID",
        help="a page's web address, or an entry id from 'reader entries'",
    )

    p = command(
        "unsave",
        "stop keeping a saved article",
        examples="reader unsave 1\nreader unsave entry 6",
    )
    _add_kind_and_id(p, ("article", "entry"), "the article's id in 'reader saved' (or an entry id)")

    p = command("saved", "list saved articles")
    p.add_argument("--json", action="store_true", help="one JSON object per article, one per line")

    p = command(
        "show",
        "print a saved or cached article (offline)",
        examples="reader show 1\nreader show entry 6 --format html > story.html",
    )
    _add_kind_and_id(p, ("article", "entry"), "the article's id in 'reader saved' (or an entry id)")
    p.add_argument(
        "--format",
        choices=("md", "html", "json"),
        default="md",
        help="Markdown, a standalone HTML page, or the engine's JSON",
    )


def _quiet_interrupted_tasks() -> None:
    """A stop that lands inside `asyncio.run` leaves its task holding the exception, and
    asyncio would print "Task exception was never retrieved" with a traceback when the
    task is collected: the one line already said it all."""
    import logging

    logging.getLogger("asyncio").disabled = True


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into the same orderly stop as Ctrl-C (exit status 143)."""


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While a command runs, `kill` stops it like Ctrl-C: writes in flight finish or
    roll back, worker processes are shut down, and one line says why."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (main() called from a worker thread)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _report(message: str) -> None:
    """One sanitised line on stderr (a message can quote a server's header or a URL)."""
    from reader.commands._output import report

    report(message)


def _first_screen(args: argparse.Namespace) -> FirstScreen | None:
    """The newest entries drawn at once, before Textual loads (never for the demo)."""
    if args.demo or os.environ.get("READER_NO_FIRST_SCREEN"):
        return None
    from reader import config
    from reader.first_screen import show

    return show(config.data_dir(args.data_dir) / config.DATABASE_NAME)


def _parse(argv: list[str]) -> argparse.Namespace:
    """Parse; an unknown option is reported against its sub-command's `--help`."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        target: argparse.ArgumentParser = parser
        if args.command:
            target = subcommands(parser)[args.command]
        target.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        args = _parse(args_list)
        if args.command is None:
            from reader.tui.launch import launch

            return launch(data_dir=args.data_dir, demo=args.demo, first=_first_screen(args))
        module_name, function_name = HANDLERS[args.command].split(":")
        handler = getattr(importlib.import_module(module_name), function_name)
        with _sigterm_as_interrupt():
            return int(handler(args) or 0)
    except UsageError as error:
        _report(str(error))
        return 2
    except ReaderError as error:
        if debug:
            raise
        _report(str(error))
        return 1
    except KeyboardInterrupt as error:
        _quiet_interrupted_tasks()
        if isinstance(error, Terminated):
            _report("terminated")
            return 143
        _report("interrupted")
        return 130
    except BrokenPipeError:
        # `reader entries --json | head`: the reader went away; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as error:  # the last line of defence: never a traceback
        if debug:
            raise
        _report(f"internal error: {type(error).__name__}: {error} (run with --debug for details)")
        return 1
