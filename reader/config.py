"""Where the reader keeps its files, and the user's settings.

Paths come from platformdirs; `--data-dir` and `READER_DATA_DIR` override the
data folder, `READER_CONFIG` the config file. Nothing here runs at import time.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APP_NAME = "newsdesk-reader"
DATABASE_NAME = "library.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder holding the library database: override, then $READER_DATA_DIR, then the user's."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("READER_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """The TOML settings file: $READER_CONFIG, else config.toml in the user config folder."""
    env = os.environ.get("READER_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


@dataclass(slots=True)
class Settings:
    """The user's settings, read from the config file (every key optional)."""

    theme: str = "textual-dark"
    refresh_minutes: int = 0
    """Refresh all feeds every N minutes while the app runs; 0 turns it off."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, passed to `App.set_keymap` ("reader.save" = "ctrl+s")."""
    full_article: dict[str, bool] = field(default_factory=dict)
    """Feed URL -> fetch the full article (True) or show only the feed's text (False)."""
    proxy: str | None = None
    """An http:// proxy for every request ("" for none); unset: HTTP(S)_PROXY etc."""
    path: Path | None = None
    """Where these settings were read from (shown in the help screen)."""
    problem: str | None = None
    """Why the file could not be read, if it could not (the app shows it, runs on defaults)."""


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives defaults, a broken one defaults plus `problem`."""
    path = path or config_path()
    settings = Settings(path=path)
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return settings
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        settings.problem = f"{path}: {error}"
        return settings
    if isinstance(raw.get("theme"), str):
        settings.theme = raw["theme"]
    if isinstance(raw.get("refresh_minutes"), int) and raw["refresh_minutes"] >= 0:
        settings.refresh_minutes = raw["refresh_minutes"]
    if isinstance(raw.get("proxy"), str):
        settings.proxy = raw["proxy"].strip()
    keymap = raw.get("keymap")
    if isinstance(keymap, dict):
        settings.keymap = {str(k): str(v) for k, v in keymap.items() if isinstance(v, str)}
    feeds = raw.get("feeds")
    if isinstance(feeds, dict):
        for url, options in feeds.items():
            if isinstance(options, dict) and isinstance(options.get("full_article"), bool):
                settings.full_article[str(url)] = options["full_article"]
    return settings


def save_setting(key: str, value: Any, path: Path | None = None) -> None:
    """Write one top-level key back to the config file, keeping the others."""
    import tomli_w

    path = path or config_path()
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        raw = {}
    raw[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(raw), encoding="utf-8")
    tmp.replace(path)
