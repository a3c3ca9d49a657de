"""A call run by `run_interruptible` stops when its caller stops waiting."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from reader.interruptible import THREAD_NAME, run_interruptible


def _worker_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


def test_the_result_and_the_error_reach_the_caller() -> None:
    assert asyncio.run(run_interruptible(lambda: 6 * 7)) == 42

    def fail() -> None:
        raise ValueError("bad page")

    with pytest.raises(ValueError, match="bad page"):
        asyncio.run(run_interruptible(fail))


def test_cancelling_the_await_stops_a_busy_call_at_once() -> None:
    started, finished = threading.Event(), threading.Event()

    def busy() -> int:
        started.set()
        count, end = 0, time.monotonic() + 60
        while time.monotonic() < end:  # pure Python, never checks anything
            count += 1
        finished.set()
        return count

    async def scenario() -> float:
        task = asyncio.create_task(run_interruptible(busy))
        assert await asyncio.to_thread(started.wait, 10)
        (thread,) = _worker_threads()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        begun = time.monotonic()
        await asyncio.to_thread(thread.join, 10)
        assert not thread.is_alive()
        return time.monotonic() - begun

    stopped_within = asyncio.run(scenario())
    assert not finished.is_set()
    assert stopped_within < 2.0
    assert _worker_threads() == []
