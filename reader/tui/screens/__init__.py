"""The app's screens; each one routes its widgets' messages and owns their workers."""
