"""Publication lists in pages: the ``publications`` directive (the explorer), one archive
page per year, project and people sections, and the ``{cite}`` role. Entries are formatted
once per change (cached in the environment) and written into the page at output time, so a
list costs a lookup, not a formatting pass.

The publications page stays small at any size of the bibliography: it shows the newest
entries, links to the year pages (the complete list, no JavaScript needed) and, with
JavaScript, a search over all entries that loads only the index chunks a query needs.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from html import escape
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.osutil import relative_uri

from ..build.codeversion import CODE_VERSION
from ..build.parents import navigation_stamp
from ..content.links import paragraph
from ..content.model import PERSPECTIVE_TITLES, Perspective, ProjectRecord
from ..state import SppDirective, build_state, read_projects, site_domain
from .format import ROOT, render
from .model import Bibliography, Publication
from .reports import period

logger = logging.getLogger(__name__)
PUBLICATIONS_DOC = "docs/publications"
LATEST = 25  # entries shown on the publications page itself


def year_page(year: int) -> str:
    """Page name of the archive page listing all publications of ``year``."""
    return f"publications/{year}"


class publication_list(nodes.General, nodes.Element):
    """Placeholder for a list of entries; holds only keys, the HTML comes from the cache."""


class publication_explorer(nodes.General, nodes.Element):
    """Placeholder for the publications page: search form, year links, newest entries."""


def get_bibliography(env: BuildEnvironment) -> Bibliography:
    """The bibliography; pages record what they show of it with :func:`list_node`."""
    return build_state(env.app).loaded_bibliography


# What a page keeps of the entries it shows, in its doctree, when it is read: the keys of a
# list (its HTML is made when the page is written), the year and type a chart counts, ...
# A change there re-reads the page; any other change to a shown entry only re-writes it.
KEYS = ("key",)
COUNTED = ("key", "year", "entry_type", "projects")  # charts: per year, by type or perspective
WRITTEN_ONLY = "*"  # the text of the entries: pages use it only when they are written


def signature(pubs: list[Publication], fields: tuple[str, ...] | str = WRITTEN_ONLY) -> str:
    if fields == WRITTEN_ONLY:
        text = "".join(p.key + p.digest for p in pubs)
    else:
        text = "\0".join(repr(tuple(getattr(p, f) for f in fields)) for p in pubs)
    return hashlib.sha1(text.encode()).hexdigest()


def selection_key(selector: str, fields: tuple[str, ...] | str) -> str:
    return f"{selector}|{fields if fields == WRITTEN_ONLY else ','.join(fields)}"


def parse_selection_key(key: str) -> tuple[str, tuple[str, ...] | str]:
    selector, _, fields = key.rpartition("|")
    return selector, (WRITTEN_ONLY if fields == WRITTEN_ONLY else tuple(filter(None, fields.split(","))))


def select(bib: Bibliography, selector: str) -> list[Publication]:
    kind, _, value = selector.partition(":")
    if kind == "all":
        return bib.sorted()
    if kind == "project":
        return bib.of_project(value)
    if kind == "people":
        return bib.sorted(k for k, p in bib.entries.items() if p.people)
    if kind == "joint":  # papers of two or more projects: the links of the collaboration graph
        return [p for p in bib.sorted() if len(set(p.projects) - {"program"}) > 1]
    if kind == "keys":  # the entries a page cites in its prose
        return bib.sorted(k for k in value.split(",") if k in bib.entries)
    raise ValueError(selector)


def note_selection(env: BuildEnvironment, selector: str, pubs: list[Publication], kept: tuple[str, ...]) -> None:
    """Remember what this page shows, so a changed entry re-reads (a change to the ``kept``
    fields) or only re-writes (any other change) just the pages showing it."""
    shown = site_domain(env).selections.setdefault(env.docname, {})
    shown[selection_key(selector, kept)] = signature(pubs, kept)
    shown[selection_key(selector, WRITTEN_ONLY)] = signature(pubs)


def list_node(env: BuildEnvironment, selector: str, pubs: list[Publication]) -> nodes.Element:
    note_selection(env, selector, pubs, KEYS)
    read_projects(env, {slug for p in pubs for slug in p.projects})  # their labels badge the entries
    return publication_list(keys=[p.key for p in pubs])


class PublicationsDirective(SppDirective):
    """All publications (grouped by year, newest first) or those of one project. The explorer's
    facets name projects and perspectives: as an SppDirective the page re-reads when they change."""

    option_spec = {"project": directives.unchanged}

    def render(self) -> list[nodes.Node]:
        bib = get_bibliography(self.env)
        slug = self.options.get("project")
        if slug is not None and slug not in self.program.projects:
            raise self.error(f"unknown project '{slug}' in publications directive")
        if slug:
            return [list_node(self.env, f"project:{slug}", select(bib, f"project:{slug}"))]
        # The facets are counted now (a change to what they count re-reads the page); the
        # entries are formatted when the page is written.
        note_selection(self.env, "all", select(bib, "all"), COUNTED)
        return [publication_explorer(facets=facets(bib, self.program))]


class CiteRole(SphinxRole):
    """``{cite}`key``` -> "Family et al. (Year)", linked to the entry on the publications page."""

    def run(self):
        bib = get_bibliography(self.env)
        keys = [k.strip() for k in self.text.split(",") if k.strip()]
        result: list[nodes.Node] = []
        for i, key in enumerate(keys):
            pub = bib.entries.get(key)
            if i:
                result.append(nodes.Text("; "))
            if pub is None:
                # Found by the data check before reading (loading.py); kept for pages read otherwise.
                logger.warning(f"{{cite}} names the BibTeX key '{key}', which is not in a file in "
                               "bibliography/; add the entry or fix the key",
                               type="spp", subtype="bib.unknown_key", location=self.get_location())
                result.append(nodes.literal(key, key))
                continue
            uri = relative_uri(self.env.docname + ".html", year_page(pub.year) + ".html") + "#" + key
            families = [a.family for a in pub.authors]
            who = families[0] + (" et al." if len(families) > 2 else
                                 f" and {families[1]}" if len(families) == 2 else "")
            text = f"{who} ({pub.year})"
            result.append(nodes.reference(text, text, refuri=uri, classes=["spp-cite"],
                                          reftitle=pub.title))
        return result, []


PROSE_CITED = ("key", "digest")  # footnotes are formatted when the page is read


def prose_citations_follow_their_entries(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: a page citing in prose ({footcite:p}) depends on the entries it cites, not
    on every file in ``bibtex_bibfiles`` (sphinxcontrib-bibtex's dependency): a corrected
    entry in a project's file re-reads only the pages that cite it."""
    env = app.env
    cited = env.temp_data.get("bibtex_foot_old_refs", set()) | env.temp_data.get("bibtex_foot_new_refs", set())
    if not cited or env.temp_data.get("bibtex_bibliography_count"):  # {bibliography} lists whole files
        return
    bibfiles = {Path(env.srcdir, name).resolve() for name in app.config.bibtex_bibfiles}
    dependencies = env.dependencies.get(env.docname, set())
    dependencies.difference_update({dep for dep in dependencies if Path(dep).resolve() in bibfiles})
    selector = "keys:" + ",".join(sorted(cited))
    site_domain(env).selections.setdefault(env.docname, {})[selection_key(selector, PROSE_CITED)] = \
        signature(select(get_bibliography(env), selector), PROSE_CITED)


def add_project_publications(app: Sphinx, record: ProjectRecord, section: nodes.section) -> None:
    """spp-project-page: the project's publications, with a BibTeX download."""
    env = app.env
    pubs = select(get_bibliography(env), f"project:{record.slug}")
    if not pubs:  # nothing to show: no section, but the page re-renders when one is added
        note_selection(env, f"project:{record.slug}", pubs, KEYS)
        return
    sub = nodes.section(ids=["publications"])
    sub += nodes.title("", "Publications")
    download = relative_uri(env.docname + ".html", f"publications/{record.slug}.bib")
    report = relative_uri(env.docname + ".html", f"publications/{record.slug}-report.md")
    span = period(record.data.start, record.data.end)
    sub += paragraph(nodes.Text(f"{len(pubs)} publication{'s' if len(pubs) != 1 else ''}. "),
                     nodes.raw("", f'<a href="{download}" download>Download as BibTeX</a> · '
                                   f'<a href="{report}" download>Report for {span} (Markdown)</a>', format="html"))
    sub += list_node(env, f"project:{record.slug}", pubs)
    section += sub


class person_publications(nodes.General, nodes.Element):
    """Placeholder for a person's publications (``person``: their id), made when the page is
    written: a corrected title or year re-writes the people page, it is not read again."""


def add_publications_of_person(app: Sphinx, person, entry: nodes.Element) -> None:
    """spp-person-entry: a person's publications, folded."""
    env = app.env
    if selection_key("people", WRITTEN_ONLY) not in site_domain(env).selections.get(env.docname, {}):  # once a page
        # Who wrote what follows from the people and projects the page reads; the lists
        # themselves are made when it is written.
        note_selection(env, "people", select(get_bibliography(env), "people"), ())
    entry += person_publications(person=person.id)


def visit_person_publications(self, node: person_publications) -> None:
    pubs = get_bibliography(self.builder.env).of_person(node["person"])
    if pubs:
        here = self.builder.current_docname + ".html"
        items = "".join(f'<li><a href="{relative_uri(here, year_page(p.year) + ".html")}'
                        f'#{escape(p.key)}">{escape(p.plain_title)}</a> ({p.year})</li>' for p in pubs)
        self.body.append(f'<details class="spp-person-pubs"><summary>{len(pubs)} publication'
                         f'{"s" if len(pubs) != 1 else ""}</summary><ul>{items}</ul></details>')
    raise nodes.SkipNode


def perspectives_of(pub: Publication, program) -> list[str]:
    """The perspectives of the projects a publication belongs to."""
    return sorted({p.value for s in pub.projects if s in program.projects
                   for p in program.projects[s].data.perspectives})


def _root(builder, pagename: str) -> str:
    return relative_uri(builder.get_target_uri(pagename), "").rstrip("/") or "."


def entries_html(app: Sphinx, keys: list[str], root: str) -> str:
    """The entries as a list. Each entry is formatted once per build, and only when a page
    being written shows it (a build that writes no list formats nothing)."""
    state = build_state(app)
    cache, bib = state.entry_html, state.loaded_bibliography
    for key in keys:
        if key not in cache:
            cache[key] = render(bib.entries[key], state.project_labels)
    # Lists are left out of the page index: every entry is a search record of its own.
    items = "".join(cache[k] for k in keys)
    return f'<ol class="spp-pub-list" data-pagefind-ignore="all">{items}</ol>'.replace(ROOT, root)


def visit_publication_list(self, node: publication_list) -> None:
    env = self.builder.env
    root = _root(self.builder, self.builder.current_docname)
    self.body.append(entries_html(env.app, node["keys"], root))
    raise nodes.SkipNode


def _options(values: list[tuple[str, str, int]]) -> str:
    return "".join(f'<option value="{escape(v)}" data-label="{escape(label)}">{escape(label)} ({n})</option>'
                   for v, label, n in values)


def facets(bib: Bibliography, program) -> dict[str, list[tuple[str, str, int]]]:
    """Filter values with their total counts: (value, label, count) per facet."""
    from . import project_labels  # the package imports this module

    labels = project_labels(program)
    pubs = list(bib.entries.values())
    years = Counter(p.year for p in pubs)
    projects = Counter(s for p in pubs for s in p.projects)
    perspectives = Counter(v for p in pubs for v in perspectives_of(p, program))
    types = Counter(p.type_label for p in pubs)

    return {
        "year": [(str(y), str(y), years[y]) for y in sorted(years, reverse=True)],
        "project": sorted(((s, labels.get(s, s), n) for s, n in projects.items()), key=lambda t: t[1].casefold()),
        "perspective": [(p.value, PERSPECTIVE_TITLES[p].removesuffix(" perspective"), perspectives[p.value])
                        for p in Perspective if perspectives[p.value]],
        "type": sorted((t, t, n) for t, n in types.items()),
    }


FACET_LABELS = {"year": "Year", "project": "Project", "perspective": "Perspective", "type": "Type"}


def visit_publication_explorer(self, node: publication_explorer) -> None:
    env = self.builder.env
    bib = get_bibliography(env)
    root = _root(self.builder, self.builder.current_docname)
    pubs = bib.sorted()
    found = node["facets"]
    selects = "".join(
        f'<div class="spp-facet"><label for="spp-f-{name}">{FACET_LABELS[name]}</label>'
        f'<select id="spp-f-{name}" name="{name}"><option value="">All</option>{_options(values)}</select></div>'
        for name, values in found.items())
    years = "".join(f'<li><a href="{root}/{year_page(int(y))}.html">{y}</a> '
                    f'<span class="spp-year-count">({n})</span></li>' for y, _label, n in found["year"])
    shown = min(LATEST, len(pubs))
    self.body.append(
        '<div class="spp-explorer" data-pagefind-ignore="all">'
        f'<form class="spp-explorer-form pst-js-only" role="search" aria-label="Publications">'
        '<div class="spp-explorer-query"><label for="spp-q">Search by author, title or venue</label>'
        '<input id="spp-q" name="q" type="search" autocomplete="off" spellcheck="false"></div>'
        f'<div class="spp-facets">{selects}</div>'
        '<button type="reset" class="spp-clear">Clear filters</button></form>'
        f'<p class="spp-pub-count" id="spp-pub-count" role="status">{len(pubs)} publications</p>'
        '<ol class="spp-pub-list spp-results" id="spp-results" hidden></ol>'
        '<button type="button" class="spp-more" id="spp-more" hidden>Show more</button>'
        '</div>'
        f'<nav class="spp-year-nav" aria-labelledby="spp-by-year"><h2 id="spp-by-year">All publications by year</h2>'
        f'<ul>{years}</ul></nav>'
        f'<section class="spp-latest" id="spp-latest" aria-labelledby="spp-latest-h">'
        f'<h2 id="spp-latest-h">Newest publications</h2>'
        f'<p>The {shown} most recent of {len(pubs)}; every year has a page with its complete list.</p>'
        + entries_html(env.app, [p.key for p in pubs[:LATEST]], root) + "</section>")
    raise nodes.SkipNode


def year_pages(app: Sphinx):
    """html-collect-pages: one archive page per year, re-rendered only when it changed."""
    env = app.env
    bib = get_bibliography(env)
    by_year: dict[int, list[Publication]] = {}
    for pub in bib.sorted():
        by_year.setdefault(pub.year, []).append(pub)
    state_file = Path(app.doctreedir) / "spp-year-pages.json"
    previous = json.loads(state_file.read_text()) if state_file.exists() else {}
    # A page is stale when its entries, the projects (their names on the badges), the site's pages
    # and their titles (navigation), the config or the extension's code changed.
    context_digest = hashlib.sha1("\0".join([getattr(app.builder, "config_hash", ""), CODE_VERSION,
                                              build_state(app).fingerprint("projects:*"),
                                              navigation_stamp(env)]).encode()).hexdigest()
    state = {}
    outdir = Path(app.outdir)
    for year, pubs in by_year.items():
        name = year_page(year)
        state[name] = signature(pubs) + context_digest
        if previous.get(name) == state[name] and (outdir / f"{name}.html").exists():
            continue
        root = _root(app.builder, name)
        body = (f'<h1>Publications {year}</h1>'
                f'<p class="spp-pub-count">{len(pubs)} publication{"s" if len(pubs) != 1 else ""} '
                f'from {year}. <a href="{root}/{PUBLICATIONS_DOC}.html">Search all publications</a>.</p>'
                + entries_html(env.app, [p.key for p in pubs], root))
        yield name, {"title": f"Publications {year}", "body": body}, "page.html"
    for name in previous:
        if name not in state:
            (outdir / f"{name}.html").unlink(missing_ok=True)
    state_file.write_text(json.dumps(state, sort_keys=True))
