"""Run a CPU-bound call in a thread that stops when nobody wants its result.

`asyncio.to_thread` cannot stop its thread: cancelling the awaiting task leaves
the call running to the end, so a page that takes a minute to clean keeps a core
busy for that minute after the reader has moved on, and opening the story again
starts a second clean beside it. Here each call gets a thread of its own; when
the awaiting task is cancelled, CPython's `PyThreadState_SetAsyncExc` raises
`Interrupted` inside that thread at its next Python instruction, so the call
unwinds (releasing what it built) within milliseconds. Code running in C (lxml
parsing one document) finishes its current step first; every such step is bounded
by the engine's size caps.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

THREAD_NAME = "reader-interruptible"
"""The name of every thread started here (tests and `--debug` look for it)."""


class Interrupted(BaseException):
    """Raised inside the worker thread when its caller stopped waiting.

    A BaseException, so `except Exception` in the called code cannot swallow it.
    """


class _Call:
    """One call in its own thread, and whether it may still be interrupted."""

    def __init__(self, func: Callable[[], object], deliver: Callable[..., None]) -> None:
        self._func, self._deliver = func, deliver
        self._lock = threading.Lock()
        self._running = True
        self.thread = threading.Thread(target=self._work, name=THREAD_NAME, daemon=True)

    def _work(self) -> None:
        # Every line sits inside the `try`, so an interrupt that lands late (after the
        # call returned, before `_running` was cleared) still ends here, silently.
        try:
            try:
                outcome: tuple[str, object] = ("result", self._func())
            except Exception as error:  # handed to the awaiting task, raised there
                outcome = ("error", error)
            finally:
                with self._lock:
                    self._running = False
            self._deliver(*outcome)
        except Interrupted:
            return

    def interrupt(self) -> None:
        """Raise `Interrupted` in the thread if the call is still running."""
        with self._lock:
            if self._running and self.thread.ident is not None:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self.thread.ident), ctypes.py_object(Interrupted)
                )


async def run_interruptible(func: Callable[[], T]) -> T:
    """Await `func()` run in its own thread; cancelling the await interrupts the thread."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(kind: str, value: object) -> None:
        if future.done():
            return
        if kind == "error":
            future.set_exception(value)  # type: ignore[arg-type]
        else:
            future.set_result(value)  # type: ignore[arg-type]

    def deliver(kind: str, value: object) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting
            loop.call_soon_threadsafe(settle, kind, value)

    call = _Call(func, deliver)
    call.thread.start()
    try:
        return await future
    except asyncio.CancelledError:
        call.interrupt()
        raise
