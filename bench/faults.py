#!/usr/bin/env python3
"""Every misbehaving server in one library, through the real command line.

    .venv/bin/python bench/faults.py                 # 20 good feeds + every /fault/*
    .venv/bin/python bench/faults.py --good 50 --parse-workers 2

It starts `../shared/bench/feedfarm.py` and a second loopback server of its own
with the hostile servers the farm does not play (`HOSTILE` below: escape sequences
and C1 controls in headers and in a redirect, non-ASCII validators, a 9.5 MB feed,
entity bombs in EBCDIC and after 64 KB of padding, a bad port), plus a logging
HTTP proxy through which a few good feeds (under names only the proxy resolves)
are fetched, with HTTP_PROXY set for every command. It writes an OPML file with
the good feeds, every endpoint listed by `GET /fault/` and the hostile ones, then
runs, on a fresh data folder:
1. `reader import FILE.opml` (subscribes, then refreshes the new feeds),
2. `reader refresh` (everything again: good feeds answer 304, faults fail again),
measuring the wall time of each (it must end by itself within 60 s, with the
default 20 s timeout and 30 s deadline) and the peak memory of the `reader`
process tree (RSS summed over it and its children, sampled every 10 ms; the goal is
< 300 MB). Then it checks, through `reader feeds --json` and `reader entries --json`,
that every good entry was stored, that every fault feed has a readable one-line
`last_error` (or stored only clean entries), and that no stored title or summary
holds an escape sequence, control character or bidi override; and prints a table.
Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from xml.sax.saxutils import quoteattr

import psutil

ROOT = Path(__file__).resolve().parents[1]
WALL_LIMIT = 60.0
MEMORY_LIMIT = 300 * 2**20
sys.path.insert(0, str(ROOT))

from _farm import start_farm  # noqa: E402  (bench/_farm.py; scripts run from bench/)
from hostile import HOSTILE, HostileServer, LoggingProxy  # noqa: E402  (bench/hostile.py)

from reader.text import has_unsafe_characters  # noqa: E402


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int, int, str, str]:
    """Wall seconds, peak RSS of the process tree, status, stdout and stderr of a command."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = psutil.Popen(command, env=env, stdout=out, stderr=err)
        peak = 0
        while process.poll() is None:
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            if time.perf_counter() - started > 5 * WALL_LIMIT:
                process.kill()
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return elapsed, peak, process.returncode, out.read().decode(), err.read().decode()


def readable(message: object) -> bool:
    return (
        isinstance(message, str)
        and bool(message)
        and "\n" not in message
        and len(message) <= 300
        and "Traceback" not in message
        and "internal error" not in message
        and not has_unsafe_characters(message)
    )


REFUSED_AT_IMPORT = {"bad-port"}
"""Addresses no fetch could use: the import leaves them out instead of storing a feed."""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--good", type=int, default=20, help="good feeds (default 20)")
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument(
        "--parse-workers", type=int, help="READER_PARSE_WORKERS for reader (default: its own)"
    )
    parser.add_argument(
        "--bomb-levels",
        type=int,
        default=7,
        help="nesting of the entity bombs: 10**N expansions when a parser expands them "
        "(default 7, about 30 MB; the classic billion laughs is 9)",
    )
    parser.add_argument("--proxied", type=int, default=3, help="good feeds fetched via the proxy")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="reader-faults-"))
    started = start_farm(workdir, args.good, args.items)
    farm, base = started.process, started.base
    hostile = HostileServer(bomb_levels=args.bomb_levels).start()
    farm_port = int(base.rsplit(":", 1)[1])
    proxy = LoggingProxy(farm_port).start()
    try:
        with urllib.request.urlopen(f"{base}/fault/", timeout=10) as answer:
            faults: dict[str, str] = json.loads(answer.read())
        good = {f"{base}/feed/{i}.xml": f"Site {i} News" for i in range(args.good)}
        bad = {f"{base}/fault/{name}": name for name in faults}
        for name, (description, _) in HOSTILE.items():
            faults[name] = description
            bad[hostile.url(name)] = name
        bad["http://127.0.0.1:99999/feed.xml"] = "bad-port"
        faults["bad-port"] = "an address whose port is out of range (99999)"
        proxied = {
            f"http://proxied-site-{i}.test/feed/{i}.xml": f"Proxied {i}"
            for i in range(args.proxied)
        }
        outlines = "\n".join(
            f'    <outline type="rss" text={quoteattr(title)} xmlUrl={quoteattr(url)}/>'
            for url, title in [*good.items(), *proxied.items(), *bad.items()]
        )
        opml = workdir / "faults.opml"
        opml.write_text(
            f'<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head>'
            f"<title>faults</title></head><body>\n{outlines}\n</body></opml>\n",
            encoding="utf-8",
        )
        data = workdir / "data"
        env = {
            **os.environ,
            "READER_DATA_DIR": str(data),
            "PYTHONPATH": str(ROOT),
            "HTTP_PROXY": proxy.url,  # loopback addresses never use it: only `proxied`
        }
        if args.parse_workers is not None:
            env["READER_PARSE_WORKERS"] = str(args.parse_workers)
        reader = [sys.executable, "-m", "reader"]
        runs = {}
        for label, command in (
            ("import + first refresh", [*reader, "import", str(opml)]),
            ("second refresh", [*reader, "refresh"]),
            ("article, 9.5 MB page", [*reader, "article", "--json", hostile.url("huge-page")]),
        ):
            runs[label] = timed(command, env)
        listing = timed([*reader, "feeds", "--json"], env)[3]
        feeds = {row["url"]: row for row in map(json.loads, listing.splitlines())}
        _, _, _, entries_out, _ = timed([*reader, "entries", "--json", "--limit", "1000000"], env)
        entries = [json.loads(line) for line in entries_out.splitlines()]
    finally:
        farm.terminate()
        farm.wait()
        hostile.stop()
        proxy.stop()

    problems: list[str] = []
    print(
        f"{len(good)} good feeds x {args.items} items + {len(bad)} fault endpoints "
        f"(feedfarm), data in {data}"
    )
    print()
    print(f"{'run':<24} {'wall s':>8} {'peak MB':>8} {'status':>6}")
    for label, (seconds, peak, code, _, err) in runs.items():
        print(f"{label:<24} {seconds:>8.1f} {peak / 2**20:>8.0f} {code:>6}")
        if seconds > WALL_LIMIT:
            problems.append(f"{label} took {seconds:.1f} s (limit {WALL_LIMIT:.0f} s)")
        if peak > MEMORY_LIMIT:
            problems.append(f"{label} peaked at {peak / 2**20:.0f} MB")
        if label.startswith("article"):
            if code not in (0, 1) or len(err.strip().splitlines()) > 1:
                problems.append(f"{label}: status {code}, stderr {err.strip()[:200]!r}")
        elif code != 0 or err.strip():
            problems.append(f"{label}: status {code}, stderr {err.strip()[:200]!r}")

    per_feed: dict[str, int] = {}
    for entry in entries:
        per_feed[entry["feed"]] = per_feed.get(entry["feed"], 0) + 1
        for key in ("title", "summary"):
            if isinstance(entry.get(key), str) and has_unsafe_characters(entry[key]):
                problems.append(f"unsafe text stored: {entry[key][:60]!r}")
    for url in [*good, *proxied]:
        row = feeds.get(url)
        if row is None or row["total"] != args.items or row["last_error"]:
            problems.append(f"good feed {url}: {row and (row['total'], row['last_error'])}")
    for row in feeds.values():
        if has_unsafe_characters(row["url"]) or any(
            ord(c) < 33 or 0x7F <= ord(c) <= 0x9F for c in row["url"]
        ):
            problems.append(f"unsafe feed address stored: {row['url']!r}")
    via_proxy = [line for line in proxy.log if "proxied-site-" in line]
    if len(via_proxy) < 2 * args.proxied:  # two refreshes: every proxied feed twice
        problems.append(f"only {len(via_proxy)} requests went through the proxy")

    print()
    print(f"{'fault':<14} {'what the server does':<58} {'outcome'}")
    moved = {hostile.moved_to(name): name for name in HOSTILE if hostile.moved_to(name)}
    for row in list(feeds.values()):
        if row["url"] in moved:
            feeds[hostile.url(moved[row["url"]])] = row
    for url, name in bad.items():
        row = feeds.get(url)
        if row is None and name in REFUSED_AT_IMPORT:
            outcome = "refused at import: never fetchable (the OPML import skips it)"
        elif row is None:
            outcome = "NOT SUBSCRIBED"
            problems.append(f"{name}: not in the library")
        elif row["last_error"]:
            outcome = f"error: {row['last_error']}"
            if not readable(row["last_error"]):
                problems.append(f"{name}: unreadable last_error {row['last_error']!r}")
        else:
            outcome = f"ok, {row['total']} clean entries, title {row['title']!r}"
            if has_unsafe_characters(row["title"]):
                problems.append(f"{name}: unsafe feed title {row['title']!r}")
        expected = HOSTILE.get(name, ("", None))[1]
        if expected == "ok" and (row is None or row["last_error"]):
            problems.append(f"{name}: should be read without an error")
        print(f"{name:<14} {faults[name][:58]:<58} {outcome}")

    good_entries = sum(feeds[url]["total"] for url in good if url in feeds)
    print()
    print(
        f"good entries stored: {good_entries} / {len(good) * args.items}; "
        f"entries in the library: {len(entries)}"
    )
    print(
        f"through the proxy: {len(via_proxy)} requests for {len(proxied)} feeds "
        f"({', '.join(sorted({line.split()[0] for line in via_proxy}))})"
    )
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("all checks passed" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
