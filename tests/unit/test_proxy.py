"""Proxies: HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY and the `proxy` config key.

Through a real proxy written here, on loopback, that logs what passes: plain http
is forwarded (absolute-form request line), https goes through a CONNECT tunnel with
TLS end to end. Feed addresses use names only the proxy can resolve (it sends every
host to the loopback server), so a request that skipped the proxy could not succeed.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import socketserver
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader.library import Library
from reader.net import Fetcher, FetchError, FetchResult
from tests.loopback import LoopbackServer, Response

FEED = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Relay Weekly</title>"
    "<item><guid>r1</guid><title>Signal boxes return to the valley line</title>"
    "<link>http://relay.example.test/1</link></item></channel></rss>"
)


@dataclass
class LoggingProxy:
    """A tiny HTTP proxy: every upstream connection goes to `upstream` (a loopback port)."""

    upstream: int
    log: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    server: socketserver.ThreadingTCPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> LoggingProxy:
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                head = b""
                while not head.endswith(b"\r\n\r\n"):
                    chunk = self.rfile.readline()
                    if not chunk:
                        return
                    head += chunk
                lines = head.decode("latin-1").split("\r\n")
                proxy.log.append(lines[0])
                proxy.headers.append(
                    dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
                )
                method, target, _ = lines[0].split(" ", 2)
                upstream = socket.create_connection(("127.0.0.1", proxy.upstream))
                with upstream:
                    if method == "CONNECT":
                        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        self.wfile.flush()
                        _pipe(self.connection, upstream)
                        return
                    path = "/" + target.split("://", 1)[1].split("/", 1)[1]
                    rest = [
                        line
                        for line in lines[1:]
                        if line and not line.lower().startswith(("proxy-", "connection"))
                    ]
                    request = "\r\n".join([f"{method} {path} HTTP/1.1", *rest, "Connection: close"])
                    upstream.sendall((request + "\r\n\r\n").encode("latin-1"))
                    while data := upstream.recv(65536):
                        self.wfile.write(data)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _pipe(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes (the CONNECT tunnel)."""

    def copy(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    other = threading.Thread(target=copy, args=(upstream, client), daemon=True)
    other.start()
    copy(client, upstream)
    other.join(10)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


@pytest.fixture
def proxy(loopback: LoopbackServer) -> Iterator[LoggingProxy]:
    loopback.routes["/feed"] = Response(FEED, content_type="application/rss+xml")
    started = LoggingProxy(loopback.port).start()
    try:
        yield started
    finally:
        started.stop()


def fetch(url: str, proxy: str | None = None) -> FetchResult:
    async def run() -> FetchResult:
        async with Fetcher(timeout=5, deadline=10, proxy=proxy) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())


def test_http_proxy_from_the_environment_forwards_plain_http(
    proxy: LoggingProxy, clean_env: pytest.MonkeyPatch
) -> None:
    url = "http://relay.example.test/feed"
    with pytest.raises(FetchError):  # no proxy: the name resolves nowhere
        fetch(url)
    assert proxy.log == []
    clean_env.setenv("HTTP_PROXY", proxy.url)
    result = fetch(url)
    assert result.body == FEED.encode()
    assert proxy.log == [f"GET {url} HTTP/1.1"]


def test_all_proxy_with_credentials_and_no_proxy(
    proxy: LoggingProxy, clean_env: pytest.MonkeyPatch
) -> None:
    address = proxy.url.replace("http://", "http://reader:s%40cret@")
    clean_env.setenv("ALL_PROXY", address)
    clean_env.setenv("NO_PROXY", "elsewhere.test,.internal.test")
    assert fetch("http://relay.example.test/feed").body == FEED.encode()
    assert proxy.headers[-1]["Proxy-Authorization"] == "Basic cmVhZGVyOnNAY3JldA=="
    with pytest.raises(FetchError) as caught:  # bypassed: tried directly, and not found
        fetch("http://feeds.internal.test/feed")
    assert caught.value.message == "host not found"
    assert len(proxy.log) == 1


def test_the_config_key_wins_over_the_environment(
    proxy: LoggingProxy, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    assert fetch("http://relay.example.test/feed", proxy=proxy.url).body == FEED.encode()
    assert proxy.log == ["GET http://relay.example.test/feed HTTP/1.1"]
    with pytest.raises(FetchError) as caught:
        fetch("http://relay.example.test/feed", proxy="socks5://127.0.0.1:1080")
    assert caught.value.message.startswith("SOCKS proxies are not supported")


def test_loopback_addresses_never_go_through_the_proxy(
    proxy: LoggingProxy, loopback: LoopbackServer, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HTTP_PROXY", proxy.url)
    assert fetch(loopback.url("/feed")).body == FEED.encode()
    assert proxy.log == []


def test_a_proxy_that_is_down_is_named(clean_env: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean_env.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    with pytest.raises(FetchError) as caught:
        fetch("https://relay.example.test/feed")
    assert caught.value.message == f"cannot reach the proxy 127.0.0.1:{port} (connection refused)"


def test_https_goes_through_a_connect_tunnel_with_tls_to_the_site(
    tmp_path: Path, clean_env: pytest.MonkeyPatch
) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=secure.example.test",
            "-addext", "subjectAltName=DNS:secure.example.test",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = FEED.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    site = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    site.socket = context.wrap_socket(site.socket, server_side=True)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    tunnel = LoggingProxy(site.server_address[1]).start()
    try:
        clean_env.setenv("SSL_CERT_FILE", str(cert))
        clean_env.setenv("HTTPS_PROXY", tunnel.url)
        result = fetch("https://secure.example.test/feed")
        assert result.body == FEED.encode()
        assert tunnel.log == ["CONNECT secure.example.test:443 HTTP/1.1"]
    finally:
        tunnel.stop()
        site.shutdown()
        site.server_close()


def test_a_refresh_reads_the_proxy_from_the_config_file(
    proxy: LoggingProxy, tmp_path: Path, clean_env: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'proxy = "{proxy.url}"\n')
    clean_env.setenv("READER_CONFIG", str(config))
    with Library(tmp_path / "data", timeout=5, deadline=10) as library:
        library.store.add_feeds([("http://relay.example.test/feed", "Relay", None)])
        summary = asyncio.run(library.refresh())
        assert (summary.ok, summary.failed) == (1, 0), summary.results
        assert [entry.title for entry in library.entries()] == [
            "Signal boxes return to the valley line"
        ]
    assert proxy.log == ["GET http://relay.example.test/feed HTTP/1.1"]
