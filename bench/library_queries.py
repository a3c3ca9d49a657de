#!/usr/bin/env python3
"""Query speed of a 10,000-entry library: listing, JSON output, search, start-up cost.

    .venv/bin/python bench/library_queries.py [--entries 10000] [--runs 7]

Builds a library in a temporary folder (100 feeds, synthetic news-like titles and
summaries, 50 saved articles) through the real store, then measures:
- `reader entries --json --limit N` as a user runs it (wall time of the process);
- `Library(data_dir)` + `entries(limit=N)` in-process (the app's first painted list),
  and whether that path imported httpx, feedparser, lxml or readability;
- `Library.search()` query time for several queries, and `reader search` wall time.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TOPICS = [
    "minister",
    "talks",
    "border",
    "market",
    "energy",
    "policy",
    "court",
    "vote",
    "rally",
    "storm",
    "shipment",
    "missile",
    "harbour",
    "council",
    "budget",
    "election",
    "league",
    "coach",
    "ceasefire",
    "treaty",
    "summit",
    "reform",
    "pension",
    "drought",
    "flood",
    "vaccine",
    "tariff",
    "pipeline",
    "satellite",
    "launch",
    "strike",
    "union",
    "refinery",
    "grain",
    "export",
    "ferry",
    "airport",
    "bridge",
    "teachers",
    "nurses",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "tas",
    "vor",
    "bel",
    "dun",
    "sha",
    "pri",
    "gol",
    "te",
    "nar",
    "os",
    "qui",
    "zel",
]
VOCABULARY = TOPICS + [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES]
"""40 topic words then 4,096 invented ones; drawn with a Zipf-like law, as words in news are."""
CUMULATIVE = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(VOCABULARY))))
QUERIES = [
    "harbour",
    "ferry strike",
    "energy policy",
    "minis",
    "budget vote council",
    "kalomi",
    "zelzelzel",
    "treaty summit",
    "minister",
]
"""Common, mid-frequency, rare, multi-word and prefix queries ("minister": the commonest word)."""


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=n)).capitalize()


def build(data: Path, entries: int) -> None:
    from reader.feeds import ParsedEntry
    from reader.library import Library
    from reader.model import Article, Section
    from reader.store import FeedUpdate

    rng = random.Random(7)
    feeds = 100
    per_feed = entries // feeds
    with Library(data) as library:
        added = library.store.add_feeds(
            [(f"http://site{n}.test/feed.xml", f"Site {n} News", None) for n in range(feeds)]
        )
        updates = []
        for feed in added:
            items = [
                ParsedEntry(
                    f"{feed.id}-{i}",
                    sentence(rng, 9),
                    f"http://x.test/{feed.id}/{i}",
                    None,
                    ". ".join(sentence(rng, 14) for _ in range(3)),
                    None,
                    f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00+00:00",
                    None,
                )
                for i in range(per_feed)
            ]
            updates.append(FeedUpdate(feed.id, title=feed.title, entries=items))
        library.store.apply_updates(updates)
        for n, entry in enumerate(library.entries(limit=50)):
            article = Article(
                title=entry.title,
                url=entry.url,
                sections=[
                    Section(
                        None, 1, [". ".join(sentence(rng, 20) for _ in range(5)) for _ in range(12)]
                    )
                ],
            )
            stored = library.store.put_article(
                entry.url or f"http://x.test/a{n}", article, "<html></html>", entry_id=entry.id
            )
            library.store.set_saved(stored.id, True)


def wall(command: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each run of `command`."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def in_process_first_list(data: Path, limit: int) -> tuple[float, int, list[str]]:
    code = (
        "import sys, time\n"
        "t = time.perf_counter()\n"
        "from reader.library import Library\n"
        f"lib = Library({str(data)!r})\n"
        f"rows = lib.entries(limit={limit})\n"
        "elapsed = time.perf_counter() - t\n"
        "heavy = [m for m in ('httpx', 'feedparser', 'lxml', 'readability') if m in sys.modules]\n"
        "print(elapsed, len(rows), ','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout.split()
    return float(out[0]), int(out[1]), out[2].split(",") if len(out) > 2 else []


RULES = {
    "filters": [{"title": "refinery|sponsored"}, {"author": "^Press Office$"}],
    "saved_searches": [
        {"name": "Energy", "query": "energy policy"},
        {"name": "Ferries", "query": "ferry OR harbour"},
        {"name": "Strikes", "query": '"strike" -rail'},
    ],
}


def filters_and_saved_searches(data: Path, runs: int) -> None:
    """[[filters]] applied to every entry (as when the config's filters change), and the
    saved searches' counts and lists (as the feed tree shows them)."""
    from reader.filters import load_rules
    from reader.library import Library

    rules = load_rules(RULES)
    with Library(data, rules=rules) as library:
        samples = []
        for _ in range(max(1, runs // 2)):
            library.store.set_state("filters", "")  # as if the config had just changed
            started = time.perf_counter()
            hidden = library.apply_filters()
            samples.append(time.perf_counter() - started)
        print(
            f"apply_filters ({len(rules.filters)} rules) to every entry: median "
            f"{statistics.median(samples) * 1000:.0f} ms, {hidden} hidden (target: well under 1 s)"
        )
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            counts = library.saved_searches()
            samples.append(time.perf_counter() - started)
        shown = ", ".join(f"{c.name} {c.unread}/{c.total}" for c in counts)
        print(
            f"saved_searches() counts ({shown}): median {statistics.median(samples) * 1000:.1f} ms"
        )
        for search in rules.saved_searches:
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                rows = library.entries(saved_search=search.name, summaries=False)
                samples.append(time.perf_counter() - started)
            print(
                f"entries(saved_search={search.name!r}): {len(rows)} rows, median "
                f"{statistics.median(samples) * 1000:.1f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="reader-queries-"))
    data = workdir / "data"
    try:
        started = time.perf_counter()
        build(data, args.entries)
        print(
            f"built {args.entries} entries in {time.perf_counter() - started:.1f} s; "
            f"database {(data / 'library.sqlite3').stat().st_size / 2**20:.1f} MB"
        )
        reader = str(Path(sys.executable).with_name("reader"))
        times, cpu = wall(
            [reader, "--data-dir", str(data), "entries", "--json", "--limit", str(args.entries)],
            args.runs,
        )
        print(
            f"reader entries --json --limit {args.entries}: best {min(times):.3f} s, "
            f"median {statistics.median(times):.3f} s, cpu median "
            f"{statistics.median(cpu):.3f} s (target <= 0.5 s)"
        )
        first = [in_process_first_list(data, args.entries) for _ in range(3)]
        best = min(first)
        print(
            f"Library() + entries(limit={args.entries}) in a fresh process: best "
            f"{best[0] * 1000:.0f} ms for {best[1]} rows; heavy modules imported: "
            f"{','.join(best[2]) or 'none'}"
        )

        from reader.library import Library

        with Library(data) as library:
            for query in QUERIES:
                library.search(query)  # warm the page cache once
            for query in QUERIES:
                samples, cpu = [], []
                for _ in range(args.runs):
                    started, cpu_started = time.perf_counter(), time.thread_time()
                    hits = library.search(query, limit=50)
                    samples.append(time.perf_counter() - started)
                    cpu.append(time.thread_time() - cpu_started)
                print(
                    f"search {query!r:24} {len(hits):3} hits  median "
                    f"{statistics.median(samples) * 1000:6.2f} ms  max "
                    f"{max(samples) * 1000:6.2f} ms  cpu median "
                    f"{statistics.median(cpu) * 1000:6.2f} ms (target <= 50 ms)"
                )
        filters_and_saved_searches(data, args.runs)
        times, cpu = wall(
            [reader, "--data-dir", str(data), "search", "energy", "policy"], args.runs
        )
        print(
            f"reader search energy policy (whole process): best {min(times):.3f} s, "
            f"median {statistics.median(times):.3f} s, cpu median {statistics.median(cpu):.3f} s"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
