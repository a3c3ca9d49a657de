"""A clean error for every bad input on the command line.

Unknown command or flag, missing argument, bad URL, unreachable host, unknown
ID, unreadable file, malformed OPML: one line on stderr that says what and
where, exit status 2 for wrong usage and 1 for a failure, never a traceback.
Most cases run `reader.cli.main` in-process (fast); one test runs the installed
command in a real process to prove the same holds for the exit status and the
stream a shell sees.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.cli import main
from tests.loopback import LoopbackServer, Response

CLOSED = "http://127.0.0.1:{port}/feed"
"""A loopback address on which nothing listens (filled with a free port)."""


def _closed_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return CLOSED.format(port=probe.getsockname()[1])


def _files(folder: Path) -> dict[str, str]:
    """Bad files of every kind, by name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.opml").write_text(
        '<?xml version="1.0"?>\n<opml version="2.0"><body>\n'
        '<outline text="a" xmlUrl="http://a.test/feed"/>\n'
        '<outline text="b" xmlUrl="http://b.test/feed"></wrong>\n'
        "</body></opml>\n",
        encoding="utf-8",
    )
    (folder / "binary.opml").write_bytes(bytes(range(256)) * 8)
    (folder / "plain.txt").write_text("hello\n", encoding="utf-8")
    (folder / "a-file").write_text("x", encoding="utf-8")
    return {
        "missing": str(folder / "missing.opml"),
        "folder": str(folder),
        "under-a-file": str(folder / "a-file" / "feeds.opml"),
        "broken": str(folder / "broken.opml"),
        "binary": str(folder / "binary.opml"),
        "a-file": str(folder / "a-file"),
    }


USAGE: list[tuple[list[str], str]] = [
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["feeds", "--bogus"], "--bogus"),
    (["--no-such-flag"], "--no-such-flag"),
    (["add"], "URL"),
    (["show"], "ID"),
    (["import"], "FILE"),
    (["article"], "SOURCE"),
    (["search"], "WORD"),
    (["read", "abc"], "'abc'"),
    (["refresh", "--feed", "one"], "'one'"),
    (["entries", "--limit", "ten"], "'ten'"),
    (["show", "1", "--format", "pdf"], "'pdf'"),
    (["--data-dir"], "--data-dir"),
]


@pytest.mark.parametrize(("args", "expected"), USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_wrong_usage_is_one_line_and_exit_2(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    _assert_one_clean_line(err, expected)


# (args, what the line must contain). "{closed}" and "{file:...}" are filled in by the test.
FAILURES: list[tuple[list[str], list[str]]] = [
    (["add", "ftp://x.test/feed"], ["ftp://x.test/feed", "not a web address"]),
    (["add", "http://"], ["http://", "not a web address"]),
    (["add", "{closed}"], ["{closed}", "connection refused"]),
    (["save", "{closed}"], ["{closed}", "connection refused"]),
    (["article", "{closed}"], ["{closed}", "connection refused"]),
    (["save", "gopher://old.test/1"], ["gopher://old.test/1", "not a web address"]),
    (["show", "999"], ["999"]),
    (["read", "999"], ["999"]),
    (["unread", "999"], ["999"]),
    (["remove", "999"], ["999"]),
    (["unsave", "999"], ["999"]),
    (["save", "999"], ["999"]),
    (["entries", "--feed", "999"], ["999"]),
    (["remove", "http://never.test/feed"], ["http://never.test/feed", "not subscribed"]),
    (["import", "{file:missing}"], ["{file:missing}", "No such file"]),
    (["import", "{file:folder}"], ["{file:folder}", "directory"]),
    (["import", "{file:under-a-file}"], ["{file:under-a-file}"]),
    (["import", "{file:broken}"], ["{file:broken}", "line 4"]),
    (["import", "{file:binary}"], ["{file:binary}", "not valid OPML"]),
    (["article", "{file:missing}"], ["{file:missing}"]),
    (["article", "{file:folder}"], ["{file:folder}", "folder"]),
    (["article", "{file:binary}"], ["{file:binary}"]),
    (["--data-dir", "{file:a-file}", "feeds"], ["{file:a-file}"]),
]


def _fill(text: str, closed: str, files: dict[str, str]) -> str:
    text = text.replace("{closed}", closed)
    for name, path in files.items():
        text = text.replace(f"{{file:{name}}}", path)
    return text


@pytest.mark.parametrize(("args", "expected"), FAILURES, ids=[" ".join(a) for a, _ in FAILURES])
def test_failure_is_one_line_naming_where_and_exit_1(
    args: list[str], expected: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    closed, files = _closed_url(), _files(tmp_path / "files")
    args = [_fill(a, closed, files) for a in args]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out == ""
    _assert_one_clean_line(err, *(_fill(e, closed, files) for e in expected))


def test_real_processes_print_one_line_and_the_right_status(tmp_path: Path) -> None:
    """The installed entry point: a shell sees the status and one line, never a traceback."""
    files = _files(tmp_path / "files")
    env = {
        **os.environ,
        "READER_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    cases = [
        (["frobnicate"], 2),
        (["import", files["broken"]], 1),
        (["add", _closed_url()], 1),
        (["show", "42"], 1),
    ]
    for args, status in cases:
        done = subprocess.run(
            [sys.executable, "-m", "reader", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert done.returncode == status, (args, done.stderr)
        assert done.stdout == ""
        _assert_one_clean_line(done.stderr)


def _assert_one_clean_line(err: str, *expected: str) -> None:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("reader: "), err
    assert "Traceback" not in err and "internal error" not in err, err
    for text in expected:
        assert text in err, (text, err)


# --- hostile text never reaches the terminal (issue 9, item 1) ---------------------------------

HOSTILE = " \x1b]52;c;cm0gLXJmIH4=\x07 \x1b]0;owned title\x07 \x9b31m"
"""Content-Type text that writes the clipboard (OSC 52), sets the window title (OSC 0)
and opens an 8-bit CSI: none of it may reach stdout or stderr."""

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _raw_header_route(handler: BaseHTTPRequestHandler, mime: str) -> None:
    """Write the hostile header byte for byte (latin-1, as a server on the wire would)."""
    body = b"%PDF-1.4 not a page" if mime == "application/pdf" else b"\x00\x00\x00 ftypisom"
    handler.wfile.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: "
        + (mime + HOSTILE).encode("latin-1")
        + b"\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )
    handler.close_connection = True


@pytest.mark.parametrize("mime", ["application/pdf", "video/mp4"])
@pytest.mark.parametrize("command", [["save"], ["article"], ["article", "--json"]])
def test_a_hostile_content_type_never_reaches_the_terminal(
    command: list[str], mime: str, capsys: pytest.CaptureFixture[str], loopback: LoopbackServer
) -> None:
    loopback.routes["/doc"] = lambda handler: _raw_header_route(handler, mime)
    assert main([*command, loopback.url("/doc")]) == 1
    out, err = capsys.readouterr()
    for stream in (out, err):
        assert not UNSAFE.search(stream), ascii(stream)
        assert "owned title" not in stream and "cm0gLXJmIH4" not in stream, stream
    _assert_one_clean_line(err, loopback.url("/doc"))


def test_names_with_escapes_are_cleaned_in_plain_and_json_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file name is the user's own text, echoed back: it is made safe on both channels."""
    name = str(tmp_path / "a\x1b]0;title\x07b\u202e\x9b1m.html")
    assert main(["article", "--json", name]) == 1
    out, err = capsys.readouterr()
    assert not UNSAFE.search(out) and not UNSAFE.search(err), (ascii(out), ascii(err))
    record = json.loads(out)  # still valid JSON, and the data is intact for a script
    assert record == {"source": name, "error": "no such file"}
    assert "\\u202e" in out and "\\u009b" in out and "\\u001b" in out


def test_json_lines_escape_what_a_terminal_would_act_on() -> None:
    from reader.text import json_for_terminal

    value = {"t": "a\x9b2Jb\u202ec\x7fd\u2066e", "n": 1}
    line = json_for_terminal(json.dumps(value, ensure_ascii=False))
    assert not UNSAFE.search(line) and json.loads(line) == value


# --- sentences, not "internal error" (issue 9, item 13) ----------------------------------------

TWENTY = "9" * 20

SENTENCES: list[tuple[list[str], int, str]] = [
    (["show", TWENTY], 2, "is not an ID"),
    (["show", "entry", TWENTY], 2, "is not an ID"),
    (["read", TWENTY], 2, "is not an ID"),
    (["unread", "0"], 2, "is not an ID"),
    (["unsave", TWENTY], 2, "is not an ID"),
    (["entries", "--feed", TWENTY], 2, "is not an ID"),
    (["refresh", "--feed", TWENTY], 2, "is not an ID"),
    (["remove", TWENTY], 1, "is not an ID"),
    (["save", TWENTY], 1, "is not an ID"),
    (["save", "javascript:alert(1)"], 1, "javascript:alert(1): not a web address"),
    (["save", "data:text/html,hi"], 1, "not a web address"),
    (["save", "http://news.test:99999/x"], 1, "not a valid web address"),
    (["article", "http://news.test:abc/x"], 1, "not a valid web address"),
    (["add", "http://news.test:99999/feed"], 1, "not a valid web address"),
    (["add", "mailto:desk@news.test"], 1, "not a web address"),
    (
        ["article", "--jsn", "x.html"],
        2,
        "unrecognized arguments: --jsn (see 'reader article --help')",
    ),
    (["show", "1", "--colour"], 2, "(see 'reader show --help')"),
]


@pytest.mark.parametrize(
    ("args", "status", "expected"), SENTENCES, ids=[" ".join(a) for a, _, _ in SENTENCES]
)
def test_bad_ids_and_addresses_get_a_sentence(
    args: list[str], status: int, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == status
    out, err = capsys.readouterr()
    assert out == ""
    _assert_one_clean_line(err, expected)


def test_a_huge_limit_means_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["entries", "--limit", TWENTY]) == 0
    assert capsys.readouterr().err == ""
    assert main(["search", "--limit", TWENTY, "harbour"]) == 1  # no match, as grep says
    assert capsys.readouterr().err == "reader: no matches for 'harbour'\n"


def test_json_nested_deep_is_named_not_parsed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "deep.json"
    path.write_text(deep, encoding="utf-8")
    loopback.routes["/deep"] = Response(deep, content_type="application/json")
    for source in (str(path), loopback.url("/deep")):
        assert main(["article", source]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        _assert_one_clean_line(err, source, "a JSON document, not a web page")


# --- feeds are not articles, local files are not subscriptions (issue 17) ----------------------

ATOM = (
    "<?xml version='1.0' encoding='utf-8'?>\n<!-- a comment first -->\n"
    "<feed xmlns='http://www.w3.org/2005/Atom'><title>Tide tables</title>"
    "<entry><id>urn:t:1</id><title>High water</title></entry></feed>"
)
RSS_DOC = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Quay</title>"
    "<item><guid>g1</guid><title>Nets</title></item></channel></rss>"
)
JSON_FEED = '{"version": "https://jsonfeed.org/version/1.1", "title": "Gulls", "items": []}'


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (RSS_DOC, "application/rss+xml", "an RSS feed"),
        (RSS_DOC, "text/xml", "an RSS feed"),
        (ATOM, "application/xml", "an Atom feed"),
        (JSON_FEED, "application/json", "a JSON feed"),
    ],
)
def test_article_on_a_feed_says_it_is_a_feed(
    body: str,
    content_type: str,
    kind: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    loopback: LoopbackServer,
) -> None:
    loopback.routes["/feed"] = Response(body, content_type=content_type)
    local = tmp_path / ("feed.json" if body.startswith("{") else "feed.xml")
    local.write_text(body, encoding="utf-8")
    for source in (loopback.url("/feed"), str(local)):
        assert main(["article", source]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        _assert_one_clean_line(err, source, f"{kind}, not an article page", "reader add")


def test_add_of_a_local_file_says_files_are_not_subscriptions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    local = tmp_path / "feed.xml"
    local.write_text(RSS_DOC, encoding="utf-8")
    for target in (str(local), f"file://{local}", "./feed.xml"):
        assert main(["add", target]) == 1
        out, err = capsys.readouterr()
        assert out == "" and "https:///" not in err
        _assert_one_clean_line(err, target, "a local file, not a feed address", "reader article")
