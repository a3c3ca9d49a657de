"""reader.net against a real loopback server: validators, redirects, limits, error sentences."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from reader.net import USER_AGENT, Fetcher, FetchError, FetchResult
from tests.loopback import LoopbackServer, Response

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


def fetch(url: str, **kwargs: Any) -> FetchResult:
    """Run one fetch in a fresh event loop with Fetcher options from `kwargs`."""
    conditional = {k: kwargs.pop(k) for k in ("etag", "last_modified") if k in kwargs}

    async def run() -> FetchResult:
        async with Fetcher(**kwargs) as fetcher:
            return await fetcher.fetch(url, **conditional)

    return asyncio.run(run())


def failure(url: str, **kwargs: Any) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)
    assert caught.value.where == url
    return caught.value.message


def test_conditional_get_gives_304_without_body(loopback: LoopbackServer) -> None:
    def feed(handler: BaseHTTPRequestHandler) -> Response:
        if handler.headers.get("If-None-Match") == '"v1"':
            return Response(b"", status=304, headers={"ETag": '"v1"'})
        return Response(
            FEED,
            headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"},
            content_type="application/rss+xml",
        )

    loopback.routes["/feed"] = feed
    first = fetch(loopback.url("/feed"))
    assert first.status == 200 and first.body == FEED
    assert first.etag == '"v1"' and first.last_modified.startswith("Wed")  # type: ignore[union-attr]
    second = fetch(loopback.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.body == b""
    assert second.etag == '"v1"'
    headers = loopback.requests[-1][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == first.last_modified
    assert headers["User-Agent"] == USER_AGENT


def test_permanent_redirect_reports_new_address(loopback: LoopbackServer) -> None:
    loopback.routes["/old"] = Response(status=301, headers={"Location": "/new"})
    loopback.routes["/new"] = Response(FEED)
    result = fetch(loopback.url("/old"))
    assert result.body == FEED
    assert result.url == loopback.url("/new")
    assert result.moved_to == loopback.url("/new")


def test_temporary_redirect_keeps_address(loopback: LoopbackServer) -> None:
    loopback.routes["/a"] = Response(status=308, headers={"Location": "/b"})
    loopback.routes["/b"] = Response(status=302, headers={"Location": "/c"})
    loopback.routes["/c"] = Response(FEED)
    result = fetch(loopback.url("/a"))
    assert result.url == loopback.url("/c")
    assert result.moved_to == loopback.url("/b")  # only the permanent part of the chain


def test_redirect_loop_stops_after_five(loopback: LoopbackServer) -> None:
    loopback.routes["/loop"] = Response(status=302, headers={"Location": "/loop"})
    assert failure(loopback.url("/loop")) == "too many redirects"
    assert loopback.hits["/loop"] == 6


@pytest.mark.parametrize("status", [404, 500, 410])
def test_http_errors_are_sentences(loopback: LoopbackServer, status: int) -> None:
    loopback.routes["/x"] = Response("no", status=status)
    assert failure(loopback.url("/x")) == f"HTTP {status}"


def test_silent_server_times_out(loopback: LoopbackServer) -> None:
    release = threading.Event()

    def silent(handler: BaseHTTPRequestHandler) -> None:
        release.wait(10)
        return None

    loopback.routes["/silent"] = silent
    started = time.monotonic()
    try:
        assert failure(loopback.url("/silent"), timeout=0.5) == "timed out after 0.5 s"
    finally:
        release.set()
    assert time.monotonic() - started < 5


def test_trickling_server_is_cut_by_the_deadline(loopback: LoopbackServer) -> None:
    stop = threading.Event()

    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        while not stop.is_set():
            try:
                handler.wfile.write(b"x")
                handler.wfile.flush()
            except OSError:
                return None
            stop.wait(0.1)
        return None

    loopback.routes["/trickle"] = trickle
    started = time.monotonic()
    try:
        message = failure(loopback.url("/trickle"), timeout=2, deadline=1.0)
    finally:
        stop.set()
    assert message == "timed out after 1 s"
    assert time.monotonic() - started < 4


def test_declared_size_over_limit_is_refused(loopback: LoopbackServer) -> None:
    loopback.routes["/big"] = Response(b"x" * (2 * 2**20))
    assert failure(loopback.url("/big"), max_bytes=2**20) == "response larger than 1 MB"


def test_undeclared_size_is_cut_while_streaming(loopback: LoopbackServer) -> None:
    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Connection", "close")
        handler.end_headers()
        try:
            for _ in range(64):  # 4 MB if nobody stops reading
                handler.wfile.write(b"y" * 65536)
        except OSError:
            pass
        handler.close_connection = True
        return None

    loopback.routes["/stream"] = endless
    assert failure(loopback.url("/stream"), max_bytes=2**20) == "response larger than 1 MB"


def test_gzip_is_decoded_and_a_gzip_bomb_is_capped(loopback: LoopbackServer) -> None:
    loopback.routes["/gz"] = Response(gzip.compress(FEED), headers={"Content-Encoding": "gzip"})
    assert fetch(loopback.url("/gz")).body == FEED
    bomb = gzip.compress(b"\0" * (16 * 2**20), compresslevel=1)  # 16 MB inflated, ~70 KB sent
    assert len(bomb) < 2**20
    loopback.routes["/bomb"] = Response(bomb, headers={"Content-Encoding": "gzip"})
    assert failure(loopback.url("/bomb"), max_bytes=2**20) == "response larger than 1 MB"


def test_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert failure(f"http://127.0.0.1:{port}/feed") == "connection refused"


def test_reset_mid_body(loopback: LoopbackServer) -> None:
    def reset(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        handler.wfile.write(b"<rss>cut")
        handler.wfile.flush()
        handler.connection.shutdown(socket.SHUT_RDWR)
        return None

    loopback.routes["/reset"] = reset
    message = failure(loopback.url("/reset"))
    assert "connection" in message


def test_not_a_web_address() -> None:
    assert failure("ftp://example.org/feed") == "not a web address (http:// or https://)"


def test_retry_after_is_honoured_once(loopback: LoopbackServer) -> None:
    calls: list[float] = []

    def busy(handler: BaseHTTPRequestHandler) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(FEED)

    loopback.routes["/busy"] = busy
    assert fetch(loopback.url("/busy")).body == FEED
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.9


def test_long_retry_after_fails_with_the_wait(loopback: LoopbackServer) -> None:
    loopback.routes["/later"] = Response("down", status=503, headers={"Retry-After": "3600"})
    assert failure(loopback.url("/later")) == "HTTP 503, retry after 3600 s"
    assert loopback.hits["/later"] == 1


def test_per_host_limit_bounds_requests_in_flight(loopback: LoopbackServer) -> None:
    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def counted(handler: BaseHTTPRequestHandler) -> Response:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.15)  # hold the request open so overlapping ones are visible
        with lock:
            state["now"] -= 1
        return Response(FEED)

    loopback.routes["/c"] = counted

    async def run() -> list[FetchResult]:
        async with Fetcher(per_host=2, max_connections=50, limit_loopback=True) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(loopback.url(f"/c?{i}")) for i in range(8)))

    results = asyncio.run(run())
    assert all(r.body == FEED for r in results)
    assert state["peak"] == 2


def test_loopback_hosts_are_exempt_from_the_per_host_limit(loopback: LoopbackServer) -> None:
    lock = threading.Lock()
    state = {"now": 0, "peak": 0}
    all_in = threading.Barrier(4, timeout=5)  # passes only if 4 requests overlap

    def counted(handler: BaseHTTPRequestHandler) -> Response:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        all_in.wait()
        with lock:
            state["now"] -= 1
        return Response(FEED)

    loopback.routes["/c"] = counted

    async def run() -> list[FetchResult]:
        async with Fetcher(per_host=1, max_connections=50) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(loopback.url(f"/c?{i}")) for i in range(4)))

    assert all(r.body == FEED for r in asyncio.run(run()))
    assert state["peak"] == 4


def fetch_twice(url: str) -> tuple[FetchResult, FetchResult]:
    async def run() -> tuple[FetchResult, FetchResult]:
        async with Fetcher() as fetcher:
            return await fetcher.fetch(url), await fetcher.fetch(url)

    return asyncio.run(run())


def test_connections_are_kept_alive(loopback: LoopbackServer) -> None:
    ports: list[int] = []

    def remember(handler: BaseHTTPRequestHandler) -> Response:
        ports.append(handler.client_address[1])
        return Response(FEED)

    loopback.routes["/k"] = remember
    first, second = fetch_twice(loopback.url("/k"))
    assert first.body == second.body == FEED
    assert len(ports) == 2 and ports[0] == ports[1]  # the same client socket


def test_a_connection_closed_while_idle_is_replaced(loopback: LoopbackServer) -> None:
    def close_after(handler: BaseHTTPRequestHandler) -> Response:
        handler.close_connection = True  # closes without saying "Connection: close"
        return Response(FEED)

    loopback.routes["/c"] = close_after
    first, second = fetch_twice(loopback.url("/c"))
    assert first.body == second.body == FEED
    assert loopback.hits["/c"] == 2


def test_chunked_body(loopback: LoopbackServer) -> None:
    def chunked(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for piece in (FEED[:10], FEED[10:]):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        handler.wfile.write(b"0\r\n\r\n")
        return None

    loopback.routes["/chunked"] = chunked
    assert fetch(loopback.url("/chunked")).body == FEED


def test_tls_is_verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ssl
    import subprocess
    from http.server import ThreadingHTTPServer

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(FEED)))
            self.end_headers()
            self.wfile.write(FEED)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{server.server_address[1]}/feed"
    try:
        message = failure(url)  # a certificate nobody vouches for
        assert message.startswith("secure connection failed") and "certificate" in message
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now the machine trusts it
        assert fetch(url).body == FEED
    finally:
        server.shutdown()
        server.server_close()


# -- hostile addresses and headers (issue 9 items 2, 4 and 10) ---------------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:99999/x", "http://127.0.0.1:abc/", "http://127.0.0.1:0/", "http:///x"],
)
def test_a_bad_port_or_host_is_a_sentence(url: str) -> None:
    message = failure(url)
    assert "port" in message or "host" in message


def test_header_text_in_a_message_is_cleaned(loopback: LoopbackServer) -> None:
    hostile = "br\x1b]52;c;aGVsbG8=\x07\x1b]0;owned\x07\x9b2J"
    loopback.routes["/enc"] = Response(FEED, headers={"Content-Encoding": hostile})
    message = failure(loopback.url("/enc"))
    assert message.startswith("unsupported content encoding")
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in message), repr(message)
    loopback.routes["/type"] = Response(FEED, content_type="application/pdf\x1b]0;owned\x07\x9b")
    content_type = fetch(loopback.url("/type")).content_type or ""
    assert content_type.startswith("application/pdf") and "\x1b" not in content_type
    assert "\x9b" not in content_type and "\x07" not in content_type


def test_a_redirect_with_c1_controls_is_never_kept_raw(loopback: LoopbackServer) -> None:
    loopback.routes["/old"] = Response(status=301, headers={"Location": "/new\x9b31m"})
    loopback.routes["/new%C2%9B31m"] = Response(FEED)
    result = fetch(loopback.url("/old"))
    assert result.moved_to == loopback.url("/new%C2%9B31m") == result.url
    assert result.body == FEED
    loopback.routes["/js"] = Response(status=302, headers={"Location": "javascript:x()\x9b2J"})
    message = failure(loopback.url("/js"))
    assert message.startswith("the server redirected to a non-web address"), message
    assert "\x9b" not in message


def test_a_redirect_to_a_bad_port_is_a_sentence(loopback: LoopbackServer) -> None:
    loopback.routes["/p"] = Response(status=302, headers={"Location": "http://127.0.0.1:99999/"})
    assert "port" in failure(loopback.url("/p"))


def test_non_ascii_validators_are_not_kept_and_a_stored_one_is_dropped(
    loopback: LoopbackServer,
) -> None:
    def feed(handler: BaseHTTPRequestHandler) -> Response:
        return Response(
            FEED,
            headers={"ETag": '"caf\xe9"', "Last-Modified": "mi\xe9rcoles, 1 enero 2025"},
            content_type="application/rss+xml",
        )

    loopback.routes["/feed"] = feed
    first = fetch(loopback.url("/feed"))
    assert (first.etag, first.last_modified) == (None, None)
    # A library written before this check may hold one: the feed is fetched whole.
    again = fetch(loopback.url("/feed"), etag='"caf\xe9"', last_modified="mi\xe9rcoles")
    assert again.status == 200 and again.body == FEED
    assert "If-None-Match" not in loopback.requests[-1][1]


def test_a_host_that_timed_out_does_not_cost_the_full_wait_again(
    loopback: LoopbackServer,
) -> None:
    """Eight hanging feeds on one host, two at a time: one timeout, not four in a row."""
    release = threading.Event()

    def silent(handler: BaseHTTPRequestHandler) -> None:
        release.wait(30)

    loopback.routes["/silent"] = silent
    loopback.routes["/fine"] = Response(FEED)

    async def run() -> list[str]:
        async with Fetcher(per_host=2, limit_loopback=True, timeout=1.0) as fetcher:
            outcomes = await asyncio.gather(
                *(fetcher.fetch(loopback.url(f"/silent?{n}")) for n in range(8)),
                return_exceptions=True,
            )
        return [str(getattr(outcome, "message", outcome)) for outcome in outcomes]

    started = time.monotonic()
    try:
        messages = asyncio.run(run())
    finally:
        release.set()
    elapsed = time.monotonic() - started
    assert all("timed out" in message for message in messages), messages
    assert elapsed < 3.0, elapsed  # four waves of the full 1 s timeout before the fix


def test_the_loopback_server_is_quiet_about_client_resets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A client that hangs up mid-answer must not print a traceback in a green run."""
    server = LoopbackServer()
    try:
        for error in (ConnectionResetError(104, "reset"), BrokenPipeError(32, "pipe")):
            try:
                raise error
            except OSError:
                server._httpd.handle_error(None, ("127.0.0.1", 1))  # type: ignore[arg-type]
    finally:
        server._httpd.server_close()
    assert "Traceback" not in capsys.readouterr().err
