"""When the build may hand work to forked processes (parsing .bib files, writing search indexes)."""

from __future__ import annotations

import multiprocessing
import threading


def can_fork() -> bool:
    """Forking is safe only where it exists and this process runs no other thread (a fork
    copies locks held by other threads; sphinx-autobuild or a test may build in-process)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
