"""`reader article` end to end: files, plain text, URLs on a loopback server, bad input."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader.cli import main
from tests.loopback import LoopbackServer, Response

DATA = Path(__file__).resolve().parents[1] / "data" / "engine"
HTML = DATA / "harbour.html"
TEXT = DATA / "harbour.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict], str]:
    status = main(["article", *args])
    out, err = capsys.readouterr()
    lines = (
        [json.loads(line) for line in out.splitlines() if line.strip()] if "--json" in args else []
    )
    return status, lines, err


def test_html_file_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, [article], err = run(capsys, "--json", str(HTML))
    assert status == 0 and err == ""
    assert article["title"] == "Ferry pier to close for winter repairs"
    assert article["byline"] == "Ines Marlow"
    assert article["published"].startswith("2025-03-04")
    assert article["site"] == "Harbour Gazette"
    assert [s["heading"] for s in article["sections"]] == [None, "What commuters can do"]
    assert article["captions"] == ["The old ferry pier at low tide"]
    body = " ".join(p for s in article["sections"] for p in s["paragraphs"])
    assert "four thousand commuters" in body and "Storm closes" not in body
    for key in ("takeaways", "quotes", "related", "url"):
        assert key in article


def test_url_option_resolves_links_of_a_local_file(capsys: pytest.CaptureFixture[str]) -> None:
    from reader.article.page import parse_page

    status, [article], _ = run(
        capsys, "--json", "--url", "https://gazette.example/news/pier", str(HTML)
    )
    assert status == 0 and article["url"] == "https://gazette.example/news/pier"
    document = parse_page(HTML.read_bytes(), url=article["url"])
    hrefs = [a.href for s in document.sections for b in s.blocks for a in b.anchors]
    assert "https://gazette.example/reports/pier" in hrefs


def test_text_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, [article], _ = run(capsys, "--json", str(TEXT))
    assert status == 0
    assert article["title"] == "Ferry pier to close for winter repairs"
    assert article["byline"] == "Ines Marlow"
    assert [s["heading"] for s in article["sections"]] == [None, "What commuters can do"]


def test_url_on_a_loopback_server(
    capsys: pytest.CaptureFixture[str], loopback: LoopbackServer
) -> None:
    loopback.routes["/news/pier"] = Response(HTML.read_bytes())
    loopback.routes["/plain"] = Response(TEXT.read_bytes(), content_type="text/plain")
    url = loopback.url("/news/pier")
    status, [article, plain], err = run(capsys, "--json", url, loopback.url("/plain"))
    assert status == 0 and err == ""
    assert article["url"] == url and article["title"] == "Ferry pier to close for winter repairs"
    assert plain["sections"][1]["heading"] == "What commuters can do"
    agent = loopback.requests[0][1].get("User-Agent", "")
    assert agent.startswith("newsdesk-reader/")


def test_rich_rendering_shows_text_not_markup(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "markup.html"
    page.write_text(
        HTML.read_text().replace("What commuters can do", "[bold red]Pier[/] closes [/"), "utf-8"
    )
    status = main(["article", str(page)])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    assert "[bold red]Pier[/] closes [/" in out  # a heading, printed literally
    assert "Ferry pier to close for winter repairs" in out and "four thousand commuters" in out
    assert "Ines Marlow" in out and "2025-03-04" in out


def test_batch_keeps_order_and_reports_failures(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.html"
    status, lines, err = run(capsys, "--json", str(HTML), str(missing), str(TEXT))
    assert status == 1
    assert lines[0]["title"] == lines[2]["title"] == "Ferry pier to close for winter repairs"
    assert lines[1] == {"source": str(missing), "error": "no such file"}
    assert err == f"reader: {missing}: no such file\n"


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"  \n")
    pdf = tmp_path / "report.html"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    folder = tmp_path / "folder.html"
    folder.mkdir()
    dangling = tmp_path / "dangling.html"
    dangling.symlink_to(tmp_path / "nowhere")
    return {
        "empty": (empty, "the file is empty"),
        "pdf": (pdf, "a PDF document, not a web page or text"),
        "image": (image, "an image, not a web page or text"),
        "folder": (folder, "is a folder, not a file"),
        "dangling": (dangling, "no such file"),
    }


@pytest.mark.parametrize("kind", ["empty", "pdf", "image", "folder", "dangling"])
def test_bad_files(capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str) -> None:
    """Each bad file gives its one-line reason, in its place in the JSON lines."""
    path, reason = _bad_files(tmp_path)[kind]
    status, lines, err = run(capsys, "--json", str(path))
    assert status == 1
    assert lines == [{"source": str(path), "error": reason}]
    assert err == f"reader: {path}: {reason}\n"


def test_unreadable_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root here, where chmod 000 does not stop a read: make the OS refuse instead.
    page = tmp_path / "locked.html"
    page.write_text("<p>x</p>")

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    status, lines, err = run(capsys, "--json", str(page))
    assert status == 1 and lines == [{"source": str(page), "error": "permission denied"}]
    assert err == f"reader: {page}: permission denied\n"


def test_endless_and_huge_files_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sparse = tmp_path / "big.html"
    with sparse.open("wb") as handle:
        handle.truncate(200 * 2**20)  # a hole: no disk used
    status, lines, err = run(capsys, "--json", "/dev/zero", str(sparse))
    assert status == 1
    assert [line["error"] for line in lines] == ["file larger than 20 MB"] * 2
    assert err.count("\n") == 2


@pytest.fixture
def stalled(loopback: LoopbackServer) -> Iterator[str]:
    """A route that sends nothing until the test is over."""
    release = threading.Event()

    def hang(handler: BaseHTTPRequestHandler) -> None:
        release.wait(30)

    loopback.routes["/stall"] = hang
    try:
        yield loopback.url("/stall")
    finally:
        release.set()


def test_network_failures(
    capsys: pytest.CaptureFixture[str],
    loopback: LoopbackServer,
    stalled: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("READER_FETCH_TIMEOUT", "1.5")
    loopback.routes["/boom"] = Response("oops", status=500, content_type="text/plain")
    loopback.routes["/doc.pdf"] = Response(b"%PDF-1.4 ...", content_type="application/pdf")
    loopback.routes["/pic"] = Response(b"\xff\xd8\xff\xe0JFIF", content_type="image/jpeg")
    loopback.routes["/blank"] = Response(b"", content_type="text/html")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    sources = [
        loopback.url("/missing"),
        loopback.url("/boom"),
        stalled,
        f"http://127.0.0.1:{closed_port}/x",
        loopback.url("/doc.pdf"),
        loopback.url("/pic"),
        loopback.url("/blank"),
        str(HTML),
    ]
    status, lines, err = run(capsys, "--json", *sources)
    assert status == 1
    assert [line.get("error") for line in lines] == [
        "HTTP 404",
        "HTTP 500",
        "timed out after 1.5 s",
        "connection refused",
        "a PDF document, not a web page",
        "image content (image/jpeg), not a web page",
        "the server sent an empty page",
        None,
    ]
    assert [line.get("source") for line in lines[:7]] == sources[:7]
    assert lines[7]["title"] == "Ferry pier to close for winter repairs"
    # Only our lines: the loopback server thread may log a reset from the timed-out client.
    ours = [line for line in err.splitlines() if line.startswith("reader: ")]
    assert len(ours) == 7
    assert all(
        line.startswith(f"reader: {source}: ") for line, source in zip(ours, sources, strict=False)
    )


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["article"]) == 2
    assert main(["article", "--url", "ftp://x", str(HTML)]) == 2
    err = capsys.readouterr().err
    assert err.count("reader: ") == 2 and "Traceback" not in err


def test_installed_command_runs(tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    result = subprocess.run(
        [sys.executable, "-m", "reader", "article", "--json", str(TEXT), str(missing)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["title"] == "Ferry pier to close for winter repairs"
    assert second == {"source": str(missing), "error": "no such file"}
    assert result.stderr == f"reader: {missing}: no such file\n"


def test_an_engine_bug_fails_one_source_not_the_batch(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A crash inside the engine cannot be produced on purpose with real input: simulate one.
    import reader.article

    real_clean = reader.article.clean

    def flaky(source: str | bytes, *args: object, **kwargs: object) -> object:
        if b"four thousand" in (source if isinstance(source, bytes) else source.encode()):
            raise ValueError("boom")
        return real_clean(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader.article, "clean", flaky)
    status, lines, err = run(
        capsys, "--json", str(HTML), str(TEXT).replace("harbour", "nope"), str(DATA / "harbour.txt")
    )
    assert status == 1
    assert lines[0] == {
        "source": str(HTML),
        "error": "internal error while cleaning: ValueError: boom",
    }
    assert lines[1]["error"] == "no such file"
    assert "error" in lines[2]  # the .txt shares the sentence, so it fails the same way
    assert err.count("\n") == 3
