"""Key takeaways against the journalists' highlights (CNN/DailyMail dev set), with LEAD-3.

Reads ../shared/bench/takeaways/dev.jsonl (1,000 articles with their story
highlights) and runs our takeaways through the real engine, in this process:
`reader.article.clean(text, plain_text=True)` on the text the shared scorer
writes (a title line "Untitled", a blank line, the paragraphs separated by blank
lines). Two layouts:

  paragraphs  the real paragraphs where the article has them, else one sentence
              per paragraph (how the Daily Mail prints): the main figure
  one-para    the whole article as ONE paragraph (robustness: no layout to lean on)

LEAD-3 (the first three pysbd sentences, exactly as the shared score.py takes
them) is scored in the same run. ROUGE is Google rouge-score with stemming,
F1 x 100, mean over articles. Every figure is printed for the whole set and for
its two halves (dev.jsonl is in pseudo-random order): "tune" is the first 500
articles, on which the pass was tuned, "check" the last 500, which confirm it.

Needs rouge-score and pysbd (`pip install -e ".[bench]"`).

    .venv/bin/python bench/takeaways.py
    .venv/bin/python bench/takeaways.py --limit 200
    .venv/bin/python bench/takeaways.py --out /tmp/tk   # + per-article JSONL

Speed: `--zyte` times the takeaway pass alone (CPU ms per page, median of
rounds) on the 181 Zyte pages; `--against FILE` times another version of
reader/article/takeaways.py in the same run, rounds alternating:

    git show cb5ed44:reader/article/takeaways.py > /tmp/takeaways_before.py
    .venv/bin/python bench/takeaways.py --zyte --against /tmp/takeaways_before.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reader.article import clean

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench"
DATA = SHARED / "takeaways" / "dev.jsonl"
ZYTE = SHARED / "extraction" / "html"
TITLE = "Untitled"
TUNE_HALF = 500
"""The first 500 articles were used to tune the pass; the rest only to check it."""
TEST_CNN, TEST_DM = 1093, 10397
"""Outlet sizes of the CNN/DM test split: the weights of the published "test-mix" mean."""
Layout = Literal["paragraphs", "one-para"]
LAYOUTS: tuple[Layout, ...] = ("paragraphs", "one-para")
METRICS = ("rouge1", "rouge2", "rougeLsum")


@dataclass(slots=True)
class Item:
    """One dev article: its paragraphs (real or one sentence each) and its highlights."""

    index: int
    source: str
    real_paragraphs: bool
    paragraphs: list[str]
    whole: str
    """The article as one paragraph, as the shared scorer joins it."""
    sentences: list[str]
    highlights: list[str]


@dataclass(slots=True)
class Scores:
    """Per-article ROUGE F1 x 100 for one system."""

    values: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in METRICS})
    words: list[int] = field(default_factory=list)
    count: list[int] = field(default_factory=list)


def load(path: Path, limit: int) -> list[Item]:
    """The articles, split into sentences with pysbd as the shared scorer does."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)

    def sentences_of(paragraph: str) -> list[str]:
        return [s.strip() for s in segmenter.segment(paragraph) if s.strip()]

    items = []
    with path.open(encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            if limit and index >= limit:
                break
            record = json.loads(line)
            real = "paragraphs" in record
            raw = record["paragraphs"] if real else [record["article"]]
            paragraphs = [p.strip() for p in raw if p.strip()]
            sentences = [s for p in paragraphs for s in sentences_of(p)]
            shown = paragraphs if real else sentences
            items.append(
                Item(
                    index,
                    record["source"],
                    real,
                    shown,
                    " ".join(paragraphs),
                    sentences,
                    record["highlights"],
                )
            )
    return items


def reader_text(item: Item, layout: Layout) -> str:
    """The plain text the engine reads: title line, blank line, paragraphs."""
    paragraphs = item.paragraphs if layout == "paragraphs" else [item.whole]
    return TITLE + "\n\n" + "\n\n".join(" ".join(p.split()) for p in paragraphs) + "\n"


def takeaways_of(item: Item, layout: Layout) -> list[str]:
    """Our takeaways, through the real engine on plain text."""
    return clean(reader_text(item, layout), plain_text=True).takeaways


def score_all(items: list[Item], picks: list[list[str]], scorer: Any) -> Scores:
    """ROUGE of each article's picks against its highlights."""
    scores = Scores()
    for item, chosen in zip(items, picks, strict=True):
        result = scorer.score("\n".join(item.highlights), "\n".join(chosen))
        for metric in METRICS:
            scores.values[metric].append(100 * result[metric].fmeasure)
        scores.words.append(sum(len(c.split()) for c in chosen))
        scores.count.append(len(chosen))
    return scores


Group = Callable[[Item], bool]
GROUPS: dict[str, Group] = {
    "all": lambda item: True,
    "tune": lambda item: item.index < TUNE_HALF,
    "check": lambda item: item.index >= TUNE_HALF,
    "real-para": lambda item: item.real_paragraphs,
    "flat": lambda item: not item.real_paragraphs,
}


def mean_of(items: list[Item], values: list[float], group: Group) -> float:
    chosen = [v for item, v in zip(items, values, strict=True) if group(item)]
    return statistics.fmean(chosen) if chosen else float("nan")


def test_mix(items: list[Item], values: list[float]) -> float:
    """0.0951 CNN + 0.9049 DM: the mean to set beside published CNN/DM tables."""
    cnn = mean_of(items, values, lambda item: item.source == "cnn")
    dm = mean_of(items, values, lambda item: item.source != "cnn")
    weight = TEST_CNN / (TEST_CNN + TEST_DM)
    return weight * cnn + (1 - weight) * dm


def print_table(items: list[Item], results: dict[str, Scores]) -> None:
    """R-1 per group, then R-2 / R-Lsum and lengths for the whole set."""
    names = list(GROUPS)
    counts = {name: sum(1 for item in items if GROUPS[name](item)) for name in names}
    print(
        "ROUGE-1 F1 (stemmed) x 100; n per column: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    print(f"{'system':<22}" + "".join(f"{name:>10}" for name in names) + f"{'test-mix':>10}")
    for system, scores in results.items():
        r1 = scores.values["rouge1"]
        cells = "".join(f"{mean_of(items, r1, GROUPS[name]):>10.2f}" for name in names)
        print(f"{system:<22}{cells}{test_mix(items, r1):>10.2f}")
    print(f"\n{'system':<22}{'R-2':>8}{'R-Lsum':>8}{'items':>8}{'words':>8}")
    for system, scores in results.items():
        print(
            f"{system:<22}{statistics.fmean(scores.values['rouge2']):>8.2f}"
            f"{statistics.fmean(scores.values['rougeLsum']):>8.2f}"
            f"{statistics.fmean(scores.count):>8.2f}{statistics.fmean(scores.words):>8.1f}"
        )


def time_zyte(against: Path | None, rounds: int) -> None:
    """CPU ms per Zyte page of `pick_takeaways` (and of another version, alternating)."""
    import gzip
    import importlib.util

    from reader.article.page import parse_page
    from reader.article.takeaways import pick_takeaways

    pages = sorted(ZYTE.glob("*.html.gz"))
    if not pages:
        sys.exit(f"no Zyte pages in {ZYTE}")
    documents = [
        parse_page(gzip.decompress(page.read_bytes()), url=f"https://bench.example/{i}")
        for i, page in enumerate(pages)
    ]
    passes: dict[str, Callable[[Any], list[str]]] = {"this tree": pick_takeaways}
    if against is not None:
        spec = importlib.util.spec_from_file_location("takeaways_against", against)
        if spec is None or spec.loader is None:
            sys.exit(f"cannot load {against}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        passes[str(against)] = module.pick_takeaways
    times: dict[str, list[float]] = {name: [] for name in passes}
    for _ in range(rounds):
        for name, run in passes.items():
            start = time.process_time()
            for document in documents:
                run(document)
            times[name].append(1000 * (time.process_time() - start) / len(documents))
    print(f"takeaway pass on {len(pages)} Zyte pages, {rounds} rounds, CPU ms/page median (min):")
    for name, values in times.items():
        print(f"  {statistics.median(values):6.3f} ({min(values):.3f})  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--out", type=Path, help="folder for per_article.jsonl")
    parser.add_argument("--zyte", action="store_true", help="time the pass on the Zyte pages")
    parser.add_argument("--against", type=Path, help="with --zyte: another takeaways.py")
    parser.add_argument("--rounds", type=int, default=7, help="with --zyte")
    args = parser.parse_args()
    if args.zyte:
        time_zyte(args.against, args.rounds)
        return
    if not args.data.exists():
        sys.exit(f"no dev set at {args.data} (the shared takeaways bench)")
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        sys.exit('needs rouge-score and pysbd: .venv/bin/pip install -e ".[bench]"')
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    items = load(args.data, args.limit)
    picks: dict[str, list[list[str]]] = {"lead3": [item.sentences[:3] for item in items]}
    timing: dict[str, float] = {}
    for layout in LAYOUTS:
        start = time.process_time()
        picks[f"takeaways[{layout}]"] = [takeaways_of(item, layout) for item in items]
        timing[layout] = 1000 * (time.process_time() - start) / len(items)
    results = {name: score_all(items, chosen, scorer) for name, chosen in picks.items()}
    print_table(items, results)
    print(
        "\nengine CPU per article (clean + takeaways): "
        + ", ".join(f"{layout} {ms:.2f} ms" for layout, ms in timing.items())
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        with (args.out / "per_article.jsonl").open("w", encoding="utf-8") as out:
            for k, item in enumerate(items):
                row = {
                    "index": item.index,
                    "source": item.source,
                    "real_paragraphs": item.real_paragraphs,
                    "highlights": item.highlights,
                    "picks": {name: chosen[k] for name, chosen in picks.items()},
                    "rouge1": {n: round(s.values["rouge1"][k], 2) for n, s in results.items()},
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
