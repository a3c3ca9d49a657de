"""The command line for catching up: bulk read, saved searches, grep-like search, newsboat import."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.loopback import LoopbackServer, Response
from tests.unit.test_cli_library import cli, json_lines
from tests.unit.test_library import RSS, rss
from tests.unit.test_newsboat import _newsboat_cache

CONFIG = """\
# my reader settings
theme = "nord"

[[filters]]
title = "Sponsored"

[[saved_searches]]
name = "Transport"
query = "rail OR ferry"
"""


@pytest.fixture
def data(capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer) -> Path:
    Path(os.environ["READER_CONFIG"]).write_text(CONFIG)
    loopback.routes["/harbour"] = Response(
        rss(
            "Harbour News",
            [
                ("h1", "Ferry strikes halt crossings"),
                ("h2", "Sponsored: a cruise"),
                ("h3", "Budget"),
            ],
            base=loopback.base,
        ),
        content_type=RSS,
    )
    loopback.routes["/valley"] = Response(
        rss("Valley Times", [("v1", "Rail line reopens")], base=loopback.base), content_type=RSS
    )
    folder = tmp_path / "data"
    for path in ("/harbour", "/valley"):
        assert cli(capsys, folder, "add", loopback.url(path), "--category", "News")[0] == 0
    return folder


def unread_titles(capsys: pytest.CaptureFixture[str], data: Path) -> set[str]:
    status, out, _ = cli(capsys, data, "entries", "--unread", "--json")
    assert status == 0
    return {str(entry["title"]) for entry in json_lines(out)}


def test_bulk_read_by_feed_and_everything(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    assert unread_titles(capsys, data) == {
        "Ferry strikes halt crossings",
        "Budget",
        "Rail line reopens",
    }  # the sponsored entry is filtered out
    assert cli(capsys, data, "read", "--feed", "1")[:2] == (0, "2 entries marked read\n")
    assert unread_titles(capsys, data) == {"Rail line reopens"}
    assert cli(capsys, data, "read", "--all")[:2] == (0, "1 entry marked read\n")
    assert unread_titles(capsys, data) == set()


def test_bulk_read_before_a_date_and_by_saved_search(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    assert cli(capsys, data, "read", "--before", "2025-01-02")[1] == "2 entries marked read\n"
    status, out, _ = cli(capsys, data, "entries", "--saved-search", "transport", "--json")
    assert status == 0 and {e["title"] for e in json_lines(out)} == {
        "Ferry strikes halt crossings",
        "Rail line reopens",
    }
    assert cli(capsys, data, "read", "--saved-search", "Transport")[1] == "0 entries marked read\n"


def test_bulk_read_usage_and_errors(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    status, _, err = cli(capsys, data, "read")
    assert status == 2 and "give an entry ID, or one of --feed" in err
    status, _, err = cli(capsys, data, "read", "3", "--all")
    assert status == 2 and err.count("\n") == 1
    status, _, err = cli(capsys, data, "read", "--before", "yesterday")
    assert status == 1 and "not a date" in err
    status, _, err = cli(capsys, data, "read", "--saved-search", "Weather")
    assert status == 1 and "no saved search of that name (known: Transport)" in err


def test_search_is_grep_like(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    status, out, err = cli(capsys, data, "search", "strike")  # stems: "strikes" matches
    assert status == 0 and re.match(r"entry \d+: Ferry strikes halt crossings\n", out)
    status, out, err = cli(capsys, data, "search", "zeppelin")
    assert (status, out, err) == (1, "", "reader: no matches for 'zeppelin'\n")
    # A leading "-" would read as an option: the query goes in quotes (or after "--").
    status, out, _ = cli(capsys, data, "search", "--json", "ferry -strikes")
    assert (status, out) == (1, "")
    status, out, _ = cli(capsys, data, "search", "--", "rail", "-strikes")
    assert status == 0 and "Rail line reopens" in out


def test_newsboat_import_writes_saved_searches_into_the_config(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, loopback: LoopbackServer
) -> None:
    config = Path(os.environ["READER_CONFIG"])
    config.write_text(CONFIG)
    loopback.routes["/feed.xml"] = Response(
        rss("Harbour", [("g9", "Fresh story")], base=loopback.base), content_type=RSS
    )
    urls = tmp_path / "urls"
    urls.write_text(
        f'{loopback.url("/feed.xml")} local "big news"\n'
        '"query:Storms:title =~ \\"storm|gale\\""\n'
        '"query:Transport:title =~ \\"bus\\""\n'
        '"query:Old:age > 3"\n'
    )
    cache = tmp_path / "cache.db"
    _newsboat_cache(cache)
    status, out, err = cli(capsys, tmp_path / "data", "import", str(urls))
    assert status == 0
    assert "imported 1 new feed from" in out
    assert "saved searches added to the config: Storms\n" in out
    assert "reader: note: skipped line 4: query 'Old' (age > 3) has no equivalent\n" in err
    text = config.read_text()
    assert text.startswith("# my reader settings\n")  # the user's file is kept as it was
    assert text.count("[[saved_searches]]") == 2 and 'query = "storm OR gale"' in text
    status, out, _ = cli(capsys, tmp_path / "data", "feeds", "--json")
    assert json_lines(out)[0]["categories"] == ["local", "big news"]
