"""What the command line prints, as a person reads it: headers, legends, kinds, no padding."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from io import StringIO
from pathlib import Path

import pytest

from reader.cli import main
from tests.loopback import LoopbackServer, Response
from tests.unit.test_library import RSS, rss

STORY = """<!doctype html><html><head><title>Lighthouse keepers vote to strike</title>
<meta name="description" content="Keepers of the northern lighthouses voted on Monday to stop work.">
<meta property="article:published_time" content="2025-03-04T09:30:00Z">
<meta name="author" content="Tove Brandt">
</head><body><article><h1>Lighthouse keepers vote to strike</h1>
<p>Keepers of the northern lighthouses voted on Monday to stop work. The vote followed months of
talks about night shifts and pay that went nowhere, the union said after the count.</p>
<p>“We have kept the lamps lit through every storm and we ask for very little in return,” said
Arne Holm, a keeper at the Skarv light for twenty years, outside the union hall.</p>
<p>The ministry said it would meet the union again on Friday to talk about the rota and about
the money for the remote stations, which has not risen in a decade.</p>
<p>See also <a href="../other/ferry.html">the ferry timetable story</a> and
<a href="https://elsewhere.test/national">the national picture</a>.</p>
</article></body></html>"""

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    status = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return status, out, err


def no_trailing_spaces(text: str) -> bool:
    return all(line == line.rstrip() for line in text.splitlines())


@pytest.fixture
def library(tmp_path: Path, loopback: LoopbackServer, capsys: pytest.CaptureFixture[str]) -> Path:
    """A library with one feed of two entries; entry 1's page is STORY."""
    loopback.routes["/feed"] = Response(
        rss("Coast News", [("1", "Keepers vote"), ("2", "Ferry timetable")], base=loopback.base),
        content_type=RSS,
    )
    loopback.routes["/story/1"] = Response(STORY)
    loopback.routes["/story/2"] = Response(STORY.replace("Lighthouse", "Ferry"))
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "add", loopback.url("/feed")]) == 0
    capsys.readouterr()
    return data


def test_tables_have_headers_legends_and_no_trailing_spaces(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    status, out, _ = cli(capsys, library, "entries")
    lines = out.splitlines()
    assert status == 0 and lines[0].split() == ["ENTRY", "MK", "DATE", "FEED", "TITLE"]
    assert re.match(r"^\s+2  \*\s+2025-01-0\d  Coast News  Keepers vote$", lines[2]), lines
    assert lines[-1] == "2 entries; marks: * unread, S saved"
    assert cli(capsys, library, "save", "1")[0] == 0
    _, out, _ = cli(capsys, library, "entries", "--limit", "1")
    assert out.splitlines()[-1] == "1 entry; marks: * unread, S saved"
    _, out, _ = cli(capsys, library, "feeds")
    assert out.splitlines()[0].split() == ["FEED", "UNREAD", "TOTAL", "MK", "TITLE", "<URL>"]
    assert out.splitlines()[-1] == "1 feed; marks: ! last refresh failed"
    _, out, _ = cli(capsys, library, "saved")
    assert out.splitlines()[0].split() == ["ARTICLE", "SAVED", "ENTRY", "TITLE", "<URL>"]
    assert "1 saved article;" in out
    outputs = [out]
    for args in (
        ["entries"],
        ["feeds"],
        ["search", "keepers"],
        ["show", "1"],
        ["show", "1", "--format", "html"],
        ["export"],
    ):
        status, text, err = cli(capsys, library, *args)
        assert status == 0 and err == "", args
        outputs.append(text)
    assert all(no_trailing_spaces(text) for text in outputs)


def test_add_counts_in_english(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    loopback.routes["/one"] = Response(rss("Single", [("1", "Only story")]), content_type=RSS)
    status, out, _ = cli(capsys, tmp_path / "data", "add", loopback.url("/one"))
    assert status == 0 and out.endswith("(1 entry)\n"), out


def test_ids_name_their_kind_and_show_takes_an_entry(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    # Entry 2 (Keepers vote, the Lighthouse page) is saved first and becomes article 1;
    # entry 1 (the Ferry page) becomes article 2: the two numbers differ on purpose.
    status, out, _ = cli(capsys, library, "save", "entry", "2")
    assert status == 0 and out.startswith("saved entry 2 as article 1: Lighthouse keepers")
    status, out, _ = cli(capsys, library, "save", "1")
    assert status == 0 and out.startswith("saved entry 1 as article 2: Ferry keepers")
    _, by_entry, _ = cli(capsys, library, "show", "entry", "2")
    _, by_article, _ = cli(capsys, library, "show", "article", "1")
    _, bare, _ = cli(capsys, library, "show", "1")
    assert by_entry == by_article == bare and by_entry.startswith("# Lighthouse keepers")
    status, out, _ = cli(capsys, library, "search", "lighthouse")
    # One hit per story: the entry, marked saved, though only its saved text matched.
    assert "entry 2 (saved): Lighthouse keepers vote to strike" in out.splitlines()
    status, out, _ = cli(capsys, library, "unsave", "entry", "2")
    assert (
        status == 0 and out == "article 1 is no longer saved: Lighthouse keepers vote to strike\n"
    )
    status, _, err = cli(capsys, library, "unsave", "entry", "2")
    assert status == 1 and err == "reader: entry 2's article 1 is cached, not saved\n"
    status, out, _ = cli(capsys, library, "read", "entry", "2")
    assert status == 0 and out == "entry 2 marked read\n"


def test_show_entry_without_an_article_says_how_to_get_one(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    status, out, err = cli(capsys, library, "show", "entry", "1")
    assert (status, out) == (1, "")
    assert err == (
        "reader: entry 1 has no saved or cached article (save it with 'reader save 1')\n"
    )


def test_markdown_has_a_human_date_and_no_repeated_standfirst(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    assert cli(capsys, library, "save", "2")[0] == 0
    _, markdown, _ = cli(capsys, library, "show", "1")
    assert "*Tove Brandt · 4 March 2025, 09:30 UTC*" in markdown
    assert "2025-03-04T" not in markdown
    # The takeaways may pick the lead sentence: they are a list of the story's own words.
    body = "\n".join(line for line in markdown.splitlines() if not line.startswith("- "))
    assert body.count("voted on Monday to stop work") == 1
    assert "\n> " not in markdown.split("## Quotes")[0]


def test_markdown_keeps_a_standfirst_the_text_does_not_repeat(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    other = STORY.replace(
        'content="Keepers of the northern lighthouses voted on Monday to stop work."',
        'content="A week without keepers on the northern coast."',
    )
    loopback.routes["/page"] = Response(other)
    data = tmp_path / "data"
    assert cli(capsys, data, "save", loopback.url("/page"))[0] == 0
    _, markdown, _ = cli(capsys, data, "show", "1")
    assert "> A week without keepers on the northern coast." in markdown


def test_piped_article_lines_are_whole_and_unpadded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "story.html"
    page.write_text(STORY, encoding="utf-8")
    status, out, err = cli(capsys, tmp_path / "data", "article", str(page))
    assert status == 0 and err == ""
    assert no_trailing_spaces(out)
    lines = out.splitlines()
    quote = next(line for line in lines if line.startswith("  “We have kept"))
    assert quote.endswith("” — Arne Holm") and len(quote) > 80  # one line, not wrapped at 80
    assert any(len(line) > 120 for line in lines)  # paragraphs are single lines in a pipe
    assert lines[-1].startswith("Note: this file links to pages by relative address")
    assert "--url" in lines[-1]
    _, with_url, _ = cli(
        capsys, tmp_path / "data", "article", str(page), "--url", "https://coast.test/n/k.html"
    )
    assert "Note:" not in with_url and "the ferry timetable story" in with_url


def test_terminal_rendering_wraps_to_the_width(tmp_path: Path) -> None:
    from rich.console import Console

    from reader.article import clean
    from reader.commands.article import render

    buffer = StringIO()
    console = Console(file=buffer, width=50, force_terminal=True, color_system=None)
    render(clean(STORY.encode(), url="https://coast.test/story"), console)
    lines = ANSI.sub("", buffer.getvalue()).splitlines()
    assert max(len(line) for line in lines) <= 50 and len(lines) > 20
    assert no_trailing_spaces("\n".join(lines))
    takeaway = lines.index(next(line for line in lines if line.startswith("  • ")))
    assert lines[takeaway + 1].startswith("    ") and lines[takeaway + 1][4] != " "


def _in_a_terminal(args: list[str], columns: int, env: dict[str, str]) -> str:
    """Run `reader ARGS` with stdout on a real pseudo-terminal of `columns` columns."""
    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdout=child_fd,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(child_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main_fd)
    assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    return ANSI.sub("", b"".join(chunks).decode("utf-8").replace("\r\n", "\n"))


def test_a_terminal_gets_lines_that_fit_it(tmp_path: Path, library: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(STORY, encoding="utf-8")
    env = {
        **os.environ,
        "COLUMNS": "",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "READER_DATA_DIR": str(library),
    }
    env.pop("COLUMNS")
    for args in (["article", str(page)], ["entries"], ["feeds"], ["search", "keepers"]):
        text = _in_a_terminal(args, 44, env)
        assert text.strip(), args
        assert max(len(line) for line in text.splitlines()) <= 44, (args, text)
        assert no_trailing_spaces(text)
    assert "…" in _in_a_terminal(["feeds"], 44, env)  # the URL column was cut to fit


def test_json_output_shape_is_unchanged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(STORY, encoding="utf-8")
    _, out, _ = cli(capsys, tmp_path / "data", "article", "--json", str(page))
    article = json.loads(out)
    assert list(article) == [
        "title",
        "byline",
        "published",
        "url",
        "site",
        "description",
        "lang",
        "sections",
        "takeaways",
        "quotes",
        "related",
        "captions",
        "links",
        "image",
    ]
    assert list(article["sections"][0]) == ["heading", "level", "paragraphs", "blocks"]
    assert out.count("\n") == 1 and '", "' in out  # one line, json.dumps' separators
