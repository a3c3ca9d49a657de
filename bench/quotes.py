"""Quotes and speakers: how many quotes are found, and how many get the right name.

Two measures, each against a reference in the same run:

* **Accuracy** on the project's own annotated articles (`tests/data/quotes/*.json`,
  invented text with every quote's expected speaker and role): quote recall and
  precision, speaker accuracy (of the quotes found, the share whose speaker is the
  expected one), null rate (of the quotes found, the share with no speaker) and
  role accuracy. Printed for this tree and for the reference tree.
* **Speed** of the quote pass on the 181 pages of the Zyte extraction benchmark
  (`../shared/bench/extraction/html`, skipped when missing): CPU ms per page of
  `find_quotes` for this tree and for the reference, interleaved page by page so
  a busy machine disturbs both alike.

The reference is the quotes code (quotes.py, speakers.py, speech.py) at a git
revision, loaded beside this tree's (default: the commit before issue 14).
Run: `.venv/bin/python bench/quotes.py [--rounds 5] [--reference REV]`.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from reader.article.document import Block, Document, DraftSection
from reader.article.quotes import find_quotes
from reader.model import Quote

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "quotes"
HELD_OUT = FIXTURES / "heldout"
"""Articles written after the rules were tuned on FIXTURES, to confirm them."""
PAGES = ROOT.parent / "shared" / "bench" / "extraction" / "html"
REFERENCE = "1275dc2"
"""The tree before issue 14 (speakers you can trust)."""
_MODULES = ("speech", "speakers", "quotes")
_NORMALISE = re.compile(r"[\W_]+")

FindQuotes = Callable[[Document], list[Quote]]


@dataclass(slots=True)
class Expected:
    """One annotated quote: its words, who said it and in what role."""

    text: str
    speaker: str | None
    role: str | None


@dataclass(slots=True)
class Scores:
    """Counts over the annotated articles."""

    expected: int = 0
    found: int = 0
    matched: int = 0
    right_speaker: int = 0
    no_speaker: int = 0
    right_role: int = 0

    def line(self, label: str) -> str:
        matched = max(self.matched, 1)
        return (
            f"  {label:10} recall {self.matched / max(self.expected, 1):.3f}"
            f"  precision {self.matched / max(self.found, 1):.3f}"
            f"  speaker {self.right_speaker / matched:.3f}"
            f"  null {self.no_speaker / matched:.3f}"
            f"  role {self.right_role / matched:.3f}"
            f"  ({self.matched} of {self.expected} quotes, {self.found} found)"
        )


def load_fixture(path: Path) -> tuple[Document, list[Expected]]:
    """An annotated article: a Document to read and the quotes it holds."""
    data = json.loads(path.read_text(encoding="utf-8"))
    blocks = [
        Block(item) if isinstance(item, str) else Block(item["text"], item.get("kind", "paragraph"))
        for item in data["paragraphs"]
    ]
    document = Document(
        title=data.get("title", ""),
        sections=[DraftSection(None, 1, blocks)],
        description=data.get("description"),
    )
    expected = [Expected(q["text"], q.get("speaker"), q.get("role")) for q in data["quotes"]]
    return document, expected


def fixtures(folder: Path = FIXTURES) -> list[Path]:
    return sorted(folder.glob("*.json"))


def _key(text: str) -> str:
    return _NORMALISE.sub(" ", text.casefold()).strip()


def match(found: list[Quote], expected: list[Expected]) -> list[tuple[Expected, Quote | None]]:
    """Pair each expected quote with the found quote that holds its words (or None)."""
    keys = [_key(quote.text) for quote in found]
    pairs: list[tuple[Expected, Quote | None]] = []
    for item in expected:
        want = _key(item.text)
        index = next(
            (
                i
                for i, key in enumerate(keys)
                if want and (want in key or (key in want and len(key) > 12))
            ),
            None,
        )
        pairs.append((item, found[index] if index is not None else None))
        if index is not None:
            keys[index] = "\0"  # each found quote matches once
    return pairs


def score(run: FindQuotes, paths: Iterable[Path], *, show: bool = False) -> Scores:
    """Recall, precision, speaker and role accuracy of `run` over the annotated articles."""
    scores = Scores()
    for path in paths:
        document, expected = load_fixture(path)
        found = run(document)
        scores.expected += len(expected)
        scores.found += len(found)
        pairs = match(found, expected)
        if show:
            _show_misses(path, found, pairs)
        for item, quote in pairs:
            if quote is None:
                continue
            scores.matched += 1
            scores.no_speaker += quote.speaker is None
            scores.right_speaker += quote.speaker == item.speaker
            scores.right_role += getattr(quote, "speaker_role", None) == item.role
    return scores


def _show_misses(
    path: Path, found: list[Quote], pairs: list[tuple[Expected, Quote | None]]
) -> None:
    """Print each expected quote not found or wrongly attributed, and each extra quote."""
    for item, quote in pairs:
        got = (quote.speaker, getattr(quote, "speaker_role", None)) if quote else "not found"
        if got != (item.speaker, item.role):
            print(f"    {path.stem}: {item.text[:40]!r} want {(item.speaker, item.role)} got {got}")
    matched = {id(quote) for _, quote in pairs if quote is not None}
    for quote in found:
        if id(quote) not in matched:
            print(f"    {path.stem}: extra {quote.text[:40]!r} ({quote.speaker})")


def reference_find_quotes(revision: str) -> FindQuotes:
    """`find_quotes` of the quotes code at `revision`, importable beside this tree's."""
    folder = Path(tempfile.mkdtemp(prefix="quotes-reference-"))
    package = folder / "_quotes_reference"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in _MODULES:
        source = subprocess.run(
            ["git", "show", f"{revision}:reader/article/{name}.py"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for other in _MODULES:
            source = source.replace(f"reader.article.{other}", f"_quotes_reference.{other}")
        (package / f"{name}.py").write_text(source)
    sys.path.insert(0, str(folder))
    module: ModuleType = importlib.import_module("_quotes_reference.quotes")
    return module.find_quotes  # type: ignore[no-any-return]


def time_pages(runs: dict[str, FindQuotes], rounds: int) -> None:
    """CPU ms per page of each quote pass on the Zyte pages, interleaved page by page."""
    from reader.article.page import parse_page

    pages = sorted(PAGES.glob("*.html.gz"))
    documents = [
        parse_page(gzip.decompress(page.read_bytes()), url=f"https://bench.example/{i}")
        for i, page in enumerate(pages)
    ]
    per_round: dict[str, list[float]] = {name: [] for name in runs}
    found = dict.fromkeys(runs, 0)
    for round_number in range(rounds):
        totals = dict.fromkeys(runs, 0.0)
        for document in documents:
            for name, run in runs.items():
                start = time.process_time()
                result = run(document)
                totals[name] += time.process_time() - start
                if round_number == 0:
                    found[name] += len(result)
        for name, total in totals.items():
            per_round[name].append(1000 * total / len(documents))
    print(f"Quote pass on {len(documents)} Zyte pages, {rounds} rounds: median CPU ms/page (min)")
    medians = {name: statistics.median(times) for name, times in per_round.items()}
    for name, times in per_round.items():
        print(f"  {name:10} {medians[name]:6.3f} ({min(times):.3f})  {found[name]} quotes")
    names = list(runs)
    if len(names) == 2:
        print(f"  ratio {names[0]} / {names[1]}: {medians[names[0]] / medians[names[1]]:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds over the pages")
    parser.add_argument("--reference", default=REFERENCE, help="git revision to compare with")
    parser.add_argument("--no-timing", action="store_true", help="accuracy only")
    parser.add_argument("--misses", action="store_true", help="list this tree's misses")
    args = parser.parse_args()
    runs: dict[str, FindQuotes] = {"this tree": find_quotes}
    if args.reference:
        runs["reference"] = reference_find_quotes(args.reference)
    for folder in (FIXTURES, HELD_OUT):
        paths = fixtures(folder)
        print(f"Annotated articles: {len(paths)} in {folder.relative_to(ROOT)}")
        for name, run in runs.items():
            print(score(run, paths, show=args.misses and run is find_quotes).line(name))
    if args.no_timing:
        return
    if not PAGES.is_dir():
        print(f"Timing skipped: {PAGES} is missing (the Zyte pages come with ../shared).")
        return
    time_pages(runs, args.rounds)


if __name__ == "__main__":
    main()
