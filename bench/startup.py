"""Start-up benchmark: `reader` vs newsboat on the same 100 feeds x 100 items.

Both programs run in a real pseudo-terminal (160x48). The clock starts when the
process is spawned and stops when the first screen holding the list has been
written to the terminal: for reader, the newest entry's title; for newsboat, the
feed list's "(100/100)" counts. Both read a cache filled beforehand from the
feedfarm (`reader import` + `reader refresh`; `newsboat -x reload`). Runs
alternate between the two programs; the medians are compared.

Then, in-process (Textual's headless driver, same library): the time to open a
cached article until it is painted, the latency of `j` in the 10,000-entry list,
and the resident memory of the app with the whole list loaded.

    .venv/bin/python bench/startup.py [--runs 9] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from _farm import start_farm  # bench/_farm.py: scripts run from bench/

ROOT = Path(__file__).resolve().parents[1]
READER = [sys.executable, "-m", "reader"]


def time_to_marker(
    argv: list[str],
    marker: bytes,
    env: dict[str, str],
    *,
    size: tuple[int, int] = (160, 48),
    timeout: float = 20.0,
    after: float = 0.0,
) -> tuple[float, int]:
    """Spawn `argv` on a new pty; seconds until `marker` is written, and peak RSS in kB.

    With `after`, the process keeps running that long past the marker before its
    memory is read (so a list that finishes loading in the background is counted).
    """
    master, slave = pty.openpty()
    cols, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    elapsed = float("nan")
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = (seen + chunk)[-200_000:]
            if marker in seen:
                elapsed = time.perf_counter() - start
                break
        deadline = time.perf_counter() + after
        while time.perf_counter() < deadline:  # keep draining so the app never blocks
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        peak = _peak_rss_kb(process.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)  # newsboat leaves its lock: removed below
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
    return elapsed, peak


def _peak_rss_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def fill_reader(env: dict[str, str], opml: Path, data: Path) -> None:
    if (data / "library.sqlite3").exists():
        return
    subprocess.run(
        [*READER, "--data-dir", str(data), "import", str(opml)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [*READER, "--data-dir", str(data), "refresh"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def fill_newsboat(env: dict[str, str], urls: Path, cache: Path, config: Path) -> None:
    config.write_text("")
    subprocess.run(
        ["newsboat", "-u", str(urls), "-c", str(cache), "-C", str(config), "-x", "reload"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _painted(app: object) -> None:
    """Return once the screen has been refreshed (painted) after the changes so far."""
    done = asyncio.Event()
    app.screen.call_after_refresh(done.set)  # type: ignore[attr-defined]
    await done.wait()


async def in_process_figures(data: Path) -> dict[str, float]:
    """Open cached articles and press j through the real app (headless driver)."""
    from reader.library import Library
    from reader.tui.app import ReaderApp
    from reader.tui.screens.main import MainScreen
    from reader.tui.widgets.entry_list import EntryList

    library = Library(data)
    figures: dict[str, float] = {}
    try:
        entries = library.entries(limit=3)
        for entry in entries[1:3]:  # fill the cache (network) for two stories
            await library.open_article(entry.url or "", entry_id=entry.id)
        app = ReaderApp(library)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, MainScreen)
            entry_list = screen.query_one("#entries", EntryList)
            figures["entries_listed"] = len(entry_list.entries)
            opens, opens_cpu = [], []
            for index in (1, 2, 1, 2, 1, 2, 1):
                entry_list.move_to(index)
                entry_list.focus()
                await pilot.pause()
                target = entry_list.entries[index].id
                start, cpu = time.perf_counter(), time.process_time()
                entry_list.action_open()  # what Enter does
                while not (
                    screen.reading
                    and screen.reading.entry
                    and screen.reading.entry.id == target
                    and screen.reading.showing == "full"
                ):
                    await asyncio.sleep(0.001)
                await _painted(app)
                opens.append(time.perf_counter() - start)
                opens_cpu.append(time.process_time() - cpu)
                await pilot.pause()
            figures["cached_open_ms_median"] = statistics.median(opens) * 1000
            figures["cached_open_ms_max"] = max(opens) * 1000
            figures["cached_open_cpu_ms_median"] = statistics.median(opens_cpu) * 1000
            entry_list.focus()
            entry_list.move_to(0)
            await pilot.pause()
            presses, presses_cpu = [], []
            for _ in range(300):
                start, cpu = time.perf_counter(), time.process_time()
                entry_list.action_cursor_down()  # what j does
                await _painted(app)
                presses.append(time.perf_counter() - start)
                presses_cpu.append(time.process_time() - cpu)
            figures["j_ms_median"] = statistics.median(presses) * 1000
            figures["j_ms_max"] = max(presses) * 1000
            figures["j_cpu_ms_median"] = statistics.median(presses_cpu) * 1000
            figures["j_cpu_ms_max"] = max(presses_cpu) * 1000
            figures["cursor_after_300_j"] = entry_list.cursor
    finally:
        library.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--workdir", help="keep the libraries here between runs")
    parser.add_argument(
        "--port",
        type=int,
        default=18779,
        help="the farm's port (fixed, so kept libraries stay valid)",
    )
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="reader-startup-"))
    workdir.mkdir(parents=True, exist_ok=True)
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "READER_CONFIG": str(workdir / "reader-config.toml"),
        "COLORTERM": "truecolor",
    }
    env.pop("TEXTUAL", None)
    started = start_farm(workdir, args.feeds, args.items, port=args.port)
    farm, urls, opml = started.process, started.urls, started.opml
    try:
        data = workdir / "reader"
        fill_reader(env, opml, data)
        cache, config = workdir / "newsboat-cache.db", workdir / "newsboat-config"
        if not cache.exists():
            fill_newsboat(env, urls, cache, config)
        out = subprocess.run(
            [*READER, "--data-dir", str(data), "entries", "--limit", "1", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        newest = json.loads(out.stdout.splitlines()[0])["title"]
        count = subprocess.run(
            [
                sys.executable,
                "-c",
                (
                    "import sys; from reader.library import Library; "
                    "lib = Library(sys.argv[1]); print(len(lib.entries())); lib.close()"
                ),
                str(data),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        reader_marker = newest[:24].encode()
        reader_argv = [*READER, "--data-dir", str(data)]
        newsboat_argv = ["newsboat", "-u", str(urls), "-c", str(cache), "-C", str(config)]
        reader_times, newsboat_times, reader_rss = [], [], []
        for _ in range(args.runs):
            seconds, _ = time_to_marker(newsboat_argv, b"(100/100)", env)
            newsboat_times.append(seconds)
            Path(f"{cache}.lock").unlink(missing_ok=True)
            seconds, rss = time_to_marker(reader_argv, reader_marker, env, after=1.5)
            reader_times.append(seconds)
            reader_rss.append(rss)
        figures = asyncio.run(in_process_figures(data))
    finally:
        farm.terminate()
        farm.wait()
    reader_median = statistics.median(reader_times)
    newsboat_median = statistics.median(newsboat_times)
    print(f"library: {count} entries in {args.feeds} feeds; runs: {args.runs} each, alternating")
    print(
        f"newsboat  first paint: median {newsboat_median * 1000:.0f} ms "
        f"(min {min(newsboat_times) * 1000:.0f}, max {max(newsboat_times) * 1000:.0f})"
    )
    print(
        f"reader    first paint: median {reader_median * 1000:.0f} ms "
        f"(min {min(reader_times) * 1000:.0f}, max {max(reader_times) * 1000:.0f})"
    )
    print(f"ratio reader/newsboat: {reader_median / newsboat_median:.2f} (target <= 2.00)")
    print(
        f"reader peak RSS with the full list loaded: {max(reader_rss) / 1024:.0f} MB "
        "(target <= 150)"
    )
    print(f"entries in the app's list: {figures['entries_listed']:.0f}")
    print(
        f"open a cached article until painted: median {figures['cached_open_ms_median']:.0f} ms,"
        f" max {figures['cached_open_ms_max']:.0f} ms (target <= 100); CPU median "
        f"{figures['cached_open_cpu_ms_median']:.0f} ms"
    )
    print(
        f"j in the list until painted: median {figures['j_ms_median']:.1f} ms, "
        f"max {figures['j_ms_max']:.1f} ms (300 presses, cursor at "
        f"{figures['cursor_after_300_j']:.0f}); CPU median {figures['j_cpu_ms_median']:.1f} ms, "
        f"max {figures['j_cpu_ms_max']:.1f} ms"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
