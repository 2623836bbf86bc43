"""The content layer: files on disk -> one validated model (no Sphinx pages here)."""
