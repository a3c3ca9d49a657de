"""An `OptionList` that behaves like every other list of the app.

Its first option is highlighted when it gets the focus (so Enter always acts),
one click highlights and a double click (or Enter) chooses: the same as the
entry list and the feed tree.
"""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class PickList(OptionList):
    """Highlight on focus; click to highlight, double click or Enter to choose."""

    def on_focus(self) -> None:
        if self.highlighted is None:
            self.highlight_first()

    def highlight_first(self) -> None:
        """Highlight the first option that can be chosen, if any."""
        for index in range(self.option_count):
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                return

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # OptionList's own handler would choose on one click
        clicked: int | None = event.style.meta.get("option")
        if clicked is None or self.get_option_at_index(clicked).disabled:
            return
        event.stop()
        self.highlighted = clicked
        if event.chain >= 2:
            self.action_select()


def with_dividers(options: list[Option]) -> list[Option | None]:
    """A rule between options (None is OptionList's divider); indexes stay the same."""
    spaced: list[Option | None] = []
    for option in options:
        if spaced:
            spaced.append(None)
        spaced.append(option)
    return spaced
