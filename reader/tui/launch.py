"""`reader` with no command: open the app on the library (or on the demo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.first_screen import FirstScreen


def launch(data_dir: str | None, demo: bool, first: FirstScreen | None = None) -> int:
    """Run the app until the user quits; returns the exit status.

    With `demo`, a loopback server plays the demo site, the app opens the demo's
    own library folder, subscribes to its feeds the first time and refreshes.
    `first` is the frame already on screen (`reader.first_screen`): the app paints over it.
    """
    try:
        return _launch(data_dir, demo, first)
    finally:
        if first is not None:  # unless the app started (an error, Ctrl-C): leave the frame
            first.leave()


def _launch(data_dir: str | None, demo: bool, first: FirstScreen | None) -> int:
    import os

    from reader import config
    from reader.library import Library

    settings = config.load_settings()
    site = None
    subscribe: list[str] = []
    if demo:
        from reader.demo import start_demo

        site = start_demo(config.data_dir(data_dir))
        folder = site.data_dir
    else:
        folder = config.data_dir(data_dir)
    try:
        library = Library(folder)
        try:
            if site is not None:  # the first time, or after a first run cut short
                followed = {feed.url for feed in library.feeds()}
                subscribe = [url for url in site.feed_urls if url not in followed]
            from reader.tui.app import ReaderApp

            app = ReaderApp(
                library,
                settings,
                subscribe=subscribe,
                refresh_on_start=site is not None,
                debug=bool(os.environ.get("READER_DEBUG")),  # tracebacks in error messages
            )
            if first is not None:
                first.hand_over()
            app.run()
            return app.return_code or 0
        finally:
            library.close()
    finally:
        if site is not None:
            site.stop()
