"""Starting `../shared/bench/feedfarm.py` for a benchmark: one helper for every script."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

FEEDFARM = Path(__file__).resolve().parents[2] / "shared" / "bench" / "feedfarm.py"


@dataclass
class Farm:
    """A running farm: its process, base URL and the feed lists it wrote."""

    process: subprocess.Popen[bytes]
    base: str
    urls: Path
    """The feed URLs, one a line."""
    opml: Path
    """The same feeds as OPML."""


def start_farm(workdir: Path, feeds: int, items: int, *, delay_ms: int = 0, port: int = 0) -> Farm:
    """Start the farm and wait (20 s at most) until it listens; exit the script if it cannot."""
    urls, opml, ready = workdir / "urls.txt", workdir / "feeds.opml", workdir / "ready.txt"
    ready.unlink(missing_ok=True)
    process = subprocess.Popen(
        [
            sys.executable,
            str(FEEDFARM),
            "--feeds",
            str(feeds),
            "--items",
            str(items),
            "--delay-ms",
            str(delay_ms),
            "--port",
            str(port),
            "--urls",
            str(urls),
            "--opml",
            str(opml),
            "--ready",
            str(ready),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not ready.exists() or not ready.read_text().strip():
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit("feedfarm did not start")
        time.sleep(0.05)
    return Farm(process, ready.read_text().strip(), urls, opml)
