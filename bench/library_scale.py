#!/usr/bin/env python3
"""A library of years: search, filters, saved-search counts and size at 100k-300k entries.

    .venv/bin/python bench/library_scale.py [--entries 300000] [--workdir DIR] [--runs 7]

Builds (once per --workdir) a library through the real store write path
(`Store.apply_updates`, 100 items a feed, invented news-like text: 40 topic words
and 4,096 invented ones drawn with a Zipf-like law) and, beside it, a newsboat
cache.db holding the same items (newsboat makes its own empty schema, the rows are
inserted with Python's sqlite3: newsboat cannot fetch 300k items from anywhere).
Then measures:
- `Library.search()` in-process for common and rare words (median of --runs after a
  warm-up), the exact count (`Library.search_count`), and `reader search` as a process;
- `Library.apply_filters()` with two [[filters]] rules over every entry, at --filter-entries
  (a second library of that size);
- `Library.saved_searches()` (unread and total counts) and `entries(saved_search=...)`;
- the database size per entry beside newsboat's, with SQLite's own accounting (dbstat)
  of what takes the space.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

from library_queries import CUMULATIVE, VOCABULARY  # bench/: the same invented words

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


PER_FEED = 100
EPOCH = 1_751_500_000
"""The newest item's time (a fixed moment: every build writes the same bytes)."""

QUERIES = {
    "common": ["minister", '"minister"', "energy policy", "minis*"],
    "rare": ["zelzelzel", "kalomi OR quiqui"],
}
"""The commonest word (in about a third of entries), a common pair and a prefix; then
invented words near the tail of the vocabulary (a few hundred matches at 300k)."""


@dataclass(slots=True)
class Item:
    """One generated feed item (fits `reader.store.EntryLike`)."""

    guid: str | None
    title: str
    url: str | None
    author: str | None
    summary: str
    content_html: str | None
    published: str | None
    updated: str | None


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=n)).capitalize()


def items(count: int, seed: int = 7) -> Iterator[tuple[int, int, Item, int]]:
    """(feed number, item number, item, epoch seconds), newest last within a feed's batch."""
    rng = random.Random(seed)
    feeds = max(1, count // PER_FEED)
    for n in range(count):
        feed, j = n % feeds, n // feeds
        stamp = EPOCH - (count - n) * 60
        url = f"http://site{feed}.test/article/{j}.html"
        summary = f"{sentence(rng, rng.randint(9, 22))}. {sentence(rng, rng.randint(9, 22))}."
        published = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(stamp))
        item = Item(
            url, f"{sentence(rng, 8)} ({feed}-{j})", url, None, summary, None, published, None
        )
        yield feed, j, item, stamp


def build_reader(data: Path, count: int) -> None:
    """A library of `count` entries written through `Store.apply_updates`, as a refresh does."""
    from reader.store import FeedUpdate, Store

    data.mkdir(parents=True, exist_ok=True)
    store = Store.open(data / "library.sqlite3")
    try:
        feeds = max(1, count // PER_FEED)
        added = store.add_feeds(
            [(f"http://site{n}.test/feed.xml", f"Site {n} News", None) for n in range(feeds)]
        )
        ids = [feed.id for feed in added]
        batch: dict[int, list[Item]] = {}
        for feed, _, item, _ in items(count):
            batch.setdefault(feed, []).append(item)
            if sum(map(len, batch.values())) >= 20_000:
                store.apply_updates([FeedUpdate(ids[f], entries=e[::-1]) for f, e in batch.items()])
                batch = {}
        if batch:
            store.apply_updates([FeedUpdate(ids[f], entries=e[::-1]) for f, e in batch.items()])
        with store._write() as db:  # one merged FTS b-tree, as after `optimize` in use
            db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('optimize')")
    finally:
        store.close()


def build_newsboat(cache: Path, urls: Path, count: int, *, analyse: bool) -> None:
    """newsboat's own empty cache.db filled with the same items, in its schema."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    feeds = max(1, count // PER_FEED)
    urls.write_text("".join(f"http://site{n}.test/feed.xml\n" for n in range(feeds)))
    empty = cache.parent / "newsboat-empty-urls"
    empty.write_text("")
    config = cache.parent / "newsboat-config"
    config.write_text("")
    subprocess.run(  # exits "no URLs configured" after creating its schema
        ["newsboat", "-u", str(empty), "-c", str(cache), "-C", str(config), "-x", "reload"],
        capture_output=True,
        env={**os.environ, "HOME": str(cache.parent)},
    )
    db = sqlite3.connect(cache)
    with db:
        db.executemany(
            "INSERT INTO rss_feed(rssurl, url, title) VALUES (?, ?, ?)",
            [
                (f"http://site{n}.test/feed.xml", f"http://site{n}.test/", f"Site {n} News")
                for n in range(feeds)
            ],
        )
        db.executemany(
            "INSERT INTO rss_item(guid, title, author, url, feedurl, pubDate, content, unread) "
            "VALUES (?, ?, '', ?, ?, ?, ?, 1)",
            (
                (
                    item.guid,
                    item.title,
                    item.url,
                    f"http://site{feed}.test/feed.xml",
                    stamp,
                    f"<p>{item.summary}</p>",
                )
                for feed, _, item, stamp in items(count)
            ),
        )
    if analyse:
        db.execute("ANALYZE")
    db.close()


def rfc822(stamp: int) -> str:
    return formatdate(stamp, usegmt=True)


def median_ms(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median wall, max wall and median CPU milliseconds of `runs` calls after a warm-up.

    CPU (this thread's) is printed beside wall time: on the shared 2-core machine the
    wall time of a query waits for a core as long as it computes."""
    action()
    samples, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.thread_time()
        action()
        samples.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
    return (
        statistics.median(samples) * 1000,
        max(samples) * 1000,
        statistics.median(cpu) * 1000,
    )


def size_report(path: Path) -> dict[str, int]:
    """Bytes per table or index (SQLite's dbstat), FTS shadow tables grouped under their index."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    finally:
        db.close()
    sizes: dict[str, int] = {}
    for name, size in rows:
        key = name.split("_fts")[0] + "_fts" if "_fts_" in name else name
        sizes[key] = sizes.get(key, 0) + size
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1]))


def search_figures(data: Path, runs: int) -> None:
    from reader.library import Library

    print("search, 50 hits: wall median / max, CPU median; then every match ranked (as before)")
    with Library(data) as library:
        for kind, queries in QUERIES.items():
            for query in queries:
                med, top, cpu = median_ms(lambda q=query: library.search(q, limit=50), runs)
                hits = library.search(query, limit=50)
                _, _, count_cpu = median_ms(lambda q=query: library.search_count(q), runs)
                everything = median_ms(
                    lambda q=query: library.store.search(q, 50, rank_cap=2**62), max(1, runs // 3)
                )
                print(
                    f"  {kind:6} {query!r:18} {len(hits):2} of {library.search_count(query):6}: "
                    f"{med:5.1f} / {top:5.1f} ms, CPU {cpu:5.1f} ms (target < 20); "
                    f"exact count CPU {count_cpu:4.1f} ms; all ranked: {everything[0]:6.1f} ms, "
                    f"CPU {everything[2]:6.1f} ms"
                )
    reader = str(Path(sys.executable).with_name("reader"))
    for query in (QUERIES["common"][0], QUERIES["rare"][0]):
        samples = []
        for _ in range(max(3, runs // 2)):
            started = time.perf_counter()
            subprocess.run(
                [reader, "--data-dir", str(data), "search", query],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            samples.append(time.perf_counter() - started)
        print(
            f"reader search {query!r:12} (whole process): median "
            f"{statistics.median(samples) * 1000:.0f} ms, best {min(samples) * 1000:.0f} ms"
        )


def filter_figures(data: Path, runs: int, workdir: Path) -> None:
    from reader.filters import Rules
    from reader.library import Library

    config = workdir / "scale-config.toml"
    config.write_text(
        '[[filters]]\ntitle = "refinery"\n\n[[filters]]\nsummary = "zelzelzel"\n\n'
        '[[saved_searches]]\nname = "Energy"\nquery = "energy policy"\n\n'
        '[[saved_searches]]\nname = "Ferries"\nquery = "ferry OR harbour"\n\n'
        '[[saved_searches]]\nname = "Rare"\nquery = "zelzelzel"\n'
    )
    os.environ["READER_CONFIG"] = str(config)
    from reader.config import load_settings

    rules: Rules = load_settings().rules
    started = time.perf_counter()
    with Library(data, rules=rules) as library:  # applies the filters when they changed
        applied = time.perf_counter() - started
        hidden = library.store.counts()
        print(
            f"apply_filters ({len(rules.filters)} rules) on open: {applied * 1000:.0f} ms; "
            f"visible unread/total {hidden}"
        )
        med, top, cpu = median_ms(library.saved_searches, runs)
        counts = ", ".join(f"{s.name} {s.unread}/{s.total}" for s in library.saved_searches())
        print(
            f"saved_searches() counts ({counts}): median {med:.1f} ms, max {top:.1f} ms, "
            f"CPU {cpu:.1f} ms"
        )
        for search in rules.saved_searches:
            med, _, cpu = median_ms(lambda n=search.name: library.entries(saved_search=n), runs)
            rows = len(library.entries(saved_search=search.name))
            print(
                f"entries(saved_search={search.name!r}): {rows} rows, median {med:.1f} ms, "
                f"CPU {cpu:.1f} ms"
            )


def size_figures(data: Path, cache: Path, count: int) -> None:
    ours = (data / "library.sqlite3").stat().st_size
    theirs = cache.stat().st_size
    print(
        f"database per entry: reader {ours / count:.0f} B, newsboat {theirs / count:.0f} B "
        f"({ours / theirs:.2f}x)"
    )
    for name, size in size_report(data / "library.sqlite3").items():
        if size > ours / 50:
            print(f"  reader {name:28} {size / count:6.0f} B/entry")
    for name, size in size_report(cache).items():
        if size > theirs / 50:
            print(f"  newsboat {name:26} {size / count:6.0f} B/entry")


def prepare(workdir: Path, count: int) -> tuple[Path, Path]:
    """The library and newsboat cache of `count` entries in `workdir` (built when missing)."""
    data = workdir / f"reader-{count}"
    cache = workdir / f"newsboat-{count}" / "cache.db"
    if not (data / "library.sqlite3").exists():
        started = time.perf_counter()
        build_reader(data, count)
        print(f"built a {count}-entry library in {time.perf_counter() - started:.0f} s")
    if not cache.exists():
        build_newsboat(cache, cache.parent / "urls", count, analyse=False)
    return data, cache


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=300_000)
    parser.add_argument("--filter-entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workdir", help="keep the built libraries here between runs")
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="reader-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("READER_CONFIG", str(workdir / "empty-config.toml"))
    try:
        data, cache = prepare(workdir, args.entries)
        search_figures(data, args.runs)
        size_figures(data, cache, args.entries)
        filtered, _ = prepare(workdir, args.filter_entries)
        scratch = workdir / "filters-scratch"
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(filtered, scratch)
        filter_figures(scratch, args.runs, workdir)
        print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
