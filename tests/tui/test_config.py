"""The config file belongs to the user: edits kept, a broken file never rewritten.

Plain tests of `reader.config` on real files, then the app: a theme chosen in the
app keeps the comments, a broken file is reported with its line and column, and
unknown or misplaced keys are named at start.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import load_settings, save_setting
from reader.library import Library
from tests.tui.conftest import make_app, settle

pytestmark = pytest.mark.anyio

USER_FILE = """\
# My reader settings: written by hand, keep my notes.
refresh_minutes = 30  # half-hourly

[keymap]
# I like ctrl+s
"reader.save" = "ctrl+s"

[feeds."http://example.test/feed.xml"]
full_article = false
"""


def test_saving_a_setting_keeps_comments_order_and_other_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE, encoding="utf-8")
    save_setting("theme", "nord", path)
    text = path.read_text(encoding="utf-8")
    assert text.replace('theme = "nord"\n', "") == USER_FILE
    assert text.index('theme = "nord"') < text.index("[keymap]")  # a top-level key, not a feed's
    settings = load_settings(path)
    assert settings.theme == "nord" and settings.refresh_minutes == 30
    assert settings.keymap == {"reader.save": "ctrl+s"}
    assert settings.full_article == {"http://example.test/feed.xml": False}
    assert settings.warnings == []
    save_setting("theme", "gruvbox", path)
    assert path.read_text(encoding="utf-8").count("theme =") == 1


def test_a_file_that_does_not_parse_is_never_rewritten(tmp_path: Path) -> None:
    from reader.config import ConfigError

    path = tmp_path / "config.toml"
    broken = 'theme = "nord"\nrefresh_minutes = = 3\n'
    path.write_text(broken, encoding="utf-8")
    settings = load_settings(path)
    assert settings.problem is not None
    assert "line 2" in settings.problem and "column" in settings.problem
    assert settings.theme == "textual-dark"  # defaults
    with pytest.raises(ConfigError):
        save_setting("theme", "gruvbox", path)
    assert path.read_text(encoding="utf-8") == broken


def test_unknown_keys_and_keys_in_the_wrong_table_are_named(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        USER_FILE + 'theme = "nord"\ncolour = "blue"\n' + "refresh_minute = 5\n",
        encoding="utf-8",
    )
    # appended at the end, the keys land in the last [feeds."…"] table
    settings = load_settings(path)
    assert settings.theme == "textual-dark"
    said = "\n".join(settings.warnings)
    assert "'theme' is inside [feeds.\"http://example.test/feed.xml\"]" in said
    assert "'colour'" in said and "'refresh_minute'" in said
    path.write_text('colours = "blue"\nrefresh_minutes = -1\n', encoding="utf-8")
    said = "\n".join(load_settings(path).warnings)
    assert "Unknown setting 'colours'" in said and "refresh_minutes should be" in said


async def test_the_app_keeps_the_users_file_and_reports_problems(
    library: Library, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(USER_FILE + "mystery = 1\n", encoding="utf-8")
    app = make_app(library, load_settings(path))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("'mystery'" in m for m in said), said
        app.theme = "gruvbox"
        await pilot.pause()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# My reader settings") and "# I like ctrl+s" in text
    assert load_settings(path).theme == "gruvbox"

    broken = "theme = = 'nord'\n"
    path.write_text(broken, encoding="utf-8")
    app = make_app(library, load_settings(path))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        said = [f"{n.title}: {n.message}" for n in app._notifications]
        assert any("line 1" in m and "defaults" in m for m in said), said
        app.theme = "gruvbox"
        await pilot.pause()
        assert any("left as it was" in str(n.message) for n in app._notifications)
    assert path.read_text(encoding="utf-8") == broken
