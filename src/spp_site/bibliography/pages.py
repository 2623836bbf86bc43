"""Publication lists in pages: the ``publications`` directive, project and people sections,
and the ``{cite}`` role. Entries are formatted once per change (cached in the environment)
and written into the page at output time, so a list costs a lookup, not a formatting pass.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from html import escape

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.osutil import relative_uri

from ..data import get_program
from ..links import paragraph
from ..model import ProjectRecord
from .format import ROOT, has_math
from .model import Bibliography, Publication

logger = logging.getLogger(__name__)
PUBLICATIONS_DOC = "docs/publications"


class publication_list(nodes.General, nodes.Element):
    """Placeholder for a list of entries; holds only keys, the HTML comes from the cache."""


def get_bibliography(env: BuildEnvironment) -> Bibliography:
    return env.app.spp_bibliography  # type: ignore[attr-defined]


def _signature(pubs: list[Publication]) -> str:
    return hashlib.sha1("".join(p.key + p.digest for p in pubs).encode()).hexdigest()


def select(bib: Bibliography, selector: str) -> list[Publication]:
    kind, _, value = selector.partition(":")
    if kind == "all":
        return bib.sorted()
    if kind == "project":
        return bib.of_project(value)
    if kind == "people":
        return bib.sorted(k for k, p in bib.entries.items() if p.people)
    raise ValueError(selector)


def note_selection(env: BuildEnvironment, selector: str, pubs: list[Publication]) -> None:
    """Remember what this page shows, so a changed entry re-renders just the pages showing it."""
    pages = env.spp_bib_pages  # type: ignore[attr-defined]
    pages.setdefault(env.docname, {})[selector] = _signature(pubs)
    if any(has_math(p) for p in pubs):
        # Lets sphinx.ext.mathjax add its (local) script to this page.
        env.get_domain("math").data["has_equations"][env.docname] = True


def list_node(env: BuildEnvironment, selector: str, pubs: list[Publication], grouped: bool) -> nodes.Element:
    note_selection(env, selector, pubs)
    node = publication_list(keys=[p.key for p in pubs], grouped=grouped)
    return node


class PublicationsDirective(SphinxDirective):
    """All publications (grouped by year, newest first) or those of one project."""

    option_spec = {"project": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        bib = get_bibliography(self.env)
        slug = self.options.get("project")
        if slug is not None and slug not in get_program(self.env).projects:
            raise self.error(f"unknown project '{slug}' in publications directive")
        selector = f"project:{slug}" if slug else "all"
        pubs = select(bib, selector)
        return [list_node(self.env, selector, pubs, grouped=slug is None)]


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
                logger.warning(f"{{cite}} names unknown BibTeX key '{key}'; add the entry to a "
                               "file in bibliography/ or fix the key",
                               type="spp", subtype="bib.unknown_key", location=self.get_location())
                result.append(nodes.literal(key, key))
                continue
            uri = relative_uri(self.env.docname + ".html", PUBLICATIONS_DOC + ".html") + "#" + key
            families = [a.family for a in pub.authors]
            who = families[0] + (" et al." if len(families) > 2 else
                                 f" and {families[1]}" if len(families) == 2 else "")
            text = f"{who} ({pub.year})"
            result.append(nodes.reference(text, text, refuri=uri, classes=["spp-cite"],
                                          reftitle=pub.title))
        return result, []


def _project_publications(app: Sphinx, record: ProjectRecord, section: nodes.section) -> None:
    env = app.env
    pubs = select(get_bibliography(env), f"project:{record.slug}")
    sub = nodes.section(ids=["publications"])
    sub += nodes.title("", "Publications")
    download = relative_uri(env.docname + ".html", f"publications/{record.slug}.bib")
    if pubs:
        sub += paragraph(nodes.Text(f"{len(pubs)} publication{'s' if len(pubs) != 1 else ''}. "),
                         nodes.raw("", f'<a href="{download}" download>Download as BibTeX</a>', format="html"))
    else:
        sub += paragraph(nodes.Text("No publications listed yet. Add them to "),
                         nodes.literal("", f"bibliography/{record.slug}.bib"), nodes.Text("."))
    sub += list_node(env, f"project:{record.slug}", pubs, grouped=False)
    section += sub


def _person_publications(env: BuildEnvironment, person, entry: nodes.Element) -> None:
    pubs = get_bibliography(env).of_person(person.id)
    note_selection(env, "people", select(get_bibliography(env), "people"))
    if not pubs:
        return
    uri = relative_uri(env.docname + ".html", PUBLICATIONS_DOC + ".html")
    items = "".join(f'<li><a href="{uri}#{escape(p.key)}">{escape(p.title)}</a> ({p.year})</li>'
                    for p in pubs)
    entry += nodes.raw("", f'<details class="spp-person-pubs"><summary>{len(pubs)} publication'
                           f'{"s" if len(pubs) != 1 else ""}</summary><ul>{items}</ul></details>',
                       format="html")


def visit_publication_list(self, node: publication_list) -> None:
    env = self.builder.env
    cache = env.spp_bib_html  # type: ignore[attr-defined]
    root = relative_uri(self.builder.get_target_uri(self.builder.current_docname), "") or "."
    root = root.rstrip("/") or "."
    keys = node["keys"]
    bib = get_bibliography(env)
    out = []
    if node["grouped"]:
        years = Counter(bib.entries[k].year for k in keys)
        out.append(f'<p class="spp-pub-count" id="spp-pub-count">{len(keys)} publications</p>')
        current = None
        for key in keys:
            year = bib.entries[key].year
            if year != current:
                if current is not None:
                    out.append("</ol></section>")
                out.append(f'<section class="spp-pub-year-group" id="year-{year}" aria-labelledby="h-year-{year}">'
                           f'<h2 id="h-year-{year}">{year} <span class="spp-year-count">'
                           f'({years[year]})</span></h2><ol class="spp-pub-list">')
                current = year
            out.append(cache[key][1])
        if current is not None:
            out.append("</ol></section>")
    else:
        out.append('<ol class="spp-pub-list">')
        out.extend(cache[k][1] for k in keys)
        out.append("</ol>")
    self.body.append("".join(out).replace(ROOT, root))
    raise nodes.SkipNode


def setup_pages(app: Sphinx) -> None:
    app.add_node(publication_list, html=(visit_publication_list, None),
                 latex=(lambda s, n: (_ for _ in ()).throw(nodes.SkipNode), None),
                 text=(lambda s, n: (_ for _ in ()).throw(nodes.SkipNode), None))
    app.add_directive("publications", PublicationsDirective)
    app.add_role("cite", CiteRole(), override=True)
    app.spp_project_page_hooks.append(_project_publications)  # type: ignore[attr-defined]
    app.spp_person_hooks.append(_person_publications)  # type: ignore[attr-defined]
