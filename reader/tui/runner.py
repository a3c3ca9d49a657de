"""Run the library's coroutines on a loop of their own, in one background thread.

The library's async methods (refresh, open, save, add) may parse feeds and pages
on whatever loop awaits them. Running them on a separate loop keeps the UI's loop
free whatever the library does inside, so typing never stalls during a refresh,
and one loop for every call lets the library keep its HTTP client between calls.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class LibraryRunner:
    """A daemon thread owning an asyncio loop; `run()` awaits a coroutine on it."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        """Start the thread on first use, so launching the app costs nothing."""
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="reader-library", daemon=True
                )
                thread.start()
                self._loop, self._thread = loop, thread
            return self._loop

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Await `coroutine` on the library loop from the caller's loop."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._ensure_loop())
        return await asyncio.wrap_future(future)

    def stop(self) -> None:
        """Stop the loop (pending calls are abandoned: the app is closing)."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is not None and thread is not None:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=2)
            if not thread.is_alive():
                loop.close()
