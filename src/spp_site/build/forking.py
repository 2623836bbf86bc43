"""Work the build hands to forked processes: parsing .bib files, and, while Sphinx reads and
writes the pages, the outputs made from the bibliography alone (search indexes, downloads).

In the live preview (spp_site.preview) the work no page needs to be shown (search indexes,
downloads) is finished after the browser was told to reload: the preview sets
``after_reload`` to a list, and runs what is put there once it has sent the reload.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from ..state import build_state

after_reload: list[Callable[[], None]] | None = None  # a list only in the live preview's builds


def finish_later(work: Callable[[], None]) -> None:
    """Do ``work`` now, or in the live preview after the reload (see the module's docstring)."""
    if after_reload is None:
        work()
    else:
        after_reload.append(work)


def can_fork() -> bool:
    """Forking is safe only where it exists and this process runs no other thread (a fork
    copies locks held by other threads; sphinx-autobuild or a test may build in-process)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _lower_priority(target: Callable[[], None]) -> None:
    os.nice(10)  # inherited by its children (Pagefind): the build's own work goes first
    target()


def start_in_background(app: Sphinx, name: str, target: Callable[[], None]) -> None:
    """Run ``target`` in a forked process until :func:`finish_background`; where forking is
    not safe, run it now. The process is a daemon: it stops with an interrupted build."""
    if not can_fork():
        target()
        return
    worker = multiprocessing.get_context("fork").Process(
        target=_lower_priority, args=(target,), name=name, daemon=True)
    worker.start()
    build_state(app).background[name] = worker


def finish_background(app: Sphinx, name: str, exception: BaseException | None = None) -> None:
    """Wait for the work started as ``name`` (stop it if the build failed); raise if it failed."""
    worker = build_state(app).background.pop(name, None)
    if worker is None:
        return
    if exception is not None:
        worker.terminate()
    worker.join()
    if exception is None and worker.exitcode != 0:
        raise ExtensionError(f"{name} failed in its background process (exit code {worker.exitcode})")
