"""Only sourced facts reach readers: inferred fields are never shown, every shown PI, member,
affiliation, institution and date has a source, and events say which date they show.

Behaviour runs on the purpose-built site in tests/sites/small; the last tests are the gate on
the real site.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import warm
from bs4 import BeautifulSoup
from conftest import ROOT, copy_small_site, read, sphinx_build
from icalendar import Calendar

from spp_site.content.loader import load_program

copy_fixture = copy_small_site


@pytest.fixture(scope="module")
def facts_site(small_site) -> Path:
    return small_site


def page(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup(read(out / name), "html.parser")


def article_text(soup: BeautifulSoup) -> str:
    return " ".join(soup.select_one("article").get_text(" ").split())


def meta_fields(soup: BeautifulSoup) -> dict[str, str]:
    box = soup.select_one(".spp-project-meta")
    names = [" ".join(dt_.get_text(" ").split()).rstrip(": ") for dt_ in box.select("dt")]
    values = [" ".join(dd.get_text(" ").split()) for dd in box.select("dd")]
    return dict(zip(names, values, strict=True))


def test_inferred_pi_institution_phase_and_acronym_are_not_shown(facts_site):
    soup = page(facts_site, "projects/inferred-project.html")
    assert meta_fields(soup) == {
        "Funded": "since 2021",
        "German title": "Ein Projekt mit erschlossenen Leitern",
        "DFG project number": "987654321 (GEPRIS)",
    }
    without_papers = BeautifulSoup(str(soup.select_one("article")), "html.parser")
    without_papers.select_one("#publications").decompose()  # authors of papers are the papers' facts
    text = " ".join(without_papers.get_text(" ").split())
    for shown_nowhere in ("Gus Guessed", "University of Guesswork", "GUESS", "Phase", "Statistical perspective"):
        assert shown_nowhere not in text
    # ... and the project page is still complete: title, German title, GEPRIS link, period, publications.
    assert soup.select_one("h1").get_text().rstrip("#") == "A Project Whose PIs Are Inferred"
    assert soup.select_one('.spp-project-meta a[href="https://gepris.dfg.de/gepris/projekt/987654321?language=en"]')
    assert soup.select_one("#publications") is not None
    # Nor anywhere else: people, institutions, the catalogue card, JSON-LD.
    for name in ("docs/people.html", "docs/institutions.html", "projects/index.html"):
        assert "Gus Guessed" not in read(facts_site / name)
        assert "University of Guesswork" not in read(facts_site / name)
    ld = json.loads(soup.select_one('script[type="application/ld+json"]').string)
    assert "member" not in ld and "location" not in ld


def test_stated_facts_are_shown_with_their_official_sources_only(facts_site):
    soup = page(facts_site, "projects/stated-project.html")
    assert meta_fields(soup) == {
        "Principal investigators": "Ada Stated ORCID homepage",
        "Institutions": "University of Stated Facts",
        "Perspectives": "Application perspective",
        "Funding phases": "Phase 2 (2024–2027)",
        "Funded": "2024–2027",
        "German title": "Ein Projekt mit belegten Fakten",
        "DFG project number": "123456789 (GEPRIS)",
    }
    team = soup.select_one(".spp-project-meta .spp-team-member")
    assert [a["href"] for a in team.select("a")][1:] == ["https://orcid.org/0000-0002-1825-0097",
                                                          "https://example.org/ada"]
    sources = [a["href"] for a in soup.select("#sources li a")]
    assert sources == ["https://example.org/gepris-123456789"]  # the working copy stays in the data
    people = page(facts_site, "docs/people.html")
    assert [e["id"] for e in people.select(".spp-person")] == ["person-ada-stated"]
    assert "University of Stated Facts" in people.select_one("#person-ada-stated").get_text()


def test_an_inferred_perspective_places_the_project_and_the_page_says_so_once(facts_site):
    statistical = page(facts_site, "docs/perspectives/statistical.html")
    assert [a.get_text() for a in statistical.select(".spp-card-title a")] == ["A Project Whose PIs Are Inferred"]
    assert article_text(statistical).count("by the topic of their description") == 1
    application = page(facts_site, "docs/perspectives/application.html")
    assert [a.get_text() for a in application.select(".spp-card-title a")] == ["A Project Whose Facts Are Stated"]
    assert "by the topic" not in article_text(application)


def test_catalogue_groups_by_stated_start_year(facts_site):
    soup = page(facts_site, "projects/index.html")
    groups = {s["id"]: [a.get_text() for a in s.select("li a")] for s in soup.select("section[id^=projects-funded]")}
    assert groups == {"projects-funded-since-2021": ["A Project Whose PIs Are Inferred"],
                      "projects-funded-since-2024": ["A Project Whose Facts Are Stated"]}
    cards = {c.select_one(".spp-card-title a").get_text(): c for c in soup.select(".spp-project-card")}
    assert "PIs:" not in cards["A Project Whose PIs Are Inferred"].get_text()
    assert "PIs: Ada Stated" in " ".join(cards["A Project Whose Facts Are Stated"].get_text().split())
    assert "spp-f-since-2021" in cards["A Project Whose PIs Are Inferred"]["class"]


def test_events_say_which_date_they_show(facts_site):
    announced = page(facts_site, "docs/news/2023-05-01-meeting-announced.html")
    fields = {dt_.get_text().strip().rstrip(":"): dd.get_text().strip() for dt_, dd in
              zip(announced.select(".spp-post-meta dt"), announced.select(".spp-post-meta dd"), strict=True)}
    assert fields == {"Announced": "1 May 2023", "Where": "Bonn"}
    assert announced.select_one('a[href$=".ics"]') is None
    ld = json.loads(announced.select_one('script[type="application/ld+json"]').string)
    assert "startDate" not in ld and "endDate" not in ld

    workshop = page(facts_site, "docs/news/2023-09-04-workshop.html")
    assert "4 September 2023 – 6 September 2023" in workshop.select_one(".spp-post-meta").get_text()
    events = page(facts_site, "docs/events.html")
    assert [li.get_text(" ", strip=True) for li in events.select("#past-events li")] == [
        "4 September 2023 – 6 September 2023 · Three-day workshop · Kassel",
        "Announced 1 May 2023 · Annual meeting known from its announcement · Bonn",
    ]


def test_calendar_holds_the_dated_events_with_their_whole_span(facts_site):
    cal = Calendar.from_ical((facts_site / "events" / "events.ics").read_bytes())
    got = [(str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend"), str(e["location"]))
           for e in cal.walk("VEVENT")]
    assert got == [("Three-day workshop", dt.date(2023, 9, 4), dt.date(2023, 9, 7), "Kassel")]  # DTEND exclusive
    one = Calendar.from_ical((facts_site / "events" / "2023-09-04-workshop.ics").read_bytes())
    assert [str(e["uid"]) for e in one.walk("VEVENT")] == ["2023-09-04-workshop@foundationsofdl.de"]
    assert not (facts_site / "events" / "2023-05-01-meeting-announced.ics").exists()


# -- validate: a shown fact without a source is an error with file and line -----------------

def validate(root: Path) -> subprocess.CompletedProcess:
    return warm.run([sys.executable, "-m", "spp_site.validate", str(root)], capture_output=True, text=True)


def line_no(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(read(path).splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("file", "old", "new", "needle", "code"),
    [
        ("docs/data/people.yaml", "        source: https://example.org/ada-at-uni-stated\n", "",
         "- institution: uni-stated", "spp.person.unsourced_affiliation"),
        ("docs/data/people.yaml", "    sources:\n      - https://example.org/ada\n", "",
         "- id: ada-stated", "spp.person.unsourced"),
        ("docs/data/institutions.yaml", "    sources:\n      - https://example.org/uni-stated\n", "",
         "- id: uni-stated", "spp.institution.unsourced"),
        ("projects/stated-project.md", "states: [pis, start, end]", "states: [start, end]",
         "pis: [ada-stated]", "spp.project.unsourced_fact"),
        ("projects/stated-project.md", "states: [pis, start, end]", "states: [pis, start]",
         "end: 2027", "spp.project.unsourced_fact"),
        ("projects/inferred-project.md", "inferred: [pis, institutions,", "inferred: [pis,",
         "institutions: [uni-guessed]", "spp.project.unsourced_fact"),
    ],
)
def test_an_unsourced_fact_fails_validate_with_file_and_line(tmp_path, file, old, new, needle, code):
    root = copy_fixture(tmp_path / "site")
    path = root / file
    text = read(path)
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = validate(root)
    assert result.returncode == 1
    problems = re.findall(r"^(\S+):(\d+): .* \[(\S+)\]$", result.stderr, flags=re.M)
    assert problems == [(file, str(line_no(path, needle)), code)], result.stderr
    # The build stops with the same message.
    build = sphinx_build(root, root / "_build" / "html")
    assert build.returncode != 0 and f"{file}:{line_no(path, needle)}:" in build.stderr


def test_the_fixture_site_is_valid(tmp_path):
    result = validate(copy_fixture(tmp_path / "site"))
    assert result.returncode == 0, result.stderr


# -- Gate on the real site -----------------------------------------------------------------------

def test_real_site_shows_only_sourced_facts_and_no_inferred_ones(site):
    program = load_program(ROOT / "docs" / "data", ROOT / "projects", ROOT)
    for slug, record in program.projects.items():
        soup = page(site, f"projects/{slug}.html")
        meta = soup.select_one(".spp-project-meta")
        shown_people = {a["href"].split("#person-")[1] for a in meta.select('a[href*="#person-"]')}
        assert shown_people == {*record.pis, *record.data.former_pis, *record.data.members}, slug
        stated = {f for s in record.data.sources for f in s.states}
        for field in ("pis", "former_pis", "members"):
            if getattr(record.data, field) not in ([], "unknown"):
                assert field in stated, (slug, field)
        for pid in shown_people:
            assert program.people[pid].sources, pid
        shown_insts = {a["href"].split("#institution-")[1] for a in meta.select('a[href*="#institution-"]')}
        assert shown_insts == set(record.institutions), slug
        for iid in shown_insts:
            assert program.institutions[iid].sources, iid
        # What the data marks as inferred appears nowhere on the page as a fact.
        recorded = record.recorded
        article = soup.select_one("article")
        for listing in article.select("#publications"):
            listing.decompose()  # authors of papers are facts of the papers, not claims about the project
        text = " ".join(article.get_text(" ").split())
        if "pis" in recorded.inferred and recorded.pis != "unknown":
            for pid in recorded.pis:
                assert program.people[pid].name not in text, (slug, pid)
        if "acronym" in recorded.inferred and recorded.acronym:
            assert "Acronym" not in meta.get_text(), slug
        if "perspectives" in recorded.inferred:
            assert "Perspectives" not in meta.get_text(), slug
        for source in record.data.sources:
            if source.working_copy:
                assert source.url not in read(site / f"projects/{slug}.html"), slug
    people = page(site, "docs/people.html")
    for entry in people.select(".spp-person"):
        person = program.people[entry["id"].removeprefix("person-")]
        assert person.sources
        shown = {a["href"].split("#institution-")[1] for a in entry.select('a[href*="#institution-"]')}
        assert shown == {a.institution for a in person.affiliations if a.source}, person.id
    institutions = page(site, "docs/institutions.html")
    for entry in institutions.select(".spp-institution"):
        assert program.institutions[entry["id"].removeprefix("institution-")].sources


def test_no_page_shows_gaps_or_editors_notes(site):
    for path in site.rglob("*.html"):
        text = read(path)
        for phrase in ("not yet known", "not yet provided", "to be announced", "Deduced by the editors",
                       "our inference", "github.com/kkai"):
            assert phrase not in text, (path.relative_to(site), phrase)
