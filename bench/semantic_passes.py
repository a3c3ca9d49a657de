"""What the semantic passes (takeaways, quotes, related) cost per page.

Parses the 181 pages of the Zyte extraction benchmark once (timed, as the
yardstick), then times `pick_takeaways`, `find_quotes` and `find_related` on
each Document over a few rounds and prints CPU milliseconds per page (process
time, which other jobs on a shared machine disturb less than wall time), the
items found and the slowest page.
Run: `.venv/bin/python bench/semantic_passes.py`.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time
from pathlib import Path

from reader.article.page import parse_page
from reader.article.quotes import find_quotes
from reader.article.related import find_related
from reader.article.takeaways import pick_takeaways

PAGES = Path(__file__).resolve().parents[2] / "shared" / "bench" / "extraction" / "html"
PASSES = (("takeaways", pick_takeaways), ("quotes", find_quotes), ("related", find_related))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages = sorted(PAGES.glob("*.html.gz"))
    sources = [gzip.decompress(page.read_bytes()) for page in pages]
    start = time.process_time()
    documents = [
        parse_page(source, url=f"https://bench.example/{i}") for i, source in enumerate(sources)
    ]
    page_side = 1000 * (time.process_time() - start) / len(pages)
    per_round: dict[str, list[float]] = {name: [] for name, _ in PASSES}
    found = {name: 0 for name, _ in PASSES}
    slowest = (0.0, "")
    for round_number in range(args.rounds):
        totals = dict.fromkeys(per_round, 0.0)
        for page, document in zip(pages, documents, strict=True):
            page_time = 0.0
            for name, run in PASSES:
                start = time.process_time()
                result = run(document)
                elapsed = time.process_time() - start
                totals[name] += elapsed
                page_time += elapsed
                if round_number == 0:
                    found[name] += len(result)
            slowest = max(slowest, (page_time, page.name[:16]))
        for name, total in totals.items():
            per_round[name].append(1000 * total / len(pages))
    print(f"{len(pages)} pages, {args.rounds} rounds; median ms/page (min):")
    for name, times in per_round.items():
        print(
            f"  {name:10} {statistics.median(times):6.3f} ({min(times):.3f})   {found[name]} found"
        )
    all_three = [sum(times) for times in zip(*per_round.values(), strict=True)]
    print(f"  {'all three':10} {statistics.median(all_three):6.3f} ({min(all_three):.3f})")
    print(f"  slowest page {1000 * slowest[0]:.1f} ms ({slowest[1]})")
    print(
        f"page side (parse_page, one round): {page_side:.2f} ms/page; "
        f"the passes add {100 * statistics.median(all_three) / page_side:.0f}% to it"
    )


if __name__ == "__main__":
    main()
