"""The Textual app: the only package of the reader that imports textual."""
