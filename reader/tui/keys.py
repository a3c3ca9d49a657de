"""The app's key bindings gathered by area, for the help screen and the palette."""

from __future__ import annotations

from textual.binding import Binding

_KEY_NAMES = {
    "right_square_bracket": "]",
    "left_square_bracket": "[",
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "space": "Space",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "delete": "Del",
}


def format_keys(keys: str) -> str:
    """ "right_square_bracket,q" -> "], q"."""
    return ", ".join(_KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


def binding_groups() -> list[tuple[str, list[Binding]]]:
    """(area, bindings) for every area of the app, in the order the help lists them."""
    from reader.tui.app import ReaderApp
    from reader.tui.screens.main import MainScreen
    from reader.tui.screens.reading import ReadingScreen
    from reader.tui.screens.saved import SavedScreen
    from reader.tui.widgets.article_view import ArticleView
    from reader.tui.widgets.entry_list import EntryList

    areas = [
        ("Everywhere", ReaderApp.BINDINGS),
        ("Reading", ReadingScreen.BINDINGS),
        ("Main screen", MainScreen.BINDINGS),
        ("Entry list", EntryList.BINDINGS),
        ("Article", ArticleView.BINDINGS),
        ("Saved list", SavedScreen.BINDINGS),
    ]
    return [(area, [b for b in bindings if isinstance(b, Binding)]) for area, bindings in areas]
