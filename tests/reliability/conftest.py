"""Fixtures for the reliability tests: a loopback server that misbehaves on request."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.reliability.faults import FaultServer


@pytest.fixture
def fault_server() -> Iterator[tuple[FaultServer, threading.Event]]:
    """A started `FaultServer` and the event that frees its waiting handlers at teardown."""
    server = FaultServer()
    server.start()
    release = threading.Event()
    try:
        yield server, release
    finally:
        release.set()
        server.stop()
