"""The program at a glance (tests/sites/small): output charts whose numbers are the lists',
a collaboration graph with exactly the links the data has, drawn the same every time, and the
reports for the DFG with their groups and counts."""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
import warm
from bs4 import BeautifulSoup
from conftest import copy_small_site, read, sphinx_build


def soup(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup(read(out / name), "html.parser")


def entries_by_year(out: Path) -> dict[int, list[str]]:
    return {int(p.stem): [li["id"] for li in soup(out, f"publications/{p.name}").select("li.spp-pub")]
            for p in (out / "publications").glob("*.html")}


def test_chart_numbers_are_the_lists_numbers(small_site):
    page = soup(small_site, "docs/publications.html")
    chart = page.select_one("#spp-chart-type svg")
    bars = Counter()
    for rect in chart.select("rect[data-year]"):
        bars[int(rect["data-year"])] += int(rect["data-count"])
    lists = entries_by_year(small_site)
    assert dict(bars) == {year: len(keys) for year, keys in lists.items()} == {2021: 1, 2022: 1, 2023: 1}
    assert int(chart["data-total"]) == sum(bars.values())
    assert {(r["data-year"], r["data-category"]) for r in chart.select("rect[data-year]")} == {
        ("2021", "conference"), ("2022", "preprint"), ("2023", "journal")}
    table = [[c.get_text() for c in row.select("td")] for row in page.select("#spp-chart-type tbody tr")]
    assert table == [["2021", "0", "1", "0", "1"], ["2022", "0", "0", "1", "1"], ["2023", "1", "0", "0", "1"]]
    summary = page.select_one("#spp-chart-type .spp-chart-summary").get_text()
    assert summary.startswith("3 publications of the program from 2021 to 2023: 1 journal articles, 1 conference")
    assert chart.select_one("title").get_text() and chart["aria-labelledby"].endswith("-desc")


def test_a_project_page_has_its_chart_and_report(small_site):
    page = soup(small_site, "projects/stated-project.html")
    rects = page.select("#spp-chart-type rect[data-year]")
    assert [(r["data-year"], r["data-count"]) for r in rects] == [("2023", "1")]
    link = page.select_one('#publications a[href$="stated-project-report.md"]')
    assert link.get_text() == "Report for 2024–2027 (Markdown)"
    report = read(small_site / "publications" / "stated-project-report.md")
    # The funding period is 2024-2027: the 2023 joint paper is outside it.
    assert "Publications (2024–2027): 0." in report


def graph_links(out: Path) -> dict[str, str]:
    page = soup(out, "docs/collaboration.html")
    rows = {" | ".join(a.get_text() for a in row.select("a")): row.select("td")[2].get_text()
            for row in page.select("table.spp-graph-table tbody tr")}
    lines = sorted(line["data-link"] for line in page.select("svg.spp-graph line"))
    assert len(lines) == len(rows)
    return rows


def test_the_graph_links_exactly_what_projects_share(small_site, tmp_path):
    assert graph_links(small_site) == {
        "A Project Whose PIs Are Inferred | A Project Whose Facts Are Stated":
            "publication: A joint paper of two projects"}
    nodes = soup(small_site, "docs/collaboration.html").select("svg.spp-graph a.spp-graph-node")
    assert sorted(n["href"] for n in nodes) == ["../projects/inferred-project.html", "../projects/stated-project.html"]
    assert all(n["aria-label"].endswith(("1 link", "links")) for n in nodes)
    # A third project sharing a PI adds exactly one more link.
    root = copy_small_site(tmp_path / "site")
    (root / "projects" / "third-project.md").write_text(
        "---\ntitle: A Third Project\nphases: [2]\nperspectives: [methodological]\npis: [ada-stated]\nstart: 2024\n"
        "sources:\n  - url: https://example.org/third\n    states: [pis, start]\n---\n\nThird.\n", encoding="utf-8")
    out = root / "_build" / "html"
    assert sphinx_build(root, out).returncode == 0
    assert graph_links(out) == {
        "A Project Whose PIs Are Inferred | A Project Whose Facts Are Stated":
            "publication: A joint paper of two projects",
        "A Project Whose Facts Are Stated | A Third Project": "PI: Ada Stated"}
    # Same data, same picture: a second clean build draws the same SVG.
    again = copy_small_site(tmp_path / "again")
    (again / "projects" / "third-project.md").write_text(read(root / "projects" / "third-project.md"), encoding="utf-8")
    assert sphinx_build(again, again / "_build" / "html").returncode == 0
    svg = [str(soup(o, "docs/collaboration.html").select_one("svg.spp-graph"))
           for o in (out, again / "_build" / "html")]
    assert svg[0] == svg[1]


def test_reports_group_and_count_the_publications(tmp_path):
    root = copy_small_site(tmp_path / "site")
    result = warm.run([sys.executable, "-m", "spp_site.report", str(root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "stated-project: 1 publication (1 peer-reviewed journal articles, 0 conference papers, 0 preprints " \
           "and other)" in result.stdout
    program = read(root / "_build" / "report" / "program" / "publications.md")
    heads = re.findall(r"^## (.*) \((\d+)\)$", program, flags=re.M)
    assert heads == [("Peer-reviewed journal articles", "1"), ("Conference papers", "1"), ("Preprints and other", "1")]
    rows = list(csv.DictReader(read(root / "_build" / "report" / "program" / "publications.csv").splitlines()))
    assert [(r["group"], r["key"]) for r in rows] == [
        ("Peer-reviewed journal articles", "stated2023joint"), ("Preprints and other", "stated2022preprint"),
        ("Conference papers", "guessed2021talk")]
    bib = read(root / "_build" / "report" / "program" / "publications.bib")
    assert re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M) == ["stated2023joint", "stated2022preprint",
                                                              "guessed2021talk"]
    summary = read(root / "_build" / "report" / "program" / "summary.md")
    assert "| 2023 | 1 | 0 | 0 | 1 |" in summary and "2 projects." in summary
    one = warm.run([sys.executable, "-m", "spp_site.report", str(root), "--project", "inferred-project",
                          "--from", "2022", "--to", "2022"], capture_output=True, text=True)
    assert one.returncode == 0 and "inferred-project: 0 publications" in one.stdout
    unknown = warm.run([sys.executable, "-m", "spp_site.report", str(root), "--project", "nope"],
                             capture_output=True, text=True)
    assert unknown.returncode == 2 and "unknown project 'nope'" in unknown.stderr


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_and_graph_are_accessible(small_site, chromium, scheme):
    import json

    import axe_playwright_python
    from browser import WCAG, serve

    axe_source = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    context = chromium.new_context(color_scheme=scheme)
    page = context.new_page()
    with serve(small_site) as url:
        for path in ("docs/publications.html", "docs/collaboration.html"):
            page.goto(f"{url}/{path}")
            page.evaluate(axe_source)
            violations = page.evaluate(f"axe.run(document, {json.dumps(WCAG)}).then(r => r.violations)")
            assert [v["id"] for v in violations] == [], path
        # Every node is reachable with the keyboard and named.
        page.goto(f"{url}/docs/collaboration.html")
        names = []
        for _ in range(60):
            page.keyboard.press("Tab")
            name = page.evaluate("document.activeElement.getAttribute('aria-label')")
            if name and page.evaluate("document.activeElement.classList.contains('spp-graph-node')"):
                names.append(name)
        assert sorted(set(names)) == ["A Project Whose Facts Are Stated: 1 link",
                                      "A Project Whose PIs Are Inferred: 1 link"]
    context.close()


def test_graph_nodes_never_cover_each_other(small_site, tmp_path):
    """Many small groups of linked projects (as at 10,000 entries) each get room of their own."""
    from types import SimpleNamespace

    from spp_site.pages.graph import RADIUS, layout

    projects = {f"p{i:02d}": SimpleNamespace(data=SimpleNamespace(perspectives=[SimpleNamespace(value="x")]))
                for i in range(30)}
    links = {(f"p{i:02d}", f"p{i + 1:02d}"): ["publication: x"] for i in range(0, 30, 2)}
    places = layout(SimpleNamespace(projects=projects), links)
    points = list(places.values())
    assert len(points) == 30
    for i, (x1, y1) in enumerate(points):
        for x2, y2 in points[i + 1:]:
            assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= 2 * RADIUS
