"""Where the app's stylesheets live, installed or in a checkout.

The wheel ships the top-level `styles/` folder as `reader/styles`
(hatchling force-include); a checkout keeps it beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]


def styles_dir() -> Path:
    """The folder holding the `.tcss` files: `reader/styles`, else `../styles`."""
    installed = _PACKAGE / "styles"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "styles"


def stylesheets() -> list[Path]:
    """Every stylesheet the app loads, in a fixed order (later rules win)."""
    return sorted(styles_dir().glob("*.tcss"))
