"""Fetching feeds and pages: one httpx client, limits, validators and size caps.

Why a module of its own: the open web misbehaves (servers that hang or trickle,
200 MB bodies, gzip bombs, redirect loops, 429s), and every caller (refresh,
subscribe, open/save an article) needs the same defences. `Fetcher.fetch()`
returns the body or raises `FetchError` whose message is a short human sentence
("timed out after 20 s", "HTTP 404", "response larger than 10 MB").

This module imports httpx and h11; nothing on the app's start-up path imports
it (the library and the commands import it inside the functions that fetch).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import h11
import httpx

from reader import __version__
from reader.dates import seconds_until_http_date
from reader.errors import ReaderError
from reader.text import clean_text
from reader.urls import BadAddress, check_web_url, escape_unsafe

USER_AGENT = (
    f"newsdesk-reader/{__version__} (terminal news reader; +https://github.com/newsdesk-reader)"
)
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
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
MAX_IDLE_PER_ORIGIN = 16
"""Kept-alive connections kept per scheme/host/port for reuse."""
RETRY_AFTER_MAX = 5.0
"""Longest Retry-After wait honoured inside one fetch; longer ones fail with the wait."""
SLOW_HOST_TIMEOUT = 3.0
"""Seconds to connect and between reads, for a host that already timed out once in the
same refresh (one slow feed on a host should not cost its other feeds the full wait)."""
HOST_GIVE_UP_AFTER = 2
"""Timeouts of one host in one refresh after which its remaining feeds are not asked:
128 hanging feeds on one host took 80 s, 32 at a time (now: one timeout, then none)."""
MAX_HEADER_TEXT = 80
"""Characters of a server's header value quoted in a message (cleaned first)."""

_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}


class FetchError(ReaderError):
    """A fetch that failed; `message` is the sentence shown as the feed's last error."""

    def __init__(
        self,
        message: str,
        where: str | None = None,
        *,
        retry_after: float | None = None,
        timed_out: bool = False,
    ) -> None:
        super().__init__(message, where)
        self.retry_after = retry_after
        """Seconds the server asked us to wait (429/503 Retry-After), when it did."""
        self.timed_out = timed_out
        """The server did not answer in time (counted against its host)."""


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


def make_client(*, timeout: float = REQUEST_TIMEOUT, proxy: str | None = None) -> httpx.AsyncClient:
    """The one httpx client configuration used for every request the reader makes.

    Redirects are followed by `Fetcher` (to count them and notice permanent moves)
    and bodies are decompressed by it (to cap the inflated size), so the client
    asks only for encodings we decode ourselves. Connections are made by
    `LeanTransport` (see there for why). `proxy` is the config key (None: the
    environment's HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY; "": no proxy).
    """
    import httpx

    return _Client(
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
        timeout=httpx.Timeout(timeout, pool=None),
        follow_redirects=False,
        transport=_transport(proxy),
    )


def _transport(proxy: str | None) -> httpx.AsyncBaseTransport:
    """`LeanTransport`, or httpx-aiohttp's with READER_TRANSPORT=aiohttp (for
    `bench/refresh.py --transport`, which compares the two in one run)."""
    import os

    if os.environ.get("READER_TRANSPORT") == "aiohttp":
        try:
            from httpx_aiohttp import AiohttpTransport
        except ImportError:
            raise ReaderError("READER_TRANSPORT=aiohttp needs httpx-aiohttp installed") from None
        limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=64)
        transport: httpx.AsyncBaseTransport = AiohttpTransport(limits=limits)
        return transport
    return LeanTransport(proxy)


class _Client(httpx.AsyncClient):
    """httpx's client, minus the redirect request it builds even when not following.

    `Fetcher._follow` follows redirects itself with its own checks; httpx would
    otherwise raise "unsupported protocol" for a `Location: javascript:...` before
    we see the response, and the message would blame the user's address.
    (`_build_redirect_request` is httpx's private API: test_net's redirect tests
    fail loudly if an httpx upgrade changes it.)
    """

    def _build_redirect_request(
        self, request: httpx.Request, response: httpx.Response
    ) -> httpx.Request:
        return request


class Fetcher:
    """One client plus the limits shared by every fetch made through it.

    Use as `async with Fetcher() as fetcher:`; create it inside the event loop
    that will use it.
    """

    def __init__(
        self,
        *,
        max_connections: int = MAX_CONNECTIONS,
        per_host: int = PER_HOST,
        timeout: float = REQUEST_TIMEOUT,
        deadline: float = DEADLINE,
        max_bytes: int = MAX_BYTES,
        limit_loopback: bool = False,
        proxy: str | None = None,
    ) -> None:
        self.max_connections = max(1, max_connections)
        self.per_host = max(1, per_host)
        self.limit_loopback = limit_loopback
        """Apply the per-host limit to loopback hosts too (tests of the limit itself)."""
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.proxy = proxy
        """The `proxy` setting: None follows the environment, "" means no proxy."""
        self._client: httpx.AsyncClient | None = None
        self._all = asyncio.Semaphore(self.max_connections)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._timeouts: dict[str, int] = {}
        """host:port -> timeouts in this fetcher's life (one refresh)."""

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET `url` within the limits; a matching validator gives a 304 result.

        Every failure is a `FetchError` with a sentence, whatever raised it below.
        """
        try:
            check_web_url(url)
        except BadAddress as error:
            raise FetchError(error.message, error.where) from None
        parts = urlsplit(url)
        hostname = parts.hostname or ""
        host = f"{hostname}:{parts.port or ''}"
        if _is_loopback(hostname) and not self.limit_loopback:
            host_limit: asyncio.Semaphore | contextlib.nullcontext[None] = contextlib.nullcontext()
        else:
            host_limit = self._hosts.setdefault(host, asyncio.Semaphore(self.per_host))
        if self._client is None:
            self._client = make_client(timeout=self.timeout, proxy=self.proxy)
        async with host_limit, self._all:
            try:
                return await self._fetch_once(host, url, etag, last_modified, accept)
            except FetchError:
                raise
            except Exception as error:  # anything else below us still ends in a sentence
                detail = clean_text(str(error))[:MAX_HEADER_TEXT]
                name = type(error).__name__
                raise FetchError(
                    f"could not fetch ({name}{': ' + detail if detail else ''})", url
                ) from None

    async def _fetch_once(
        self, host: str, url: str, etag: str | None, last_modified: str | None, accept: str
    ) -> FetchResult:
        """One fetch with its deadline, shortened (or skipped) for a host that timed out."""
        timeouts = self._timeouts.get(host, 0)
        if timeouts >= HOST_GIVE_UP_AFTER:
            raise FetchError(
                f"not asked: the server timed out {timeouts} times in this refresh", url
            )
        timeout, deadline = self.timeout, self.deadline
        if timeouts:
            timeout, deadline = min(timeout, SLOW_HOST_TIMEOUT), min(deadline, SLOW_HOST_TIMEOUT)
        assert self._client is not None
        started = time.monotonic()
        try:
            async with asyncio.timeout(deadline):
                return await self._follow(
                    self._client, url, etag, last_modified, accept, started, timeout
                )
        except TimeoutError:
            self._timeouts[host] = self._timeouts.get(host, 0) + 1
            raise FetchError(f"timed out after {seconds_text(deadline)}", url) from None
        except FetchError as error:
            if error.timed_out:
                self._timeouts[host] = self._timeouts.get(host, 0) + 1
            raise

    async def _follow(
        self,
        client: httpx.AsyncClient,
        url: str,
        etag: str | None,
        last_modified: str | None,
        accept: str,
        started: float,
        timeout: float,
    ) -> FetchResult:
        headers = {"Accept": accept}
        # A validator that cannot be sent (stored before this check) is dropped: the
        # feed is fetched whole and the server's new validators replace it.
        etag, last_modified = sendable(etag), sendable(last_modified)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, moved_to, permanent, retried = url, None, True, False
        redirects = 0
        request_timeout = httpx.Timeout(timeout, pool=None)
        while True:
            with _translate_errors(current, timeout):
                response = await client.send(
                    client.build_request("GET", current, headers=headers, timeout=request_timeout),
                    stream=True,
                )
                try:
                    status = response.status_code
                    location = response.headers.get("location")
                    if status in _REDIRECTS and location:
                        redirects += 1
                        if redirects > MAX_REDIRECTS:
                            raise FetchError("too many redirects", url)
                        target = _redirect_target(current, location, url)
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
                            raise FetchError(
                                f"HTTP {status}, retry after {seconds_text(wait)}",
                                url,
                                retry_after=wait,
                            )
                    if status == 304:
                        return self._result(response, current, b"", moved_to, etag, last_modified)
                    if status >= 400 or status < 200:
                        raise FetchError(f"HTTP {status}", url)
                    body = await self._read_body(response, url)
                    return self._result(response, current, body, moved_to, None, None)
                finally:
                    await response.aclose()

    @staticmethod
    def _result(
        response: httpx.Response,
        url: str,
        body: bytes,
        moved_to: str | None,
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        content_type = response.headers.get("content-type")
        return FetchResult(
            url=url,
            status=response.status_code,
            body=body,
            content_type=clean_text(content_type)[:200] if content_type else None,
            etag=sendable(response.headers.get("etag")) or etag,
            last_modified=sendable(response.headers.get("last-modified")) or last_modified,
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


def sendable(value: str | None) -> str | None:
    """A validator (ETag, Last-Modified) that can go back in a request header, else None.

    A server may send non-ASCII bytes there; httpx cannot encode them back, and a
    stored one would make every later refresh of the feed fail.
    """
    if not value or not value.isascii() or not value.isprintable() or len(value) > 1024:
        return None
    return value


def header_text(value: str) -> str:
    """A server's header value as it may appear in a message: cleaned and short."""
    return clean_text(value)[:MAX_HEADER_TEXT]


def _redirect_target(current: str, location: str, url: str) -> str:
    """The absolute address a Location header points to, checked, controls escaped."""
    target = escape_unsafe(urljoin(current, escape_unsafe(location.strip())))
    try:
        return check_web_url(target)
    except BadAddress as error:
        shown = header_text(target)
        if urlsplit(target).scheme.lower() not in ("http", "https"):
            raise FetchError(f"the server redirected to a non-web address ({shown})", url) from None
        raise FetchError(
            f"the server redirected to a bad address ({shown}: {error.message})", url
        ) from None


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
    raise FetchError(f"unsupported content encoding '{header_text(encoding)}'", url)


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (delta or HTTP date), None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    return seconds_until_http_date(value)


@contextmanager
def _translate_errors(url: str, timeout: float) -> Iterator[None]:
    """httpx exceptions -> FetchError with a sentence a person understands."""
    import httpx

    try:
        yield
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {seconds_text(timeout)}", url, timed_out=True) from None
    except httpx.ProxyError as error:
        raise FetchError(clean_text(str(error))[:200] or "the proxy failed", url) from None
    except httpx.ConnectError as error:
        raise FetchError(_connect_error_text(error), url) from None
    except (httpx.RemoteProtocolError, httpx.ReadError) as error:
        text = str(error).lower()
        if "reset" in text:
            raise FetchError("connection reset by the server", url) from None
        if "buffer too long" in text or "too large" in text:
            raise FetchError("the server's response headers are too large", url) from None
        if "chunk" in text:
            raise FetchError(
                "the server sent a malformed response (broken chunked encoding)", url
            ) from None
        raise FetchError(
            "the server closed the connection before the response was complete", url
        ) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        raise FetchError("not a web address (http:// or https://)", url) from None
    except httpx.HTTPError as error:
        raise FetchError(
            f"network error: {header_text(str(error)) or type(error).__name__}", url
        ) from None
    except (OSError, ValueError, OverflowError, UnicodeError) as error:
        detail = header_text(str(error)) or type(error).__name__
        raise FetchError(f"network error: {detail}", url) from None


def _connect_error_text(error: Exception) -> str:
    """Why a connection failed, looking through the causes anyio wraps it in."""
    causes: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and len(causes) < 10:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    for cause in causes:
        if (
            isinstance(cause, ConnectionRefusedError)
            or getattr(cause, "errno", None) == errno.ECONNREFUSED
        ):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host not found"
    text = str(error)
    lowered = " ".join(str(c) for c in causes).lower()
    if "refused" in lowered:
        return "connection refused"
    if any(
        s in lowered
        for s in (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo",
            "no address associated",
            "name resolution",
        )
    ):
        return "host not found"
    text = header_text(text)
    if "ssl" in lowered or "certificate" in lowered:
        return f"secure connection failed ({text})"
    if "unreachable" in lowered:
        return "network unreachable"
    return f"could not connect ({text or type(error).__name__})"


Origin = tuple[str, str, int, "Proxy | None"]
"""Scheme, host, port and proxy: what a kept-alive connection can be reused for."""


@dataclass(frozen=True, slots=True)
class Proxy:
    """An HTTP proxy: where it listens and the credentials it wants, if any."""

    host: str
    port: int
    authorization: str | None = None
    """The Proxy-Authorization value ("Basic ...") from user:password in its URL."""

    @property
    def shown(self) -> str:
        """host:port, for messages (never the password)."""
        return f"{self.host}:{self.port}"

    @classmethod
    def parse(cls, setting: str) -> Proxy:
        """ "http://user:pw@proxy:3128" (or "proxy:3128") -> Proxy; other kinds refused."""
        import base64
        from urllib.parse import unquote

        setting = setting.strip()
        parts = urlsplit(setting if "://" in setting else "http://" + setting)
        scheme = parts.scheme.lower()
        if scheme != "http":
            kind = "SOCKS proxies" if scheme.startswith("socks") else f"{scheme}:// proxies"
            raise httpx.ProxyError(
                f"{kind} are not supported; give an http:// proxy ({header_text(setting)})"
            )
        try:
            port = parts.port or 80
        except ValueError:
            raise httpx.ProxyError(
                f"the proxy address has a bad port ({header_text(setting)})"
            ) from None
        if not parts.hostname:
            raise httpx.ProxyError(f"the proxy address has no host ({header_text(setting)})")
        authorization = None
        if parts.username is not None:
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            authorization = "Basic " + base64.b64encode(pair.encode()).decode("ascii")
        return cls(parts.hostname, port, authorization)


def _environment_proxies() -> dict[str, str]:
    """http_proxy / https_proxy / all_proxy / no_proxy (either case), as urllib reads them."""
    import urllib.request

    return {k.lower(): v for k, v in urllib.request.getproxies_environment().items() if v}


def _bypass(host: str, port: int, no_proxy: str) -> bool:
    """Whether NO_PROXY names `host` ("*", a host, a domain suffix, with or without port)."""
    for entry in (item.strip().lower() for item in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.partition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and entry_port != str(port):
            continue
        name = name.lstrip(".")
        if host.lower() == name or host.lower().endswith("." + name):
            return True
    return False


async def _open_tunnel(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, proxy: Proxy, host: str, port: int
) -> None:
    """Ask the proxy for a CONNECT tunnel to host:port; a refusal is a `ProxyError`."""
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}", f"User-Agent: {USER_AGENT}"]
    if proxy.authorization:
        lines.append(f"Proxy-Authorization: {proxy.authorization}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
    await writer.drain()
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.LimitOverrunError:
        raise httpx.ProxyError(f"the proxy {proxy.shown} sent an oversized answer") from None
    except asyncio.IncompleteReadError:
        raise httpx.ProxyError(f"the proxy {proxy.shown} closed the connection") from None
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    fields = status_line.split()
    status = int(fields[1]) if len(fields) > 1 and fields[1].isdigit() else 0
    if status == 407:
        raise httpx.ProxyError(f"the proxy {proxy.shown} asks for a user name and password (407)")
    if not 200 <= status < 300:
        raise httpx.ProxyError(
            f"the proxy {proxy.shown} refused the tunnel to {authority} "
            f"({header_text(status_line) or 'no answer'})"
        )


def _os_reason(error: OSError) -> str:
    if isinstance(error, ConnectionRefusedError) or error.errno == errno.ECONNREFUSED:
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "host not found"
    return header_text(error.strerror or str(error)) or type(error).__name__


class _Connection:
    """One socket and its HTTP/1.1 state machine."""

    def __init__(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        forward: Proxy | None = None,
    ) -> None:
        self.reader = reader
        self.writer = writer
        self.state = h11.Connection(h11.CLIENT)
        self.forward = forward
        """The proxy this plain-http connection goes through (requests in absolute form)."""

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()

    async def next_event(self, timeout: float | None) -> object:
        """The next h11 event, reading from the socket as needed."""
        while True:
            try:
                event = self.state.next_event()
            except h11.RemoteProtocolError as error:
                raise httpx.RemoteProtocolError(str(error)) from error
            if event is not h11.NEED_DATA:
                return event
            try:
                async with asyncio.timeout(timeout):
                    data = await self.reader.read(65536)
            except TimeoutError:
                raise httpx.ReadTimeout("read timed out") from None
            except OSError as error:
                raise httpx.ReadError(str(error) or type(error).__name__) from error
            self.state.receive_data(data)


class _Body(httpx.AsyncByteStream):
    """A response body read from its connection, which goes back to the pool after."""

    def __init__(
        self,
        pool: LeanTransport,
        origin: Origin,
        connection: _Connection,
        timeout: float | None,
    ) -> None:
        self.pool = pool
        self.origin = origin
        self.connection = connection
        self.timeout = timeout
        self.complete: bool = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self.complete:
            event = await self.connection.next_event(self.timeout)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
                self.complete = True

    async def aclose(self) -> None:
        state = self.connection.state
        if self.complete and state.our_state is h11.DONE and state.their_state is h11.DONE:
            state.start_next_cycle()
            self.pool.release(self.origin, self.connection)
        else:
            self.connection.close()


class LeanTransport(httpx.AsyncBaseTransport):
    """The transport under the reader's httpx client: HTTP/1.1 on asyncio streams and h11.

    Why not httpx's default (httpcore on anyio): a refresh is hundreds of short
    requests at once, and httpcore spends about 1.5 ms of CPU on each (pool
    bookkeeping, anyio cancel scopes, socket queries); this transport needs about
    0.5 ms (300 feeds: 0.14-0.19 s of CPU against 0.41-0.52 s), which is most of
    what a 304-only refresh costs. It speaks plain HTTP/1.1 through h11 (httpx's
    own parser), keeps connections alive per origin, verifies TLS with httpx's
    default context (created on the first https connection) and raises httpx's
    exception types, so everything above it is ordinary httpx.

    Proxies (see `proxy_for`): plain http goes to the proxy in absolute form,
    https through an HTTP CONNECT tunnel, TLS end to end with the site.
    """

    def __init__(self, proxy: str | None = None) -> None:
        self.idle: dict[Origin, list[_Connection]] = {}
        self.tls: ssl.SSLContext | None = None
        self.proxy_setting = proxy
        """The `proxy` config key: None follows the environment, "" means none."""
        self._proxies = _environment_proxies() if proxy is None else {}

    def release(self, origin: Origin, connection: _Connection) -> None:
        idle = self.idle.setdefault(origin, [])
        if len(idle) < MAX_IDLE_PER_ORIGIN:
            idle.append(connection)
        else:
            connection.close()

    def _tls(self) -> ssl.SSLContext:
        if self.tls is None:
            self.tls = httpx.create_ssl_context()
        return self.tls

    async def connect(self, origin: Origin, timeout: float | None) -> _Connection:
        scheme, host, port, proxy = origin
        try:
            async with asyncio.timeout(timeout):
                if proxy is None:
                    tls = self._tls() if scheme == "https" else None
                    reader, writer = await asyncio.open_connection(
                        host, port, ssl=tls, server_hostname=host if tls else None, limit=2**20
                    )
                    return _Connection(reader, writer)
                return await self._through(proxy, scheme, host, port)
        except TimeoutError:
            raise httpx.ConnectTimeout("connect timed out") from None
        except (OSError, ssl.SSLError) as error:
            raise httpx.ConnectError(str(error) or type(error).__name__) from error

    async def _through(self, proxy: Proxy, scheme: str, host: str, port: int) -> _Connection:
        """A connection to `host` by way of `proxy` (forwarding, or a CONNECT tunnel)."""
        try:
            reader, writer = await asyncio.open_connection(proxy.host, proxy.port, limit=2**20)
        except OSError as error:
            raise httpx.ProxyError(
                f"cannot reach the proxy {proxy.shown} ({_os_reason(error)})"
            ) from error
        if scheme == "http":
            return _Connection(reader, writer, forward=proxy)
        try:
            await _open_tunnel(reader, writer, proxy, host, port)
            await writer.start_tls(self._tls(), server_hostname=host)
        except BaseException:
            writer.close()
            raise
        return _Connection(reader, writer)

    def origin(self, url: httpx.URL) -> Origin:
        """Where a request goes: scheme, host, port, and the proxy it goes through."""
        port = url.port or (443 if url.scheme == "https" else 80)
        return (url.scheme, url.host, port, self._proxy(url.scheme, url.host, port))

    def _proxy(self, scheme: str, host: str, port: int) -> Proxy | None:
        setting = self.proxy_setting
        if setting == "" or _is_loopback(host):
            return None  # the user's own machine is never reached through a proxy
        if setting is None:
            setting = self._proxies.get(scheme) or self._proxies.get("all")
            if not setting or _bypass(host, port, self._proxies.get("no", "")):
                return None
        return Proxy.parse(setting)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        origin = self.origin(request.url)
        timeouts = request.extensions.get("timeout", {})
        body = await request.aread()
        idle = self.idle.get(origin)
        while idle:  # reuse a kept-alive connection unless the server closed it
            connection = idle.pop()
            if not connection.reader.at_eof():
                try:
                    return await self.exchange(origin, connection, request, body, timeouts)
                except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError):
                    pass  # closed while idle: try a fresh connection
            connection.close()
        connection = await self.connect(origin, timeouts.get("connect"))
        return await self.exchange(origin, connection, request, body, timeouts)

    async def exchange(
        self,
        origin: Origin,
        connection: _Connection,
        request: httpx.Request,
        body: bytes,
        timeouts: dict[str, float | None],
    ) -> httpx.Response:
        try:
            state = connection.state
            target, headers = request.url.raw_path, request.headers.raw
            if connection.forward is not None:  # plain http through a proxy: absolute form
                target = str(request.url).encode("ascii")
                if connection.forward.authorization:
                    headers = [
                        *headers,
                        (b"Proxy-Authorization", connection.forward.authorization.encode()),
                    ]
            data = state.send(h11.Request(method=request.method, target=target, headers=headers))
            if body:
                data += state.send(h11.Data(data=body))
            data += state.send(h11.EndOfMessage())
            try:
                connection.writer.write(data)
                async with asyncio.timeout(timeouts.get("write")):
                    await connection.writer.drain()
            except TimeoutError:
                raise httpx.WriteTimeout("write timed out") from None
            except OSError as error:
                raise httpx.WriteError(str(error) or type(error).__name__) from error
            while True:
                event = await connection.next_event(timeouts.get("read"))
                if isinstance(event, h11.Response):
                    break
                if isinstance(event, h11.ConnectionClosed):
                    raise httpx.RemoteProtocolError("server closed the connection")
                # an informational (1xx) response: wait for the real one
        except BaseException:
            connection.close()
            raise
        return httpx.Response(
            event.status_code,
            headers=event.headers.raw_items(),
            stream=_Body(self, origin, connection, timeouts.get("read")),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": event.reason},
        )

    async def aclose(self) -> None:
        for connections in self.idle.values():
            for connection in connections:
                connection.close()
        self.idle.clear()
