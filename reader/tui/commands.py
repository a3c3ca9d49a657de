"""Command palette providers: every action of the screen on show, and every feed.

Actions are read from the bindings (with their descriptions), so a new key is in
the palette as soon as it exists; `check_action` hides what does not apply.
"""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.screen import Screen

from reader.tui.keys import format_keys

_SKIP = {"next_pane", "previous_pane", "back", "leave"}


def _bindings(screen: Screen[object]) -> list[tuple[str, Binding]]:
    """(namespace, binding) for the screen's own bindings and the app's."""
    found: list[tuple[str, Binding]] = []
    seen: set[str] = set()
    sources: list[tuple[str, object]] = [("screen", cls) for cls in type(screen).__mro__]
    sources += [("app", cls) for cls in type(screen.app).__mro__]
    for namespace, cls in sources:
        for binding in getattr(cls, "BINDINGS", []) if "BINDINGS" in vars(cls) else []:
            if (
                isinstance(binding, Binding)
                and binding.action not in seen
                and binding.action not in _SKIP
            ):
                seen.add(binding.action)
                found.append((namespace, binding))
    return found


class ActionCommands(Provider):
    """ "Save", "Next section", "Refresh"…: the actions that apply here."""

    def _keymap(self) -> dict[str, str]:
        """The user's remapped keys (from the config file), to show the keys that work."""
        settings = getattr(self.app, "settings", None)
        return dict(getattr(settings, "keymap", {}) or {})

    def _commands(self) -> list[tuple[str, str, str]]:
        screen = self.screen
        commands = []
        for namespace, binding in _bindings(screen):
            target = screen if namespace == "screen" else screen.app
            if target.check_action(binding.action, ()) is not True:
                continue
            keys = self._keymap().get(binding.id or "", binding.key)
            commands.append(
                (binding.description, f"{namespace}.{binding.action}", f"Key: {format_keys(keys)}")
            )
        return commands

    async def discover(self) -> Hits:
        # The palette parses plain strings as markup: keys such as "[" are escaped.
        for name, action, help_text in self._commands():
            yield DiscoveryHit(
                escape(name), partial(self.screen.run_action, action), help=escape(help_text)
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.screen.run_action, action),
                    help=escape(help_text),
                )


class FeedCommands(Provider):
    """ "Show feed: …" for every feed, plus All, Unread and Saved.

    The screen says what it can show (`palette_views()`); the palette does not
    look inside it.
    """

    async def search(self, query: str) -> Hits:
        views = getattr(self.screen, "palette_views", None)
        if not callable(views):
            return
        matcher = self.matcher(query)
        for name, show in views():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), show, text=name)
