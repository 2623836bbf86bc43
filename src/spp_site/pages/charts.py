"""Output over time: publications per year, split by type or by perspective, as an SVG drawn at
build time (no charting library in the browser), with a text summary and the same numbers as a
table. Colours come from CSS variables, so dark mode keeps its contrast; the SVG scales to a
phone's width. ``{output-chart}`` on a page (``:by: type`` or ``perspective``, optional
``:project: slug``); project pages get theirs through the spp-project-page event.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx

from ..bibliography.model import Publication
from ..bibliography.pages import COUNTED, get_bibliography, note_selection, perspectives_of, select
from ..content.model import PERSPECTIVE_TITLES, Perspective, ProjectRecord
from ..state import SppDirective, read_program

# Report groups (as funding reports ask) doubling as the chart's type categories.
TYPE_GROUPS = {"article": "journal", "inproceedings": "conference", "conference": "conference",
               "software": "software"}
TYPE_NAMES = {"journal": "Journal articles", "conference": "Conference papers",
              "preprint": "Preprints and other", "software": "Software"}
PERSPECTIVE_NAMES = {p.value: PERSPECTIVE_TITLES[p].removesuffix(" perspective") for p in Perspective}


def type_group(pub: Publication) -> str:
    return TYPE_GROUPS.get(pub.entry_type, "preprint")


def counts(pubs: list[Publication], by: str, program) -> tuple[list[int], list[str], dict[int, Counter]]:
    """(years, categories, year -> category counts). By perspective, a paper of projects in two
    perspectives counts in both (the summary says so)."""
    per_year: dict[int, Counter] = {}
    for pub in pubs:
        found = [type_group(pub)] if by == "type" else perspectives_of(pub, program) or ["none"]
        per_year.setdefault(pub.year, Counter()).update(found)
    names = TYPE_NAMES if by == "type" else {**PERSPECTIVE_NAMES, "none": "No perspective"}
    used = [c for c in names if any(c in row for row in per_year.values())]
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    return years, used, per_year


def svg(chart_id: str, years: list[int], categories: list[str], per_year: dict[int, Counter], names: dict[str, str],
        title: str, summary: str) -> str:
    """Stacked bars, one per year; every bar segment has a tooltip with its number."""
    width, height, left, bottom, top = 640, 260, 36, 48, 12
    peak = max((sum(per_year.get(y, Counter()).values()) for y in years), default=1) or 1
    step = (width - left - 8) / max(len(years), 1)
    bar = min(48.0, step * 0.7)
    scale = (height - bottom - top) / peak
    total = sum(sum(c.values()) for c in per_year.values())
    parts = [f'<svg class="spp-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" data-total="{total}">'
             f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(summary)}</desc>']
    for tick in sorted({0, peak, peak // 2} if peak > 1 else {0, peak}):
        y = height - bottom - tick * scale
        parts.append(f'<line class="spp-chart-grid" x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="spp-chart-axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, year in enumerate(years):
        x = left + i * step + (step - bar) / 2
        base = height - bottom
        row = per_year.get(year, Counter())
        for category in categories:
            n = row.get(category, 0)
            if not n:
                continue
            h = n * scale
            base -= h
            parts.append(f'<rect class="spp-chart-{category}" x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" '
                         f'height="{h:.1f}" data-year="{year}" data-category="{category}" data-count="{n}">'
                         f'<title>{year}: {n} {escape(names[category].lower())}</title></rect>')
        parts.append(f'<text class="spp-chart-axis" x="{x + bar / 2:.1f}" y="{height - bottom + 18}" '
                     f'text-anchor="middle">{year}</text>')
    legend_x = left
    for category in categories:
        parts.append(f'<rect class="spp-chart-{category}" x="{legend_x}" y="{height - 16}" width="12" height="12"/>'
                     f'<text class="spp-chart-axis" x="{legend_x + 16}" y="{height - 6}">'
                     f"{escape(names[category])}</text>")
        legend_x += 24 + 7.5 * len(names[category])
    parts.append("</svg>")
    return "".join(parts)


def chart_nodes(env, pubs: list[Publication], by: str, program, chart_id: str, scope: str) -> list[nodes.Node]:
    years, categories, per_year = counts(pubs, by, program)
    if not years:
        return []
    names = TYPE_NAMES if by == "type" else {**PERSPECTIVE_NAMES, "none": "No perspective"}
    busiest = max(years, key=lambda y: (sum(per_year.get(y, Counter()).values()), y))
    totals = Counter()
    for row in per_year.values():
        totals.update(row)
    parts = ", ".join(f"{totals[c]} {names[c].lower()}" for c in categories)
    summary = (f"{len(pubs)} publication{'s' if len(pubs) != 1 else ''} {scope} from {years[0]} to {years[-1]}: "
               f"{parts}; most in {busiest} ({sum(per_year[busiest].values())}).")
    if by == "perspective":
        summary += " A paper of projects in two perspectives counts in both."
    title = f"Publications per year by {'type' if by == 'type' else 'perspective'}"
    head = "".join(f"<th>{escape(t)}</th>" for t in ["Year", *(names[c] for c in categories), "All"])
    body = "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in [year, *(per_year.get(year, Counter()).get(c, 0) for c in categories),
                                                   sum(per_year.get(year, Counter()).values())]) + "</tr>"
        for year in years)
    # One string, not docutils nodes: 200 project pages each have a chart (0.4 s as nodes at 10,000 entries).
    html = (f'<div class="spp-chart-figure" id="{chart_id}">'
            f"{svg(chart_id, years, categories, per_year, names, title, summary)}"
            f'<p class="spp-chart-summary">{escape(summary)}</p>'
            f'<details class="spp-chart-data"><summary>The numbers as a table</summary>'
            f'<table class="table spp-chart-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            "</details></div>")
    return [nodes.raw("", html, format="html")]


class OutputChart(SppDirective):
    """Publications per year of the whole program (or of one ``:project:``)."""

    option_spec = {"by": lambda v: directives.choice(v, ("type", "perspective")), "project": directives.unchanged}

    def render(self) -> list[nodes.Node]:
        by = self.options.get("by", "type")
        slug = self.options.get("project")
        selector = f"project:{slug}" if slug else "all"
        pubs = select(get_bibliography(self.env), selector)
        note_selection(self.env, selector, pubs, COUNTED)  # re-drawn when what it counts changes
        scope = "of the program" if not slug else "of the project"
        return chart_nodes(self.env, pubs, by, self.program, f"spp-chart-{by}", scope)


def add_output_chart(app: Sphinx, record: ProjectRecord, section: nodes.section) -> None:
    """spp-project-page: the project's publications per year, when it has any."""
    pubs = get_bibliography(app.env).of_project(record.slug)
    note_selection(app.env, f"project:{record.slug}", pubs, COUNTED)
    if pubs:
        section += chart_nodes(app.env, pubs, "type", read_program(app.env), "spp-chart-type",
                               "of the project")
