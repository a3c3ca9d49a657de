"""Shared fixtures: a loopback HTTP server and a private data folder for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.loopback import loopback  # noqa: F401  (re-exported fixture)

SHARED = Path(__file__).resolve().parents[2] / "shared"
"""The read-only ../shared folder beside the checkout (corpus, benchmark data)."""


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever touches the user's real library or config."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READER_CONFIG", str(tmp_path / "config.toml"))
