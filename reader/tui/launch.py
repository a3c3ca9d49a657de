"""`reader` with no command: open the app on the library (or on the demo)."""

from __future__ import annotations


def launch(data_dir: str | None, demo: bool) -> int:
    """Run the app until the user quits; returns the exit status.

    With `demo`, a loopback server plays the demo site, the app opens the demo's
    own library folder, subscribes to its feeds the first time and refreshes.
    """
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
            app.run()
            return app.return_code or 0
        finally:
            library.close()
    finally:
        if site is not None:
            site.stop()
