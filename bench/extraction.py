"""Body extraction on two sets of real pages, beside readability-lxml and trafilatura.

Runs ../shared/bench/score_extraction.py on each set, every extractor in the
same run, so the figures share the machine's load and compare as ratios:

  zyte        the Zyte article-extraction benchmark (181 pages, human truth)
  dragnet     the Dragnet benchmark's training split (966 pages, comments cut)

  engine       `reader article --json` (the product, process start included)
  readability  readability-lxml 0.9 alone, fed DECODED text (the page decoded by
               our `decode_html` first: handing it bytes makes it sniff the
               encoding itself, ~14 ms a page, which is not extraction work)
  trafilatura  trafilatura's `extract(include_comments=False)`, run by another
               Python that has it (`--trafilatura-python`, default
               `.venv-traf/bin/python` when it exists), fed the same decoded text

Each scored run goes through the scorer's `--cmd` (one process for all pages,
process start included); `--repeat N` keeps the fastest of N runs (F1 is the
same each time). Then CPU time per page in one process (less disturbed by other
jobs than wall time), best of `--rounds`: readability alone, trafilatura alone,
and the engine pass by pass (decode, parse, metadata, readability inside the
engine, our block passes, takeaways, quotes, related).

    .venv/bin/python bench/extraction.py                      # everything
    .venv/bin/python bench/extraction.py --sets dragnet --only engine readability
    .venv/bin/python bench/extraction.py --no-cpu --save-dir /tmp/scores

The script is also the scorer's command for the two references:
`bench/extraction.py --emit readability FILE...` prints one JSON line per file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = ROOT.parent / "shared" / "bench"
SCORER = SHARED_BENCH / "score_extraction.py"
SETS = {"zyte": "extraction", "dragnet": "extraction-dragnet"}
PYTHON = sys.executable
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "br",
    "section",
    "article",
    "ul",
    "ol",
    "table",
    "pre",
    "figure",
    "figcaption",
    "dd",
)


def _decode(data: bytes) -> str:
    """The page as text, decoded as the engine decodes it (BOM, meta charset, UTF-8, cp1252)."""
    if str(ROOT) not in sys.path:  # the trafilatura venv does not have the project installed
        sys.path.insert(0, str(ROOT))
    from reader.article.page import decode_html

    return decode_html(data)


def _readability_text(html: str) -> list[str]:
    """readability-lxml's summary as paragraphs (block boundaries kept as breaks)."""
    import lxml.html
    from readability import Document

    try:
        root = lxml.html.fromstring(Document(html).summary())
    except Exception:  # readability gives up on some pages: score them as empty
        return []
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    return [" ".join(line.split()) for line in root.text_content().split("\n")]


def _trafilatura_text(html: str) -> list[str]:
    """trafilatura's `extract()` without reader comments (neither gold text has them), as lines."""
    import trafilatura

    return (trafilatura.extract(html, include_comments=False) or "").split("\n")


_EMITTERS: dict[str, Callable[[str], list[str]]] = {
    "readability": _readability_text,
    "trafilatura": _trafilatura_text,
}


def emit(kind: str, files: list[str]) -> None:
    """Print one {"sections": [...]} line per file from one reference extractor."""
    extract = _EMITTERS[kind]
    for name in files:
        paragraphs = extract(_decode(Path(name).read_bytes()))
        body = {"sections": [{"heading": None, "paragraphs": [p for p in paragraphs if p]}]}
        print(json.dumps(body), flush=True)


def score(command: str, data: str, repeat: int, save: Path | None) -> dict[str, float]:
    """Run the scorer on `command`; keep the fastest of `repeat` runs (same F1 each time)."""
    best: dict[str, float] | None = None
    for _ in range(repeat):
        extra = ["--save", str(save)] if save else []
        out = subprocess.run(
            [PYTHON, str(SCORER), "--data", data, "--cmd", command, *extra],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        if best is None or result["ms_per_page"] < best["ms_per_page"]:
            best = result
    assert best is not None
    return best


def _trafilatura_python(option: str | None) -> str | None:
    """The Python that runs trafilatura: the option, else `.venv-traf` when present."""
    if option:
        return option
    default = ROOT / ".venv-traf" / "bin" / "python"
    return str(default) if default.exists() else None


def _commands(args: argparse.Namespace) -> dict[str, str]:
    me = shlex.quote(str(Path(__file__).resolve()))
    commands = {
        "engine": f"{shlex.quote(str(ROOT / '.venv' / 'bin' / 'reader'))} article --json",
        "readability": f"{shlex.quote(PYTHON)} {me} --emit readability",
    }
    traf = _trafilatura_python(args.trafilatura_python)
    if traf:
        commands["trafilatura"] = f"{shlex.quote(traf)} {me} --emit trafilatura"
    return {name: cmd for name, cmd in commands.items() if not args.only or name in args.only}


def scored_runs(args: argparse.Namespace) -> None:
    """Every extractor on every set, printed as one table (F1, P, R, ms/page)."""
    commands = _commands(args)
    rows: dict[str, dict[str, dict[str, float]]] = {}
    for set_name in args.sets:
        for name, command in commands.items():
            save = args.save_dir / f"{set_name}-{name}.json" if args.save_dir else None
            figures = score(command, SETS[set_name], args.repeat, save)
            rows.setdefault(name, {})[set_name] = figures
            print(
                f"{set_name:8} {name:12} F1 {figures['f1']:.4f}  P {figures['precision']:.4f}  "
                f"R {figures['recall']:.4f}  {figures['ms_per_page']:.1f} ms/page",
                flush=True,
            )
    print()
    print(f"{'F1 (wall ms/page)':18}" + "".join(f"{s:>20}" for s in args.sets))
    for name, per_set in rows.items():
        cells = "".join(
            f"{per_set[s]['f1']:>12.4f} ({per_set[s]['ms_per_page']:5.1f})" for s in args.sets
        )
        print(f"{name:18}{cells}")
    if "engine" in rows and "readability" in rows:
        for s in args.sets:
            gain = rows["engine"][s]["f1"] - rows["readability"][s]["f1"]
            print(f"engine - readability alone on {s}: {gain:+.4f} F1")


def _pages(set_name: str) -> list[bytes]:
    folder = SHARED_BENCH / SETS[set_name] / "html"
    return [gzip.decompress(p.read_bytes()) for p in sorted(folder.glob("*.html.gz"))]


def _best_cpu(work: Callable[[], object], rounds: int) -> float:
    """Fewest CPU seconds of `rounds` runs of `work`."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


class _PassClock:
    """Adds up the CPU time spent in named functions while the engine runs."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.process_time() - started

        return timed


@contextmanager
def _patched(clock: _PassClock) -> Iterator[None]:
    """Time the engine's passes by wrapping the module functions `parse_page` calls."""
    import reader.article.blocks as blocks
    import reader.article.captions as captions
    import reader.article.page as page
    import reader.article.sections as sections

    targets = [
        (page, "decode_html", "decode"),
        (page, "parse_tree", "parse (lxml)"),
        (page, "read_metadata", "metadata"),
        (sections, "find_key_points", "key points"),
        (page, "prepare_tree", "prepare tree"),
        (page, "readable_tree", "readability (in engine)"),
        (blocks, "extract_blocks", "blocks"),
        (captions, "split_captions", "captions"),
        (page, "find_standfirst", "standfirst"),
        (sections, "build_sections", "sections"),
    ]
    saved = [(module, attr, getattr(module, attr)) for module, attr, _ in targets]
    for module, attr, name in targets:
        setattr(module, attr, clock.wrap(name, getattr(module, attr)))
    try:
        yield
    finally:
        for module, attr, original in saved:
            setattr(module, attr, original)


def cpu_costs(set_name: str, rounds: int, traf_python: str | None) -> None:
    """CPU ms/page on one set: the references alone and the engine pass by pass."""
    from reader.article.page import decode_html, parse_page
    from reader.article.quotes import find_quotes
    from reader.article.related import find_related
    from reader.article.takeaways import pick_takeaways

    pages = _pages(set_name)
    texts = [decode_html(page) for page in pages]
    per_page = 1000 / len(pages)
    readability_ms = _best_cpu(lambda: [_readability_text(t) for t in texts], rounds) * per_page
    parts = [f"readability alone (decoded text) {readability_ms:.1f}"]
    if traf_python:
        out = subprocess.run(
            [traf_python, __file__, "--cpu-trafilatura", set_name, "--rounds", str(rounds)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        parts.append(f"trafilatura alone {float(out.strip()):.1f}")
    documents = [parse_page(page) for page in pages]
    page_ms = _best_cpu(lambda: [parse_page(page) for page in pages], rounds) * per_page
    clock = _PassClock()
    with _patched(clock):
        for page in pages:
            parse_page(page)
    semantic = {
        "takeaways": _best_cpu(lambda: [pick_takeaways(d) for d in documents], rounds),
        "quotes": _best_cpu(lambda: [find_quotes(d) for d in documents], rounds),
        "related": _best_cpu(lambda: [find_related(d) for d in documents], rounds),
    }
    total = page_ms + sum(semantic.values()) * per_page
    print(f"\nCPU ms/page on {set_name} ({len(pages)} pages, best of {rounds}):")
    print("  " + "; ".join(parts))
    print(
        f"  engine total {total:.1f} = {total / readability_ms:.2f}x readability alone; "
        f"page side {page_ms:.1f}, of which (one timed pass):"
    )
    print(
        "    " + ", ".join(f"{name} {spent * per_page:.1f}" for name, spent in clock.spent.items())
    )
    print(
        "  semantic passes: "
        + ", ".join(f"{name} {spent * per_page:.1f}" for name, spent in semantic.items())
    )


def cpu_trafilatura(set_name: str, rounds: int) -> None:
    """Print trafilatura's CPU ms/page on decoded text (run by the trafilatura Python)."""
    texts = [_decode(page) for page in _pages(set_name)]
    spent = _best_cpu(lambda: [_trafilatura_text(t) for t in texts], rounds)
    print(f"{spent * 1000 / len(texts):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--emit", choices=sorted(_EMITTERS), help="act as the scorer's command")
    parser.add_argument("--cpu-trafilatura", metavar="SET", help=argparse.SUPPRESS)
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=["zyte", "dragnet"])
    parser.add_argument("--only", nargs="+", choices=("engine", "readability", "trafilatura"))
    parser.add_argument("--trafilatura-python", metavar="PY", help="a Python with trafilatura")
    parser.add_argument("--repeat", type=int, default=1, help="scored runs per extractor")
    parser.add_argument("--rounds", type=int, default=3, help="CPU timing rounds")
    parser.add_argument("--no-cpu", action="store_true", help="skip the CPU timings")
    parser.add_argument("--save-dir", type=Path, help="write per-page scores here")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if args.emit:
        emit(args.emit, args.files)
        return
    if args.cpu_trafilatura:
        cpu_trafilatura(args.cpu_trafilatura, args.rounds)
        return
    if not SCORER.exists():
        sys.exit(f"extraction.py: needs {SCORER} (the shared benchmark data)")
    if args.save_dir:
        args.save_dir.mkdir(parents=True, exist_ok=True)
    scored_runs(args)
    if not args.no_cpu:
        traf = _trafilatura_python(args.trafilatura_python)
        for set_name in args.sets:
            cpu_costs(
                set_name, args.rounds, traf if not args.only or "trafilatura" in args.only else None
            )


if __name__ == "__main__":
    main()
