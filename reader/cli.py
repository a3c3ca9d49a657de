"""The `reader` command line: parse, call the library or the engine, print.

The sub-command names and flags are a contract (scripts depend on them). Handlers
live in `reader.commands.*` and are imported only when their command runs, so
`reader` with no arguments starts the app without loading httpx or readability.
Every failure ends in one line on stderr: status 2 for wrong usage, 1 otherwise.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

from reader import __version__
from reader.errors import ReaderError, UsageError

# command -> "module:function"; the function takes the parsed namespace, returns an exit code.
HANDLERS: dict[str, str] = {
    "article": "reader.commands.article:run",
    "add": "reader.commands.feeds:add",
    "remove": "reader.commands.feeds:remove",
    "feeds": "reader.commands.feeds:list_feeds",
    "import": "reader.commands.feeds:import_opml",
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
    "stories": "reader.commands.stories:list_stories",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line instead of usage + error."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _positive_int(text: str) -> int:
    """argparse type for counts such as --limit: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="reader",
        description="A terminal news reader. With no command, opens the app on your library.",
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
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    command = functools.partial(sub.add_parser, parents=[common])

    p = command("article", help="clean article pages (URL, .html or .txt) into structure")
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--json", action="store_true", help="one JSON object per source, one per line")
    p.add_argument("--url", help="the page's address, for a local file (resolves relative links)")

    p = command("add", help="subscribe to a feed (a page URL is followed to its feed)")
    p.add_argument("url")
    p.add_argument("--category", help="folder to put the feed in")

    p = command("remove", help="unsubscribe (by URL or id)")
    p.add_argument("feed", metavar="URL|ID")

    p = command("feeds", help="list subscriptions")
    p.add_argument("--json", action="store_true")

    p = command("import", help="subscribe to every feed in an OPML file")
    p.add_argument("file", metavar="FILE.opml")

    command("export", help="print the subscriptions as OPML 2.0")

    p = command("refresh", help="fetch every feed")
    p.add_argument("--json", action="store_true")
    p.add_argument("--feed", type=int, action="append", metavar="ID", help="only this feed")

    p = command("entries", help="list entries, newest first")
    p.add_argument("--feed", type=int, metavar="ID")
    p.add_argument("--unread", action="store_true")
    p.add_argument("--limit", type=_positive_int, metavar="N")
    p.add_argument("--json", action="store_true")
    p.add_argument("--story", type=int, metavar="ID", help="only this story's entries")

    p = command("stories", help="stories the entries are grouped into, newest first")
    p.add_argument("--json", action="store_true", help="one JSON object per story, one per line")
    p.add_argument("--since", metavar="DATE", help="only stories with an entry since DATE")
    p.add_argument("--min-size", type=_positive_int, default=2, metavar="N")

    p = command("search", help="full-text search over entries and saved articles")
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=_positive_int, default=50, metavar="N")
    p.add_argument("--json", action="store_true")

    for name, text in (("read", "mark an entry read"), ("unread", "mark an entry unread")):
        p = command(name, help=text)
        p.add_argument("id", type=int, metavar="ID")

    p = command("save", help="keep an article for offline reading")
    p.add_argument("target", metavar="URL|ENTRY_ID")

    p = command("unsave", help="stop keeping a saved article")
    p.add_argument("id", type=int, metavar="ID")

    p = command("saved", help="list saved articles")
    p.add_argument("--json", action="store_true")

    p = command("show", help="print a saved or cached article (offline)")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--format", choices=("md", "html", "json"), default="md")
    return parser


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
    sys.stderr.write(f"reader: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        args = build_parser().parse_args(args_list)
        if args.command is None:
            from reader.tui.launch import launch

            return launch(data_dir=args.data_dir, demo=args.demo)
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
