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
