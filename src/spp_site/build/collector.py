"""Python's garbage collector during a build.

A build keeps ~10,000 publications and the program model alive from start to end, and makes
millions of short-lived docutils and Jinja objects. With the default settings the collector
walks the long-lived objects again and again: ~1 s of a 10,000-entry build. Once the data is
loaded it is frozen (never scanned again; forked workers also copy fewer pages), and young
objects are collected less often. Both are undone when the build ends, unless the process is
the sphinx-build command, which exits right after: then everything is frozen, as Python's exit
would otherwise collect the whole build's objects a few times over (0.8 s at 10,000 entries).
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from sphinx.application import Sphinx

from ..state import build_state

THRESHOLD = (5000, 10, 10)  # default (700, 10, 10); higher still raised peak memory over 300 MB


def tune_for_the_build(app: Sphinx, config) -> None:
    """config-inited: collect young objects less often."""
    build_state(app).gc_threshold = gc.get_threshold()
    gc.set_threshold(*THRESHOLD)


def freeze_loaded_data(app: Sphinx) -> None:
    """builder-inited, once the data is loaded: never scan it again."""
    gc.collect()
    gc.freeze()
    build_state(app).gc_frozen = True


def exits_after_build() -> bool:
    """This process is ``sphinx-build`` or ``python -m sphinx``."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return (spec is not None and spec.name in ("sphinx", "sphinx.__main__")) or Path(sys.argv[0]).name == "sphinx-build"


def restore(app: Sphinx, exception) -> None:
    """build-finished: give an in-process caller (tests, sphinx-autobuild) its collector back."""
    if exits_after_build():
        gc.freeze()
        return
    state = build_state(app)
    if state.gc_frozen:
        gc.unfreeze()
        state.gc_frozen = False
    if state.gc_threshold:
        gc.set_threshold(*state.gc_threshold)
