"""How projects work together: a collaboration graph drawn at build time as a static SVG.

Projects are nodes, coloured by (their first) perspective; two projects are linked when they
share a publication or a principal investigator. Linked projects are laid out by networkx's
spring layout with a fixed seed (same data, same picture); projects without links are grouped
by perspective in rows below, not scattered. Every node is a link to its project with an
accessible name; the links are also given as a table.
"""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.util.osutil import relative_uri

from ..bibliography.pages import get_bibliography, note_selection, select
from ..content.links import doc_link, table
from ..content.model import PERSPECTIVE_TITLES, Perspective
from ..state import SppDirective, build_state

WIDTH, ROW = 640, 34
RADIUS = 13  # 26 SVG units: at least 24 CSS px from about 590 px of width


def collaborations(program, bib) -> dict[tuple[str, str], list[str]]:
    """(project, project) -> why they are linked ("publication: key", "PI: person"), sorted."""
    links: dict[tuple[str, str], list[str]] = {}
    for pub in bib.sorted():
        slugs = sorted({s for s in pub.projects if s in program.projects})
        for i, a in enumerate(slugs):
            for b in slugs[i + 1:]:
                links.setdefault((a, b), []).append(f"publication: {pub.plain_title}")
    slugs = sorted(program.projects)
    for i, a in enumerate(slugs):
        for b in slugs[i + 1:]:
            for pid in sorted(set(program.projects[a].pis) & set(program.projects[b].pis)):
                links.setdefault((a, b), []).append(f"PI: {program.people[pid].name}")
    return dict(sorted(links.items()))


def layout(program, links) -> dict[str, tuple[float, float]]:
    """Each group of linked projects gets a box of its own (largest first, left to right), laid
    out inside by a seeded spring layout; projects without links follow in rows by perspective."""
    import networkx as nx  # here, not at import: only the page with the graph needs it (and numpy)

    graph = nx.Graph()
    graph.add_nodes_from(sorted(program.projects))
    graph.add_edges_from(links)
    groups = sorted((sorted(c) for c in nx.connected_components(graph) if len(c) > 1), key=lambda c: (-len(c), c))
    places: dict[str, tuple[float, float]] = {}
    x0 = y0 = row_height = 0.0
    for group in groups:
        box = max(90.0, 70.0 * len(group) ** 0.5)
        if x0 + box > WIDTH and x0 > 0:
            x0, y0, row_height = 0.0, y0 + row_height, 0.0
        # A graph of its own, nodes in sorted order: a subgraph view of a few nodes lists them
        # in set order (the hash seed's), which gave the same places to other projects.
        sub = nx.Graph()
        sub.add_nodes_from(group)
        sub.add_edges_from(sorted(tuple(sorted(edge)) for edge in graph.subgraph(group).edges))
        spring = nx.spring_layout(sub, seed=2298)
        xs, ys = [p[0] for p in spring.values()], [p[1] for p in spring.values()]
        span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
        inner = box - 2 * (RADIUS + 8)
        for slug in group:
            x, y = spring[slug]
            places[slug] = (x0 + RADIUS + 8 + (x - min(xs)) / span_x * inner,
                            y0 + RADIUS + 8 + (y - min(ys)) / span_y * inner)
        x0, row_height = x0 + box, max(row_height, box)
    top = y0 + row_height + (30 if groups else 20)
    for perspective in Perspective:
        alone = [s for s in sorted(program.projects) if s not in places
                 and program.projects[s].data.perspectives[0] == perspective]
        per_row = int((WIDTH - 40) // (2 * RADIUS + 10))
        for i, slug in enumerate(alone):
            places[slug] = (30 + (i % per_row) * (2 * RADIUS + 10), top + (i // per_row) * ROW + 20)
        if alone:
            top += ((len(alone) - 1) // per_row + 1) * ROW + 30
    return places


class CollaborationGraph(SppDirective):
    """The graph and, below it, its links as a table."""

    def render(self) -> list[nodes.Node]:
        program, bib = self.program, get_bibliography(self.env)
        # Redrawn when a joint paper changes which projects it links; a corrected title only
        # re-writes the page (the table's reasons are made when it is written).
        note_selection(self.env, "joint", select(bib, "joint"), ("key", "projects"))
        links = collaborations(program, bib)
        places = layout(program, links)
        height = max(y for _, y in places.values()) + 40 if places else 100
        parts = [f'<svg class="spp-graph" viewBox="0 0 {WIDTH} {height:.0f}" role="group" '
                 f'aria-labelledby="spp-graph-caption">']
        for (a, b), why in links.items():
            (x1, y1), (x2, y2) = places[a], places[b]
            kinds = " ".join(sorted({w.split(":")[0].lower().replace(" ", "-") for w in why}))
            parts.append(f'<line class="spp-graph-edge {kinds}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                         f'y2="{y2:.1f}" data-link="{a} {b}"/>')
        for slug, (x, y) in sorted(places.items()):
            record = program.projects[slug]
            perspective = record.data.perspectives[0].value
            degree = sum(1 for pair in links if slug in pair)
            name = f"{record.data.title}: {degree} link{'s' if degree != 1 else ''}"
            href = relative_uri(self.env.docname + ".html", record.docname + ".html")
            label = escape(record.data.acronym or "")
            parts.append(f'<a class="spp-graph-node spp-graph-{perspective}" href="{href}" aria-label="{escape(name)}" '
                         f'data-project="{slug}"><title>{escape(name)}</title>'
                         f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS}"/>'
                         + (f'<text x="{x:.1f}" y="{y + RADIUS + 12:.1f}" text-anchor="middle">{label}</text>'
                            if label else "") + "</a>")
        parts.append("</svg>")
        legend = " · ".join(f'<span class="spp-graph-key spp-graph-{p.value}">{escape(PERSPECTIVE_TITLES[p])}</span>'
                            for p in Perspective)
        linked = {s for pair in links for s in pair}
        caption = (f"{len(program.projects)} projects; {len(links)} link{'s' if len(links) != 1 else ''} between "
                   f"{len(linked)} of them (a shared publication or principal investigator). Projects without a "
                   "link are grouped by perspective below. Colours: " + legend + ".")
        figure = nodes.raw("", f'<figure class="spp-graph-figure">{"".join(parts)}'
                               f'<figcaption id="spp-graph-caption">{caption}</figcaption></figure>', format="html")
        out: list[nodes.Node] = [figure]
        if links:
            projects = program.projects
            rows = [[doc_link(self.env, projects[a].docname, projects[a].data.title),
                     doc_link(self.env, projects[b].docname, projects[b].data.title), link_reasons(pair=[a, b])]
                    for (a, b) in links]
            out.append(table(("Project", "Project", "Shared"), rows, (35, 35, 30), ("spp-graph-table",)))
        return out


class link_reasons(nodes.Inline, nodes.Element):
    """Placeholder for why two projects (``pair``) are linked: the titles of their joint papers
    and their shared PIs, made when the page is written."""


def visit_link_reasons(self, node: link_reasons) -> None:
    if not hasattr(self, "spp_links"):  # one computation for the page's whole table
        state = build_state(self.builder.app)
        self.spp_links = collaborations(state.loaded_program, state.loaded_bibliography)
    self.body.append(escape("; ".join(self.spp_links.get(tuple(node["pair"]), []))))
    raise nodes.SkipNode
