"""Build state in one typed place, and the only way pages read site data.

- :class:`BuildState`: the objects of one build (the program, the posts, the bibliography,
  caches), loaded at ``builder-inited``; :func:`build_state` is their one accessor.
- :class:`SppDomain`: what each page read, kept in the environment between builds (as
  sphinxcontrib-bibtex keeps its citations in a domain): the pages that show program data or
  posts, and the publication lists each page shows with their signature.
- :class:`SppDirective` and :func:`read_program` / :func:`read_posts`: page code gets data only
  through them, and getting it records the page as a reader. A data edit therefore re-reads
  every page that showed the data; no directive can forget to say so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any, cast
from weakref import WeakKeyDictionary

from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective

from .config import SiteConfig

if TYPE_CHECKING:
    from docutils import nodes

    from .bibliography.model import Bibliography
    from .content.model import Program, ProjectRecord
    from .content.posts import PostRecord

PROGRAM = "program"  # people, institutions, projects
POSTS = "posts"  # news items and events, and the build date that splits them


@dataclass
class BuildState:
    """Everything one build loads or makes once; gone when the build ends."""

    config: SiteConfig = field(default_factory=SiteConfig)
    program: Program | None = None
    posts: list[PostRecord] = field(default_factory=list)
    bibliography: Bibliography | None = None
    project_labels: dict[str, str] = field(default_factory=dict)
    entry_html: dict[str, str] = field(default_factory=dict)  # an entry's HTML, made when first written
    publication_indexes: list[str] = field(default_factory=list)
    background: dict[str, BaseProcess] = field(default_factory=dict)
    sidebars: dict[tuple, tuple[str, str]] = field(default_factory=dict)  # see build/sidebar.py
    gc_threshold: tuple[int, int, int] | None = None
    gc_frozen: bool = False
    _pages: dict[str, ProjectRecord | PostRecord] | None = None

    def page_record(self, docname: str) -> ProjectRecord | PostRecord | None:
        """The project or post that the page ``docname`` is about, if any."""
        if self._pages is None:
            self._pages = {r.docname: r for r in self.loaded_program.projects.values()}
            self._pages.update((r.docname, r) for r in self.posts)
        return self._pages.get(docname)

    def fingerprint(self, kind: str) -> str:
        if kind == PROGRAM:
            return self.loaded_program.fingerprint
        from .content.posts import build_date

        stamp = repr((build_date(), [(r.docname, r.post.model_dump_json(), r.document_files) for r in self.posts]))
        return hashlib.sha1(stamp.encode()).hexdigest()

    @property
    def loaded_program(self) -> Program:
        assert self.program is not None, "the program is loaded at builder-inited"
        return self.program

    @property
    def loaded_bibliography(self) -> Bibliography:
        assert self.bibliography is not None, "the bibliography is loaded at builder-inited"
        return self.bibliography


_STATES: WeakKeyDictionary[Sphinx, BuildState] = WeakKeyDictionary()


def build_state(app: Sphinx) -> BuildState:
    """The state of the build ``app`` runs (made on first use)."""
    if app not in _STATES:
        _STATES[app] = BuildState()
    return _STATES[app]


class SppDomain(Domain):
    """Per-page records of what each page read, kept with the environment."""

    name = "spp"
    label = "SPP 2298 site data"
    data_version = 1
    initial_data: dict[str, Any] = {
        "readers": {},  # docname -> kinds of data the page showed (PROGRAM, POSTS)
        "selections": {},  # docname -> {publication selector: signature of the entries shown}
        "stamps": {},  # kind -> fingerprint of the data the last build read
    }

    @property
    def readers(self) -> dict[str, set[str]]:
        return self.data["readers"]

    @property
    def selections(self) -> dict[str, dict[str, str]]:
        return self.data["selections"]

    @property
    def stamps(self) -> dict[str, str]:
        return self.data["stamps"]

    def note_reader(self, docname: str, kind: str) -> None:
        self.readers.setdefault(docname, set()).add(kind)

    def clear_doc(self, docname: str) -> None:
        self.readers.pop(docname, None)
        self.selections.pop(docname, None)

    def merge_domaindata(self, docnames: list[str], otherdata: dict[str, Any]) -> None:
        for doc in docnames:
            if doc in otherdata["readers"]:
                self.readers[doc] = otherdata["readers"][doc]
            if doc in otherdata["selections"]:
                self.selections[doc] = otherdata["selections"][doc]

    def resolve_any_xref(self, *args: Any) -> list:
        return []


def site_domain(env: BuildEnvironment) -> SppDomain:
    return cast(SppDomain, env.get_domain(SppDomain.name))


def read_program(env: BuildEnvironment) -> Program:
    """The program, for the page being read; the page becomes a reader of it."""
    site_domain(env).note_reader(env.docname, PROGRAM)
    return build_state(env.app).loaded_program


def read_posts(env: BuildEnvironment) -> list[PostRecord]:
    """The posts, for the page being read; the page becomes a reader of them."""
    site_domain(env).note_reader(env.docname, POSTS)
    return build_state(env.app).posts


def read_page_record(env: BuildEnvironment) -> ProjectRecord | PostRecord | None:
    """The project or post the page being read is about (recorded as a reader of it), or None."""
    record = build_state(env.app).page_record(env.docname)
    if record is not None:
        site_domain(env).note_reader(env.docname, POSTS if hasattr(record, "post") else PROGRAM)
    return record


def pages_reading_changed_data(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """env-get-outdated: the pages that read data whose fingerprint changed since the last build."""
    state, domain = build_state(app), site_domain(env)
    changed_kinds = set()
    for kind in (PROGRAM, POSTS):
        fingerprint = state.fingerprint(kind)
        if domain.stamps.get(kind) != fingerprint:
            changed_kinds.add(kind)
            domain.stamps[kind] = fingerprint
    return sorted(doc for doc, kinds in domain.readers.items() if kinds & changed_kinds and doc in env.all_docs)


class SppDirective(SphinxDirective):
    """Base of every directive that shows site data. ``run`` records the page as a reader of
    the program and the posts before :meth:`render` builds the nodes: a directive that shows
    data cannot forget to register, and re-reading one small page too often costs little."""

    def run(self) -> list[nodes.Node]:
        read_program(self.env)
        read_posts(self.env)
        return self.render()

    def render(self) -> list[nodes.Node]:
        raise NotImplementedError

    @property
    def build(self) -> BuildState:
        return build_state(self.env.app)

    @property
    def program(self) -> Program:
        return read_program(self.env)

    @property
    def posts(self) -> list[PostRecord]:
        return read_posts(self.env)
