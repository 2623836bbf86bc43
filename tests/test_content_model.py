"""Projects, people and institutions: generated pages match the data, bad data fails clearly."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import warm
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, read, sphinx_build

from spp_site.content.errors import SiteDataError
from spp_site.content.loader import load_program

PROJECTS = sorted(p.stem for p in (ROOT / "projects").glob("*.md")
                  if not p.name.startswith("_") and p.name != "index.md")


@pytest.fixture(scope="module")
def program():
    return load_program(ROOT / "docs" / "data", ROOT / "projects", ROOT)


def hrefs(path: Path) -> set[str]:
    page = BeautifulSoup(read(path), "html.parser")
    return {a["href"].split("#")[0] for a in page.select("article a[href]")}


def test_every_project_has_a_page_in_the_catalogue_and_its_perspectives(site, program):
    assert sorted(program.projects) == PROJECTS and len(PROJECTS) >= 23
    catalogue = hrefs(site / "projects" / "index.html")
    for slug, record in program.projects.items():
        assert (site / "projects" / f"{slug}.html").exists()
        assert f"{slug}.html" in catalogue
        for perspective in record.data.perspectives:
            page = site / "docs" / "perspectives" / f"{perspective.value}.html"
            assert f"../../projects/{slug}.html" in hrefs(page)
    # ... and the other way round: perspective pages list nothing else.
    for perspective in ("statistical", "application", "methodological"):
        page = BeautifulSoup(read(site / "docs" / "perspectives" / f"{perspective}.html"), "html.parser")
        listed = {a["href"].split("/")[-1][:-5] for a in page.select(".spp-card-title a")}
        expected = {s for s, r in program.projects.items()
                    if perspective in {p.value for p in r.data.perspectives}}
        assert listed == expected


def test_home_page_figures_are_the_data_counts(site, program):
    page = BeautifulSoup(read(site / "index.html"), "html.parser")
    shown = {f.select_one(".spp-figure-label").get_text().lower(): int(f.select_one(".spp-figure-value").get_text())
             for f in page.select(".spp-figure")}
    assert shown == program.figures() == {"projects, funded from 2021 and 2024": len(PROJECTS),
                                          "research perspectives": 3}
    # PIs and hosts are known for some projects only: no total is shown for them.
    assert any(not r.pis for r in program.projects.values())


def test_project_page_links_its_people_institutions_and_perspectives(site, program):
    record = program.projects["globally-optimal-training"]
    page = BeautifulSoup(read(site / "projects" / "globally-optimal-training.html"), "html.parser")
    meta = page.select_one(".spp-project-meta")
    links = {a.get_text(): a["href"] for a in meta.select("a[href]")}
    assert links["Marc Pfetsch"].endswith("docs/people.html#person-marc-pfetsch")
    assert links["Zuse Institute Berlin"].endswith("docs/institutions.html#institution-zib")
    assert "Statistical perspective" not in links  # inferred: it places the project, it is not a fact
    assert record.data.dfg_number in meta.get_text()
    stated = BeautifulSoup(read(site / "projects" / "robust-gnn-certification.html"), "html.parser")
    links = {a.get_text(): a["href"] for a in stated.select(".spp-project-meta a[href]")}
    assert links["Application perspective"].endswith("perspectives/application.html")
    people = BeautifulSoup(read(site / "docs" / "people.html"), "html.parser")
    entry = people.select_one("#person-marc-pfetsch")
    assert "../projects/globally-optimal-training.html" in {a["href"] for a in entry.select("a")}


def test_people_are_sorted_by_family_name(site, program):
    page = BeautifulSoup(read(site / "docs" / "people.html"), "html.parser")
    ids = [e["id"].removeprefix("person-") for e in page.select(".spp-person")]
    expected = [p.id for p in sorted(program.listed_people(), key=lambda p: p.sort_key)]
    assert ids == expected and len(ids) >= 20


def test_a_project_with_unknown_pis_has_a_complete_page_without_gaps(site, program):
    record = program.projects["deep-anomaly-detection"]
    page = BeautifulSoup(read(site / "projects" / "deep-anomaly-detection.html"), "html.parser")
    meta = page.select_one(".spp-project-meta")
    labels = [f.get_text() for f in meta.select(".field-list dt, dt")]
    assert "Principal investigators" not in " ".join(labels)
    assert page.select_one("h1").get_text().rstrip("#") == record.data.title
    assert record.data.title_de in meta.get_text()
    gepris = meta.select_one(f'a[href="{record.data.gepris_url}"]')
    assert gepris is not None and record.data.dfg_number in gepris.get_text()
    assert f"since {record.data.start}" in meta.get_text()
    # No publications: no section (an empty field is not shown).
    assert page.select_one("#publications") is None
    assert "not yet known" not in page.get_text() and "No publications" not in page.get_text()


# -- Bad input: one message with file, line and code per mistake ---------------------------

def errors_for(site_copy: Path) -> list:
    with pytest.raises(SiteDataError) as info:
        load_program(site_copy / "docs" / "data", site_copy / "projects", site_copy)
    return info.value.errors


def edit(path: Path, old: str, new: str) -> None:
    text = read(path)
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(read(path).splitlines(), 1) if needle in line)


PROJECT = "projects/globally-optimal-training.md"


@pytest.mark.parametrize(
    ("file", "old", "new", "code", "needle"),
    [
        (PROJECT, "- statistical", "- statistics", "spp.project.unknown_perspective", "- statistics"),
        (PROJECT, "- marc-pfetsch", "- marc-pfetch", "spp.project.unknown_person", "marc-pfetch"),
        (PROJECT, "pis:", "institutions: [tu-nowhere]\npis:", "spp.project.unknown_institution", "tu-nowhere"),
        (PROJECT, "title: Globally", "titel: Globally", "spp.project.unknown_field", "titel:"),
        (PROJECT, "perspectives:", "acronym: [unclosed\nperspectives:", "spp.yaml.malformed", "perspectives:"),
        ("docs/data/people.yaml", "  - id: marc-pfetsch\n    name: Marc Pfetsch",
         "  - id: marc-pfetsch\n    name: Marc Pfetsch\n    orcid: 0000-0002-1825-0098",
         "spp.person.invalid_orcid", "orcid: 0000-0002-1825-0098"),
        ("docs/data/institutions.yaml", "latitude: 52.4572", "latitude: 152.4572",
         "spp.institution.bad_coordinates", "latitude: 152.4572"),
        ("docs/data/people.yaml", "  - id: leon-bungert",
         "  - id: marc-pfetsch\n    name: Marc Pfetsch\n\n  - id: leon-bungert",
         "spp.person.duplicate_id", "  - id: marc-pfetsch\n"),
        ("docs/data/people.yaml", "- institution: uni-wuerzburg", "- institution: uni-wuerzbur",
         "spp.person.unknown_institution", "- institution: uni-wuerzbur"),
    ],
)
def test_bad_data_gives_one_error_with_file_and_line(site_copy, file, old, new, code, needle):
    path = site_copy / file
    edit(path, old, new)
    errors = errors_for(site_copy)
    assert [e.code for e in errors] == [code], errors
    error = errors[0]
    assert str(error.path) == file
    if needle.endswith("\n"):  # duplicate: points at the second occurrence
        lines = [i for i, text in enumerate(read(path).splitlines(), 1) if text == needle.rstrip("\n")]
        assert error.line == lines[1]
    else:
        assert error.line == line_of(path, needle)
    assert f"{file}:{error.line}:" in str(error)


def test_missing_title_and_missing_pis_are_errors(site_copy):
    path = site_copy / PROJECT
    text = read(path)
    text = re.sub(r"^title: .*\n", "", text, flags=re.M)
    text = re.sub(r"^pis:\n(- .*\n)+", "", text, flags=re.M)
    path.write_text(text, encoding="utf-8")
    errors = errors_for(site_copy)
    assert sorted(str(e).split(": ", 1)[1] for e in errors) == [
        "required field 'pis' is missing [spp.project.missing_field]\n    -> add 'pis:' to the project",
        "required field 'title' is missing [spp.project.missing_field]\n    -> add 'title:' to the project",
    ]


def test_project_outside_the_catalogue_is_an_error(site_copy):
    (site_copy / "projects" / "old").mkdir()
    (site_copy / "projects" / "globally-optimal-training.md").rename(site_copy / "projects" / "old" / "x.md")
    assert [e.code for e in errors_for(site_copy)] == ["spp.project.unreachable"]


def test_a_data_error_fails_the_build_with_its_message(site_copy):
    edit(site_copy / PROJECT, "- marc-pfetsch", "- marc-pfetch")
    result = sphinx_build(site_copy, site_copy / "_build")
    assert result.returncode != 0
    assert f"{PROJECT}:{line_of(site_copy / PROJECT, 'marc-pfetch')}: unknown person 'marc-pfetch'" in result.stderr


def test_validate_command_reports_the_same_errors(site_copy):
    ok = warm.run([sys.executable, "-m", "spp_site.validate", str(site_copy)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    edit(site_copy / "docs/data/institutions.yaml", "longitude: 13.2786", "longitude: 213.2786")
    bad = warm.run([sys.executable, "-m", "spp_site.validate", str(site_copy)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "docs/data/institutions.yaml:" in bad.stderr and "spp.institution.bad_coordinates" in bad.stderr


def test_new_project_scaffold_is_valid_once_filled_in(site_copy):
    result = warm.run([sys.executable, "-m", "spp_site.scaffold", "new-thing"], cwd=site_copy,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "projects/new-thing.md" in result.stdout and "nox -s validate" in result.stdout
    page = site_copy / "projects" / "new-thing.md"
    assert (site_copy / "bibliography" / "new-thing.bib").exists()
    # The empty template is caught, not accepted...
    assert {e.code for e in errors_for(site_copy)} >= {"spp.project.invalid_value"}
    # ... and filled in, it is valid.
    front = yaml.safe_load(read(page).split("---")[1])
    front.update(title="A new project", perspectives=["statistical"], pis=["gitta-kutyniok"],
                 sources=[{"url": "https://example.org/source", "states": ["pis"]}])
    page.write_text("---\n" + yaml.safe_dump(front) + "---\n\nSummary.\n", encoding="utf-8")
    program = load_program(site_copy / "docs" / "data", site_copy / "projects", site_copy)
    assert "new-thing" in program.projects
    again = warm.run([sys.executable, "-m", "spp_site.scaffold", "new-thing"], cwd=site_copy,
                           capture_output=True, text=True)
    assert again.returncode == 1 and "already exists" in again.stderr


# --- JSON Schema for editors -------------------------------------------------------------------

def test_editor_schemas_are_up_to_date():
    """The committed schemas are what the models export now (else: python -m spp_site.content.schema)."""
    from spp_site.content.schema import outdated

    assert outdated(ROOT) == []


def test_editor_schemas_accept_the_real_data_and_reject_mistakes():
    """An independent validator (jsonschema) agrees with the build on real and broken files."""
    import json

    import jsonschema

    from spp_site.content.schema import SCHEMA_DIR
    from spp_site.content.yamlsource import split_front_matter

    def validator(name):
        schema = json.loads((ROOT / SCHEMA_DIR / name).read_text(encoding="utf-8"))
        return jsonschema.Draft202012Validator(schema)

    project = validator("project.schema.json")
    for slug in PROJECTS:
        front, _line, _body = split_front_matter((ROOT / "projects" / f"{slug}.md").read_text(encoding="utf-8"))
        assert list(project.iter_errors(yaml.safe_load(front))) == [], slug
    for name in ("people", "institutions"):
        data = yaml.safe_load((ROOT / "docs" / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
        assert list(validator(f"{name}.schema.json").iter_errors(data)) == [], name

    good = {"title": "T", "phases": [1], "perspectives": ["statistical"], "pis": "unknown", "sources": ["x"]}
    assert project.is_valid(good)
    assert not project.is_valid({**good, "titel": "typo"})
    assert not project.is_valid({**good, "perspectives": ["astrology"]})
    assert not project.is_valid({k: v for k, v in good.items() if k != "title"})
