"""The feed tree: All, Unread, Saved, then every feed (by folder) with unread counts.

Feeds whose last refresh failed carry a warning mark; their error is one key
away (the screen shows it). Labels are `Text` objects, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.text import Text
from textual import events, on
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reader.model import Feed
from reader.tui import bindings
from reader.tui.format import safe

ViewKind = Literal["all", "unread", "saved", "feed"]


@dataclass(frozen=True, slots=True)
class View:
    """What the entry list shows: "all", "unread", "saved" or one "feed"."""

    kind: ViewKind
    feed_id: int | None = None

    @property
    def title(self) -> str:
        return {"all": "All", "unread": "Unread", "saved": "Saved"}.get(self.kind, "Feed")


ALL = View("all")
UNREAD = View("unread")
SAVED = View("saved")


class FeedTree(Tree[View]):
    """Pick what the entry list shows; Enter chooses."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.FEED_TREE)

    @dataclass
    class ViewChosen(Message):
        """Show the entries of `view`."""

        view: View

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Text("Feeds"), id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        self.feeds: dict[int, Feed] = {}
        """The feeds listed, by id (the screen reads a feed's error from here)."""
        self._view_nodes: dict[View, TreeNode[View]] = {}
        self._saved_count = 0

    def show_feeds(self, feeds: list[Feed], saved_count: int, current: View | None) -> None:
        """Rebuild the tree from `feeds`, keeping the cursor on `current`."""
        self.feeds = {feed.id: feed for feed in feeds}
        self._saved_count = saved_count
        self.clear()
        nodes: dict[View, TreeNode[View]] = {}
        nodes[ALL] = self.root.add_leaf(Text(), ALL)
        nodes[UNREAD] = self.root.add_leaf(Text(), UNREAD)
        nodes[SAVED] = self.root.add_leaf(Text(), SAVED)
        folders: dict[str, TreeNode[View]] = {}
        for feed in sorted(
            feeds, key=lambda f: ((f.category or "").lower(), safe(f.title).lower())
        ):
            parent = self.root
            if feed.category:
                name = safe(feed.category)
                if name not in folders:
                    folders[name] = self.root.add(Text(name, style="bold"), expand=True)
                parent = folders[name]
            view = View("feed", feed.id)
            nodes[view] = parent.add_leaf(self._feed_label(feed), view)
        self._view_nodes = nodes
        self._relabel_totals()
        chosen = nodes.get(current or ALL, nodes[ALL])
        self.call_after_refresh(self.move_cursor, chosen, animate=False)

    def adjust_unread(self, feed_id: int, delta: int) -> None:
        """Change one feed's unread count in place (an entry was read or unread)."""
        feed = self.feeds.get(feed_id)
        node = self._view_nodes.get(View("feed", feed_id))
        if feed is None or node is None:
            return
        feed.unread = max(0, feed.unread + delta)
        node.set_label(self._feed_label(feed))
        self._relabel_totals()

    def _relabel_totals(self) -> None:
        unread = sum(feed.unread for feed in self.feeds.values())
        total = sum(feed.total for feed in self.feeds.values())
        self._view_nodes[ALL].set_label(self._label("All", unread, total))
        self._view_nodes[UNREAD].set_label(self._label("Unread", unread, None))
        self._view_nodes[SAVED].set_label(self._label("Saved", None, self._saved_count))

    @staticmethod
    def _label(title: str, unread: int | None, total: int | None) -> Text:
        label = Text(title, style="bold")
        if unread:
            label.append(f"  {unread}", style="bold")
        elif total is not None:
            label.append(f"  {total}", style="dim")
        return label

    @staticmethod
    def _feed_label(feed: Feed) -> Text:
        label = Text()
        if feed.last_error:
            label.append("⚠ ", style="bold red")
        label.append(safe(feed.title) or safe(feed.url))
        if feed.unread:
            label.append(f"  {feed.unread}", style="bold")
        return label

    def feed_order(self) -> list[int]:
        """Feed ids in the order the tree lists them (folders, then titles)."""
        return [view.feed_id for view in self._view_nodes if view.feed_id is not None]

    def select_view(self, view: View) -> None:
        """Put the cursor on `view` without choosing it (the screen already shows it)."""
        node = self._view_nodes.get(view)
        if node is not None:
            self.move_cursor(node, animate=False)

    @property
    def current_view(self) -> View | None:
        node = self.cursor_node
        return node.data if node is not None else None

    @property
    def current_feed(self) -> Feed | None:
        view = self.current_view
        return self.feeds.get(view.feed_id) if view and view.feed_id is not None else None

    async def _on_click(self, event: events.Click) -> None:
        """One click moves the cursor (or folds a folder); a double click chooses."""
        event.prevent_default()  # Tree's own handler would choose on one click
        meta = event.style.meta
        if "line" not in meta or meta.get("toggle", False) or event.chain >= 2:
            await super()._on_click(event)
            return
        event.stop()
        async with self.lock:
            self.cursor_line = meta["line"]

    @on(Tree.NodeSelected)
    def _chosen(self, event: Tree.NodeSelected[View]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.ViewChosen(event.node.data))
