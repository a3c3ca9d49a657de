"""A refresh killed with kill -9 leaves no parse worker processes behind.

A big refresh may parse feeds in a process pool ($READER_PARSE_WORKERS). If the
`reader refresh` process is killed while its workers wait for the next feed, they
must notice and exit on their own: otherwise every crash or kill leaves idle
Python processes (tens of MB each) running until the machine restarts.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import suppress
from pathlib import Path

import psutil
import pytest

from reader.config import DATABASE_NAME
from reader.library import POOL_THRESHOLD, Library
from tests.reliability.faults import FaultServer, install, install_good
from tests.reliability.test_crash_safety import _kill_tree, _reap, _start

WORKERS_EXIT_WITHIN = 10.0
ITEMS = 20


def _stored(data: Path) -> int:
    db = sqlite3.connect(data / DATABASE_NAME, timeout=30)
    try:
        return int(db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
    finally:
        db.close()


def test_killed_refresh_leaves_no_parse_workers(
    fault_server: tuple[FaultServer, threading.Event], tmp_path: Path
) -> None:
    server, release = fault_server
    quick = install_good(server, POOL_THRESHOLD, items=ITEMS)
    hanging = install(server, release, ["hang"])  # keeps the refresh (and its pool) alive
    data = tmp_path / "data"
    with Library(data) as library:
        library.store.add_feeds((url, url, None) for url in [*quick, *hanging.values()])
    process = _start(data, "refresh", READER_PARSE_WORKERS="2")
    workers: list[psutil.Process] = []
    try:
        parent = psutil.Process(process.pid)
        # Wait until every quick feed is parsed and stored: the workers are now idle.
        while _stored(data) < len(quick) * ITEMS and process.poll() is None:
            with suppress(psutil.TimeoutExpired):
                parent.wait(0.05)
        assert process.poll() is None, process.communicate()
        assert any(
            "spawn_main" in " ".join(child.cmdline()) for child in parent.children(recursive=True)
        ), "no parse pool"
        workers = _kill_tree(process)
        _, alive = psutil.wait_procs(workers, timeout=WORKERS_EXIT_WITHIN)
        assert alive == [], [" ".join(p.cmdline())[:80] for p in alive]
    finally:
        _reap(workers)


@pytest.mark.parametrize(
    ("signal_name", "status", "line"),
    [("SIGINT", 130, "reader: interrupted\n"), ("SIGTERM", 143, "reader: terminated\n")],
)
def test_ctrl_c_or_kill_during_a_refresh_stops_cleanly(
    signal_name: str,
    status: int,
    line: str,
    fault_server: tuple[FaultServer, threading.Event],
    tmp_path: Path,
) -> None:
    """Ctrl-C (or a plain `kill`) while feeds are in flight: one line, nothing lost.

    The hanging feeds are held by the server until the fixture's teardown (after the
    signal), and the refresh's timeouts are longer than any test run, so the refresh
    is still running when the signal arrives however slow the machine is.
    """
    import signal

    server, release = fault_server
    quick = install_good(server, POOL_THRESHOLD, items=ITEMS)
    hanging = install(server, release, ["hang", "trickle"])
    for workers in ("0", "2"):  # parsed in threads, then in worker processes
        data = tmp_path / f"data-{workers}"
        with Library(data) as library:
            library.store.add_feeds((url, url, None) for url in [*quick, *hanging.values()])
        process = _start(
            data,
            "refresh",
            READER_PARSE_WORKERS=workers,
            READER_TIMEOUT="3600",
            READER_DEADLINE="3600",
        )
        parent = psutil.Process(process.pid)
        while _stored(data) < len(quick) * ITEMS and process.poll() is None:
            with suppress(psutil.TimeoutExpired):
                parent.wait(0.05)
        assert process.poll() is None, process.communicate()
        children = parent.children(recursive=True)
        process.send_signal(getattr(signal, signal_name))
        out, err = process.communicate(timeout=30)
        assert (process.returncode, err) == (status, line), (out, err)
        _, alive = psutil.wait_procs(children, timeout=WORKERS_EXIT_WITHIN)
        _reap(alive)
        assert alive == []
        assert _stored(data) == len(quick) * ITEMS
