#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris / libFuzzer) of the feed and OPML parsers and the engine.

    .venv/bin/pip install atheris          # optional; not a project dependency
    .venv/bin/python bench/fuzz_atheris.py --seconds 300

The first byte of each input picks the target: feed parsing (`parse_feed`, with a
Content-Type from the second byte), OPML import (`parse_opml`), the article engine
on HTML (`clean`) or on plain text (`clean(plain_text=True)`). The corpus starts
from small real documents of ../shared/corpus (copied into a temporary folder).
A crash is anything but `ReaderError` escaping a parser, anything escaping the
engine, or an escape sequence / control character / bidi override in the output;
libFuzzer then prints the traceback and writes the input to `crash-*` in the
current folder. libFuzzer's final stats give the number of inputs run and the time.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["reader"]):
    from reader.article import clean
    from reader.errors import ReaderError
    from reader.feeds import parse_feed, parse_opml
    from reader.text import has_unsafe_characters

CONTENT_TYPES = [
    None,
    "application/rss+xml",
    "application/atom+xml",
    "text/xml",
    "application/feed+json",
    "text/html",
    "application/xml; charset=iso-8859-1",
]
TARGETS = ("feed", "opml", "html", "text")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _assert_safe(texts: list[str]) -> None:
    unsafe = [text for text in texts if has_unsafe_characters(text)]
    if unsafe:
        raise AssertionError(f"unsafe text came out: {unsafe[0][:80]!r}")


def one_input(data: bytes) -> None:
    if len(data) < 2:
        return
    target = TARGETS[data[0] % len(TARGETS)]
    body = data[2:]
    if target == "feed":
        try:
            parsed = parse_feed(
                body, "https://fuzz.test/feed", CONTENT_TYPES[data[1] % len(CONTENT_TYPES)]
            )
        except ReaderError:
            return
        _assert_safe(
            [parsed.title]
            + [t for e in parsed.entries for t in (e.title, e.summary, e.author or "")]
        )
    elif target == "opml":
        try:
            parse_opml(body, "fuzz.opml")
        except ReaderError:
            return
    else:
        text = body.decode("utf-8", "replace")
        article = clean(text, "https://fuzz.test/story", plain_text=target == "text")
        _assert_safe(_strings(article.to_json()))


def seed_corpus(folder: Path, limit: int) -> None:
    """Small real feeds, OPML files and pages, each prefixed with its target byte."""
    feeds = sorted(
        p
        for p in (CORPUS / "feeds").rglob("*")
        if p.is_file()
        and p.suffix in (".xml", ".rss", ".atom", ".json")
        and p.stat().st_size < 8_000
    )[:limit]
    opml = sorted((CORPUS / "feeds").rglob("*.opml"))
    pages = sorted(p for p in (CORPUS / "articles").rglob("*.html.gz") if p.stat().st_size < 6_000)[
        : limit // 4
    ]
    count = 0
    for prefix, paths in ((b"\x00\x00", feeds), (b"\x01\x00", opml), (b"\x02\x00", pages)):
        for path in paths:
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            (folder / f"seed-{count}").write_bytes(prefix + data)
            count += 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--seeds", type=int, default=200, help="corpus files to start from")
    args, libfuzzer_args = parser.parse_known_args()
    corpus = Path(tempfile.mkdtemp(prefix="reader-atheris-"))
    seed_corpus(corpus, args.seeds)
    argv = [
        sys.argv[0],
        f"-max_total_time={args.seconds}",
        "-rss_limit_mb=2048",
        "-timeout=20",
        "-print_final_stats=1",
        *libfuzzer_args,
        str(corpus),
    ]
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
