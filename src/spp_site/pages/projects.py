"""Project pages, the project catalogue and the per-perspective project lists."""

from __future__ import annotations

from urllib.parse import urlsplit

from docutils import nodes
from sphinx.application import Sphinx

from ..content.links import (
    doc_link,
    external_link,
    institution_link,
    joined,
    paragraph,
    person_link_when_written,
    person_with_ids,
    perspective_badge,
)
from ..content.model import Perspective, ProjectRecord
from ..state import SppDirective, read_page_record, read_program

PHASE_NAMES = {1: "Phase 1 (2021–2024)", 2: "Phase 2 (2024–2027)"}
# Said once where projects are listed by perspective, never on a project.
PLACEMENT_NOTE = ("The programme defines its perspectives by topic; projects whose sources do not name "
                  "a perspective are listed here by the topic of their description.")


def project_card(env, program, record: ProjectRecord) -> nodes.container:
    """A catalogue card; its classes carry the facets that the filter script reads."""
    p = record.data
    facets = [f"spp-f-perspective-{x.value}" for x in p.perspectives]
    if p.start:
        facets.append(f"spp-f-since-{p.start}")
    facets += [f"spp-f-institution-{i}" for i in record.institutions]
    card = nodes.container(classes=["sd-card", "sd-shadow-sm", "spp-project-card", *facets])
    body = nodes.container(classes=["sd-card-body"])
    title = paragraph(doc_link(env, record.docname, p.title), classes=["sd-card-title", "spp-card-title"])
    body += title
    if p.acronym:
        body += paragraph(nodes.Text(p.acronym), classes=["spp-acronym"])
    pis = [person_link_when_written(env, i) for i in record.pis]  # catalogues: a rename re-writes them
    if pis:
        body += paragraph(nodes.strong("", "PIs: "), *joined(pis))
    insts = [institution_link(env, program.institutions[i], short=True) for i in record.institutions]
    if insts:
        body += paragraph(nodes.strong("", "Institutions: "), *joined(insts))
    badges = [perspective_badge(env, x) for x in p.perspectives]
    badges += [nodes.inline("", f"Phase {n}", classes=["sd-badge", "spp-badge-phase"]) for n in p.phases]
    if p.start and not p.phases:
        badges.append(nodes.inline("", f"Since {p.start}", classes=["sd-badge", "spp-badge-phase"]))
    body += paragraph(*joined(badges, " "), classes=["spp-badges"])
    card += body
    return card


class ProjectCatalogue(SppDirective):
    """All projects as cards, with filter links that also work without JavaScript."""

    def render(self) -> list[nodes.Node]:
        program = self.program
        env = self.env
        filters = nodes.container(classes=["spp-filters"], ids=["spp-project-filters"])
        filters += paragraph(
            nodes.strong("", "Perspective: "),
            *joined([doc_link(env, x.docname, x.title, classes=("spp-filter",)) for x in Perspective], " · "),
        )
        starts = sorted({r.data.start for r in program.projects.values() if r.data.start})
        filters += paragraph(
            nodes.strong("", "Funded since: "),
            *joined([nodes.reference("", str(y), refuri=f"#projects-funded-since-{y}",
                                     classes=["spp-filter"]) for y in starts], " · "),
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
        # Grouped by the start year the sources state (a phase may be the editors' deduction).
        for year in starts:
            section = nodes.section(ids=[f"projects-funded-since-{year}"])
            section += nodes.title("", f"Projects funded since {year}")
            items = nodes.bullet_list()
            for record in program.sorted_projects():
                if record.data.start == year:
                    items += nodes.list_item("", paragraph(doc_link(env, record.docname, record.data.title)))
            section += items
            result.append(section)
        return result


class PerspectiveProjects(SppDirective):
    """The projects of one perspective (argument: statistical, application or methodological)."""

    required_arguments = 1

    def render(self) -> list[nodes.Node]:
        program = self.program
        try:
            perspective = Perspective(self.arguments[0])
        except ValueError:
            raise self.error(f"unknown perspective {self.arguments[0]!r}; use one of "
                             + ", ".join(p.value for p in Perspective)) from None
        grid = nodes.container(classes=["spp-card-grid"])
        for record in program.projects_in(perspective):
            grid += project_card(self.env, program, record)
        records = program.projects_in(perspective)
        text = f"{len(records)} projects work in this perspective."
        if any(r.perspectives_inferred for r in records):
            text += " " + PLACEMENT_NOTE
        return [paragraph(nodes.Text(text), classes=["spp-count"]), grid]


def _project_header(env, program, record: ProjectRecord) -> nodes.container:
    """The metadata block at the top of every project page."""
    p = record.data
    box = nodes.container(classes=["spp-project-meta"])
    fields = nodes.field_list()

    def add(name: str, *value: nodes.Node) -> None:
        fields.append(nodes.field("", nodes.field_name("", name), nodes.field_body("", paragraph(*value))))

    if p.acronym:
        add("Acronym", nodes.Text(p.acronym))
    # Only facts a source states: the loader has emptied every inferred field.
    pis = [person_with_ids(env, program.people[i]) for i in record.pis]
    if pis:
        add("Principal investigators", *joined(pis))
    if p.former_pis:
        add("Former applicants", *joined([person_with_ids(env, program.people[i]) for i in p.former_pis]))
    if p.members:
        add("Team members", *joined([person_with_ids(env, program.people[i]) for i in p.members]))
    insts = [institution_link(env, program.institutions[i]) for i in record.institutions]
    if insts:
        add("Institutions", *joined(insts))
    if not record.perspectives_inferred:
        add("Perspectives", *joined([perspective_badge(env, x) for x in p.perspectives], " "))
    if p.phases:
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
    if p.title_is_translation:
        box += paragraph(nodes.Text("The English title is our translation of the official German title."),
                         classes=["spp-title-note"])
    return box


def short_address(url: str) -> str:
    """An address as readers scan it: host and path, without scheme, 'www.' or query."""
    parts = urlsplit(url)
    text = (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")
    return text if len(text) <= 70 else text[:69] + "…"


def _sources_section(record: ProjectRecord) -> nodes.section:
    """The official pages behind the page, quietly at the end (working copies stay in the data)."""
    section = nodes.section(ids=["sources"], classes=["spp-sources"])
    section += nodes.title("", "Sources")
    items = nodes.bullet_list()
    for src in record.public_sources:
        items += nodes.list_item("", paragraph(external_link(src.url, short_address(src.url))))
    section += items
    return section


def add_facts_and_sources(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: the fact box after a project page's title, what other features add
    (the spp-project-page event: publications), and the sources at the end."""
    env = app.env
    record = read_page_record(env)
    section = next(iter(doctree.findall(nodes.section)), None)
    if not isinstance(record, ProjectRecord) or section is None:
        return
    section.insert(1, _project_header(env, read_program(env), record))
    app.emit("spp-project-page", record, section)
    section += _sources_section(record)
