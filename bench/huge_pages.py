"""How cleaning grows with page size: `reader article --json` on pages of 1 to 9.5 MB.

The pages are `bench/hostile.py`'s longest canal report (paragraphs, each with a
link onward), cut at each size, and 9.9 MB of one-letter paragraphs (1.2 million
elements: only the first `MAX_ELEMENTS` are read). Every run is a fresh `reader
article` process on a file, so the figures are the whole command's wall time and
peak memory. Also times the interruption of a clean that nobody
waits for any more (the app's case: the reader moved on), in-process.

    .venv/bin/python bench/huge_pages.py
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile import huge_page

from reader.interruptible import THREAD_NAME, run_interruptible
from reader.library import clean_article

SIZES_MB = (1.2, 2.4, 4.8, 9.5)


def run_article(path: Path) -> tuple[float, float, int]:
    """Wall seconds, peak MB (this child alone) and exit status of one `reader article`."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "reader", "article", "--json", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024, child.returncode


def tiny_paragraphs(size: int) -> bytes:
    """`size` bytes of one-letter paragraphs: the most elements a page can hold."""
    count = size // len(b"<p>a</p>")
    return b"<html><body><article>" + b"<p>a</p>" * count + b"</article></body></html>"


async def interrupt_after(page: bytes, seconds: float) -> float:
    """Start a clean, stop waiting after `seconds`; how long the thread takes to stop."""
    task = asyncio.create_task(
        run_interruptible(
            lambda: clean_article(page, "http://canal.test/", content_type="text/html")
        )
    )
    await asyncio.sleep(seconds)
    threads = [t for t in threading.enumerate() if t.name == THREAD_NAME]
    task.cancel()
    begun = time.perf_counter()
    for thread in threads:
        await asyncio.to_thread(thread.join, 30)
    return time.perf_counter() - begun


def main() -> None:
    print("page                     size MB   wall s  peak MB  s per MB  exit")
    with tempfile.TemporaryDirectory() as folder:
        pages = [
            (f"canal report, {size} MB", size, huge_page(int(size * 1e6))) for size in SIZES_MB
        ]
        pages.append(("one-letter paragraphs", 9.9, tiny_paragraphs(9_900_000)))
        for name, size, html in pages:
            path = Path(folder) / "page.html"
            path.write_bytes(html)
            wall, peak, status = run_article(path)
            print(f"{name:24} {size:7.1f} {wall:8.1f} {peak:8.0f} {wall / size:9.2f} {status:5d}")
    page = huge_page(9_500_000)
    stopped = [asyncio.run(interrupt_after(page, delay)) for delay in (0.5, 2.0, 5.0)]
    print(
        "interrupting a 9.5 MB clean 0.5 / 2 / 5 s in: stopped within "
        + " / ".join(f"{s * 1000:.0f} ms" for s in stopped)
    )


if __name__ == "__main__":
    main()
