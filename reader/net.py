"""Fetching feeds and pages: one httpx client, limits, validators and size caps.

Why a module of its own: the open web misbehaves (servers that hang or trickle,
200 MB bodies, gzip bombs, redirect loops, 429s), and every caller (refresh,
subscribe, open/save an article) needs the same defences. `Fetcher.fetch()`
returns the body or raises `FetchError` whose message is a short human sentence
("timed out after 20 s", "HTTP 404", "response larger than 10 MB").

httpx is imported lazily: the app's start-up path never loads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import errno
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from reader import __version__
from reader.errors import ReaderError

if TYPE_CHECKING:
    import httpx

USER_AGENT = (f"newsdesk-reader/{__version__} (terminal news reader; "
              "+https://github.com/newsdesk-reader)")
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
               "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

MAX_CONNECTIONS = 256
"""Requests in flight at once across all hosts."""
PER_HOST = 32
"""Requests in flight at once to one host:port. Generous on purpose: a refresh is a
short burst, many feeds share a host (a news site's 20 section feeds), and a low
limit turns a 0.1 s round trip into a queue of seconds. Loopback hosts (the
user's own machine: a local feed bridge, the demo, the benchmark farm that plays
hundreds of sites on 127.0.0.1) are exempt; only the global limit applies to them.
`READER_PER_HOST` and `READER_MAX_CONNECTIONS` override both limits (see
`reader.library.Library`)."""
REQUEST_TIMEOUT = 20.0
"""Seconds to connect, and seconds of silence allowed between two reads."""
DEADLINE = 30.0
"""Seconds one fetch may take in total (redirects and a Retry-After wait included),
so a server that trickles a byte a second is cut off."""
MAX_BYTES = 10 * 2**20
"""Largest body accepted, both as sent and after gzip/deflate decompression."""
MAX_REDIRECTS = 5
LANES_PER_CLIENT = 8
"""Requests one httpx client carries at once (see `Fetcher`)."""
RETRY_AFTER_MAX = 5.0
"""Longest Retry-After wait honoured inside one fetch; longer ones fail with the wait."""

_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}


class FetchError(ReaderError):
    """A fetch that failed; `message` is the sentence shown as the feed's last error."""

    def __init__(self, message: str, where: str | None = None, *,
                 retry_after: float | None = None) -> None:
        super().__init__(message, where)
        self.retry_after = retry_after
        """Seconds the server asked us to wait (429/503 Retry-After), when it did."""


@dataclass(slots=True)
class FetchResult:
    """A successful answer (200 with a body, or 304 Not Modified)."""

    url: str
    """The address that finally answered, after redirects."""
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    moved_to: str | None = None
    """Set when the address moved for good (301/308 chain): store this URL instead."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def seconds_text(seconds: float) -> str:
    """20.0 -> "20 s", 2.5 -> "2.5 s"."""
    return f"{seconds:g} s"


def size_text(size: int) -> str:
    """10485760 -> "10 MB"."""
    return f"{size / 2**20:g} MB" if size >= 2**20 else f"{size / 1024:g} KB"


def make_client(*, max_connections: int = MAX_CONNECTIONS, timeout: float = REQUEST_TIMEOUT,
                verify: ssl.SSLContext | bool = True) -> httpx.AsyncClient:
    """The one httpx client configuration used for every request the reader makes.

    Redirects are followed by `Fetcher` (to count them and notice permanent moves)
    and bodies are decompressed by it (to cap the inflated size), so the client
    asks only for encodings we decode ourselves.
    """
    import httpx

    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout, pool=None),
        limits=httpx.Limits(max_connections=max_connections,
                            max_keepalive_connections=max_connections),
        follow_redirects=False,
        verify=verify,
    )


class Fetcher:
    """Clients plus the limits shared by every fetch made through it.

    Use as `async with Fetcher() as fetcher:`; create it inside the event loop
    that will use it.

    Why several clients: httpcore's connection pool scans every connection for
    every queued request, so one client with hundreds of requests in flight
    spends seconds of CPU (8.6 s for 300 loopback feeds, against 0.7 s sharded;
    encode/httpx#3215). The global limit is a set of "lanes"; lane i always
    uses client i // LANES_PER_CLIENT, so no client ever has more than
    LANES_PER_CLIENT requests to look after.
    """

    def __init__(self, *, max_connections: int = MAX_CONNECTIONS, per_host: int = PER_HOST,
                 timeout: float = REQUEST_TIMEOUT, deadline: float = DEADLINE,
                 max_bytes: int = MAX_BYTES, limit_loopback: bool = False) -> None:
        self.max_connections = max(1, max_connections)
        self.per_host = max(1, per_host)
        self.limit_loopback = limit_loopback
        """Apply the per-host limit to loopback hosts too (tests of the limit itself)."""
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self._clients: list[httpx.AsyncClient] = []
        self._lanes: asyncio.LifoQueue[int] = asyncio.LifoQueue()
        for lane in reversed(range(self.max_connections)):
            self._lanes.put_nowait(lane)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._ssl: ssl.SSLContext | None = None

    async def __aenter__(self) -> Fetcher:
        return self

    def _client_for(self, lane: int) -> httpx.AsyncClient:
        """The client of `lane`, created on first use (sharing one TLS context)."""
        index = lane // LANES_PER_CLIENT
        while len(self._clients) <= index:
            if self._ssl is None:
                import httpx

                self._ssl = httpx.create_ssl_context()
            self._clients.append(make_client(max_connections=LANES_PER_CLIENT,
                                             timeout=self.timeout, verify=self._ssl))
        return self._clients[index]

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        clients, self._clients = self._clients, []
        for client in clients:
            await client.aclose()

    async def fetch(self, url: str, *, etag: str | None = None,
                    last_modified: str | None = None, accept: str = FEED_ACCEPT) -> FetchResult:
        """GET `url` within the limits; a matching validator gives a 304 result."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("not a web address (http:// or https://)", url)
        if _is_loopback(parts.hostname) and not self.limit_loopback:
            host_limit: asyncio.Semaphore | contextlib.nullcontext[None] = \
                contextlib.nullcontext()
        else:
            host = f"{parts.hostname}:{parts.port or ''}"
            host_limit = self._hosts.setdefault(host, asyncio.Semaphore(self.per_host))
        async with host_limit:
            lane = await self._lanes.get()
            try:
                started = time.monotonic()
                async with asyncio.timeout(self.deadline):
                    return await self._follow(self._client_for(lane), url, etag, last_modified,
                                              accept, started)
            except TimeoutError:
                raise FetchError(f"timed out after {seconds_text(self.deadline)}", url) from None
            finally:
                self._lanes.put_nowait(lane)

    async def _follow(self, client: httpx.AsyncClient, url: str, etag: str | None,
                      last_modified: str | None, accept: str, started: float) -> FetchResult:
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, moved_to, permanent, retried = url, None, True, False
        redirects = 0
        while True:
            with _translate_errors(current, self.timeout):
                response = await client.send(client.build_request("GET", current,
                                                                  headers=headers), stream=True)
                try:
                    status = response.status_code
                    location = response.headers.get("location")
                    if status in _REDIRECTS and location:
                        redirects += 1
                        if redirects > MAX_REDIRECTS:
                            raise FetchError("too many redirects", url)
                        target = urljoin(current, location.strip())
                        if urlsplit(target).scheme not in ("http", "https"):
                            raise FetchError(f"redirected to a non-web address ({target})", url)
                        permanent = permanent and status in _PERMANENT
                        if permanent:
                            moved_to = target
                        current = target
                        continue
                    if status in (429, 503) and not retried:
                        wait = _retry_after(response.headers.get("retry-after"))
                        remaining = self.deadline - (time.monotonic() - started)
                        if wait is not None and wait <= min(RETRY_AFTER_MAX, remaining - 1):
                            retried = True
                            await asyncio.sleep(wait)
                            continue
                        if wait is not None:
                            raise FetchError(f"HTTP {status}, retry after {seconds_text(wait)}",
                                             url, retry_after=wait)
                    if status == 304:
                        return self._result(response, current, b"", moved_to, etag,
                                            last_modified)
                    if status >= 400 or status < 200:
                        raise FetchError(f"HTTP {status}", url)
                    body = await self._read_body(response, url)
                    return self._result(response, current, body, moved_to, None, None)
                finally:
                    await response.aclose()

    @staticmethod
    def _result(response: httpx.Response, url: str, body: bytes, moved_to: str | None,
                etag: str | None, last_modified: str | None) -> FetchResult:
        return FetchResult(
            url=url, status=response.status_code, body=body,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag") or etag,
            last_modified=response.headers.get("last-modified") or last_modified,
            moved_to=moved_to,
        )

    async def _read_body(self, response: httpx.Response, url: str) -> bytes:
        """Stream the body, decompressing it ourselves, never past `max_bytes`."""
        limit = self.max_bytes
        too_large = FetchError(f"response larger than {size_text(limit)}", url)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_large
        decoder = _decoder(response.headers.get("content-encoding", ""), url)
        chunks: list[bytes] = []
        received = size = 0
        async for raw in response.aiter_raw():
            received += len(raw)
            if received > limit:
                raise too_large
            if decoder is None:
                chunks.append(raw)
                size += len(raw)
                continue
            pending = raw
            while pending:
                try:
                    out = decoder.decompress(pending, limit - size + 1)
                except zlib.error:
                    raise FetchError("the response is badly compressed", url) from None
                size += len(out)
                if size > limit:
                    raise too_large
                chunks.append(out)
                pending = decoder.unconsumed_tail
        if decoder is None:
            return b"".join(chunks)
        try:
            chunks.append(decoder.flush())
        except zlib.error:
            raise FetchError("the response is badly compressed", url) from None
        return b"".join(chunks)


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _decoder(encoding: str, url: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header, auto-detected
    raise FetchError(f"unsupported content encoding '{encoding}'", url)


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (delta or HTTP date), None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


@contextmanager
def _translate_errors(url: str, timeout: float) -> Iterator[None]:
    """httpx exceptions -> FetchError with a sentence a person understands."""
    import httpx

    try:
        yield
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {seconds_text(timeout)}", url) from None
    except httpx.ConnectError as error:
        raise FetchError(_connect_error_text(error), url) from None
    except (httpx.RemoteProtocolError, httpx.ReadError) as error:
        text = str(error).lower()
        if "reset" in text:
            raise FetchError("connection reset by the server", url) from None
        raise FetchError("the server closed the connection before the response was complete",
                         url) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        raise FetchError("not a web address (http:// or https://)", url) from None
    except httpx.HTTPError as error:
        raise FetchError(f"network error: {error or type(error).__name__}", url) from None


def _connect_error_text(error: Exception) -> str:
    """Why a connection failed, looking through the causes anyio wraps it in."""
    causes: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and len(causes) < 10:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    for cause in causes:
        if isinstance(cause, ConnectionRefusedError) or \
                getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host not found"
    text = str(error)
    lowered = " ".join(str(c) for c in causes).lower()
    if "refused" in lowered:
        return "connection refused"
    if any(s in lowered for s in ("name or service not known", "nodename nor servname",
                                  "getaddrinfo", "no address associated", "name resolution")):
        return "host not found"
    if "ssl" in lowered or "certificate" in lowered:
        return f"secure connection failed ({text})"
    if "unreachable" in lowered:
        return "network unreachable"
    return f"could not connect ({text or type(error).__name__})"
