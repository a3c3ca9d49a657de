"""Misbehaving HTTP endpoints for the reliability tests, served by `tests.loopback`.

Each fault is a route on a real loopback server: a status code, a body that
lies about itself, or a handler that hangs, trickles, streams 200 MB or cuts the
connection. Handlers that wait do so on `release`, so a test's teardown frees
every server thread at once (no sleeps used as synchronisation).
"""

from __future__ import annotations

import html
import io
import json
import socket
import sqlite3
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.loopback import LoopbackServer, Response

RSS = "application/rss+xml"
TRICKLE_BYTES_PER_SECOND = 20
HUGE_BYTES = 200 * 2**20
BOMB_INFLATED = 2**30
NASTY_TITLES = [
    "\x1b]0;pwned\x07Title with OSC",
    "\x1b[2J\x1b[31mRed clear-screen",
    "[bold red]markup[/] and [link=http://x]link",
    "[/",
    "Bell\x07 and NUL\x00 and \u202eRTL override\u202c",
    "\x1b]52;c;ZWNobyBwd25lZA==\x07clipboard write",
]
"""Titles (and summaries) of the `escapes` fault: terminal escapes, markup, controls, bidi."""
ESCAPES_VISIBLE = [
    "Title with OSC",
    "Red clear-screen",
    "[bold red]markup[/] and [link=http://x]link",
    "[/",
    "Bell and NUL and RTL override",
    "clipboard write",
]
"""What each of `NASTY_TITLES` must become: the visible words, brackets kept, nothing else."""
LATIN1_TITLE = "Na\u00efve r\u00e9sum\u00e9 \u00fcber Stra\u00dfe"


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 document; `items` are (guid, title, link)."""
    body = "".join(
        f"<item><guid>{html.escape(guid)}</guid><title>{html.escape(item_title)}</title>"
        f"<link>{html.escape(link)}</link><description>About {html.escape(item_title)}."
        f"</description></item>"
        for guid, item_title, link in items
    )
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{html.escape(title)}</title><link>http://good.test/</link>"
        f"{body}</channel></rss>"
    ).encode()


def good_feed(number: int, items: int = 5) -> tuple[bytes, list[str]]:
    """Good feed `number`: its document and the titles of its entries."""
    titles = [f"Good story {number}-{j} about the harbour" for j in range(items)]
    entries = [
        (f"good-{number}-{j}", t, f"http://good.test/{number}/{j}.html")
        for j, t in enumerate(titles)
    ]
    return rss(f"Good feed {number}", entries), titles


@cache
def gzip_bomb() -> bytes:
    """About 1 MB of gzip that inflates to 1 GB: one 1 MB block, compressed once, repeated.

    A full flush resets the compressor, so the compressed form of the same
    input block is the same bytes every time; only the trailer (CRC and size)
    needs the whole gigabyte, and CRC-32 of 1 GB takes about a second.
    """
    prefix = b"<?xml version='1.0'?><rss version='2.0'><channel><title>"
    block = b" " * 2**20
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    packed = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = BOMB_INFLATED // len(block)
    tail = compressor.compress(b"</title></channel></rss>") + compressor.flush()
    crc = zlib.crc32(prefix)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(b"</title></channel></rss>", crc)
    size = len(prefix) + count * len(block) + len(b"</title></channel></rss>")
    # `tail` ends with the trailer of the single block it compressed: replace that trailer.
    return head + packed * count + tail[:-8] + struct.pack("<II", crc, size & 0xFFFFFFFF)


@dataclass(frozen=True)
class Fault:
    """One misbehaving endpoint and what the reader must say about it."""

    name: str
    what: str
    """How the server misbehaves (for reports)."""
    route: Callable[[threading.Event], Response | Callable[[BaseHTTPRequestHandler], None]]
    """Builds the route, given the event that releases waiting handlers."""
    error: str | None
    """A phrase the feed's last_error must contain; None when the feed must succeed."""


def _hang(release: threading.Event) -> Callable[[BaseHTTPRequestHandler], None]:
    def handler(request: BaseHTTPRequestHandler) -> None:
        release.wait(120)
        request.close_connection = True

    return handler


def _trickle(release: threading.Event) -> Callable[[BaseHTTPRequestHandler], None]:
    body, _ = good_feed(99, 3)

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", RSS)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.close_connection = True
        try:
            for start in range(0, len(body), TRICKLE_BYTES_PER_SECOND):
                request.wfile.write(body[start : start + TRICKLE_BYTES_PER_SECOND])
                request.wfile.flush()
                if release.wait(1.0):
                    return
        except OSError:
            return

    return handler


def _huge(declared: bool) -> Callable[[threading.Event], Callable[[BaseHTTPRequestHandler], None]]:
    def build(release: threading.Event) -> Callable[[BaseHTTPRequestHandler], None]:
        def handler(request: BaseHTTPRequestHandler) -> None:
            request.send_response(200)
            request.send_header("Content-Type", RSS)
            if declared:
                request.send_header("Content-Length", str(HUGE_BYTES))
            request.end_headers()
            request.close_connection = True
            chunk = b"<item><title>x</title><description>" + b"y" * 65000 + b"</description></item>"
            try:
                request.wfile.write(
                    b"<?xml version='1.0'?><rss version='2.0'><channel><title>huge</title>"
                )
                for _ in range(HUGE_BYTES // len(chunk)):  # streamed: never built in memory
                    if release.is_set():
                        return
                    request.wfile.write(chunk)
            except OSError:
                return

        return handler

    return build


def _reset(release: threading.Event) -> Callable[[BaseHTTPRequestHandler], None]:
    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", RSS)
        request.send_header("Content-Length", "100000")
        request.end_headers()
        request.wfile.write(b"<?xml version='1.0'?><rss version='2.0'><channel><title>cut")
        request.wfile.flush()
        request.close_connection = True
        # SO_LINGER 0 then close: the kernel sends RST, not FIN.
        request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        request.rfile.close()
        request.wfile.close()
        request.connection.close()
        request.wfile = io.BytesIO()  # the server's own flush after the handler must not fail

    return handler


def _raw(payload: bytes) -> Callable[[threading.Event], Callable[[BaseHTTPRequestHandler], None]]:
    """A handler that writes `payload` as the whole answer (status line included), then closes."""

    def build(release: threading.Event) -> Callable[[BaseHTTPRequestHandler], None]:
        def handler(request: BaseHTTPRequestHandler) -> None:
            request.close_connection = True
            with suppress(OSError):
                request.wfile.write(payload)
                request.wfile.flush()

        return handler

    return build


def _fixed(response: Response) -> Callable[[threading.Event], Response]:
    return lambda release: response


def _redirect_loop(release: threading.Event) -> Response:
    return Response(
        status=302, headers={"Location": "/fault/redirect-loop"}, content_type="text/plain"
    )


def _truncated() -> bytes:
    body, _ = good_feed(98, 6)
    return body[: len(body) // 2] + b"<<&&>>"


def _escapes() -> bytes:
    items = "".join(
        f"<item><guid>esc-{k}</guid><title><![CDATA[{t}]]></title>"
        f"<link>http://escape.test/{k}</link>"
        f"<description><![CDATA[<p>{t}</p>]]></description>"
        f"<content:encoded><![CDATA[<p>Full text: {t}</p>]]></content:encoded>"
        f"<author><![CDATA[{t}]]></author></item>"
        for k, t in enumerate(NASTY_TITLES)
    )
    doc = (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
        f"xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel>"
        f"<title><![CDATA[\x1b[5mBlink feed]]></title>{items}</channel></rss>"
    )
    return doc.encode("utf-8")


def _latin1() -> bytes:
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        "<title>Caf\u00e9 Cr\u00e8me</title>"
        f"<item><guid>l1</guid><title>{LATIN1_TITLE}</title>"
        "<link>http://latin.test/1</link></item></channel></rss>"
    ).encode("latin-1")


def _billion_laughs() -> bytes:
    entities = "<!ENTITY a0 'lol'>" + "".join(
        f"<!ENTITY a{k} '{f'&a{k - 1};' * 10}'>" for k in range(1, 10)
    )
    return (
        f"<?xml version='1.0'?><!DOCTYPE rss [{entities}]><rss version='2.0'><channel>"
        f"<title>&a9;</title><item><title>&a9;</title><link>http://lol.test/</link></item>"
        f"</channel></rss>"
    ).encode()


FAULTS: list[Fault] = [
    Fault(
        "http-500",
        "HTTP 500 with an HTML error page",
        _fixed(Response("<html><body>Internal error</body></html>", status=500)),
        "HTTP 500",
    ),
    Fault(
        "http-404",
        "HTTP 404",
        _fixed(Response("gone", status=404, content_type="text/plain")),
        "HTTP 404",
    ),
    Fault("hang", "accepts the connection and never answers", _hang, "timed out"),
    Fault("trickle", "a valid feed at 20 bytes a second", _trickle, "timed out"),
    Fault(
        "huge", "a 200 MB body (declared in Content-Length), streamed", _huge(True), "larger than"
    ),
    Fault(
        "huge-undeclared",
        "a 200 MB body with no Content-Length, streamed",
        _huge(False),
        "larger than",
    ),
    Fault(
        "gzip-bomb",
        "1 MB of gzip that inflates to 1 GB",
        lambda release: Response(
            gzip_bomb(), headers={"Content-Encoding": "gzip"}, content_type=RSS
        ),
        "larger than",
    ),
    Fault(
        "truncated-xml",
        "an RSS document cut in half, then garbage",
        _fixed(Response(_truncated(), content_type=RSS)),
        None,
    ),
    Fault(
        "html-as-rss",
        "a login page served as application/rss+xml",
        _fixed(
            Response(
                b"<html><head><title>Login</title></head><body><form>sign in</form></body></html>",
                content_type=RSS,
            )
        ),
        "not a feed",
    ),
    Fault(
        "latin1-as-utf8",
        "ISO-8859-1 bytes declared as UTF-8",
        _fixed(Response(_latin1(), content_type=RSS + "; charset=utf-8")),
        None,
    ),
    Fault(
        "escapes",
        "titles with terminal escapes, Rich markup, NUL and bidi overrides",
        _fixed(Response(_escapes(), content_type=RSS)),
        None,
    ),
    Fault(
        "billion-laughs",
        "a billion-laughs entity expansion",
        _fixed(Response(_billion_laughs(), content_type=RSS)),
        "entit",
    ),
    Fault("redirect-loop", "302 to itself forever", _redirect_loop, "redirects"),
    Fault("reset", "connection reset (RST) mid-body", _reset, "connection"),
    Fault("empty", "200 with an empty body", _fixed(Response(b"", content_type=RSS)), "empty"),
    Fault(
        "redirect-to-file",
        "302 to file:///etc/passwd",
        _fixed(Response(status=302, headers={"Location": "file:///etc/passwd"})),
        "non-web address",
    ),
    Fault(
        "unknown-encoding",
        "Content-Encoding: br (never asked for)",
        _fixed(
            Response(b"\x0b\x02\x80garbage", headers={"Content-Encoding": "br"}, content_type=RSS)
        ),
        "encoding",
    ),
    Fault(
        "bad-gzip",
        "Content-Encoding: gzip over bytes that are not gzip",
        _fixed(
            Response(
                b"this is not gzip at all" * 20,
                headers={"Content-Encoding": "gzip"},
                content_type=RSS,
            )
        ),
        "compressed",
    ),
    Fault(
        "garbage-status",
        "answers with bytes that are not HTTP",
        _raw(b"SSH-2.0-OpenSSH_9.6\r\nProtocol mismatch.\r\n"),
        "connection",
    ),
    Fault(
        "header-flood",
        "a 1 MB response header",
        _raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Flood: "
            + b"a" * 2**20
            + b"\r\nContent-Length: 0\r\n\r\n"
        ),
        "headers are too large",
    ),
    Fault(
        "bad-chunked",
        "chunked transfer with a broken chunk size",
        _raw(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n10\r\n<?xml version='1.0'\r\n"
            b"zz-not-hex\r\n"
        ),
        "chunked encoding",
    ),
]
FAULTS_BY_NAME = {fault.name: fault for fault in FAULTS}
SLOW_FAULTS = {"hang", "trickle"}
"""Faults that end only by a timeout (a CLI run with default timeouts would wait 20-30 s)."""


class FaultServer(LoopbackServer):
    """`LoopbackServer` with a listen backlog for a whole library's refresh at once.

    The base server keeps socketserver's backlog of 5: when twenty feeds connect
    at once, the kernel drops the extra SYNs and the client retries them a
    second later, which reads as a connect timeout that is the test's fault.
    """

    def __init__(self) -> None:
        super().__init__()
        self._httpd.socket.listen(256)
        # Poll for shutdown every 50 ms (the default 0.5 s adds that much to every test).
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )


def install(
    server: LoopbackServer, release: threading.Event, names: list[str] | None = None
) -> dict[str, str]:
    """Serve the named faults (all by default) at /fault/<name>; returns name -> URL."""
    urls = {}
    for fault in FAULTS:
        if names is not None and fault.name not in names:
            continue
        path = f"/fault/{fault.name}"
        server.routes[path] = fault.route(release)
        urls[fault.name] = server.url(path)
    return urls


def install_good(server: LoopbackServer, count: int, items: int = 5) -> dict[str, list[str]]:
    """Serve `count` good feeds at /good/<i>.xml; returns URL -> entry titles."""
    feeds = {}
    for number in range(count):
        body, titles = good_feed(number, items)
        path = f"/good/{number}.xml"
        server.routes[path] = Response(body, content_type=RSS)
        feeds[server.url(path)] = titles
    return feeds


def readable(message: str | None) -> bool:
    """A last_error a person can read: one short line, no traceback, no control characters."""
    from reader.text import has_unsafe_characters

    return (
        bool(message)
        and message is not None
        and "\n" not in message
        and len(message) <= 300
        and "Traceback" not in message
        and "internal error" not in message
        and not has_unsafe_characters(message)
    )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def unsafe_stored_texts(db_path: Path) -> list[str]:
    """Every stored title or text that is unsafe: feeds, entries (with the feed's own
    content HTML), articles (their JSON and the page HTML kept for offline reading)."""
    from reader.text import has_unsafe_characters

    queries = [
        "SELECT title, last_error FROM feeds",
        "SELECT name FROM feed_categories",
        "SELECT title, summary, author, content_html FROM entries",
        "SELECT title, site, text, json, html FROM articles",
    ]
    found: list[str] = []
    db = sqlite3.connect(db_path)
    try:
        for query in queries:
            for row in db.execute(query):
                for column in row:
                    texts = (
                        list(_strings(json.loads(column)))
                        if isinstance(column, str) and column.startswith("{")
                        else [column]
                    )
                    found += [t for t in texts if isinstance(t, str) and has_unsafe_characters(t)]
    finally:
        db.close()
    return found
