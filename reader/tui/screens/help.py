"""The `?` screen: every key (as remapped by the user) and where the config file is."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.tui import bindings
from reader.tui.host import host
from reader.tui.keys import binding_groups, format_keys


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys by area, with the config file's path."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.HELP)

    def compose(self) -> ComposeResult:
        app = host(self)
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes"
            yield Static(self._table(app.settings.keymap), id="help-keys")
            path = app.settings.path
            note = Text()
            note.append("Config file: ", style="bold")
            note.append(str(path) if path else "(none)")
            note.append("\nRemap any key under [keymap] with its binding id, e.g.\n")
            note.append('    [keymap]\n    "reader.save" = "ctrl+s"\n', style="italic")
            note.append(
                "Other settings: theme, refresh_minutes, browser (a command, %u for the\n"
                "address), browser_console, confirm_quit, max_width, layout, highlights;\n"
                "and per feed\n"
            )
            note.append(
                '    [feeds."https://example.org/feed.xml"]\n    full_article = false\n',
                style="italic",
            )
            if app.settings.problem:
                note.append(
                    f"\nThe config file could not be read: {app.settings.problem}", style="bold red"
                )
            yield Static(note, id="help-config")

    @staticmethod
    def _table(keymap: dict[str, str]) -> Table:
        table = Table(box=None, expand=True, show_header=True, header_style="bold", padding=(0, 1))
        table.add_column("Key", no_wrap=True, width=16)
        table.add_column("Action")
        table.add_column("Binding id", style="dim", no_wrap=True)
        for area, group in binding_groups():
            table.add_row(Text(area, style="bold underline"), "", "")
            for binding in group:
                keys = keymap.get(binding.id or "", binding.key)
                table.add_row(
                    Text(format_keys(keys)), Text(binding.description), Text(binding.id or "")
                )
        return table

    def action_back(self) -> None:
        self.dismiss(None)
