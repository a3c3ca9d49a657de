"""Handlers for `reader` sub-commands: thin glue between argparse, the library and printing."""
