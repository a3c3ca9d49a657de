"""Every key binding of the app, by area, in one module that imports no screen.

Screens and widgets take their `BINDINGS` from here, and the help screen and the
command palette read them from here too, so neither has to import a screen (the
import cycle this module broke). Every binding has an id: `[keymap]` in the
config file remaps keys by id (`App.set_keymap`).
"""

from __future__ import annotations

from textual.binding import Binding

APP: list[Binding] = [
    Binding("question_mark", "help", "Help", id="reader.help"),
    Binding("slash", "search", "Search", id="reader.search"),
    Binding("S", "saved", "Saved list", id="reader.saved"),
]
"""Everywhere: help, search, the Saved list."""

READING: list[Binding] = [
    Binding("right_square_bracket", "next_section", "Next section", id="reader.next_section"),
    Binding(
        "left_square_bracket",
        "previous_section",
        "Prev section",
        show=False,
        id="reader.previous_section",
    ),
    Binding("s", "save", "Save", id="reader.save"),
    Binding("o", "open_browser", "Browser", show=False, id="reader.open_browser"),
    Binding("P", "play_enclosure", "Play enclosure", show=False, id="reader.play_enclosure"),
    Binding("y", "copy_link", "Copy link", show=False, id="reader.copy_link"),
    Binding("v", "toggle_view", "Feed/full", show=False, id="reader.toggle_view"),
    Binding("i", "feed_info", "Feed info", show=False, id="reader.feed_info"),
    Binding("z", "reading_mode", "Reading mode", show=False, id="reader.reading_mode"),
    Binding("h", "toggle_highlights", "Highlights on/off", show=False, id="reader.highlights"),
    Binding("tab", "next_pane", "Next pane", show=False, id="reader.next_pane"),
    Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="reader.previous_pane"),
    Binding("q", "back", "Back", id="reader.back"),
    Binding("escape", "leave", "Back (never quits)", show=False, id="reader.leave"),
]
"""Every screen that shows a story (the main screen and the story screen)."""

MAIN: list[Binding] = [
    Binding("n", "next_unread", "Next unread", id="reader.next_unread"),
    Binding("p", "previous_unread", "Prev unread", show=False, id="reader.previous_unread"),
    Binding("m", "toggle_read", "Read/unread", show=False, id="reader.toggle_read"),
    Binding("r", "refresh_all", "Refresh", id="reader.refresh_all"),
    Binding("R", "refresh_feed", "Refresh feed", show=False, id="reader.refresh_feed"),
    Binding("L", "cycle_layout", "List/article size", show=False, id="reader.cycle_layout"),
    # stories (issue 15)
    Binding("c", "toggle_stories", "One row per story", show=False, id="reader.stories"),
]
"""The main screen: feeds, entries and the article."""

FEEDS_MANAGE: list[Binding] = [
    Binding("a", "add_feed", "Add feed", show=False, id="reader.add_feed"),
    Binding("d", "remove_feed", "Remove feed", show=False, id="reader.remove_feed"),
    Binding("e", "edit_feed", "Edit feed", show=False, id="reader.edit_feed"),
    Binding("A", "mark_view_read", "Mark view read", show=False, id="reader.mark_view_read"),
    Binding("C", "mark_everything_read", "Mark all read", show=False, id="reader.mark_all_read"),
    Binding("ctrl+z", "undo_mark_read", "Undo mark read", show=False, id="reader.undo_mark_read"),
    Binding("l", "toggle_hide_read", "Hide/show read", show=False, id="reader.hide_read"),
    Binding("O", "toggle_order", "Newest/oldest first", show=False, id="reader.sort_order"),
]
"""The main screen's firehose keys: manage feeds, mark read in bulk, triage the list."""

ENTRY_LIST: list[Binding] = [
    Binding("j,down", "cursor_down", "Next", show=False, id="entries.down"),
    Binding("k,up", "cursor_up", "Previous", show=False, id="entries.up"),
    Binding("pagedown,space", "page_down", "Page down", show=False, id="entries.page_down"),
    Binding("pageup", "page_up", "Page up", show=False, id="entries.page_up"),
    Binding("home,g", "first", "First", show=False, id="entries.first"),
    Binding("end,G", "last", "Last", show=False, id="entries.last"),
    Binding("enter", "open", "Open", id="entries.open"),
]

ARTICLE_VIEW: list[Binding] = [
    Binding("j,down", "scroll_down", "Scroll down", show=False, id="article.down"),
    Binding("k,up", "scroll_up", "Scroll up", show=False, id="article.up"),
    Binding("space,pagedown", "page_down", "Page down", show=False, id="article.page_down"),
    Binding("b,pageup", "page_up", "Page up", show=False, id="article.page_up"),
    Binding("g,home", "scroll_home", "Top", show=False, id="article.top"),
    Binding("G,end", "scroll_end", "Bottom", show=False, id="article.bottom"),
]

FEED_TREE: list[Binding] = [
    Binding("j", "cursor_down", "Down", show=False, id="feeds.down"),
    Binding("k", "cursor_up", "Up", show=False, id="feeds.up"),
]

SAVED: list[Binding] = [
    Binding("u,delete", "unsave", "Unsave", id="saved.unsave"),
    Binding("i", "feed_info", "Feed info", show=False, id="saved.feed_info"),
    Binding("q,escape", "back", "Back", id="saved.back"),
]

SEARCH: list[Binding] = [
    Binding("escape", "back", "Back", id="search.back"),
    Binding("down", "results", "Results", show=False, id="search.results"),
    Binding("i", "feed_info", "Feed info", show=False, id="search.feed_info"),
]

FEED_INFO: list[Binding] = [
    Binding("q,escape,i", "back", "Close", id="feed_info.close"),
    Binding("f", "toggle_full_article", "Full article on/off", id="feed_info.toggle_full_article"),
]

HELP: list[Binding] = [
    Binding("q,escape,question_mark", "back", "Close", id="help.close"),
]

WELCOME: list[Binding] = [
    Binding("ctrl+q", "app.quit", "Quit", id="welcome.quit"),
]

CONFIRM: list[Binding] = [
    Binding("y,q", "answer(True)", "Quit", id="confirm.yes"),
    Binding("n,escape", "answer(False)", "Stay", id="confirm.no"),
]

ASK: list[Binding] = [
    Binding("y", "answer(True)", "Yes", id="ask.yes"),
    Binding("n,escape", "answer(False)", "No", id="ask.no"),
]

FEED_FORM: list[Binding] = [
    Binding("escape", "cancel", "Cancel", id="feed_form.cancel"),
    Binding("ctrl+s", "submit", "Save", show=False, id="feed_form.submit"),
]

GROUPS: list[tuple[str, list[Binding]]] = [
    ("Everywhere", APP),
    ("Reading", READING),
    ("Main screen", MAIN),
    ("Feeds and triage", FEEDS_MANAGE),
    ("Entry list", ENTRY_LIST),
    ("Article", ARTICLE_VIEW),
    ("Feeds", FEED_TREE),
    ("Saved list", SAVED),
    ("Search", SEARCH),
]
"""(area, bindings) in the order the help screen lists them."""
