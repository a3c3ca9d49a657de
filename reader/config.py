"""Where the reader keeps its files, and the user's settings.

Paths come from platformdirs; `--data-dir` and `READER_DATA_DIR` override the
data folder, `READER_CONFIG` the config file. Nothing here runs at import time.

The config file belongs to the user: a setting changed in the app is written
with tomlkit (comments, order and other keys kept), and a file that does not
parse is never rewritten. Unknown keys and keys in the wrong table are named in
`Settings.warnings`, which the app shows at start.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from reader.filters import Rules, load_rules

APP_NAME = "newsdesk-reader"
DATABASE_NAME = "library.sqlite3"

Layout = Literal["list-tall", "balanced", "article-tall"]
LAYOUTS: tuple[Layout, ...] = ("list-tall", "balanced", "article-tall")


class ConfigError(Exception):
    """The config file cannot be updated (it does not parse); it was left as it was."""


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
    browser: str | None = None
    """The command `o` runs, `%u` standing for the address (as in newsboat); else found."""
    player: str | None = None
    """What `P` runs on an enclosure (podcast, video), `%u` standing for it; else the browser."""
    browser_console: bool | None = None
    """True: the browser runs in this terminal (the app steps aside); None: guess by name."""
    confirm_quit: bool = False
    """Ask before `q` quits from the entry list."""
    max_width: int = 80
    """The article's longest line, in characters (centred in a wider pane); 0: no limit."""
    layout: Layout = "balanced"
    """How the entry list and the article share the centre column (`L` cycles)."""
    highlights: bool = True
    """Show the highlight panes beside the article (`h` toggles)."""
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
    warnings: list[str] = field(default_factory=list)
    """Keys the reader does not know or found in the wrong place (shown at start)."""
    rules: Rules = field(default_factory=Rules)
    """`[[filters]]` and `[[saved_searches]]` (see `reader.filters`)."""


def _is_int(value: object, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


_SCALARS: dict[str, tuple[str, Any]] = {
    "theme": ("a theme name in quotes", lambda v: isinstance(v, str)),
    "refresh_minutes": ("a whole number of minutes (0 = off)", lambda v: _is_int(v, 0)),
    "browser": ('a command such as "firefox %u"', lambda v: isinstance(v, str) and v.strip()),
    "player": ('a command such as "mpv %u"', lambda v: isinstance(v, str) and v.strip()),
    "browser_console": ("true or false", lambda v: isinstance(v, bool)),
    "confirm_quit": ("true or false", lambda v: isinstance(v, bool)),
    "max_width": ("a whole number of characters (0 = no limit)", lambda v: _is_int(v, 0)),
    "layout": (" or ".join(f'"{name}"' for name in LAYOUTS), lambda v: v in LAYOUTS),
    "highlights": ("true or false", lambda v: isinstance(v, bool)),
    "proxy": ('an address such as "http://proxy:3128"', lambda v: isinstance(v, str)),
}
"""Top-level settings: (what the value should be, check)."""
_TABLES = ("keymap", "feeds")
_ARRAYS = ("filters", "saved_searches")
"""Arrays of tables ([[filters]]), read together by `reader.filters.load_rules`."""


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives defaults, a broken one defaults plus `problem`."""
    path = path or config_path()
    settings = Settings(path=path)
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return settings
    except tomllib.TOMLDecodeError as error:
        settings.problem = f"{path} does not parse: {error}. Fix it; it will not be rewritten."
        return settings
    except (OSError, UnicodeDecodeError) as error:
        settings.problem = f"{path} could not be read: {error}"
        return settings
    for key, value in raw.items():
        _read_top(settings, key, value)
    settings.rules = load_rules({key: raw[key] for key in _ARRAYS if key in raw})
    settings.warnings += [f"{warning}." for warning in settings.rules.warnings]
    return settings


def _read_top(settings: Settings, key: str, value: Any) -> None:
    """One top-level key into `settings`, or a warning that names it."""
    if key in _SCALARS:
        wanted, check = _SCALARS[key]
        if check(value):
            setattr(settings, key, value)
        else:
            settings.warnings.append(f"{key} should be {wanted}; using the default.")
    elif key == "keymap" and isinstance(value, dict):
        _read_keymap(settings, value)
    elif key == "feeds" and isinstance(value, dict):
        _read_feeds(settings, value)
    elif key in _TABLES:
        settings.warnings.append(f"{key} should be a [{key}] table; ignored.")
    elif key in _ARRAYS:
        pass  # read by `load_rules`, which names what it cannot use
    else:
        known = ", ".join([*_SCALARS, *(f"[{t}]" for t in _TABLES), *(f"[[{a}]]" for a in _ARRAYS)])
        settings.warnings.append(f"Unknown setting {key!r} ignored (known: {known}).")


def _misplaced(key: str, table: str) -> str:
    return (
        f"{key!r} is inside [{table}], where it means nothing: top-level settings go above "
        "the first [table] of the file. Ignored."
    )


def _read_keymap(settings: Settings, table: dict[str, Any]) -> None:
    for name, keys in table.items():
        if isinstance(keys, str) and "." in name:
            settings.keymap[str(name)] = keys
        elif name in _SCALARS or name in _TABLES:
            settings.warnings.append(_misplaced(name, "keymap"))
        else:
            settings.warnings.append(
                f"[keymap] {name!r} is not a binding id with keys in quotes "
                '(e.g. "reader.save" = "ctrl+s"); ignored.'
            )


def _read_feeds(settings: Settings, table: dict[str, Any]) -> None:
    for url, options in table.items():
        where = f'feeds."{url}"'
        if not isinstance(options, dict):
            settings.warnings.append(
                _misplaced(url, "feeds")
                if url in _SCALARS
                else (f"[feeds] {url!r} should be a table [{where}]; ignored.")
            )
            continue
        for key, value in options.items():
            if key == "full_article" and isinstance(value, bool):
                settings.full_article[str(url)] = value
            elif key == "full_article":
                settings.warnings.append(f"[{where}] full_article should be true or false.")
            else:
                settings.warnings.append(_misplaced(key, where))


def add_saved_searches(searches: list[tuple[str, str]], path: Path | None = None) -> list[str]:
    """Append `[[saved_searches]]` tables (name, query) to the config file, keeping the rest.

    Names already there are left alone; returns the names added. Raises `ConfigError`
    (and writes nothing) when the file does not parse.
    """
    import tomlkit

    path = path or config_path()
    document = _editable(path, "the saved searches")
    tables = document.get("saved_searches")
    if tables is None:
        tables = tomlkit.aot()
        document["saved_searches"] = tables
    known = {str(t.get("name", "")).casefold() for t in tables if isinstance(t, dict)}
    added = []
    for name, query in searches:
        if name.casefold() in known:
            continue
        table = tomlkit.table()
        table["name"] = name
        table["query"] = query
        tables.append(table)
        known.add(name.casefold())
        added.append(name)
    if added:
        _write(path, document.as_string())
    return added


def _editable(path: Path, what: str) -> Any:
    """The config file as a tomlkit document; `ConfigError` when it cannot be edited safely."""
    import tomlkit
    import tomlkit.exceptions

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path} is not UTF-8 text ({error}); it was left as it was.") from None
    try:
        tomllib.loads(text)
        return tomlkit.parse(text)
    except (tomllib.TOMLDecodeError, tomlkit.exceptions.ParseError) as error:
        raise ConfigError(
            f"{path} does not parse ({error}); it was left as it was. Fix it to save {what}."
        ) from None


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def save_setting(key: str, value: Any, path: Path | None = None) -> None:
    """Write one top-level key into the config file, keeping comments, order and other keys.

    Raises `ConfigError` (and writes nothing) when the file does not parse.
    """
    path = path or config_path()
    document = _editable(path, key)
    document[key] = value
    _write(path, document.as_string())
