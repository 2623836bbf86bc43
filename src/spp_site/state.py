"""Build state in one typed place, and the only way pages read site data.

- :class:`BuildState`: the objects of one build (the program, the posts, the bibliography,
  caches), loaded at ``builder-inited``; :func:`build_state` is their one accessor.
- :class:`SppDomain`: what each page read, kept in the environment between builds (as
  sphinxcontrib-bibtex keeps its citations in a domain): the pages that show program data or
  posts, and the publication lists each page shows with their signature.
- :class:`SppDirective` and :func:`read_program` / :func:`read_posts`: page code gets data only
  through them, and getting it records the page as a reader. The program comes as a view that
  records each person, institution and project the page looks up (or a whole registry, when
  the page goes through it), so a data edit re-reads exactly the pages that showed the edited
  records; no directive can forget to say so.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping
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

# What a page can read. Program data by record: "people:<id>", "institutions:<id>",
# "projects:<slug>", or a whole registry ("people:*", ...) for a page that goes through it.
REGISTRIES = ("people", "institutions", "projects")
ALL = "*"
ROLE = "role="  # "people:role=coordinator": the people with that role, and only them
POSTS = "posts"  # news items and events, and the build date that splits them


class _RecordedReads(Mapping):
    """A registry of the program that notes what a page reads of it: a record looked up by id,
    or the whole registry when the page iterates over it or counts it."""

    def __init__(self, registry: str, items: Mapping, note: Callable[[str], None]) -> None:
        self._registry, self._items, self._note = registry, items, note

    def __getitem__(self, key):
        self._note(f"{self._registry}:{key}")
        return self._items[key]

    def __contains__(self, key) -> bool:
        self._note(f"{self._registry}:{key}")  # a record added or removed changes the answer
        return key in self._items

    def __iter__(self) -> Iterator:
        self._note(f"{self._registry}:{ALL}")
        return iter(self._items)

    def __len__(self) -> int:
        self._note(f"{self._registry}:{ALL}")
        return len(self._items)

    def with_role(self, role: str) -> list:
        """The people with ``role`` (Program.people_with_role), read as that query."""
        self._note(f"{self._registry}:{ROLE}{role}")
        return [record for record in self._items.values() if role in record.roles]

    # Going through the registry reads all of it: one note, not one per record.
    def keys(self):
        self._note(f"{self._registry}:{ALL}")
        return self._items.keys()

    def values(self):
        self._note(f"{self._registry}:{ALL}")
        return self._items.values()

    def items(self):
        self._note(f"{self._registry}:{ALL}")
        return self._items.items()


def _digest(record) -> str:
    dump = record.model_dump_json() if hasattr(record, "model_dump_json") else repr(record)
    return hashlib.sha1(dump.encode()).hexdigest()


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
    shown_to_others: dict[str, tuple | None] = field(default_factory=dict)  # see build/parents.py
    files_to_rebuild: dict[str, set[str]] | None = None  # Sphinx's, while parents.py narrows it
    gc_threshold: tuple[int, int, int] | None = None
    gc_frozen: bool = False
    _pages: dict[str, ProjectRecord | PostRecord] | None = None
    _fingerprints: dict[str, str] | None = None

    def page_record(self, docname: str) -> ProjectRecord | PostRecord | None:
        """The project or post that the page ``docname`` is about, if any."""
        if self._pages is None:
            self._pages = {r.docname: r for r in self.loaded_program.projects.values()}
            self._pages.update((r.docname, r) for r in self.posts)
        return self._pages.get(docname)

    def fingerprint(self, kind: str) -> str:
        """What the data a page can read (see :data:`REGISTRIES`) is now; "" if it is gone."""
        if kind == POSTS:
            from .content.posts import build_date

            stamp = repr((build_date(), [(r.docname, r.post.model_dump_json(), r.document_files) for r in self.posts]))
            return hashlib.sha1(stamp.encode()).hexdigest()
        if self._fingerprints is None:
            self._fingerprints = {}
            program = self.loaded_program
            for registry in REGISTRIES:
                items = getattr(program, registry)
                for key, record in items.items():
                    self._fingerprints[f"{registry}:{key}"] = _digest(record) if registry != "projects" else \
                        _digest(record.recorded or record.data) + _digest(record.data) + repr(record.institutions)
                whole = "".join(f"{key}={self._fingerprints[f'{registry}:{key}']}" for key in items)
                self._fingerprints[f"{registry}:{ALL}"] = hashlib.sha1(whole.encode()).hexdigest()
        if kind.startswith(f"people:{ROLE}") and kind not in self._fingerprints:
            role = kind.removeprefix(f"people:{ROLE}")
            found = "".join(f"{key}={self._fingerprints[f'people:{key}']}"
                            for key, person in self.loaded_program.people.items() if role in person.roles)
            self._fingerprints[kind] = hashlib.sha1(found.encode()).hexdigest()
        return self._fingerprints.get(kind, "")

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
        "readers": {},  # docname -> kinds of data the page showed ("people:<id>", POSTS, ...)
        "selections": {},  # docname -> {publication selector: signature of the entries shown}
        "stamps": {},  # kind -> fingerprint of the data the last build read
        "jsonld": {},  # docname -> the page's structured data, made when it is read
        "shown": {},  # docname -> {kind: fingerprint} of data the page shows only when written
        "checked_bibliography": "",  # stamp of the bibliography every selection was last checked against
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

    @property
    def jsonld(self) -> dict[str, dict]:
        return self.data["jsonld"]

    @property
    def shown(self) -> dict[str, dict[str, str]]:
        return self.data["shown"]

    @property
    def checked_bibliography(self) -> str:
        return self.data["checked_bibliography"]

    @checked_bibliography.setter
    def checked_bibliography(self, stamp: str) -> None:
        self.data["checked_bibliography"] = stamp

    def note_reader(self, docname: str, kind: str, fingerprint: str) -> None:
        self.readers.setdefault(docname, set()).add(kind)
        self.stamps[kind] = fingerprint

    def clear_doc(self, docname: str) -> None:
        self.readers.pop(docname, None)
        self.selections.pop(docname, None)
        self.jsonld.pop(docname, None)
        self.shown.pop(docname, None)

    def merge_domaindata(self, docnames: list[str], otherdata: dict[str, Any]) -> None:
        for doc in docnames:
            if doc in otherdata["readers"]:
                self.readers[doc] = otherdata["readers"][doc]
            if doc in otherdata["selections"]:
                self.selections[doc] = otherdata["selections"][doc]
            if doc in otherdata["jsonld"]:
                self.jsonld[doc] = otherdata["jsonld"][doc]
            if doc in otherdata["shown"]:
                self.shown[doc] = otherdata["shown"][doc]
        self.stamps.update(otherdata["stamps"])

    def resolve_any_xref(self, *args: Any) -> list:
        return []


def site_domain(env: BuildEnvironment) -> SppDomain:
    return cast(SppDomain, env.get_domain(SppDomain.name))


def _note(env: BuildEnvironment, kind: str) -> None:
    site_domain(env).note_reader(env.docname, kind, build_state(env.app).fingerprint(kind))


def read_program(env: BuildEnvironment) -> Program:
    """The program, for the page being read, as a view that records what the page reads."""
    program, docname = build_state(env.app).loaded_program, env.docname
    seen: set[str] = set()  # a graph looks projects up 50,000 times: record each once

    def note(kind: str) -> None:
        if kind not in seen and env.docname == docname:  # a view kept past its page records nothing
            seen.add(kind)
            _note(env, kind)

    return dataclasses.replace(program, **{registry: _RecordedReads(registry, getattr(program, registry), note)
                                           for registry in REGISTRIES})


def read_projects(env: BuildEnvironment, slugs) -> list[ProjectRecord]:
    """The projects ``slugs`` names (unknown ones left out), for the page being read."""
    projects = read_program(env).projects
    return [record for slug in sorted(slugs) if (record := projects.get(slug)) is not None]


def read_posts(env: BuildEnvironment) -> list[PostRecord]:
    """The posts, for the page being read; the page becomes a reader of them."""
    _note(env, POSTS)
    return build_state(env.app).posts


def read_page_record(env: BuildEnvironment) -> ProjectRecord | PostRecord | None:
    """The project or post the page being read is about (recorded as a reader of it), or None."""
    record = build_state(env.app).page_record(env.docname)
    if record is not None:
        _note(env, POSTS if hasattr(record, "post") else f"projects:{record.slug}")
    return record


def show_when_written(env: BuildEnvironment, kind: str) -> None:
    """The page being read shows ``kind`` (say "people:<id>") only when it is written: a change
    to it re-writes the page without reading it again (:func:`pages_showing_changed_data`)."""
    site_domain(env).shown.setdefault(env.docname, {})[kind] = build_state(env.app).fingerprint(kind)


def pages_showing_changed_data(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: the pages that show changed data only when written: re-written."""
    state, stale = build_state(app), []
    for docname, kinds in site_domain(env).shown.items():
        now = {kind: state.fingerprint(kind) for kind in kinds}
        if now != kinds and docname in env.all_docs:
            kinds.update(now)
            stale.append(docname)
    return sorted(stale)


def pages_reading_changed_data(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """env-get-outdated: the pages that read data whose fingerprint changed since they were read."""
    state, domain = build_state(app), site_domain(env)
    read = set().union(*domain.readers.values()) if domain.readers else set()
    changed_kinds = {kind for kind in read if domain.stamps.get(kind) != state.fingerprint(kind)}
    domain.stamps.clear()  # from now on, the data of this build
    domain.stamps.update((kind, state.fingerprint(kind)) for kind in read)
    return sorted(doc for doc, kinds in domain.readers.items() if kinds & changed_kinds and doc in env.all_docs)


class SppDirective(SphinxDirective):
    """Base of every directive that shows site data: :attr:`program` is the recording view (the
    page becomes a reader of exactly what :meth:`render` looks up), and ``run`` records the page
    as a reader of the posts, which are few, before :meth:`render` builds the nodes."""

    def run(self) -> list[nodes.Node]:
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
