"""The feed tree: All, Unread, Saved, the saved searches, then every feed by category.

A feed with several categories is listed under each. Counts read unread/total
(a category sums its feeds) and sit at the right end of the line: a long title
is cut to make room, never the count. Feeds whose last refresh failed carry a
warning mark; their error is one key away. Labels are `Text`, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from reader.library import SavedSearchCount
from reader.model import Feed
from reader.tui import bindings
from reader.tui.format import safe

ViewKind = Literal["all", "unread", "saved", "feed", "search", "category"]


@dataclass(frozen=True, slots=True)
class View:
    """What the entry list shows: "all", "unread", "saved", one "feed" or a saved "search".

    A "category" names a folder of the tree (Enter folds it; it is not a list).
    """

    kind: ViewKind
    feed_id: int | None = None
    name: str | None = None
    """The saved search's (or the category's) name."""

    @property
    def title(self) -> str:
        if self.kind in ("search", "category"):
            return self.name or ""
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
        self.searches: dict[str, SavedSearchCount] = {}
        """The config's saved searches, by name, with their counts."""
        self._view_nodes: dict[View, TreeNode[View]] = {}
        self._counts: dict[int, Text] = {}
        """Each node's count (by node id), drawn at the line's right end."""
        self._saved_count = 0

    def show_feeds(
        self,
        feeds: list[Feed],
        saved_count: int,
        current: View | None,
        searches: list[SavedSearchCount] | None = None,
    ) -> None:
        """Rebuild the tree from `feeds` (and saved searches), keeping the cursor on `current`."""
        self.feeds = {feed.id: feed for feed in feeds}
        self.searches = {search.name: search for search in searches or []}
        self._saved_count = saved_count
        self.clear()
        self._counts = {}
        nodes: dict[View, TreeNode[View]] = {}
        for view in (ALL, UNREAD, SAVED):
            nodes[view] = self.root.add_leaf(Text(view.title, style="bold"), view)
        if self.searches:
            folder = self.root.add(Text("Searches", style="bold italic"), expand=True)
            for search in self.searches.values():
                view = View("search", name=search.name)
                nodes[view] = folder.add_leaf(Text(safe(search.name)), view)
        for node in self._add_feeds(feeds):
            if node.data is not None:
                nodes.setdefault(node.data, node)
        self._view_nodes = nodes
        self._recount()
        chosen = nodes.get(current or ALL, nodes[ALL])
        self.call_after_refresh(self.move_cursor, chosen, animate=False)

    def _add_feeds(self, feeds: list[Feed]) -> list[TreeNode[View]]:
        """Feed leaves, under each of their categories (folders first, by name), then the rest."""
        folders: dict[str, list[Feed]] = {}
        loose: list[Feed] = []
        for feed in feeds:
            names = {safe(name) for name in feed.categories if safe(name)}
            for name in names:
                folders.setdefault(name, []).append(feed)
            if not names:
                loose.append(feed)
        leaves: list[TreeNode[View]] = []
        groups = [(name, folders[name]) for name in sorted(folders, key=str.casefold)]
        for name, members in [*groups, ("", loose)]:
            parent = self.root
            if name:
                parent = self.root.add(
                    Text(name, style="bold"), View("category", name=name), expand=True
                )
            for feed in sorted(members, key=lambda f: safe(f.title).casefold()):
                label = Text()
                if feed.last_error:
                    label.append("⚠ ", style="bold red")
                label.append(safe(feed.title) or safe(feed.url))
                leaves.append(parent.add_leaf(label, View("feed", feed.id)))
        return leaves

    def adjust_unread(self, feed_id: int, delta: int) -> None:
        """Change one feed's unread count in place (an entry was read or unread)."""
        feed = self.feeds.get(feed_id)
        if feed is None:
            return
        feed.unread = max(0, feed.unread + delta)
        self._recount()

    def adjust_search(self, name: str, delta: int) -> None:
        """Change a saved search's unread count in place (one of its entries was read)."""
        search = self.searches.get(name)
        if search is not None:
            search.unread = max(0, search.unread + delta)
            self._recount()

    def _recount(self) -> None:
        """Every node's count from the feeds' (categories sum their feeds)."""
        counts: dict[int, Text] = {}
        unread = sum(feed.unread for feed in self.feeds.values())
        total = sum(feed.total for feed in self.feeds.values())
        for node in self._walk(self.root):
            view = node.data
            if view is None:
                continue
            if view.kind == "all":
                counts[node.id] = _count(unread, total)
            elif view.kind == "unread":
                counts[node.id] = _count(unread, None)
            elif view.kind == "saved":
                counts[node.id] = _count(None, self._saved_count)
            elif view.kind == "feed" and (feed := self.feeds.get(view.feed_id or -1)):
                counts[node.id] = _count(feed.unread, feed.total)
            elif view.kind == "search" and (search := self.searches.get(view.name or "")):
                counts[node.id] = _count(search.unread, search.total)
            elif view.kind == "category":
                members = [
                    self.feeds[child.data.feed_id]
                    for child in node.children
                    if child.data is not None and child.data.feed_id in self.feeds
                ]
                counts[node.id] = _count(
                    sum(f.unread for f in members), sum(f.total for f in members)
                )
        self._counts = counts
        self._invalidate()

    def _walk(self, node: TreeNode[View]) -> list[TreeNode[View]]:
        found = []
        for child in node.children:
            found.append(child)
            found.extend(self._walk(child))
        return found

    def render_label(self, node: TreeNode[View], base_style: Style, style: Style) -> Text:
        """The title cut to leave room for the count, which ends the line."""
        label = super().render_label(node, base_style, style)
        count = getattr(self, "_counts", {}).get(node.id)  # None while Tree.__init__ runs
        if count is None:
            return label
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth - 1
        count = count.copy()
        count.stylize(style)
        title_room = max(1, room - count.cell_len - 1)
        if label.cell_len > title_room:
            label.truncate(title_room, overflow="ellipsis")
        gap = max(1, room - label.cell_len - count.cell_len)
        return Text.assemble(label, (" " * gap, style), count)

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
        if event.node.data is not None and event.node.data.kind != "category":
            self.post_message(self.ViewChosen(event.node.data))


def _count(unread: int | None, total: int | None) -> Text:
    """ "3/12" (unread/total), "12" (all read, dim), "3" (unread only) or "0"."""
    if unread and total is not None:
        return Text.assemble((f"{unread:,}", "bold"), (f"/{total:,}", "dim"))
    if unread:
        return Text(f"{unread:,}", style="bold")
    return Text(f"{total or 0:,}", style="dim")
