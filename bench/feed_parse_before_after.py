"""Feed parsing CPU of two versions of the reader package, in one run, on ../shared's corpus.

Why: a change to the feed side must not slow the fast path; comparing two
checkouts in the same run (alternating, best of N) is what we publish, since
the machine is shared. Each version runs in its own process; parse_feed reads
every corpus document, then only those the lxml fast path takes. Last, the two
versions' fast-path readers alone (read_plain_feed) run interleaved in one
process, which is the least noisy figure, and must give identical output.

    git archive 1275dc2 reader | tar -x -C /tmp/before   # the version to compare with
    .venv/bin/python bench/feed_parse_before_after.py /tmp/before . [--rounds 5] [--runs 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"

MEASURE = r"""
import contextlib, csv, sys, time
from pathlib import Path
root, corpus, rounds = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, root)
import reader.feeds
assert reader.feeds.__file__.startswith(str(Path(root).resolve())), reader.feeds.__file__
from reader.feeds import NotAFeed, parse_feed
try:
    from reader.feeds.fast import read_plain_feed
except ImportError:  # before the package split
    from reader.fastfeed import read_plain_feed
with (corpus / "INDEX.tsv").open(newline="", encoding="utf-8") as handle:
    rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
docs = [("https://corpus.example.test/" + r["path"], (corpus / r["path"]).read_bytes())
        for r in rows]
fast = [(u, b) for u, b in docs if read_plain_feed(b, u, "application/xml") is not None]
def run(items):
    for url, body in items:
        with contextlib.suppress(NotAFeed):
            parse_feed(body, url, "application/xml")
def best(items):
    times = []
    for _ in range(rounds):
        start = time.process_time()
        run(items)
        times.append(time.process_time() - start)
    return min(times)
run(docs)  # imports and caches out of the measure
print(f"{len(docs)} {best(docs):.3f} {len(fast)} {best(fast):.3f}")
"""


def measure(root: Path, corpus: Path, rounds: int) -> tuple[int, float, int, float]:
    """(documents, CPU s for all, fast-path documents, CPU s for those) of one version."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(root.resolve()), str(corpus), str(rounds)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2]), float(out[3])


def fast_path_interleaved(before: Path, corpus: Path, rounds: int) -> str:
    """The before and after fast-path readers, alternating in this process, best of `rounds`."""
    import csv
    import importlib.util
    import time

    from reader.feeds.fast import read_plain_feed as after

    old = before / "reader" / "fastfeed.py"
    if not old.exists():
        old = before / "reader" / "feeds" / "fast.py"
    spec = importlib.util.spec_from_file_location("before_fast_path", old)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    readers = {"before": module.read_plain_feed, "after": after}
    with (corpus / "INDEX.tsv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    docs = [
        ("https://corpus.example.test/" + r["path"], (corpus / r["path"]).read_bytes())
        for r in rows
    ]
    docs = [(url, body) for url, body in docs if after(body, url, "application/xml") is not None]
    same = all(
        readers["before"](body, url, "application/xml") == after(body, url, "application/xml")
        for url, body in docs
    )
    best = dict.fromkeys(readers, float("inf"))
    for _ in range(rounds):
        for name, read in readers.items():
            start = time.process_time()
            for url, body in docs:
                read(body, url, "application/xml")
            best[name] = min(best[name], time.process_time() - start)
    return (
        f"fast-path reader alone, interleaved, {len(docs)} documents: "
        f"{best['before']:.3f} s -> {best['after']:.3f} s ({best['after'] / best['before']:.2f}x); "
        f"output {'identical' if same else 'DIFFERENT'}"
    )


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument(
        "before", type=Path, help="folder holding the reader package to compare with"
    )
    options.add_argument("after", type=Path, help="folder holding the reader package measured")
    options.add_argument("--rounds", type=int, default=5, help="best of this many passes")
    options.add_argument("--runs", type=int, default=2, help="alternating runs of each version")
    args = options.parse_args()
    corpus = SHARED / "corpus" / "feeds"
    if not corpus.exists():
        sys.exit(f"needs {corpus} (the project's shared test data)")
    for run in range(1, args.runs + 1):
        figures = {
            name: measure(root, corpus, args.rounds)
            for name, root in (("before", args.before), ("after", args.after))
        }
        (docs, before_all, fast, before_fast) = figures["before"]
        (_, after_all, _, after_fast) = figures["after"]
        print(
            f"run {run}: all {docs} documents {before_all:.2f} s -> {after_all:.2f} s "
            f"({after_all / before_all:.2f}x); fast path {fast} documents "
            f"{before_fast:.3f} s -> {after_fast:.3f} s ({after_fast / before_fast:.2f}x)"
        )
    print(fast_path_interleaved(args.before, corpus, args.rounds * 3))


if __name__ == "__main__":
    main()
