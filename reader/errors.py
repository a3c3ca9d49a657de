"""The one exception type that reaches the user as a sentence, not a traceback."""

from __future__ import annotations


class ReaderError(Exception):
    """A failure the user can act on: printed as one line, exit status 1.

    `where` names the source (a URL, a file, an ID) so that a message reads
    "reader: https://x.test/feed: HTTP 404".
    """

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class UsageError(ReaderError):
    """Wrong use of the command line: exit status 2."""


class LibraryBusy(ReaderError):
    """Another process held the library's write lock for longer than we wait.

    A refresh stops at the first one (every other write would wait as long again).
    """
