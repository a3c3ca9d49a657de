"""One fetch and clean per article at a time, and none once nobody waits for it.

A long page (thousands of paragraphs with quotes: seconds of cleaning) is served
on loopback. Two opens at once share one request and one clean; cancelling every
open interrupts the clean in its thread, stores nothing, and a later open starts
afresh.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest

from reader.interruptible import THREAD_NAME
from reader.library import Library
from tests.loopback import LoopbackServer, Response

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def long_page(paragraphs: int = 50_000) -> str:
    """Our own story, repeated until cleaning it takes seconds (5 s at 50,000 here)."""
    body = "".join(
        f'<p>Paragraph {n}: the harbour board met again about the ferry timetable, and "we '
        f'will publish the winter times in {n % 12 + 1} weeks", said Pilar Okafor, its chair.</p>'
        for n in range(paragraphs)
    )
    return f"<html><head><title>The longest ferry story</title></head><body><article><h1>The longest ferry story</h1>{body}</article></body></html>"


def clean_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


async def until(condition: object, seconds: float = 30.0) -> None:
    """Wait for `condition()` to hold, checking between event-loop turns."""
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


async def test_two_opens_at_once_share_one_fetch_and_one_clean(
    tmp_path: Path, loopback: LoopbackServer
) -> None:
    loopback.routes["/long"] = Response(long_page(2_000))
    url = loopback.url("/long")
    with Library(tmp_path / "lib") as library:
        first, second = await asyncio.gather(library.open_article(url), library.open_article(url))
        assert loopback.hits["/long"] == 1
        assert first.id == second.id and first.article is not None
        assert library.opening == frozenset()


async def test_leaving_before_the_clean_ends_stops_it_and_keeps_nothing(
    tmp_path: Path, loopback: LoopbackServer
) -> None:
    loopback.routes["/long"] = Response(long_page())
    url = loopback.url("/long")
    with Library(tmp_path / "lib") as library:
        readers = [asyncio.create_task(library.open_article(url)) for _ in range(2)]
        await until(lambda: bool(clean_threads()))
        (cleaning,) = clean_threads()
        readers[0].cancel()
        await asyncio.sleep(0)
        assert cleaning.is_alive(), "one reader still waits: the clean goes on"
        readers[1].cancel()
        begun = time.monotonic()
        await asyncio.to_thread(cleaning.join, 10)
        assert not cleaning.is_alive() and time.monotonic() - begun < 1.5
        assert all(task.cancelled() for task in readers)
        await until(lambda: library.opening == frozenset())
        assert library.cached_article(url) is None
        assert loopback.hits["/long"] == 1


async def test_an_open_right_after_every_reader_left_starts_afresh(
    tmp_path: Path, loopback: LoopbackServer
) -> None:
    loopback.routes["/long"] = Response(long_page(2_000))
    url = loopback.url("/long")
    with Library(tmp_path / "lib") as library:
        leaving = asyncio.create_task(library.open_article(url))
        await until(lambda: url in library.opening)
        leaving.cancel()
        await asyncio.sleep(0)  # the cancellation lands: the shared work is abandoned
        again = await library.open_article(url)
        assert again.article is not None and again.article.title == "The longest ferry story"
        assert leaving.cancelled()
