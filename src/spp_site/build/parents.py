"""Toctree parents are re-written only when what they show of a page changed.

Sphinx re-writes the toctree parents of every page it writes (``Builder.write``, through
``env.files_to_rebuild``), in case the page's title or sections changed. Most pages written
in an incremental build were not even read again (a corrected entry re-writes the pages
listing it), and most that were read kept their title: at 10,000 entries, re-writing the
catalogue and the home page for them cost 0.1-0.3 s of an edit. Here a page's parents are
left out unless its title, its sections or its own toctree changed while it was read (or it
is new). The environment was saved before writing starts, and the full map is put back when
the build ends, so nothing later sees the narrowed one.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment

from ..state import build_state


def _shown(env: BuildEnvironment, docname: str) -> tuple[str, str, list[str]] | None:
    """What a parent's toctree can show of a page: its title, its sections and the pages
    below it (nested toctrees are part of ``env.tocs``)."""
    if docname not in env.titles:
        return None
    toc = env.tocs.get(docname)
    return env.titles[docname].astext(), toc.pformat() if toc is not None else "", \
        list(env.toctree_includes.get(docname, ()))


def remember_what_parents_show(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """env-before-read-docs: what the parents show of each page about to be read."""
    build_state(app).shown_to_parents = {docname: _shown(env, docname) for docname in docnames}


def write_parents_of_changed_pages_only(app: Sphinx, builder: Builder) -> None:
    """write-started: hide the parents of pages whose title and sections are as before."""
    env, state = builder.env, build_state(app)
    changed = {docname for docname, before in state.shown_to_parents.items()
               if before is None or before != _shown(env, docname)}
    state.files_to_rebuild = env.files_to_rebuild
    env.files_to_rebuild = {docname: parents for docname, parents in env.files_to_rebuild.items()
                            if docname in changed}


def restore_toctree_parents(app: Sphinx, exception) -> None:
    """build-finished: the full map again (an application that builds twice reuses it)."""
    state = build_state(app)
    if state.files_to_rebuild is not None:
        app.env.files_to_rebuild, state.files_to_rebuild = state.files_to_rebuild, None
