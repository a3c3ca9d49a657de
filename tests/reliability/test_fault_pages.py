"""Saving a page from a misbehaving server: a readable refusal, or a clean article.

`reader save URL` fetches through the same defences as a refresh (timeouts,
size caps, redirect limit) and cleans the page with the engine; nothing unsafe
may be stored, and a page with no article in it is refused rather than kept empty.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

import pytest

from reader.config import DATABASE_NAME
from reader.errors import ReaderError
from reader.library import Library
from tests.loopback import Response
from tests.reliability.faults import FAULTS, FaultServer, install, readable, unsafe_stored_texts
from tests.reliability.test_fault_servers import ENDS_WITHIN, LIMITS

FaultFixture = tuple[FaultServer, threading.Event]


HOSTILE_PAGE = (
    "<html><head><title>\x1b]0;pwned\x07Hostile [bold]page[/]</title></head><body><article>"
    "<h1>\x1b]0;pwned\x07Hostile [bold]page[/]</h1>"
    "<p>First \x1b[2J paragraph with \x00 a NUL and \u202eevil\u202c bidi text, long enough "
    "to be kept as the body of the story by any extractor.</p>"
    "<h2>Second [/ part</h2><p>\u201c[red]Quoted[/] words from \x1b]52;c;ZXZpbA==\x07 the "
    "clipboard,\u201d said Ada Lovelace, the harbour master, on Tuesday.</p>"
    "<p>Another paragraph of ordinary text so that the article has a body.</p>"
    "</article></body></html>"
)


@pytest.mark.parametrize("name", [f.name for f in FAULTS if f.error] + ["hostile-page"])
def test_saving_a_page_from_a_misbehaving_server(
    name: str, fault_server: FaultFixture, tmp_path: Path
) -> None:
    """`save URL` goes through the same defences: a readable refusal, or a clean article."""
    server, release = fault_server
    if name == "hostile-page":
        server.routes["/page"] = Response(HOSTILE_PAGE)
        url = server.url("/page")
    else:
        url = install(server, release, [name])[name]
    with Library(tmp_path / "data", **LIMITS) as library:  # type: ignore[arg-type]
        started = time.monotonic()
        try:
            saved = asyncio.run(library.save(url))
        except ReaderError as error:
            assert name != "hostile-page", error
            assert readable(error.message) and error.where == url, error.message
            assert library.saved() == []
        else:
            # A page needs no feed shape: only these may be kept (entities never expanded).
            assert name in ("hostile-page", "html-as-rss", "billion-laughs"), saved
            assert "lollol" not in json.dumps(saved.article.to_json() if saved.article else {})
            if name == "hostile-page":
                assert saved.title == "Hostile [bold]page[/]"
                text = json.dumps(saved.article.to_json() if saved.article else {})
                assert "[red]Quoted[/] words" in text and "Second [/ part" in text
        assert time.monotonic() - started < ENDS_WITHIN
    assert unsafe_stored_texts(tmp_path / "data" / DATABASE_NAME) == []


SCRIPTED_PAGE = (
    "<html><head><title>T &lt;script&gt;alert(1)&lt;/script&gt; \x1b]0;x\x07</title></head>"
    "<body><article><h1>T</h1><p>Body &lt;script&gt;alert(2)&lt;/script&gt; and "
    "&lt;img src=x onerror=alert(3)&gt; text that is long enough to be kept by the engine."
    "</p><p><a href='javascript:alert(4)'>click</a> more text in the second paragraph of "
    "the story, said Ann Lee.</p></article></body></html>"
)


@pytest.mark.parametrize("form", ["html", "md", "json"])
def test_showing_a_saved_hostile_page_prints_no_live_markup(
    form: str, fault_server: FaultFixture, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text that looks like markup in a page stays text in every `reader show` format."""
    from reader.cli import main

    server, _ = fault_server
    server.routes["/scripted"] = Response(SCRIPTED_PAGE)
    with Library(tmp_path / "data", **LIMITS) as library:  # type: ignore[arg-type]
        saved = asyncio.run(library.save(server.url("/scripted")))
    assert (
        main(["--data-dir", str(tmp_path / "data"), "show", str(saved.id), "--format", form]) == 0
    )
    out = capsys.readouterr().out
    assert "\x1b" not in out and "javascript:" not in out
    if form == "html":
        assert "<script" not in out and "<img" not in out and "&lt;script&gt;" in out
    elif form == "md":
        assert "\\<script\\>" in out and "\\<img" in out
    else:
        assert "<script>alert(2)</script>" in json.loads(out)["sections"][0]["paragraphs"][0]
