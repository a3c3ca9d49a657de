"""newsdesk-reader: a terminal news reader that turns feeds into articles you can study."""

__version__ = "0.1.0"
