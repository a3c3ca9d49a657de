"""Start-up benchmark: `reader` vs newsboat on the same items, in a real pty (160x48).

The clock starts when the process is spawned and stops when the list has been
written to the terminal: for reader, the newest entry's title, timed twice in one
launch: in the first screen drawn before Textual loads (`reader.first_screen`) and
in the app's own paint (the title written after Textual's driver has started); for
newsboat, the feed list's "(100/100)" counts. Runs alternate between the programs.

Default mode: 100 feeds x 100 items from the feedfarm (`reader import` + `reader
refresh`; `newsboat -x reload`), then in-process (Textual's headless driver): opening
a cached article until painted, `j` in the list, and the app's memory.

`--sizes 10000,100000,300000`: libraries of that many entries built directly
(bench/library_scale.py: our store's write path, and newsboat's own empty cache.db
filled with the same items by sqlite3; 100 items a feed). newsboat is timed on its
cache as it leaves it (never analysed: `--unanalysed-runs`, default 1, since it takes
minutes at 300k) and on a copy after one `ANALYZE`; reader with and without its
first screen (READER_NO_FIRST_SCREEN=1).

    .venv/bin/python bench/startup.py [--runs 9] [--workdir DIR]
    .venv/bin/python bench/startup.py --sizes 10000,100000,300000 --runs 5 --workdir DIR
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
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

from _farm import start_farm  # bench/_farm.py: scripts run from bench/

ROOT = Path(__file__).resolve().parents[1]
READER = [sys.executable, "-m", "reader"]


TEXTUAL_STARTED = b"\x1b[?1003h"
"""Textual's driver turning mouse reporting on: what comes after it is the app's own paint
(the first screen, `reader.first_screen`, never writes it)."""


def time_to_marker(
    argv: list[str],
    marker: bytes,
    env: dict[str, str],
    *,
    size: tuple[int, int] = (160, 48),
    timeout: float = 20.0,
    after: float = 0.0,
) -> tuple[float, int]:
    """Spawn `argv` on a new pty; seconds until `marker` is written, and peak RSS in kB."""
    output, chunks, peak = run_on_pty(
        argv, env, lambda seen: marker in seen, size=size, timeout=timeout, after=after
    )
    at = output.find(marker)
    return (_time_at(chunks, at + len(marker)) if at >= 0 else float("nan")), peak


def reader_paints(
    argv: list[str],
    marker: bytes,
    env: dict[str, str],
    *,
    timeout: float = 60.0,
    settle: float = 1.5,
) -> tuple[float, float, int]:
    """(first screen, the app's paint, peak RSS kB) of one `reader` launch.

    The first screen is `marker` written before Textual's driver started (nan when there
    was none); the app's paint, `marker` written after it."""

    def painted(seen: bytes) -> bool:
        started = seen.find(TEXTUAL_STARTED)
        return started >= 0 and seen.find(marker, started) >= 0

    output, chunks, peak = run_on_pty(argv, env, painted, timeout=timeout, after=settle)
    started = output.find(TEXTUAL_STARTED)
    first = output.find(marker)
    app = output.find(marker, max(0, started))
    frame = _time_at(chunks, first + len(marker)) if 0 <= first < started else float("nan")
    paint = _time_at(chunks, app + len(marker)) if started >= 0 and app >= 0 else float("nan")
    return frame, paint, peak


def run_on_pty(
    argv: list[str],
    env: dict[str, str],
    done: Callable[[bytes], bool],
    *,
    size: tuple[int, int] = (160, 48),
    timeout: float = 20.0,
    after: float = 0.0,
) -> tuple[bytes, list[tuple[int, float]], int]:
    """Spawn `argv` on a new pty and read until `done(output)`: the output, when each
    chunk arrived ((end offset, seconds since the spawn)) and the peak RSS in kB.

    With `after`, the process keeps running that long past `done` before its memory is
    read (so a list that finishes loading in the background is counted).
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
    chunks: list[tuple[int, float]] = []
    try:
        while time.perf_counter() - start < timeout and not done(seen):
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen += chunk
            chunks.append((len(seen), time.perf_counter() - start))
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
    return seen, chunks, peak


def _time_at(chunks: list[tuple[int, float]], offset: int) -> float:
    """When the byte at `offset` had arrived."""
    return next((seconds for end, seconds in chunks if end >= offset), float("nan"))


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


def _ms(values: list[float]) -> str:
    """Median (min-max) in ms of the runs that produced a figure."""
    real = [v for v in values if v == v]
    if not real:
        return "none (timed out)"
    return (
        f"{statistics.median(real) * 1000:.0f} ms ({min(real) * 1000:.0f}-{max(real) * 1000:.0f})"
    )


def _environment(workdir: Path) -> dict[str, str]:
    home = workdir / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "READER_CONFIG": str(workdir / "reader-config.toml"),
        "COLORTERM": "truecolor",
    }
    env.pop("TEXTUAL", None)
    env.pop("READER_NO_FIRST_SCREEN", None)
    return env


def _newest_title(data: Path, env: dict[str, str]) -> bytes:
    out = subprocess.run(
        [*READER, "--data-dir", str(data), "entries", "--limit", "1", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return str(json.loads(out.stdout.splitlines()[0])["title"])[:24].encode()


def _newsboat_runs(
    argv: list[str], cache: Path, env: dict[str, str], runs: int, timeout: float
) -> list[float]:
    times = []
    for _ in range(runs):
        seconds, _ = time_to_marker(argv, b"(100/100)", env, timeout=timeout)
        Path(f"{cache}.lock").unlink(missing_ok=True)
        times.append(seconds)
    return times


def scale_mode(args: argparse.Namespace, workdir: Path) -> int:
    """At each size: the first screen, the app's paint and memory, beside newsboat on
    the same items, its cache as newsboat leaves it and after one ANALYZE."""
    from library_scale import prepare  # bench/library_scale.py builds both databases

    env = _environment(workdir)
    for size in args.sizes:
        data, cache = prepare(workdir, size)
        analysed = cache.parent.parent / f"newsboat-{size}-analysed" / "cache.db"
        if not analysed.exists():
            analysed.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cache, analysed)
            db = sqlite3.connect(analysed)
            db.execute("ANALYZE")
            db.close()
        marker = _newest_title(data, env)
        config = cache.parent / "newsboat-config"
        config.write_text("")
        reader_argv = [*READER, "--data-dir", str(data)]
        frames, paints, rss, plain = [], [], [], []
        nb_analysed: list[float] = []
        for _ in range(args.runs):
            argv = ["newsboat", "-u", str(cache.parent / "urls"), "-c", str(analysed)]
            nb_analysed += _newsboat_runs([*argv, "-C", str(config)], analysed, env, 1, 120)
            frame, paint, peak = reader_paints(reader_argv, marker, env, settle=args.settle)
            frames.append(frame)
            paints.append(paint)
            rss.append(peak)
            quiet = {**env, "READER_NO_FIRST_SCREEN": "1"}
            plain.append(reader_paints(reader_argv, marker, quiet)[1])
        as_left = _newsboat_runs(
            ["newsboat", "-u", str(cache.parent / "urls"), "-c", str(cache), "-C", str(config)],
            cache,
            env,
            args.unanalysed_runs,
            args.newsboat_timeout,
        )
        print(f"{size} entries ({size // 100} feeds x 100), {args.runs} runs alternating:")
        print(f"  reader first screen          {_ms(frames)}")
        print(f"  reader app painted           {_ms(paints)}")
        print(f"  reader app, no first screen  {_ms(plain)}")
        print(f"  reader peak RSS ({args.settle:.1f} s after the paint) {max(rss) / 1024:.0f} MB")
        print(f"  newsboat, analysed cache     {_ms(nb_analysed)}")
        print(
            f"  newsboat, cache as it leaves it ({args.unanalysed_runs} runs, "
            f"timeout {args.newsboat_timeout:.0f} s) {_ms(as_left)}"
        )
        best_frame = statistics.median([f for f in frames if f == f] or [float("nan")])
        reference = statistics.median(nb_analysed) if nb_analysed else float("nan")
        print(
            f"  ratio first screen / newsboat analysed: {best_frame / reference:.2f}; "
            f"app / newsboat analysed: {statistics.median(paints) / reference:.2f}"
        )
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--workdir", help="keep the libraries here between runs")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        help="e.g. 10000,100000,300000: libraries built directly (bench/library_scale.py) "
        "instead of through the farm; newsboat analysed and as it leaves its cache",
    )
    parser.add_argument("--unanalysed-runs", type=int, default=1)
    parser.add_argument(
        "--settle", type=float, default=1.5, help="seconds after the paint before reading RSS"
    )
    parser.add_argument("--newsboat-timeout", type=float, default=150.0)
    parser.add_argument(
        "--port",
        type=int,
        default=18779,
        help="the farm's port (fixed, so kept libraries stay valid)",
    )
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="reader-startup-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.sizes:
        return scale_mode(args, workdir)
    env = _environment(workdir)
    started = start_farm(workdir, args.feeds, args.items, port=args.port)
    farm, urls, opml = started.process, started.urls, started.opml
    try:
        data = workdir / "reader"
        fill_reader(env, opml, data)
        cache, config = workdir / "newsboat-cache.db", workdir / "newsboat-config"
        if not cache.exists():
            fill_newsboat(env, urls, cache, config)
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
        reader_marker = _newest_title(data, env)
        reader_argv = [*READER, "--data-dir", str(data)]
        newsboat_argv = ["newsboat", "-u", str(urls), "-c", str(cache), "-C", str(config)]
        frames, reader_times, newsboat_times, reader_rss = [], [], [], []
        for _ in range(args.runs):
            newsboat_times += _newsboat_runs(newsboat_argv, cache, env, 1, 20)
            frame, paint, rss = reader_paints(reader_argv, reader_marker, env)
            frames.append(frame)
            reader_times.append(paint)
            reader_rss.append(rss)
        figures = asyncio.run(in_process_figures(data))
    finally:
        farm.terminate()
        farm.wait()
    reader_median = statistics.median(reader_times)
    newsboat_median = statistics.median(newsboat_times)
    print(f"library: {count} entries in {args.feeds} feeds; runs: {args.runs} each, alternating")
    print(f"newsboat  first paint: {_ms(newsboat_times)}")
    print(f"reader    first screen (before Textual): {_ms(frames)}")
    print(f"reader    app painted: {_ms(reader_times)}")
    print(f"ratio reader app/newsboat: {reader_median / newsboat_median:.2f} (target <= 2.00)")
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
