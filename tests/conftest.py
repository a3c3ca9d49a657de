"""Shared fixtures: a loopback HTTP server and a private data folder for every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.loopback import loopback  # noqa: F401  (re-exported fixture)

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The read-only ../shared folder beside the checkout (corpus, benchmark data)."""


def need_shared(*parts: str) -> Path:
    """The path `../shared/<parts>`, or skip the test with one line saying what is missing.

    A fresh clone has no ../shared, so the tests that read it skip there; in CI
    (`CI=true`) a missing ../shared is a failure, so CI always runs everything.
    """
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = (
            f"needs ../shared/{'/'.join(parts)} (the project's shared test data); "
            "put the shared folder beside the checkout for the full run"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the user's real library or config."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READER_CONFIG", str(tmp_path / "config.toml"))
