"""The interface every sync backend implements, and the data it trades in.

A backend speaks one server's protocol and nothing else: it knows no library,
no store and no outbox (the sync engine owns those). Ids are the server's own,
as strings; a backend accepts every form its server hands out (the Google
Reader API's long and short item ids) and returns one stable form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from reader.errors import ReaderError

ServiceName = Literal["ttrss", "greader"]
"""The values of `service` in the `[sync]` table of the config file."""

FailureKind = Literal["network", "login", "server", "gone"]
"""network: the server could not be reached (or timed out); login: it refused the
user or password; server: it answered with an error or nonsense; gone: the item
or feed the change was about no longer exists there."""


class SyncError(ReaderError):
    """A sync that could not go on; `kind` says why, so the app and CLI tell them apart."""

    def __init__(self, kind: FailureKind, message: str, where: str | None = None) -> None:
        super().__init__(message, where)
        self.kind: FailureKind = kind


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A subscription as the server lists it."""

    id: str
    url: str
    title: str
    site_url: str | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """One item as the server holds it, with its read and starred flags."""

    id: str
    feed_id: str
    title: str
    url: str | None
    published: str | None = None
    """ISO 8601 UTC time."""
    author: str | None = None
    summary: str = ""
    content_html: str | None = None
    read: bool = False
    starred: bool = False


@dataclass(frozen=True, slots=True)
class ItemPage:
    """One page of items, and where the next one starts (None: this was the last)."""

    items: Sequence[RemoteItem] = field(default_factory=tuple)
    cursor: str | None = None


class SyncService(Protocol):
    """One server, logged in lazily; every method raises `SyncError` and nothing else.

    An expired session is re-established once inside the call that found it out;
    a second refusal is a `SyncError("login", ...)`.
    """

    def login(self) -> None:
        """Log in (or check the stored session), raising `SyncError` kind login/network."""
        ...

    def subscriptions(self) -> list[RemoteFeed]:
        """Every subscription, with its categories."""
        ...

    def items(self, since: str | None, cursor: str | None = None) -> ItemPage:
        """Items newer than `since` (a value this backend returned before as
        `sync_point()`), one page at a time: pass the page's `cursor` to go on."""
        ...

    def sync_point(self) -> str:
        """An opaque mark of "now" to pass as `since` on the next sync."""
        ...

    def unread_ids(self) -> set[str]:
        """The ids of every unread item, in full (so reads made elsewhere arrive)."""
        ...

    def starred_ids(self) -> set[str]:
        """The ids of every starred item, in full."""
        ...

    def set_read(self, ids: Sequence[str], read: bool) -> None:
        """Mark items read (or unread again)."""
        ...

    def set_starred(self, ids: Sequence[str], starred: bool) -> None:
        """Star (save) or unstar items."""
        ...

    def subscribe(self, url: str, category: str | None = None) -> RemoteFeed:
        """Subscribe to a feed URL; returns it as the server now lists it."""
        ...

    def unsubscribe(self, feed_id: str) -> None:
        """Drop a subscription (a feed already gone is not an error)."""
        ...
