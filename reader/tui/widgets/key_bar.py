"""The key bar: one line with the keys that apply now, like Textual's Footer.

Textual's `Footer` recomposes a widget per key whenever the focus moves (about
40 ms with a dozen keys here, on every Tab and every article opened). This bar
is one widget that redraws one line of text when the screen's bindings change.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    """The shown bindings of the focused widget, its screen and the app; then the palette key."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--disabled",
    }

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; }
    """

    _ready = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._ready = True
        self.call_after_refresh(self._redraw)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self._ready and screen is self.screen:
            self._redraw()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._ready:  # a theme change: the colours are in the text
            self.call_after_refresh(self._redraw)

    def on_resize(self) -> None:
        if self._ready:
            self._redraw()

    def _redraw(self) -> None:
        # Full (blended) styles: theme colours with alpha resolved against the bar.
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        disabled = self.get_component_rich_style("key-bar--disabled")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        tail = Text(no_wrap=True, end="")
        seen: set[str] = set()
        palette = None
        for key, active in self._ordered_bindings():
            binding = active.binding
            if key == self.app.COMMAND_PALETTE_BINDING:
                palette = binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            enabled = active.enabled
            # "? Help" is never cut off: it goes with the palette key at the end.
            target = tail if binding.action == "help" else line
            target.append(
                f" {self.app.get_key_display(binding)} ", key_style if enabled else disabled
            )
            target.append(f"{binding.description} ", text_style if enabled else disabled)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            tail.append_text(
                Text.assemble(
                    (f" {self.app.get_key_display(palette)} ", key_style), ("palette ", text_style)
                )
            )
        room = self.size.width - tail.cell_len
        if room > 0:
            line.truncate(room, overflow="ellipsis", pad=True)
            line.append_text(tail)
        self.update(line, layout=False)  # one line, always: no layout pass

    def _ordered_bindings(self) -> list[tuple[str, ActiveBinding]]:
        """The focused pane's keys first, then the screen's and the app's."""
        bindings = list(self.screen.active_bindings.items())
        focused = self.screen.focused
        if focused is None:
            return bindings
        own = {
            binding.action
            for group in focused._bindings.key_to_bindings.values()
            for binding in group
        }
        return sorted(bindings, key=lambda item: item[1].binding.action not in own)
