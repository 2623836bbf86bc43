"""The map: one marker per host institution, each a named link; bad coordinates are flagged."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, read, sphinx_build

from spp_site.content.loader import load_program


@pytest.fixture(scope="module")
def program():
    return load_program(ROOT / "docs" / "data", ROOT / "projects", ROOT)


@pytest.mark.parametrize("page", ["index.html", "docs/institutions.html"])
def test_markers_match_the_institutions_with_projects(site, program, page):
    html = BeautifulSoup(read(site / page), "html.parser")
    markers = html.select("svg a.spp-marker")
    hosts = program.host_institutions()
    assert len(markers) == len(hosts) > 5
    prefix = "" if page.startswith("docs/") else "docs/"
    for inst in hosts:
        count = len(program.projects_at(inst.id))
        marker = html.select_one(f'a.spp-marker[href="{prefix}institutions.html#institution-{inst.id}"]')
        assert marker is not None, inst.id
        assert marker["aria-label"] == f"{inst.label}: {count} project{'s' if count != 1 else ''}"
    # The accessible fallback: a table with the same institutions and counts.
    rows = {r.select("td")[0].get_text(): int(r.select("td")[2].get_text())
            for r in html.select(".spp-map-table tbody tr")}
    assert rows == {i.name: len(program.projects_at(i.id)) for i in hosts}


def test_coordinates_outside_germany_are_flagged_with_file_and_line(site_copy):
    path = site_copy / "docs" / "data" / "institutions.yaml"
    text = read(path).replace("latitude: 49.7878", "latitude: 41.9")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t == "  - id: uni-wuerzburg")
    result = sphinx_build(site_copy, site_copy / "_build")
    assert result.returncode != 0
    assert re.search(rf"^docs/data/institutions\.yaml:{line}: WARNING: institution 'uni-wuerzburg' .* outside Germany",
                     result.stderr, re.M), result.stderr
    path.write_text(text.replace("  - id: uni-wuerzburg\n", "  - id: uni-wuerzburg\n    abroad: true\n"),
                    encoding="utf-8")
    assert sphinx_build(site_copy, site_copy / "_build").returncode == 0


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 360])
def test_markers_are_big_enough_and_do_not_overlap(site, chromium, base_url, width):
    """WCAG 2.2 target size (24 x 24 CSS px) at desktop and phone widths; no marker covers another."""
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{base_url}/index.html")
    boxes = page.eval_on_selector_all(".spp-marker circle", """cs => cs.map(c => {
        const r = c.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })""")
    context.close()
    assert len(boxes) >= 5
    assert min(min(w, h) for _, _, w, h in boxes) >= 24
    for i, (x1, y1, w1, h1) in enumerate(boxes):
        for x2, y2, w2, h2 in boxes[i + 1:]:
            # circles: centres at least the sum of the radii apart
            distance = ((x1 + w1 / 2 - x2 - w2 / 2) ** 2 + (y1 + h1 / 2 - y2 - h2 / 2) ** 2) ** 0.5
            assert distance >= (w1 + w2) / 2, (boxes[i], (x2, y2, w2, h2))
