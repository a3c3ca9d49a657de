#!/usr/bin/env python3
"""Refresh speed and memory against newsboat, on the loopback feed farm, in one run.

    .venv/bin/python bench/refresh.py                      # 300 feeds x 30 items, 100 ms
    .venv/bin/python bench/refresh.py --per-host 300       # as if every feed had its own host
    .venv/bin/python bench/refresh.py --transport lean,aiohttp   # our transport beside
                                                           # httpx-aiohttp's (pip install it)

It starts `../shared/bench/feedfarm.py`, then measures, in this order:
1. `newsboat -x reload` (reload-threads 16, fresh cache, temporary HOME) twice:
   the first fills its cache, the second is its "nothing changed" reload;
2. `reader refresh` on a fresh library holding the same feeds (subscribed from
   the farm's OPML without fetching), twice: the first stores every entry, the
   second gets a 304 for every feed (once per `--transport`, in the order given, each
   on a fresh library; READER_TRANSPORT selects it). Peak memory is the largest sum of RSS over
   the `reader` process and its children (the parse workers), sampled every 10 ms.
Figures and ratios are printed; the machine is shared, so compare ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from _farm import start_farm  # bench/_farm.py: scripts run from bench/

ROOT = Path(__file__).resolve().parents[1]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, float] = {}
"""CPU seconds (user + system, process and its children) of each timed command, by label."""


def timed(command: list[str], env: dict[str, str], label: str = "") -> tuple[float, int, str]:
    """Wall seconds, peak RSS (bytes, process tree) and stdout of one command."""
    cpu_before = children_cpu()
    started = time.perf_counter()
    process = psutil.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.01)
    elapsed = time.perf_counter() - started
    CPU[label] = children_cpu() - cpu_before
    out = process.stdout.read().decode() if process.stdout else ""
    if process.returncode:
        raise SystemExit(f"{command[0]} failed with status {process.returncode}")
    return elapsed, peak, out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--delay-ms", type=int, default=100)
    parser.add_argument(
        "--per-host", type=int, help="READER_PER_HOST for reader (default: its own)"
    )
    parser.add_argument("--skip-newsboat", action="store_true")
    parser.add_argument(
        "--transport",
        default="lean",
        help="comma-separated transports measured in turn: lean (ours), aiohttp (httpx-aiohttp)",
    )
    args = parser.parse_args()
    transports = [name.strip() for name in args.transport.split(",") if name.strip()]

    workdir = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    started = start_farm(workdir, args.feeds, args.items, delay_ms=args.delay_ms)
    farm, urls, opml = started.process, started.urls, started.opml
    try:
        results: dict[str, float] = {}
        if not args.skip_newsboat:
            home = workdir / "newsboat-home"
            home.mkdir()
            config = home / "config"
            config.write_text("reload-threads 16\n")
            env = {
                **os.environ,
                "HOME": str(home),
                "XDG_CONFIG_HOME": str(home / ".config"),
                "XDG_DATA_HOME": str(home / ".local"),
            }
            command = [
                "newsboat",
                "-x",
                "reload",
                "-u",
                str(urls),
                "-c",
                str(home / "cache.db"),
                "-C",
                str(config),
            ]
            results["newsboat first"], _, _ = timed(command, env, "newsboat first")
            results["newsboat second"], _, _ = timed(command, env, "newsboat second")

        sys.path.insert(0, str(ROOT))
        from reader.library import Library

        runs: dict[str, tuple[float, int, dict[str, int], float, int, dict[str, int]]] = {}
        for transport in transports:
            data = workdir / f"reader-data-{transport}"
            with Library(data) as library:
                library.import_opml(opml)
            env = {**os.environ, "READER_TRANSPORT": transport}
            if args.per_host:
                env["READER_PER_HOST"] = str(args.per_host)
            command = [
                str(Path(sys.executable).with_name("reader")),
                "--data-dir",
                str(data),
                "refresh",
                "--json",
            ]
            first, first_peak, out = timed(command, env, f"{transport} first")
            first_summary = json.loads(out)
            second, second_peak, out = timed(command, env, f"{transport} second")
            second_summary = json.loads(out)
            runs[transport] = (
                first,
                first_peak,
                first_summary,
                second,
                second_peak,
                second_summary,
            )
    finally:
        farm.terminate()
        farm.wait()
    shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"farm: {args.feeds} feeds x {args.items} items, {args.delay_ms} ms per response; "
        f"reader per-host limit: {args.per_host or 'default'}; {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for name, seconds in results.items():
        print(f"{name:24} {seconds:6.2f} s  cpu {CPU[name]:5.2f} s")
    for transport, (
        first,
        first_peak,
        first_summary,
        second,
        second_peak,
        second_summary,
    ) in runs.items():
        label = f"reader ({transport})"
        print(
            f"{label + ' first':24} {first:6.2f} s  cpu {CPU[transport + ' first']:5.2f} s  "
            f"peak {first_peak / 2**20:5.0f} MB  "
            f"ok {first_summary['ok']} failed {first_summary['failed']} "
            f"new {first_summary['new_entries']}"
        )
        print(
            f"{label + ' second':24} {second:6.2f} s  cpu {CPU[transport + ' second']:5.2f} s  "
            f"peak {second_peak / 2**20:5.0f} MB  "
            f"not modified {second_summary['not_modified']} failed {second_summary['failed']}"
        )
        if results:
            nb_first, nb_second = results["newsboat first"], results["newsboat second"]
            print(
                f"  {transport}: first refresh  / newsboat first reload : "
                f"{first / nb_first:.2f}x (target <= 0.40)"
            )
            print(
                f"  {transport}: second refresh / newsboat first reload : "
                f"{second / nb_first:.2f}x (target <= 0.15)"
            )
            print(
                f"  {transport}: second refresh / newsboat second reload: {second / nb_second:.2f}x"
            )


if __name__ == "__main__":
    main()
