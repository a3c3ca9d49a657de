"""The demo's loopback web server: the rendered demo site on 127.0.0.1 only.

A stdlib `ThreadingHTTPServer` in a daemon thread, so `reader --demo` needs no
internet and no extra dependency. It answers GET and HEAD with ETag and
Last-Modified and honours If-None-Match / If-Modified-Since with 304, so the
library's conditional-refresh path runs for real against it.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from reader.demo.render import Resource, load_manifest, render_site

PREFERRED_PORT = 48917
"""Tried first, so the URLs stored in the demo library stay valid between launches."""

SHUTDOWN_POLL_SECONDS = 0.05
"""How often the serve loop checks for `stop()`: quitting the app should feel instant."""


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    resources: dict[str, Resource]

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-reply (a cancelled fetch) must not print a
        traceback over the app's screen; the demo has nothing else to report."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "newsdesk-demo/1"
    server: _DemoHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the app owns the terminal."""

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, *, with_body: bool) -> None:
        resource = self.server.resources.get(self.path.split("?", 1)[0].split("#", 1)[0])
        if resource is None:
            self._send(
                404,
                b"not found\n",
                {"Content-Type": "text/plain; charset=utf-8"},
                with_body=with_body,
            )
            return
        validators = {
            "ETag": resource.etag,
            "Last-Modified": format_datetime(resource.last_modified, usegmt=True),
            "Cache-Control": "no-cache",
        }
        if _not_modified(
            self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), resource
        ):
            self._send(304, b"", validators, with_body=False)
            return
        self._send(
            200,
            resource.body,
            {"Content-Type": resource.content_type, **validators},
            with_body=with_body,
        )

    def _send(self, status: int, body: bytes, headers: dict[str, str], *, with_body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body and body:
            self.wfile.write(body)


def _not_modified(
    if_none_match: str | None, if_modified_since: str | None, resource: Resource
) -> bool:
    """RFC 9110 13.1: If-None-Match wins; If-Modified-Since is read only without it."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or resource.etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return resource.last_modified <= since
    return False


def _bind(port: int) -> _DemoHTTPServer:
    """Listen on `port` if free, else on an ephemeral port (0 asks for one directly)."""
    try:
        return _DemoHTTPServer(("127.0.0.1", port), _Handler)
    except OSError:
        if port == 0:
            raise
        return _DemoHTTPServer(("127.0.0.1", 0), _Handler)


class DemoServer:
    """The running server; `base_url` and `feed_urls` are known once it is bound."""

    def __init__(self, *, now: datetime | None = None, port: int = PREFERRED_PORT) -> None:
        moment = now or datetime.now(UTC)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        self.now = moment.astimezone(UTC).replace(microsecond=0)
        """The moment item dates are relative to."""
        self._httpd = _bind(port)
        self.port: int = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._httpd.resources = render_site(self.base_url, self.now)
        self.feed_urls = [self.base_url + pub.feed_path for pub in load_manifest().publications]
        self.paths = sorted(self._httpd.resources)
        """Every path the server answers (for tests and the index page)."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
            name="reader-demo-server",
            daemon=True,
        )
        self._stopped = False
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and release the port; calling it again does nothing."""
        if self._stopped:
            return
        self._stopped = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
