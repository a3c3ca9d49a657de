"""Which browser `o` runs, and whether it needs the terminal.

The `browser` setting is a command with `%u` for the address (as in newsboat),
else `$BROWSER`, else the desktop's opener when there is a display, else a
console browser on the PATH. A console browser (w3m, lynx…, or any command with
`browser_console = true`) takes the terminal while the app is suspended; a
graphical one is started detached, its output thrown away.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

CONSOLE_BROWSERS = ("w3m", "lynx", "links", "links2", "elinks", "browsh", "carbonyl")
"""Programs that draw in the terminal they were started from."""
OPENERS = ("xdg-open", "wslview", "open") if sys.platform == "darwin" else ("xdg-open", "wslview")
"""Desktop commands that open an address in the user's graphical browser."""

Source = Literal["setting", "$BROWSER", "found"]


@dataclass(frozen=True, slots=True)
class Browser:
    """A command ready to run for one address."""

    argv: list[str]
    console: bool
    """Runs in this terminal (the app must step aside)."""
    source: Source
    installed: bool = True

    @property
    def name(self) -> str:
        return os.path.basename(self.argv[0]) if self.argv else ""


def command_argv(command: str, url: str) -> list[str]:
    """`command` split like a shell would, `%u` replaced by `url` (appended when absent)."""
    try:
        parts = shlex.split(command)
    except ValueError:
        parts = command.split()
    if any("%u" in part for part in parts):
        return [part.replace("%u", url) for part in parts]
    return [*parts, url]


def has_display(env: Mapping[str, str]) -> bool:
    """A graphical session is around (X11, Wayland, or macOS)."""
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")) or sys.platform == "darwin"


def choose_browser(
    url: str,
    setting: str | None,
    console: bool | None = None,
    env: Mapping[str, str] | None = None,
) -> Browser | None:
    """The browser for `url`, or None when none is set and none can be found."""
    env = os.environ if env is None else env
    path = env.get("PATH", "")
    source: Source = "setting"
    command = setting
    if not command and env.get("BROWSER"):
        source, command = "$BROWSER", env["BROWSER"].split(os.pathsep)[0]
    if command and command.strip():
        argv = command_argv(command, url)
        if not argv:
            return None
        name = os.path.basename(argv[0])
        is_console = console if console is not None else name in CONSOLE_BROWSERS
        installed = shutil.which(argv[0], path=path) is not None
        return Browser(argv, is_console, source, installed)
    if has_display(env):
        for opener in OPENERS:
            if shutil.which(opener, path=path):
                return Browser([opener, url], bool(console), "found")
    for name in CONSOLE_BROWSERS:
        if shutil.which(name, path=path):
            return Browser([name, url], True if console is None else console, "found")
    return None
