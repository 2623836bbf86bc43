"""Project pages, the project catalogue and the per-perspective project lists."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .data import get_program, note_data_user
from .links import (
    doc_link,
    external_link,
    institution_link,
    joined,
    paragraph,
    person_link,
    perspective_badge,
)
from .model import Perspective, ProjectRecord

PHASE_NAMES = {1: "Phase 1 (2021–2024)", 2: "Phase 2 (2024–2027)"}
FIELD_NAMES = {
    "pis": "principal investigators", "perspectives": "perspectives", "phases": "funding phases",
    "institutions": "institutions", "acronym": "acronym", "dfg_number": "DFG project number",
}


def project_card(env, program, record: ProjectRecord) -> nodes.container:
    """A catalogue card; its classes carry the facets that the filter script reads."""
    p = record.data
    facets = [f"spp-f-perspective-{x.value}" for x in p.perspectives]
    facets += [f"spp-f-phase-{n}" for n in p.phases]
    facets += [f"spp-f-institution-{i}" for i in record.institutions]
    card = nodes.container(classes=["sd-card", "sd-shadow-sm", "spp-project-card", *facets])
    body = nodes.container(classes=["sd-card-body"])
    title = paragraph(doc_link(env, record.docname, p.title), classes=["sd-card-title", "spp-card-title"])
    body += title
    if p.acronym:
        body += paragraph(nodes.Text(p.acronym), classes=["spp-acronym"])
    pis = [person_link(env, program.people[i]) for i in record.pis]
    body += paragraph(nodes.strong("", "PIs: "),
                      *(joined(pis) if pis else [nodes.emphasis("", "not yet known")]))
    insts = [institution_link(env, program.institutions[i], short=True) for i in record.institutions]
    if insts:
        body += paragraph(nodes.strong("", "Institutions: "), *joined(insts))
    badges = [perspective_badge(env, x) for x in p.perspectives]
    badges += [nodes.inline("", f"Phase {n}", classes=["sd-badge", "spp-badge-phase"]) for n in p.phases]
    body += paragraph(*joined(badges, " "), classes=["spp-badges"])
    card += body
    return card


class ProjectCatalogue(SphinxDirective):
    """All projects as cards, with filter links that also work without JavaScript."""

    def run(self) -> list[nodes.Node]:
        note_data_user(self.env)
        program = get_program(self.env)
        env = self.env
        filters = nodes.container(classes=["spp-filters"], ids=["spp-project-filters"])
        filters += paragraph(
            nodes.strong("", "Perspective: "),
            *joined([doc_link(env, x.docname, x.title, classes=("spp-filter",)) for x in Perspective], " · "),
        )
        filters += paragraph(
            nodes.strong("", "Phase: "),
            *joined([nodes.reference("", f"Phase {n}", refuri=f"#projects-in-phase-{n}",
                                     classes=["spp-filter"]) for n in (1, 2)], " · "),
        )
        filters += paragraph(
            nodes.strong("", "Institution: "),
            *joined([institution_link(env, i, short=True) for i in program.host_institutions()], " · "),
        )
        status = nodes.paragraph(classes=["spp-filter-status"], ids=["spp-project-count"])
        status += nodes.Text(f"{len(program.projects)} projects")
        grid = nodes.container(classes=["spp-card-grid"], ids=["spp-project-grid"])
        for record in program.sorted_projects():
            grid += project_card(env, program, record)
        result: list[nodes.Node] = [filters, status, grid]
        for n in (1, 2):
            section = nodes.section(ids=[f"projects-in-phase-{n}"])
            section += nodes.title("", f"Projects in {PHASE_NAMES[n]}")
            items = nodes.bullet_list()
            for record in program.sorted_projects():
                if n in record.data.phases:
                    items += nodes.list_item("", paragraph(doc_link(env, record.docname, record.data.title)))
            section += items
            result.append(section)
        return result


class PerspectiveProjects(SphinxDirective):
    """The projects of one perspective (argument: statistical, application or methodological)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        note_data_user(self.env)
        program = get_program(self.env)
        try:
            perspective = Perspective(self.arguments[0])
        except ValueError:
            raise self.error(f"unknown perspective {self.arguments[0]!r}; use one of "
                             + ", ".join(p.value for p in Perspective)) from None
        grid = nodes.container(classes=["spp-card-grid"])
        for record in program.projects_in(perspective):
            grid += project_card(self.env, program, record)
        count = len(program.projects_in(perspective))
        return [paragraph(nodes.Text(f"{count} projects work in this perspective."),
                          classes=["spp-count"]), grid]


def _project_header(env, program, record: ProjectRecord) -> nodes.container:
    """The metadata block at the top of every project page."""
    p = record.data
    box = nodes.container(classes=["spp-project-meta"])
    fields = nodes.field_list()

    def add(name: str, *value: nodes.Node) -> None:
        fields.append(nodes.field("", nodes.field_name("", name), nodes.field_body("", paragraph(*value))))

    if p.acronym:
        add("Acronym", nodes.Text(p.acronym))
    pis = [person_link(env, program.people[i]) for i in record.pis]
    add("Principal investigators", *(joined(pis) if pis else
                                     [nodes.emphasis("", "not yet known: no public source found so far")]))
    if p.former_pis:
        add("Former applicants", *joined([person_link(env, program.people[i]) for i in p.former_pis]))
    insts = [institution_link(env, program.institutions[i]) for i in record.institutions]
    add("Institutions", *(joined(insts) if insts else [nodes.emphasis("", "not yet known")]))
    add("Perspectives", *joined([perspective_badge(env, x) for x in p.perspectives], " "))
    add("Funding phases", nodes.Text(", ".join(PHASE_NAMES[n] for n in p.phases)))
    if p.start:
        add("Funded", nodes.Text(f"{p.start}–{p.end}" if p.end else f"since {p.start}"))
    if p.title_de:
        label = "Official title (German)" if p.title_is_translation else "German title"
        add(label, nodes.Text(p.title_de))
    if p.dfg_number:
        add("DFG project number", external_link(p.gepris_url, f"{p.dfg_number} (GEPRIS)"))
    if p.keywords:
        add("Keywords", nodes.Text(", ".join(p.keywords)))
    if p.website:
        add("Website", external_link(str(p.website)))
    box += fields
    notes = []
    if p.title_is_translation:
        notes.append("The English title is our translation of the official German title.")
    if p.inferred:
        names = ", ".join(FIELD_NAMES.get(f, f) for f in p.inferred)
        notes.append(f"Deduced by the editors from the sources, not stated in them: {names}.")
    if notes:
        box += paragraph(nodes.Text(" ".join(notes)), classes=["spp-inferred-note"])
    return box


def _sources_section(record: ProjectRecord) -> nodes.section:
    section = nodes.section(ids=["sources"], classes=["spp-sources"])
    section += nodes.title("", "Sources")
    items = nodes.bullet_list()
    for src in record.data.sources:
        body = external_link(src) if src.startswith(("http://", "https://")) else nodes.Text(src)
        items += nodes.list_item("", paragraph(body))
    section += items
    return section


def _decorate_project_page(app: Sphinx, doctree: nodes.document) -> None:
    """Add the metadata block after the title and the sources at the end of a project page."""
    env = app.env
    program = get_program(env)
    record = next((r for r in program.projects.values() if r.docname == env.docname), None)
    if record is None:
        return
    note_data_user(env)
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    section.insert(1, _project_header(env, program, record))
    for hook in app.spp_project_page_hooks:  # type: ignore[attr-defined]
        hook(app, record, section)
    section += _sources_section(record)


def setup_projects(app: Sphinx) -> None:
    app.spp_project_page_hooks = []  # type: ignore[attr-defined]
    app.add_directive("project-catalogue", ProjectCatalogue)
    app.add_directive("perspective-projects", PerspectiveProjects)
    app.connect("doctree-read", _decorate_project_page)
