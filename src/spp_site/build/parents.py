"""Pages that show another page's title are re-written exactly when that title changes.

Two places show a page's title elsewhere: its toctree parents (in the page body, with its
sections) and the navigation of every page (the header's top level and the sidebar's
section, titles only). Sphinx re-writes the toctree parents of every page it writes
(``Builder.write``, through ``env.files_to_rebuild``) and no navigation at all. Here:

- a page read again with a new title, or a new page or a changed toctree (the navigation
  lists pages), re-writes every page (``env-get-updated``): titles seldom change;
- a page's parents are re-written only when its title, its sections or its toctree changed
  while it was read, not for every page written: most pages written in an incremental build
  were not read again (a corrected entry re-writes the pages listing it), and at 10,000
  entries re-writing the catalogue and the home page for them cost 0.1-0.3 s of an edit.

The environment was saved before writing starts, and Sphinx's full map of parents is put
back when the build ends, so nothing later sees the narrowed one.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment

from ..state import build_state


def _shown(env: BuildEnvironment, docname: str) -> tuple[str, str, list[str]] | None:
    """What other pages show of a page: its title, its sections (in a parent's toctree) and
    the pages below it (nested toctrees are part of ``env.tocs`` too)."""
    if docname not in env.titles:
        return None
    toc = env.tocs.get(docname)
    return env.titles[docname].astext(), toc.pformat() if toc is not None else "", \
        list(env.toctree_includes.get(docname, ()))


def remember_what_others_show(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """env-before-read-docs: what other pages show of each page about to be read."""
    build_state(app).shown_to_others = {docname: _shown(env, docname) for docname in docnames}


def _changed(app: Sphinx, env: BuildEnvironment) -> dict[str, tuple[tuple | None, tuple | None]]:
    """The pages read in this build that others show differently now: (before, now)."""
    pairs = {docname: (before, _shown(env, docname)) for docname, before in build_state(app).shown_to_others.items()}
    return {docname: pair for docname, pair in pairs.items() if pair[0] is None or pair[0] != pair[1]}


def pages_showing_a_changed_title(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: every page, when a page read again has a new title, is new, or lists
    other pages than before: every page's navigation shows titles."""
    for before, now in _changed(app, env).values():
        if before is None or now is None or before[0] != now[0] or before[2] != now[2]:
            return sorted(env.all_docs)
    return []


def navigation_stamp(env: BuildEnvironment) -> str:
    """What every page's navigation shows, for pages made outside Sphinx's documents (the year
    pages): each page's title and the toctrees that order them."""
    titles = (f"{docname}\0{env.titles[docname].astext() if docname in env.titles else ''}"
              for docname in sorted(env.all_docs))
    return "\n".join([*titles, repr(sorted(env.toctree_includes.items()))])


def write_parents_of_changed_pages_only(app: Sphinx, builder: Builder) -> None:
    """write-started: hide the parents of pages whose title and sections are as before."""
    env, state = builder.env, build_state(app)
    changed = _changed(app, env)
    state.files_to_rebuild = env.files_to_rebuild
    env.files_to_rebuild = {docname: parents for docname, parents in env.files_to_rebuild.items()
                            if docname in changed}


def restore_toctree_parents(app: Sphinx, exception) -> None:
    """build-finished: the full map again (an application that builds twice reuses it)."""
    state = build_state(app)
    if state.files_to_rebuild is not None:
        app.env.files_to_rebuild, state.files_to_rebuild = state.files_to_rebuild, None
