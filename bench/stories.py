#!/usr/bin/env python3
"""Story grouping quality and cost, through the real code.

    .venv/bin/python bench/stories.py                 # the whole dev slice, end to end
    .venv/bin/python bench/stories.py --half A        # one half of the stories (B: the other)
    .venv/bin/python bench/stories.py --direct --seeds 0,1,2   # in-process, several orders
    .venv/bin/python bench/stories.py --cost          # ms per new entry on a 100,000-entry library

End to end: `../shared/bench/stories/dev.tsv` is served on loopback as one RSS
feed per outlet (dates moved to today, keeping each headline's day), a fresh
library subscribes to them from OPML and refreshes (`reader import`), which stores
and groups every entry, and `reader stories --json --min-size 1` is scored with
the slice's own `score.py` (B-cubed, p@5, hit rate). The two halves split the
gold stories by a hash of their id, so each half is a disjoint set of stories:
a rule tuned on one and failing on the other shows up as a gap.

`--direct` runs `reader.stories.StoryIndex` in this process on shuffled rows (the
order a refresh sees depends on which feed answers first), to show how much
the result moves with the arrival order.

`--cost` builds a library of 100,000 grouped entries (the slice's headlines
repeated over 100 days, 1,000 a day) and times `group_new` on 300 new entries,
splitting the fixed cost (rebuilding the open stories from stored terms) from
the cost per entry; it also reports the index's memory (tracemalloc).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SLICE = ROOT.parent / "shared" / "bench" / "stories"
DEV = SLICE / "dev.tsv"
SCORE = SLICE / "score.py"
READER = [sys.executable, "-m", "reader"]


def read_rows(half: str | None) -> list[dict[str, str]]:
    with DEV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if half:
        rows = [r for r in rows if story_half(r["story"]) == half]
    return rows


def story_half(story: str) -> str:
    return "AB"[hashlib.md5(story.encode()).digest()[0] % 2]


def feeds_by_outlet(rows: list[dict[str, str]], base: str) -> dict[str, bytes]:
    """One RSS document per publisher: path -> bytes (dates shifted so the newest day is today)."""
    newest = max(int(r["timestamp"]) for r in rows)
    today = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    outlets: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        outlets.setdefault(row["publisher"], []).append(row)
    documents = {}
    for number, (publisher, items) in enumerate(sorted(outlets.items())):
        parts = [
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
            f"<title>{escape(publisher)}</title><link>{base}/</link><description>x</description>",
        ]
        for row in items:
            when = today - timedelta(milliseconds=newest - int(row["timestamp"]))
            parts.append(
                f"<item><title>{escape(row['title'])}</title>"
                f"<link>{base}/{row['hostname']}/{row['id']}</link>"
                f"<guid>{row['id']}</guid><pubDate>{format_datetime(when)}</pubDate></item>"
            )
        parts.append("</channel></rss>")
        documents[f"/feed/{number}.xml"] = "".join(parts).encode("utf-8")
    return documents


def serve(documents: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = documents.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    class Server(ThreadingHTTPServer):
        request_queue_size = 256
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def end_to_end(half: str | None) -> dict[str, float]:
    rows = read_rows(half)
    with tempfile.TemporaryDirectory(prefix="stories-bench-") as tmp:
        work = Path(tmp)
        documents: dict[str, bytes] = {}
        server = serve(documents)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        documents.update(feeds_by_outlet(rows, base))
        opml = work / "feeds.opml"
        outlines = "".join(
            f'<outline type="rss" text="{n}" xmlUrl="{base}{path}"/>'
            for n, path in enumerate(documents)
        )
        opml.write_text(f'<opml version="2.0"><body>{outlines}</body></opml>', encoding="utf-8")
        env = {**os.environ, "READER_DATA_DIR": str(work / "data"), "READER_PER_HOST": "32"}
        started = time.perf_counter()
        # `reader import` subscribes and refreshes: every entry is fetched, stored and grouped.
        imported = subprocess.run(
            [*READER, "import", str(opml)], env=env, check=True, capture_output=True, text=True
        )
        refresh_seconds = time.perf_counter() - started
        listed = subprocess.run(
            [*READER, "stories", "--json", "--min-size", "1"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        server.shutdown()
        pred = work / "pred.tsv"
        gold = work / "gold.tsv"
        write_pred(listed.stdout, pred)
        write_gold(rows, gold)
        scored = subprocess.run(
            [sys.executable, str(SCORE), str(gold), str(pred), "--json"],
            check=True,
            capture_output=True,
            text=True,
        )
    result = json.loads(scored.stdout)
    result["refresh_seconds"] = refresh_seconds
    result["imported"] = imported.stdout.strip().splitlines()[-1]
    return result


def write_pred(stories_json: str, path: Path) -> None:
    lines = ["id\tgroup"]
    for line in stories_json.splitlines():
        story = json.loads(line)
        for entry in story["entries"]:
            lines.append(f"{entry['url'].rsplit('/', 1)[-1]}\t{story['id']}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_gold(rows: list[dict[str, str]], path: Path) -> None:
    lines = ["id\tstory"] + [f"{r['id']}\t{r['story']}" for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def direct(half: str | None, seed: int) -> dict[str, float]:
    """Group the rows in-process in a shuffled order, in batches of 300, and score them."""
    import importlib.util

    from reader.stories import StoryIndex, entry_terms

    spec = importlib.util.spec_from_file_location("score", SCORE)
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    rows = read_rows(half)
    random.Random(seed).shuffle(rows)
    index = StoryIndex(now=0.0)
    assigned: dict[str, int] = {}
    for number, row in enumerate(rows, 1):
        assigned[row["id"]] = index.add(number, 0.0, entry_terms(row["title"]), None).story_id
        if number % 300 == 0 or number == len(rows):
            merged = index.merge_touched()
            assigned = {k: merged.get(v, v) for k, v in assigned.items()}
    gold = {r["id"]: r["story"] for r in rows}
    pred = {k: str(v) for k, v in assigned.items()}
    result: dict[str, float] = score.clustering_scores(gold, pred)
    result.update(score.reader_view(gold, pred, None))
    return result


def cost() -> None:
    """Grouping cost on a 100,000-entry library: fixed (window rebuild) and per new entry."""
    from reader.store import FeedUpdate, Store
    from reader.stories import group_new, load_index

    rows = read_rows(None)
    now = time.time()
    day = 86400.0
    with tempfile.TemporaryDirectory(prefix="stories-cost-") as tmp:
        store = Store.open(Path(tmp) / "library.sqlite")
        feed = store.add_feed("http://127.0.0.1/feed.xml", "bench")
        assert feed is not None
        days = 100
        setup = time.perf_counter()
        for number in range(days):
            when = datetime.fromtimestamp(now - (days - number) * day, UTC).isoformat()
            batch = [_Item(r, f"{number}-{i}", when) for i, r in enumerate(rows[:1000])]
            store.apply_update(FeedUpdate(feed.id, entries=batch))
            group_new(store, now=now - (days - number) * day + 3600)
        print(f"library: {days * 1000:,} entries grouped in {time.perf_counter() - setup:.0f} s")
        fresh = [
            _Item(r, f"new-{i}", datetime.now(UTC).isoformat())
            for i, r in enumerate(rows[1000:1300])
        ]
        store.apply_update(FeedUpdate(feed.id, entries=fresh))
        cpu = time.process_time()
        load_index(store, time.time() - 5 * day, time.time())
        load_cpu = time.process_time() - cpu
        cpu = time.process_time()
        stats = group_new(store, now=time.time())
        all_cpu = time.process_time() - cpu
        per_entry = (all_cpu - load_cpu) / stats.entries * 1000
        print(
            f"group_new on {stats.entries} new entries, CPU: {all_cpu * 1000:.0f} ms in all = "
            f"{load_cpu * 1000:.0f} ms rebuilding the stories of {stats.window:,} recent "
            f"entries + {per_entry:.3f} ms per new entry "
            f"({all_cpu * 1000 / stats.entries:.3f} ms per entry amortised); "
            f"wall {stats.seconds * 1000:.0f} ms on this shared machine"
        )
        tracemalloc.start()
        index = load_index(store, time.time() - 5 * day, time.time())
        size, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"index memory: {size / 2**20:.1f} MB for {index.docs:,} entries in "
            f"{len(index.stories):,} open stories (window capped at 20,000 entries)"
        )
        store.close()


class _Item:
    """A feed item as the store takes it (`reader.store.EntryLike`)."""

    def __init__(self, row: dict[str, str], key: str, when: str) -> None:
        self.guid = key
        self.title = row["title"]
        self.url = f"http://127.0.0.1/{row['hostname']}/{key}"
        self.author = None
        self.summary = ""
        self.content_html = None
        self.published = when
        self.updated = None


def show(label: str, r: dict[str, float]) -> None:
    print(
        f"{label:14} B-cubed P {r['bcubed_p']:.3f} R {r['bcubed_r']:.3f} F1 {r['bcubed_f1']:.3f}  "
        f"pairwise F1 {r['pairwise_f1']:.3f}  p@5 {r['p_at_5']:.3f}  "
        f"hit rate {r['hit_rate']:.3f}  coverage {r['coverage']:.3f}  "
        f"groups {r['groups_pred_nonsingleton']}+{r['groups_pred'] - r['groups_pred_nonsingleton']}"
        f" singletons (gold {r['groups_gold']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--half", choices=("A", "B"))
    parser.add_argument("--direct", action="store_true")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--cost", action="store_true")
    args = parser.parse_args()
    if not DEV.exists():
        sys.exit(f"needs {DEV} (the shared story slice)")
    if args.cost:
        cost()
        return
    halves = [args.half] if args.half else [None, "A", "B"]
    for half in halves:
        label = f"half {half}" if half else "whole slice"
        if args.direct:
            for seed in map(int, args.seeds.split(",")):
                show(f"{label} s{seed}", direct(half, seed))
        else:
            result = end_to_end(half)
            show(label, result)
            print(f"{'':14} {result['imported']} (whole import {result['refresh_seconds']:.1f} s)")


if __name__ == "__main__":
    main()
