"""One version for everything the extension's code decides: a hash of all its files.

Every cache keys on it (the .bib parse cache, the search indexes, the downloads, the year
pages), and so does the Sphinx environment (``env_version``): after any change to a module, a
template, a script or a stylesheet of the extension, the next build starts afresh instead of
trusting output that older code made. No cache keeps a hand-written list of the files it uses.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def _code_version() -> str:
    digest = hashlib.sha1()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


CODE_VERSION = _code_version()
ENV_VERSION = int(CODE_VERSION[:12], 16)  # Sphinx compares it with the saved environment's
