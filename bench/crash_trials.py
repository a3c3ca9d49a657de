#!/usr/bin/env python3
"""A longer kill -9 run than the test: the real `reader` killed at random moments.

    .venv/bin/python bench/crash_trials.py                   # 60 trials, seed 1
    .venv/bin/python bench/crash_trials.py --trials 200 --seed 7 --parse-workers 2

Against `../shared/bench/feedfarm.py` (every response delayed, so work is in
flight), trials cycle through three commands, each killed with SIGKILL at a
moment drawn from a seeded generator (or left to finish when it is faster):
`reader import CHUNK.opml` (subscribe to new feeds and fetch them), `reader save
ARTICLE_URL`, and `reader refresh`. After every trial it checks that the database
passes `PRAGMA integrity_check`, that every article whose save finished is still
saved, that no feed or entry was lost, and that no process of the killed command
(parse workers) is left running. At the end one `reader refresh` must complete
with no failure and every subscribed feed must hold all its entries.
Prints the counts and the time; exit status 1 when any check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from _farm import start_farm  # bench/_farm.py: scripts run from bench/

ROOT = Path(__file__).resolve().parents[1]


def write_opml(path: Path, urls: list[str]) -> None:
    outlines = "\n".join(f'  <outline type="rss" text="feed" xmlUrl="{url}"/>' for url in urls)
    path.write_text(
        f'<?xml version="1.0"?>\n<opml version="2.0"><body>\n{outlines}\n</body></opml>\n',
        encoding="utf-8",
    )


def snapshot(db_path: Path) -> tuple[str, int, int, set[str]]:
    """(integrity verdict, feeds, entries, saved article URLs)."""
    db = sqlite3.connect(db_path, timeout=30)
    try:
        return (
            db.execute("PRAGMA integrity_check").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM feeds").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM entries").fetchone()[0],
            {row[0] for row in db.execute("SELECT url FROM articles WHERE saved_at IS NOT NULL")},
        )
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--trials", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=20, help="feeds subscribed per import")
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--delay-ms", type=int, default=50)
    parser.add_argument(
        "--max-kill-after",
        type=float,
        default=2.5,
        help="kills land uniformly in [0.1, this] seconds after the start",
    )
    parser.add_argument(
        "--parse-workers",
        type=int,
        default=2,
        help="READER_PARSE_WORKERS (processes that a kill must not orphan)",
    )
    args = parser.parse_args()

    imports = args.trials // 3 + 1
    feeds_total = imports * args.chunk
    workdir = Path(tempfile.mkdtemp(prefix="reader-crash-"))
    started = start_farm(workdir, feeds_total, args.items, delay_ms=args.delay_ms)
    farm, base = started.process, started.base
    data = workdir / "data"
    env = {
        **os.environ,
        "READER_DATA_DIR": str(data),
        "PYTHONPATH": str(ROOT),
        "READER_PARSE_WORKERS": str(args.parse_workers),
    }
    reader = [sys.executable, "-m", "reader"]
    rng = random.Random(args.seed)
    counts = {"killed": 0, "finished": 0, "orphans": 0}
    problems: list[str] = []
    started = time.monotonic()
    try:
        first = workdir / "chunk-0.opml"
        write_opml(first, [f"{base}/feed/{i}.xml" for i in range(args.chunk)])
        subprocess.run(
            [*reader, "import", str(first)], env=env, check=True, stdout=subprocess.DEVNULL
        )
        saved: set[str] = set()
        for n in range(3):
            url = f"{base}/article/{n}/0.html"
            subprocess.run([*reader, "save", url], env=env, check=True, stdout=subprocess.DEVNULL)
            saved.add(url)
        _, feeds_before, entries_before, _ = snapshot(data / "library.sqlite3")
        next_chunk = 1
        for trial in range(args.trials):
            kind = ("import", "save", "refresh")[trial % 3]
            if kind == "import":
                chunk = workdir / f"chunk-{next_chunk}.opml"
                write_opml(
                    chunk,
                    [
                        f"{base}/feed/{i}.xml"
                        for i in range(next_chunk * args.chunk, (next_chunk + 1) * args.chunk)
                    ],
                )
                next_chunk += 1
                command = [*reader, "import", str(chunk)]
            elif kind == "save":
                page = f"{rng.randrange(feeds_total)}/{rng.randrange(args.items)}"
                url = f"{base}/article/{page}.html"
                command = [*reader, "save", url]
            else:
                command = [*reader, "refresh"]
            process = psutil.Popen(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            try:
                process.wait(timeout=rng.uniform(0.1, args.max_kill_after))
            except psutil.TimeoutExpired:
                children = process.children(recursive=True)
                process.kill()
                process.wait()
                counts["killed"] += 1
                _, alive = psutil.wait_procs(children, timeout=5)
                counts["orphans"] += len(alive)
                for leftover in alive:
                    leftover.kill()
            else:
                counts["finished"] += 1
                if process.returncode != 0:
                    problems.append(f"trial {trial}: {kind} exited {process.returncode}")
                elif kind == "save":
                    saved.add(url)
            integrity, feeds_now, entries_now, saved_now = snapshot(data / "library.sqlite3")
            if integrity != "ok":
                problems.append(f"trial {trial}: integrity_check says {integrity}")
            if not saved <= saved_now:
                problems.append(f"trial {trial}: lost saved {sorted(saved - saved_now)}")
            if feeds_now < feeds_before or entries_now < entries_before:
                problems.append(f"trial {trial}: feeds/entries went down")
            feeds_before, entries_before = feeds_now, entries_now
        final = subprocess.run(
            [*reader, "refresh", "--json"], env=env, capture_output=True, text=True, timeout=300
        )
        summary = json.loads(final.stdout) if final.returncode == 0 else {}
        if final.returncode != 0 or summary.get("failed"):
            problems.append(f"final refresh: status {final.returncode} {final.stderr[:200]}")
        integrity, feeds_now, entries_now, saved_now = snapshot(data / "library.sqlite3")
        if entries_now != feeds_now * args.items:
            problems.append(f"final: {entries_now} entries for {feeds_now} feeds")
        if counts["orphans"]:
            problems.append(f"{counts['orphans']} worker processes outlived a killed command")
    finally:
        farm.terminate()
        farm.wait()
    elapsed = time.monotonic() - started
    print(
        f"trials: {args.trials} (seed {args.seed}): {counts['killed']} killed mid-work, "
        f"{counts['finished']} finished first; {elapsed:.0f} s in all"
    )
    print(
        f"final library: {feeds_now} feeds, {entries_now} entries, {len(saved_now)} saved, "
        f"integrity {integrity}; orphan workers: {counts['orphans']}"
    )
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("all checks passed" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
