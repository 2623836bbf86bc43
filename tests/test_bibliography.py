"""Publications: entries in == entries out, downloads round-trip, bad BibTeX fails clearly."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, read, sphinx_build
from pybtex.database import parse_file

from spp_site.bibliography.loader import decode_latex, load_bibliography
from spp_site.content.errors import SiteDataError
from spp_site.content.loader import load_program


def keys_in_files(root: Path) -> dict[str, list[str]]:
    """Every entry key per .bib file, read independently of our loader (with pybtex)."""
    return {p.stem: list(parse_file(str(p)).entries) for p in sorted((root / "bibliography").glob("*.bib"))}


def entry_ids(path: Path) -> list[str]:
    page = BeautifulSoup(read(path), "html.parser")
    return [li["id"] for li in page.select("li.spp-pub")]


def year_pages(site: Path) -> list[Path]:
    return sorted((site / "publications").glob("*.html"))


def test_every_entry_appears_once_in_the_year_pages_and_on_its_projects(site):
    files = keys_in_files(ROOT)
    all_keys = [k for keys in files.values() for k in keys]
    assert len(all_keys) >= 7
    shown = [key for page in year_pages(site) for key in entry_ids(page)]
    assert Counter(shown) == Counter(all_keys)  # each exactly once, nothing lost or added
    for slug, keys in files.items():
        if slug == "program":
            continue
        assert Counter(entry_ids(site / "projects" / f"{slug}.html")) >= Counter(keys)
    count = BeautifulSoup(read(site / "docs" / "publications.html"), "html.parser").select_one("#spp-pub-count")
    assert count.get_text() == f"{len(all_keys)} publications"


def test_publications_page_links_every_year_newest_first_and_shows_the_newest_entries(site):
    page = BeautifulSoup(read(site / "docs" / "publications.html"), "html.parser")
    links = page.select("nav.spp-year-nav a")
    years = [int(a.get_text()) for a in links]
    assert years == sorted(years, reverse=True)
    assert [site / "docs" / a["href"] for a in links] == [site / "docs" / f"../publications/{y}.html" for y in years]
    assert sorted(p.stem for p in year_pages(site)) == sorted(str(y) for y in years)
    for link, year in zip(links, years, strict=True):
        entries = entry_ids(site / "publications" / f"{year}.html")
        assert f"({len(entries)})" in link.parent.get_text()
        archive = BeautifulSoup(read(site / "publications" / f"{year}.html"), "html.parser")
        assert all(li["data-year"] == str(year) for li in archive.select("li.spp-pub"))
    latest = [li for li in page.select("#spp-latest li.spp-pub")]
    assert [int(li["data-year"]) for li in latest] == sorted((int(li["data-year"]) for li in latest), reverse=True)
    assert 0 < len(latest) <= 25
    # The explorer's facets start with the totals of the whole bibliography.
    year_options = {o["value"]: o.get_text() for o in page.select("#spp-f-year option") if o["value"]}
    assert set(year_options) == {str(y) for y in years}


def test_entry_shows_decoded_authors_links_badges_and_bibtex(site):
    page = BeautifulSoup(read(site / "publications" / "2025.html"), "html.parser")
    entry = page.select_one("#craciun2025nonsingularity")
    assert "Alexandru Crăciun and Debarghya Ghoshdastidar" in entry.get_text()
    links = {a.get_text(): a["href"] for a in entry.select("a")}
    assert links["arXiv"] == "https://arxiv.org/abs/2510.24466"
    assert links["#"] == "#craciun2025nonsingularity"
    badge = entry.select_one("a.spp-badge-project")
    assert badge["href"] == "../projects/semi-supervised-gnn.html"
    assert "@inproceedings{craciun2025nonsingularity" in entry.select_one("details.spp-pub-bibtex pre").get_text()


def test_inline_math_becomes_unicode_text():
    from spp_site.bibliography.format import math_text, plain_text

    assert math_text(r"\ell_1") == "ℓ₁"
    assert math_text(r"O(n^2)") == "O(n²)"
    assert math_text(r"\mathbb{R}^d") == "ℝᵈ"
    assert plain_text(r"Sparse $\ell_1$ bounds") == "Sparse ℓ₁ bounds"


def test_downloads_parse_back_to_the_same_keys(site):
    files = keys_in_files(ROOT)
    all_keys = sorted(k for keys in files.values() for k in keys)
    folder = site / "publications"
    assert sorted(parse_file(str(folder / "publications.bib")).entries) == all_keys
    for slug, keys in files.items():
        if slug != "program":
            assert sorted(parse_file(str(folder / f"{slug}.bib")).entries) == sorted(keys)
    rows = list(csv.DictReader((folder / "publications.csv").open(encoding="utf-8")))
    assert sorted(r["key"] for r in rows) == all_keys
    assert {"project", "perspective", "year"} <= {c.rstrip("s") for c in rows[0]}
    data = json.loads(read(folder / "publications.json"))
    assert sorted(r["key"] for r in data) == all_keys
    row = next(r for r in data if r["key"] == "grillo2025depthbounds")
    assert row["projects"] == "combinatorial-implicit" and row["perspectives"] == "statistical"
    assert row["year"] == 2025


def test_latex_is_decoded_to_unicode():
    assert decode_latex(r"Mont{\'u}far and Cr{\u{a}}ciun") == "Montúfar and Crăciun"
    assert decode_latex(r"{M}{\"u}ller --- \& 50\%") == "Müller — & 50%"
    assert decode_latex(r"On $\ell_1$ {Bounds}") == r"On $\ell_1$ Bounds"


# -- Bad input ---------------------------------------------------------------------------

GOOD = """@article{good2024,
  author = {Doe, Jane},
  title = {A good entry},
  journal = {Journal of Things},
  year = {2024}
}
"""


def bib_errors(site_copy: Path):
    program = load_program(site_copy / "docs" / "data", site_copy / "projects", site_copy)
    with pytest.raises(SiteDataError) as info:
        load_bibliography(site_copy / "bibliography", program, site_copy)
    return info.value.errors


@pytest.mark.parametrize(
    ("text", "code", "line", "words"),
    [
        (GOOD + "\n@article{broken2024,\n  author = {Doe, Jane},\n  title = {Unbalanced {brace},\n"
         "  journal = {J},\n  year = {2024}\n}\n", "spp.bib.syntax", 8, "unbalanced braces"),
        (GOOD + "\n" + GOOD, "spp.bib.duplicate_key", 8, "duplicate key 'good2024'"),
        ("@article{nojournal,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2024}\n}\n",
         "spp.bib.missing_field", 1, "'journal'"),
        ("@inproceedings{nobook,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2024}\n}\n",
         "spp.bib.missing_field", 1, "'booktitle'"),
        ("@misc{nolink,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2024}\n}\n",
         "spp.bib.missing_field", 1, "one of url, eprint or doi"),
        (GOOD.replace("{2024}", "{24}"), "spp.bib.bad_year", 1, "'24' is not a four-digit year"),
        (GOOD.replace("year", "doi = {10.1234},\n  year"), "spp.bib.bad_doi", 1, "DOI '10.1234' is malformed"),
        (GOOD.replace("year", "url = {javascript:alert(1)},\n  year"), "spp.bib.bad_url", 1, "not an http(s)"),
        (GOOD.replace("year", "projects = {no-such-project},\n  year"), "spp.bib.unknown_project", 1,
         "unknown project 'no-such-project'"),
    ],
)
def test_bad_bibtex_gives_one_error_with_file_and_line(site_copy, text, code, line, words):
    path = site_copy / "bibliography" / "geomar.bib"
    path.write_text(text, encoding="utf-8")
    errors = bib_errors(site_copy)
    assert [e.code for e in errors] == [code], errors
    assert str(errors[0].path) == "bibliography/geomar.bib" and errors[0].line == line
    assert words in str(errors[0])


def test_parsing_in_worker_processes_gives_the_same_entries_and_errors(site_copy, monkeypatch):
    from concurrent.futures import ProcessPoolExecutor

    import spp_site.bibliography.loader as loader

    program = load_program(site_copy / "docs" / "data", site_copy / "projects", site_copy)
    serial = load_bibliography(site_copy / "bibliography", program, site_copy)
    monkeypatch.setattr(loader, "PARALLEL_BYTES", 0)  # large programs take this path
    monkeypatch.setattr(loader, "can_fork", lambda: True)
    pools = []
    monkeypatch.setattr(loader, "ProcessPoolExecutor", lambda *a, **k: pools.append(1) or ProcessPoolExecutor(*a, **k))
    parallel = load_bibliography(site_copy / "bibliography", program, site_copy)
    assert pools == [1]
    assert serial.entries == parallel.entries and serial.files == parallel.files
    (site_copy / "bibliography" / "geomar.bib").write_text(GOOD + "\n" + GOOD, encoding="utf-8")
    errors = bib_errors(site_copy)
    assert [(e.code, str(e.path), e.line) for e in errors] == [("spp.bib.duplicate_key", "bibliography/geomar.bib", 8)]


def test_duplicate_key_across_files(site_copy):
    (site_copy / "bibliography" / "geomar.bib").write_text(GOOD, encoding="utf-8")
    (site_copy / "bibliography" / "meanfield-theory.bib").write_text("\n\n" + GOOD, encoding="utf-8")
    errors = bib_errors(site_copy)
    assert [e.code for e in errors] == ["spp.bib.duplicate_key"]
    assert "bibliography/geomar.bib:1" in str(errors[0]) or "bibliography/meanfield-theory.bib:1" in str(errors[0])


def test_bib_file_not_named_after_a_project(site_copy):
    (site_copy / "bibliography" / "my-group.bib").write_text(GOOD, encoding="utf-8")
    errors = bib_errors(site_copy)
    assert [(e.code, str(e.path)) for e in errors] == [("spp.bib.unknown_project", "bibliography/my-group.bib")]


def test_zotero_date_field_gives_the_year(site_copy):
    (site_copy / "bibliography" / "geomar.bib").write_text(GOOD.replace("year = {2024}", "date = {2023-05-01}"))
    program = load_program(site_copy / "docs" / "data", site_copy / "projects", site_copy)
    bib = load_bibliography(site_copy / "bibliography", program, site_copy)
    assert bib.entries["good2024"].year == 2023


HOSTILE = r"""@misc{hostile2024,
  author = {<script>alert(1)</script> and Evil, "><img src=x onerror=alert(2)>},
  title = {"><img src=x onerror=alert(3)> <b>bold</b> & $x<y$},
  howpublished = {<iframe src="javascript:alert(4)">},
  abstract = {</details><script>alert(5)</script>},
  url = {https://example.org/"onmouseover="alert(6)},
  year = {2024}
}
"""


def test_a_quote_cannot_sneak_into_a_url(site_copy):
    (site_copy / "bibliography" / "geomar.bib").write_text(HOSTILE, encoding="utf-8")
    errors = bib_errors(site_copy)
    assert [e.code for e in errors] == ["spp.bib.bad_url"]


def test_hostile_text_is_shown_as_text(hostile_site):
    html = read(hostile_site / "publications" / "2024.html")
    entry = BeautifulSoup(html, "html.parser").select_one("#markup2024")  # hostile.py: MARKUP_ENTRY
    assert entry.select("script, img, iframe, b") == []
    assert "<script>alert(1)</script>" in entry.get_text()
    assert '"><img src=x onerror=alert(3)> <b>bold</b>' in entry.get_text()
    assert "<script>alert(5)</script>" in entry.select_one("details.spp-pub-abstract").get_text()


def test_cite_links_to_the_entry_and_unknown_keys_fail(site_copy):
    page = site_copy / "docs" / "about.md"
    page.write_text(read(page) + "\nSee {cite}`grillo2025depthbounds`.\n", encoding="utf-8")
    out = site_copy / "_build"
    assert sphinx_build(site_copy, out).returncode == 0
    link = BeautifulSoup(read(out / "docs" / "about.html"), "html.parser").select_one("a.spp-cite")
    assert link.get_text() == "Grillo et al. (2025)"
    assert link["href"] == "../publications/2025.html#grillo2025depthbounds"
    page.write_text(read(page) + "\nAnd {cite}`nosuchkey2020`.\n", encoding="utf-8")
    result = sphinx_build(site_copy, out)
    assert result.returncode != 0
    assert "docs/about.md:48: {cite} names the BibTeX key 'nosuchkey2020'" in result.stderr
    assert "[spp.bib.unknown_key]" in result.stderr


def test_bibtex_box_is_the_entry_without_abstract_and_project_tags():
    from pybtex.database import parse_string

    from spp_site.bibliography.format import citation_bibtex

    program = load_program(ROOT / "docs" / "data", ROOT / "projects", ROOT)
    bib = load_bibliography(ROOT / "bibliography", program, ROOT)
    tricky = '@article{t,\n  title = "A, {B}, c",\n  abstract = {x, {y}, z},\n  journal = {J},\n  year = {2024},\n}'
    for raw in [p.raw for p in bib.entries.values()] + [tricky]:
        full = parse_string(raw, "bibtex").entries
        [(key, entry)] = parse_string(citation_bibtex(raw), "bibtex").entries.items()
        [(full_key, full_entry)] = full.items()
        assert key == full_key
        assert dict(entry.fields) == {k: v for k, v in full_entry.fields.items()
                                      if k.lower() not in ("abstract", "projects")}
        assert entry.persons == full_entry.persons
