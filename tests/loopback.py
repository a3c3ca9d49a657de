"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a response.

Each route is a `Response` or a callable (request handler -> Response) so a test
can serve ETags, redirects, slow bodies or resets. Used by every test layer
(engine, library, TUI); the server runs in a thread and stops with the fixture.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Response:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Route = Response | Callable[[BaseHTTPRequestHandler], "Response | None"]


class LoopbackServer:
    """Serves `routes` on an ephemeral loopback port; `hits` counts requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path
                server.hits[path] = server.hits.get(path, 0) + 1
                server.requests.append((path, dict(self.headers.items())))
                route = server.routes.get(path) or server.routes.get(path.split("?")[0])
                if route is None:
                    response: Response | None = Response(
                        "not found", status=404, content_type="text/plain"
                    )
                elif isinstance(route, Response):
                    response = route
                else:
                    response = route(self)
                if response is None:  # the callable wrote (or deliberately broke) the reply
                    return
                payload = response.payload()
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if payload:
                    self.wfile.write(payload)

        class Server(ThreadingHTTPServer):
            # socketserver's default backlog of 5 drops SYNs when a test refreshes
            # twenty feeds at once; the client would retry them a second later.
            request_queue_size = 128

            def handle_error(self, request: object, client_address: object) -> None:
                """A client that hung up (a timeout, a cancelled refresh) is not an error.

                socketserver prints a traceback for it, which a green run must not show.
                """
                error = sys.exc_info()[1]
                if isinstance(error, ConnectionError | TimeoutError):
                    return
                super().handle_error(request, client_address)  # type: ignore[arg-type]

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()
