"""Sync with a server the reader already uses (Tiny Tiny RSS, the Google Reader API).

Offline first: the library is always the truth the app shows; local changes go
into an outbox that a sync sends, then the server's state is pulled in.
`reader.sync.service` is the one interface every backend implements.
"""
