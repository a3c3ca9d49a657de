"""Metadata and boilerplate figures on the peers' own test pages (../shared/corpus/articles).

  Mozilla Readability  94 real pages (INDEX.tsv likely_synthetic = no),
                       expected-metadata.json: title, byline, publishedTime
  Postlight parser     120 pages with expectations, expected.json: title, author,
                       date_published
  trafilatura          106 annotated pages, expected.json: `with` snippets the body
                       must contain, `without` snippets it must not contain

How "exact" is defined (the same rules for every extractor):
  * A field is scored only on the pages where the peer's expectation has a value
    (a page whose expected byline is null says nothing about bylines).
  * Title: Unicode NFKC, curly quotes and dashes folded to ASCII (’ -> ', — -> -),
    whitespace runs -> one space, ends trimmed; then equal, or
    equal but for a site or section name tied on with a separator and at most 6
    words long ("How to Build a Terrarium | eHow" = "How to Build a Terrarium"):
    the peers disagree on that tail (Readability.js keeps it, Mercury drops it).
    "strict-title" is plain equality (after the same folding), printed as well.
  * Byline: the same, plus: a leading "By " is dropped, case is ignored (pages print
    bylines in capitals by CSS or by hand), and "A, B and C" / "A & B" are read as the
    list of names [A, B, C], which must be equal in order.
  * Dates: equal when the calendar dates agree, either as written (the YYYY-MM-DD
    part) or after converting both date-times with an offset to UTC. Times of day
    are not compared.
  * Snippets: whitespace-normalised substring test on the body (section headings and
    paragraphs: `Article.text`). Each snippet counts once (micro-average).

    .venv/bin/python bench/metadata.py
    .venv/bin/python bench/metadata.py --trafilatura-python /path/to/venv/bin/python

With --trafilatura-python (an interpreter that has trafilatura installed; it is
not a dependency of the project) the same pages are also run through
`trafilatura.bare_extraction` and scored with the same rules, for comparison.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "articles"
MOZILLA = CORPUS / "mozilla-readability"
POSTLIGHT = CORPUS / "postlight-parser"
TRAFILATURA = CORPUS / "trafilatura"

# Runs inside the trafilatura interpreter: one JSON line per page.
_TRAFILATURA_WORKER = r"""
import gzip, json, sys
import trafilatura
for line in sys.stdin:
    job = json.loads(line)
    raw = open(job["path"], "rb").read()
    if job["path"].endswith(".gz"):
        raw = gzip.decompress(raw)
    try:
        doc = trafilatura.bare_extraction(raw, url=job.get("url"), with_metadata=True)
    except Exception:
        doc = None
    if doc is not None and not isinstance(doc, dict):
        doc = doc.as_dict()
    doc = doc or {}
    print(json.dumps({"title": doc.get("title"), "byline": doc.get("author"),
                      "date": doc.get("date"), "text": doc.get("text") or ""}), flush=True)
"""


_TYPOGRAPHY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "–": "-",
        "—": "-",
        "\u00a0": " ",
    }
)


def _norm(text: str | None) -> str:
    """NFKC, typographic quotes and dashes folded to ASCII, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").translate(_TYPOGRAPHY).split())


def same_text(expected: str, got: str | None) -> bool:
    return _norm(expected) == _norm(got)


_SEPARATOR = re.compile(r"\s*(?:[|\-–—·•»:/_]|::|\[)\s*")


def same_headline(expected: str, got: str | None) -> bool:
    """Equal, or equal but for a site/section name tied on with a separator.

    "How to Build a Terrarium | eHow" and "How to Build a Terrarium" name the same
    headline; the extra part must be short (at most 6 words) and cut off by a
    separator (| - – — · • » : / _ [), so a different headline never matches.
    """
    a, b = _norm(expected), _norm(got)
    if a == b:
        return True
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    for rest in (
        long[len(short) :] if long.startswith(short) else None,
        long[: len(long) - len(short)] if long.endswith(short) else None,
    ):
        if rest is None:
            continue
        match = (
            _SEPARATOR.match(rest)
            if long.startswith(short)
            else re.search(r"\s*(?:[|\-–—·•»:/_]|::)\s*$", rest)
        )
        if match and len(rest.split()) <= 7:
            return True
    return False


def _names(text: str | None) -> list[str]:
    text = re.sub(r"^by\s+", "", _norm(text), flags=re.I).casefold()
    return [name.strip() for name in re.split(r",|&|\band\b", text) if name.strip()]


def same_byline(expected: str, got: str | None) -> bool:
    return bool(got) and _names(expected) == _names(got)


def _dates(value: str) -> set[str]:
    """The calendar dates a date string may stand for: as written, and in UTC."""
    value = value.strip()
    found = set()
    match = re.match(r"(\d{4}-\d{2}-\d{2})", value)
    if match:
        found.add(match.group(1))
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return found
    if moment.tzinfo is not None:
        found.add(moment.astimezone(UTC).date().isoformat())
    return found


def same_date(expected: str, got: str | None) -> bool:
    return bool(got) and bool(_dates(expected) & _dates(got or ""))


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


# --- the pages -----------------------------------------------------------------------------


def mozilla_pages() -> Iterator[tuple[Path, str | None, dict[str, str]]]:
    with (MOZILLA / "INDEX.tsv").open(encoding="utf-8") as index:
        for row in csv.DictReader(index, delimiter="\t"):
            if row["likely_synthetic"] != "no":
                continue
            folder = MOZILLA / "test-pages" / row["page"]
            meta = json.loads((folder / "expected-metadata.json").read_text("utf-8"))
            yield (
                folder / "source.html",
                None,
                {
                    "title": meta.get("title"),
                    "byline": meta.get("byline"),
                    "date": meta.get("publishedTime"),
                },
            )


def postlight_pages() -> Iterator[tuple[Path, str | None, dict[str, str]]]:
    for entry in json.loads((POSTLIGHT / "expected.json").read_text("utf-8")).values():
        expected = entry.get("expected")
        if not expected:
            continue
        yield (
            POSTLIGHT / entry["page"],
            entry.get("url"),
            {
                "title": expected.get("title"),
                "byline": expected.get("author"),
                "date": expected.get("date_published"),
            },
        )


def trafilatura_pages() -> Iterator[tuple[Path, str | None, dict[str, Any]]]:
    for entry in json.loads((TRAFILATURA / "expected.json").read_text("utf-8")).values():
        if entry.get("with") or entry.get("without"):
            yield (
                TRAFILATURA / entry["page"],
                entry.get("url"),
                {"with": entry.get("with") or [], "without": entry.get("without") or []},
            )


# --- extractors ------------------------------------------------------------------------------

Extract = Callable[[list[tuple[Path, str | None]]], list[dict[str, Any]]]


def ours(jobs: list[tuple[Path, str | None]]) -> list[dict[str, Any]]:
    from reader.article.assemble import assemble
    from reader.article.page import parse_page

    results = []
    for path, url in jobs:
        article = assemble(parse_page(_read(path), url=url), semantic=False)
        results.append(
            {
                "title": article.title,
                "byline": article.byline,
                "date": article.published,
                "text": article.text,
            }
        )
    return results


def trafilatura_in(python: str) -> Extract:
    def extract(jobs: list[tuple[Path, str | None]]) -> list[dict[str, Any]]:
        payload = "".join(json.dumps({"path": str(p), "url": u}) + "\n" for p, u in jobs)
        out = subprocess.run(
            [python, "-c", _TRAFILATURA_WORKER],
            input=payload,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return [json.loads(line) for line in out.splitlines()]

    return extract


# --- scoring ---------------------------------------------------------------------------------


def score_fields(
    pages: list[tuple[Path, str | None, dict[str, str]]], got: list[dict[str, Any]]
) -> dict[str, tuple[int, int]]:
    checks = {
        "title": same_headline,
        "strict-title": same_text,
        "byline": same_byline,
        "date": same_date,
    }
    scores = {}
    for field, check in checks.items():
        key = field.removeprefix("strict-")
        scored = [
            (exp[key], g[key]) for (_, _, exp), g in zip(pages, got, strict=True) if exp.get(key)
        ]
        scores[field] = (sum(check(e, g) for e, g in scored), len(scored))
    return scores


def score_snippets(
    pages: list[tuple[Path, str | None, dict[str, Any]]], got: list[dict[str, Any]]
) -> dict[str, tuple[int, int]]:
    hits = {"with": [0, 0], "without": [0, 0]}
    for (_, _, exp), g in zip(pages, got, strict=True):
        body = _norm(g["text"])
        for snippet in exp["with"]:
            hits["with"][0] += _norm(snippet) in body
            hits["with"][1] += 1
        for snippet in exp["without"]:
            hits["without"][0] += _norm(snippet) not in body
            hits["without"][1] += 1
    return {k: (v[0], v[1]) for k, v in hits.items()}


def _fmt(scores: dict[str, tuple[int, int]]) -> str:
    return "  ".join(
        f"{name} {hit / total:.3f} ({hit}/{total})" for name, (hit, total) in scores.items()
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--trafilatura-python",
        metavar="PYTHON",
        help="an interpreter with trafilatura installed, for comparison",
    )
    parser.add_argument("--show-misses", choices=("mozilla", "postlight", "snippets"))
    args = parser.parse_args()
    extractors: dict[str, Extract] = {"ours": ours}
    if args.trafilatura_python:
        extractors["trafilatura"] = trafilatura_in(args.trafilatura_python)
    suites = {
        "mozilla": list(mozilla_pages()),
        "postlight": list(postlight_pages()),
        "snippets": list(trafilatura_pages()),
    }
    for name, extract in extractors.items():
        for suite, pages in suites.items():
            started = time.perf_counter()
            got = extract([(path, url) for path, url, _ in pages])
            took = time.perf_counter() - started
            scores = score_snippets(pages, got) if suite == "snippets" else score_fields(pages, got)
            print(
                f"{name:12} {suite:10} {len(pages):4} pages  {_fmt(scores)}  [{took:.1f} s]",
                flush=True,
            )
            if args.show_misses == suite and name == "ours":
                _show_misses(suite, pages, got)


def _show_misses(
    suite: str, pages: list[tuple[Path, str | None, dict[str, Any]]], got: list[dict[str, Any]]
) -> None:
    for (path, _, exp), g in zip(pages, got, strict=True):
        label = path.parent.name if suite == "mozilla" else path.name
        if suite == "snippets":
            body = _norm(g["text"])
            for snippet in exp["with"]:
                if _norm(snippet) not in body:
                    print(f"  {label}: missing {snippet!r}")
            for snippet in exp["without"]:
                if _norm(snippet) in body:
                    print(f"  {label}: has {snippet!r}")
            continue
        checks = {"title": same_headline, "byline": same_byline, "date": same_date}
        for field, check in checks.items():
            if exp.get(field) and not check(exp[field], g[field]):
                print(f"  {label} {field}: expected {exp[field]!r} got {g[field]!r}")


if __name__ == "__main__":
    sys.exit(main())
