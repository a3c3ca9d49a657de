"""Workers that cannot end the app.

Textual ends the app when a worker raises (unless `exit_on_error=False`, which
then drops the error silently). `reader_work` is `@work` with the error policy
the reader wants: an unexpected error becomes one sanitised notification and a
traceback in the log file (`ReaderHost.report_unexpected`); the app runs on.
Expected failures (`ReaderError`) are still handled where they happen, in words.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from textual import work
from textual.dom import DOMNode

from reader.tui.host import host

P = ParamSpec("P")
R = TypeVar("R")


def guarded(func: Callable[P, R]) -> Callable[P, Any]:
    """`func` (a method of a DOM node, sync or async) reporting what it raises instead."""

    def report(node: object, error: Exception) -> None:
        if isinstance(node, DOMNode):
            host(node).report_unexpected(error)

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def run_async(*args: P.args, **kwargs: P.kwargs) -> Any:
            try:
                return await func(*args, **kwargs)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                report(args[0] if args else None, error)
                return None

        return run_async

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return func(*args, **kwargs)
        except Exception as error:
            report(args[0] if args else None, error)
            return None

    return run


def reader_work(
    *, group: str = "default", exclusive: bool = False, thread: bool = False
) -> Callable[[Callable[P, Any]], Callable[P, Any]]:
    """`@work(...)` whose errors are reported, never fatal (`exit_on_error=False`)."""

    def decorate(func: Callable[P, Any]) -> Callable[P, Any]:
        return work(
            guarded(func), group=group, exclusive=exclusive, thread=thread, exit_on_error=False
        )

    return decorate
