"""Project pages, the project catalogue and the per-perspective project lists."""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.application import Sphinx

from ..content.links import (
    doc_link,
    external_link,
    institution_label,
    institution_link,
    joined,
    label_link_html,
    page_link_html,
    paragraph,
    person_label,
    person_with_ids,
    perspective_badge,
)
from ..content.model import Perspective, ProjectRecord
from ..state import SppDirective, build_state, read_page_record, read_program, show_when_written

PHASE_NAMES = {1: "Phase 1 (2021–2024)", 2: "Phase 2 (2024–2027)"}
# Said once where projects are listed by perspective, never on a project.
PLACEMENT_NOTE = ("The programme defines its perspectives by topic; projects whose sources do not name "
                  "a perspective are listed here by the topic of their description.")


class project_cards(nodes.General, nodes.Element):
    """Placeholder for the cards of the projects ``slugs``, made when the page is written: a
    renamed PI or institution re-writes the catalogue and the perspective pages, and a list of
    200 cards costs one node, not 3,000 for every transform and reference to walk."""


def project_cards_node(env, program, records: list[ProjectRecord]) -> project_cards:
    """The cards of ``records``; the page shows their PIs and institutions when written."""
    for record in records:
        for person in record.pis:
            show_when_written(env, f"people:{person}")
        for inst in record.institutions:
            show_when_written(env, f"institutions:{inst}")
    return project_cards(slugs=[r.slug for r in records])


def _card_html(translator, program, record: ProjectRecord) -> str:
    """A catalogue card; its classes carry the facets that the filter script reads."""
    p = record.data
    here = translator.builder.current_docname
    facets = [f"spp-f-perspective-{x.value}" for x in p.perspectives]
    if p.start:
        facets.append(f"spp-f-since-{p.start}")
    facets += [f"spp-f-institution-{i}" for i in record.institutions]
    title = page_link_html(translator, here, record.docname, p.title)
    html = [f'<div class="sd-card sd-shadow-sm spp-project-card {" ".join(facets)} docutils container">\n'
            '<div class="sd-card-body docutils container">\n'
            f'<p class="sd-card-title spp-card-title">{title}</p>\n']
    if p.acronym:
        html.append(f'<p class="spp-acronym">{escape(p.acronym)}</p>\n')
    pis = [label_link_html(translator, here, person_label(i), program.people[i].name) for i in record.pis]
    if pis:
        html.append(f'<p><strong>PIs: </strong>{", ".join(pis)}</p>\n')
    insts = [label_link_html(translator, here, institution_label(i), program.institutions[i].label)
             for i in record.institutions]
    if insts:
        html.append(f'<p><strong>Institutions: </strong>{", ".join(insts)}</p>\n')
    badges = [page_link_html(translator, here, x.docname, x.title, classes=f"sd-badge spp-badge-{x.value}")
              for x in p.perspectives]
    badges += [f'<span class="sd-badge spp-badge-phase">Phase {n}</span>' for n in p.phases]
    if p.start and not p.phases:
        badges.append(f'<span class="sd-badge spp-badge-phase">Since {p.start}</span>')
    html.append(f'<p class="spp-badges">{" ".join(badges)}</p>\n</div>\n</div>\n')
    return "".join(html)


def visit_project_cards(self, node: project_cards) -> None:
    program = build_state(self.builder.app).loaded_program
    self.body.append("".join(_card_html(self, program, program.projects[slug]) for slug in node["slugs"]))
    raise nodes.SkipNode


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
        grid += project_cards_node(env, program, program.sorted_projects())
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
        records = program.projects_in(perspective)
        grid = nodes.container(classes=["spp-card-grid"])
        grid += project_cards_node(self.env, program, records)
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
