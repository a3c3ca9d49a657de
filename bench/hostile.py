"""Hostile servers the feed farm does not play, and a logging proxy (for bench/faults.py).

Everything here is invented for the benchmark and runs on loopback. Each endpoint of
`HOSTILE` is a feed address a user could subscribe to; the second field says what
the reader must do with it: "ok" (read it, whatever the headers say), "error" (a
readable one-line error) or None (either, as long as it stays bounded and clean).
"""

from __future__ import annotations

import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ITEM = (
    "<item><guid>{guid}</guid><title>Canal lock {n} reopens after repairs</title>"
    "<link>http://canal.example.test/{guid}</link>"
    "<description>{text}</description></item>"
)


def feed(title: str, items: int = 5, text: str = "Boats queued at the gates.") -> str:
    body = "".join(ITEM.format(guid=f"c{n}", n=n, text=text) for n in range(items))
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{title}</title><link>http://canal.example.test/</link>{body}</channel></rss>"
    )


def bomb(levels: int, encoding: str = "utf-8", padding: int = 0) -> bytes:
    """A feed declaring nested entities: 10**levels copies of "lol" once expanded."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, levels + 1)
    ]
    pad = f"<!-- {'p' * padding} -->" if padding else ""
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>{pad}'
        f"<!DOCTYPE rss [{''.join(entities)}]>"
        f"<rss version='2.0'><channel><title>&lol{levels};</title>"
        "<item><guid>b1</guid><title>Bomb</title></item></channel></rss>"
    )
    return text.encode(encoding)


def huge_page(size: int = 9_500_000) -> bytes:
    """An article page just under the 10 MB cap: paragraphs, each pointing onward with a link."""
    parts = ["<!doctype html><html><head><title>The longest canal report</title></head><body>"]
    parts.append("<article><h1>The longest canal report</h1>")
    total, n = 0, 0
    while total < size:
        paragraph = (
            f"<p>The lock keepers counted boats at gate {n} through the night. For more on "
            f"the repairs, read <a href='/canal/{n}'>the report on lock {n}</a>.</p>"
        )
        parts.append(paragraph)
        total += len(paragraph)
        n += 1
    parts.append("</article></body></html>")
    return "".join(parts).encode()


HOSTILE: dict[str, tuple[str, str | None]] = {
    "hostile-headers": (
        "a good feed whose Content-Type and ETag carry OSC 52, OSC 0 and 8-bit CSI",
        "ok",
    ),
    "hostile-type": ("not a feed, and a Content-Type carrying escapes", "error"),
    "c1-redirect": ("301 to a Location carrying U+009B (an 8-bit CSI)", "ok"),
    "c1-redirect-js": ("302 to javascript: with U+009B", "error"),
    "non-ascii-validators": ("ETag and Last-Modified with non-ASCII bytes", "ok"),
    "huge-feed": ("a 9.5 MB feed of 4,000 items (under the 10 MB cap)", "ok"),
    "ebcdic-bomb": ("entity bomb encoded in EBCDIC (cp037)", None),
    "late-doctype-bomb": ("entity bomb after 70 KB of padding (UTF-8)", None),
}


class HostileServer:
    """Serves `HOSTILE` on an ephemeral loopback port."""

    def __init__(self, *, bomb_levels: int = 7) -> None:
        moved = "/feed-moved%C2%9B31m"
        huge_text = "Water levels rose along the towpath. " * 55
        routes: dict[str, tuple[int, dict[str, str], bytes]] = {
            "/hostile-headers": (
                200,
                {
                    "Content-Type": (
                        "application/rss+xml\x1b]52;c;aGVsbG8=\x07\x1b]0;owned\x07\x9b2J"
                    ),
                    "ETag": '"v1\x1b[31m"',
                },
                feed("Headers Gazette").encode(),
            ),
            "/hostile-type": (
                200,
                {"Content-Type": "application/pdf\x1b]52;c;aGVsbG8=\x07\x9d0;t\x9c"},
                b"%PDF-1.4 not a feed",
            ),
            "/c1-redirect": (301, {"Location": "/feed-moved\x9b31m"}, b""),
            moved: (200, {"Content-Type": "application/rss+xml"}, feed("Moved Courier").encode()),
            "/c1-redirect-js": (302, {"Location": "javascript:alert(1)\x9b2J"}, b""),
            "/non-ascii-validators": (
                200,
                {
                    "Content-Type": "application/rss+xml",
                    "ETag": '"caf\xe9"',
                    "Last-Modified": "mi\xe9rcoles, 01 ene 2025 00:00:00 GMT",
                },
                feed("Validator Times").encode(),
            ),
            "/huge-feed": (
                200,
                {"Content-Type": "application/rss+xml"},
                feed("Huge Ledger", items=4000, text=huge_text).encode(),
            ),
            "/ebcdic-bomb": (
                200,
                {"Content-Type": "application/xml"},
                bomb(bomb_levels, "cp037"),
            ),
            "/late-doctype-bomb": (
                200,
                {"Content-Type": "application/xml"},
                bomb(bomb_levels, padding=70 * 1024),
            ),
        }
        self._moved = {"c1-redirect": moved}
        routes["/huge-page"] = (200, {"Content-Type": "text/html; charset=utf-8"}, huge_page())

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                status, headers, body = routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hung up is not news here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def moved_to(self, name: str) -> str | None:
        """Where a permanently redirected endpoint's feed is stored (its new address)."""
        path = self._moved.get(name)
        return self.base + path if path else None

    def start(self) -> HostileServer:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class LoggingProxy:
    """An HTTP proxy that logs each request line and sends every host to `upstream`."""

    def __init__(self, upstream: int) -> None:
        self.log: list[str] = []
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                while True:
                    head = b""
                    while not head.endswith(b"\r\n\r\n"):
                        line = self.rfile.readline()
                        if not line:
                            return
                        head += line
                    lines = head.decode("latin-1").split("\r\n")
                    proxy.log.append(lines[0])
                    method, target, _ = lines[0].split(" ", 2)
                    path = "/" + target.split("://", 1)[-1].split("/", 1)[-1]
                    kept = [
                        line
                        for line in lines[1:]
                        if line and not line.lower().startswith(("proxy-", "connection"))
                    ]
                    request = "\r\n".join([f"{method} {path} HTTP/1.1", *kept, "Connection: close"])
                    with socket.create_connection(("127.0.0.1", upstream)) as server:
                        server.sendall((request + "\r\n\r\n").encode("latin-1"))
                        while data := server.recv(65536):
                            self.wfile.write(data)
                    return  # the upstream closed: so do we (the client reconnects)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128

            def handle_error(self, request: object, client_address: object) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> LoggingProxy:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
