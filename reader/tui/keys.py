"""Key names as people write them, for the help screen, the palette and messages."""

from __future__ import annotations

from textual.binding import Binding

from reader.tui.bindings import GROUPS

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
    return [(area, list(bindings)) for area, bindings in GROUPS]


def key_for(binding_id: str, keymap: dict[str, str]) -> str:
    """The first key that runs binding `binding_id` now (after the user's remaps), as shown."""
    for _, bindings in GROUPS:
        for binding in bindings:
            if binding.id == binding_id:
                return format_keys(keymap.get(binding_id, binding.key)).split(", ")[0]
    return ""
