"""reader.dates: one stored form (UTC ISO 8601), and no dependence on the machine's time zone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from reader import dates


def test_timestamp_is_a_utc_moment() -> None:
    assert dates.from_timestamp(0) == "1970-01-01T00:00:00+00:00"
    assert dates.date_from_timestamp(1_700_000_000) == "2023-11-14"


def test_out_of_range_values_are_none() -> None:
    assert dates.from_timestamp(10**20) is None
    assert dates.date_from_timestamp(-(10**20)) is None
    assert dates.to_utc_iso("not a date") is None
    assert dates.to_utc_iso("") is None
    assert dates.parse_iso(None) is None


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2025-07-03T12:00:00+02:00", "2025-07-03T10:00:00+00:00"),
        ("2025-07-03T10:00:00Z", "2025-07-03T10:00:00+00:00"),
        ("2025-07-03T10:00:00.123456", "2025-07-03T10:00:00+00:00"),
        ("2025-07-03", "2025-07-03T00:00:00+00:00"),
        ("2025-07-03T10:00:00+00:00", "2025-07-03T10:00:00+00:00"),
    ],
)
def test_iso_values_are_stored_in_utc(given: str, stored: str) -> None:
    assert dates.to_utc_iso(given) == stored


def test_struct_time_from_feedparser() -> None:
    assert dates.from_struct(time.gmtime(86_400)) == "1970-01-02T00:00:00+00:00"
    assert dates.from_struct(None) is None


def test_http_date_in_the_future_and_past() -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    wait = dates.seconds_until_http_date(soon)
    assert wait is not None and 100 < wait <= 120
    assert dates.seconds_until_http_date("Mon, 01 Jan 2001 00:00:00 GMT") == 0.0
    assert dates.seconds_until_http_date("garbage") is None


def test_human_date() -> None:
    assert dates.human_date("2025-07-03") == "3 July 2025"
    assert dates.human_date("2025-07-03T10:05:00+00:00") == "3 July 2025, 10:05 UTC"
    assert dates.human_date("nonsense") is None


def test_article_date_from_a_timestamp_does_not_depend_on_the_time_zone(tmp_path: Path) -> None:
    """A page dated by a Unix timestamp late in the UTC day gets the UTC date everywhere."""
    page = tmp_path / "story.html"
    stamp = 1_700_000_000  # 2023-11-14T22:13:20Z: already the 15th east of UTC+2
    body = "".join(
        f"<p>Paragraph {n} of the harbour story, with enough words to be kept as text.</p>"
        for n in range(8)
    )
    page.write_text(
        f"<html><head><title>Harbour reopens</title>"
        f'<meta property="article:published_time" content="{stamp}"></head>'
        f"<body><article><h1>Harbour reopens</h1>{body}</article></body></html>"
    )
    seen = set()
    for zone in ("UTC", "Pacific/Auckland", "America/Los_Angeles"):
        out = subprocess.run(
            [sys.executable, "-m", "reader", "article", str(page), "--json"],
            capture_output=True,
            text=True,
            env={**os.environ, "TZ": zone},
            check=True,
        )
        seen.add(json.loads(out.stdout)["published"])
    assert seen == {"2023-11-14"}
