"""Behaviour on the purpose-built small site (tests/sites/small), compared as whole values:
joint papers, people's publications, structured data, feeds, the catalogue, search records,
and the names the site's scripts rely on."""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path

import feedparser
import warm
from bs4 import BeautifulSoup
from conftest import ROOT, read

from spp_site.bibliography.pages import FACET_LABELS

JOINT = "stated2023joint"


def soup(out: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup(read(out / name), "html.parser")


def listed_keys(page: BeautifulSoup, where: str = "") -> list[str]:
    return [li["id"] for li in page.select(f"{where} ol.spp-pub-list > li.spp-pub")]


def test_a_joint_paper_is_listed_and_downloaded_for_both_projects(small_site):
    for slug, others in (("stated-project", []), ("inferred-project", [])):
        page = soup(small_site, f"projects/{slug}.html")
        assert listed_keys(page, "#publications") == [JOINT] + others, slug
        download = read(small_site / "publications" / f"{slug}.bib")
        assert re.findall(r"^@\w+\{([^,]+),", download, flags=re.M) == [JOINT], slug
    rows = list(csv.DictReader(read(small_site / "publications" / "publications.csv").splitlines()))
    assert {r["key"]: r["projects"] for r in rows} == {
        JOINT: "program;stated-project;inferred-project", "stated2022preprint": "program",
        "guessed2021talk": "program"}


def test_each_person_lists_exactly_their_own_publications(small_site):
    page = soup(small_site, "docs/people.html")
    ada = page.select_one("#person-ada-stated .spp-person-pubs")
    assert [a["href"] for a in ada.select("a")] == ["../publications/2023.html#stated2023joint"]
    assert ada.select_one("summary").get_text() == "1 publication"


def test_structured_data_names_every_author_in_order(small_site):
    page = soup(small_site, "publications/2023.html")
    [data] = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    [node] = data["@graph"]
    assert [a["name"] for a in node["author"]] == ["Ada Stated", "Gus Guessed", "Tom Third", "Fay Fourth"]
    assert node["@id"].endswith("publications/2023.html#stated2023joint")


def test_news_after_the_build_date_is_in_no_list_feed_or_sidebar(small_site):
    feed = feedparser.parse(read(small_site / "news" / "atom.xml"))
    assert [e.title for e in feed.entries] == ["A news item"]
    news = soup(small_site, "docs/news/index.html")
    assert [a.get_text() for a in news.select("article li a")] == ["A news item"]
    for name in ("index.html", "docs/people.html", "docs/news/index.html"):
        assert "dated after any build" not in read(small_site / name), name


def test_the_catalogue_has_one_card_per_project(small_site):
    page = soup(small_site, "projects/index.html")
    cards = [c.select_one(".spp-card-title a")["href"] for c in page.select("#spp-project-grid .spp-project-card")]
    assert cards == ["stated-project.html", "inferred-project.html"]  # by title


def test_perspectives_show_as_coloured_badges_linking_to_their_page(small_site):
    """On the cards, on the perspective pages (linking to the page itself) and in a project's
    facts: the badge classes are on the link, which Sphinx's reference resolution dropped."""
    page = "../docs/perspectives/application.html"
    for name, where, href in (("projects/index.html", ".spp-project-card", page),
                              ("docs/perspectives/application.html", ".spp-project-card", "#"),
                              ("projects/stated-project.html", ".spp-project-meta", page)):
        badge = soup(small_site, name).select_one(f"{where} a.sd-badge.spp-badge-application")
        assert badge is not None, name
        assert (badge.get_text(), badge["href"]) == ("Application perspective", href), name


def publication_records(out: Path) -> list[dict]:
    """The publication records as Pagefind stored them (gzip, after a 12-byte signature)."""
    return [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
            for f in sorted((out / "_pagefind").glob("20*/fragment/*.pf_fragment"))]


def test_search_records_link_to_the_year_page_of_their_entry(small_site):
    """Each publication record points at its own year page (not only at its #key)."""
    urls = sorted(r["url"] for r in publication_records(small_site))
    assert urls == ["/publications/2021.html#guessed2021talk", "/publications/2022.html#stated2022preprint",
                    "/publications/2023.html#stated2023joint"]
    for url in urls:
        page, key = url.lstrip("/").split("#")
        assert soup(small_site, page).select_one(f"li.spp-pub#{key}") is not None


# -- The contract between the HTML and spp.js --------------------------------------------------

SCRIPT = read(ROOT / "src" / "spp_site" / "static" / "spp.js")


def script_ids() -> set[str]:
    return set(re.findall(r'getElementById\("([\w-]+)"\)', SCRIPT)) | set(re.findall(r'"#([\w-]+)', SCRIPT))


def test_every_element_the_script_looks_up_exists_on_its_page(small_site):
    pages = {name: soup(small_site, name) for name in ("docs/publications.html", "projects/index.html", "search.html")}
    ids = {el["id"] for page in pages.values() for el in page.select("[id]")}
    assert script_ids() - ids == set()
    assert script_ids() >= {"spp-project-grid", "spp-project-count", "spp-project-filters", "spp-q", "spp-results",
                            "spp-more", "spp-pub-count", "spp-site-q", "spp-site-results"}


def test_explorer_selects_are_named_after_the_search_filters(small_site):
    """spp.js sends each <select>'s name as a Pagefind filter: the names must be the records' filters."""
    page = soup(small_site, "docs/publications.html")
    names = [s["name"] for s in page.select(".spp-explorer-form select")]
    assert names == list(FACET_LABELS) == ["year", "project", "perspective", "type"]
    for record in publication_records(small_site):
        assert set(record["filters"]) - {"kind"} == set(names)
    assert all(f'id="spp-f-{n}"' in str(page) for n in names)  # the script's #spp-f-<name> lookups


def test_catalogue_facet_classes_are_the_kinds_the_script_reads(small_site):
    kinds = re.search(r"\^spp-f-\(([\w|]+)\)-", SCRIPT).group(1).split("|")
    page = soup(small_site, "projects/index.html")
    used = {re.match(r"spp-f-(\w+)-", c).group(1) for card in page.select(".spp-project-card")
            for c in card["class"] if c.startswith("spp-f-")}
    assert used == set(kinds) == {"perspective", "since", "institution"}
    hrefs = [a["href"] for a in page.select("#spp-project-filters a")]
    assert any("#projects-funded-since-" in h for h in hrefs) and "projects-funded-since-(\\d{4})" in SCRIPT


def test_the_editors_report_counts_gaps_and_names_the_records(tmp_path):
    import sys

    from conftest import copy_small_site

    root = copy_small_site(tmp_path / "site")
    result = warm.run([sys.executable, "-m", "spp_site.coverage", str(root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = read(root / "_build" / "coverage.md")
    assert result.stdout.startswith(report)
    rows = {tuple(cells[1:3]): cells[3:5] for line in report.splitlines() if line.startswith("| ")
            for cells in [[c.strip() for c in line.split("|")]] if cells[1] != "records"}
    assert rows[("projects", "principal investigators")] == ["1 of 2", "50%"]  # the other one's PIs are inferred
    assert rows[("publications", "DOI or arXiv id")] == ["2 of 3", "67%"]
    assert rows[("events", "dates stated by a source")] == ["1 of 2", "50%"]
    assert rows[("legal: imprint", "fields given (conf.py)")] == ["1 of 7", "14%"]
    assert "- `projects/inferred-project.md:1  inferred-project`" in report
    assert "- `bibliography/program.bib:20  guessed2021talk`" in report


def test_a_publishing_build_needs_every_legal_field(tmp_path):
    from conftest import copy_small_site, sphinx_build

    root = copy_small_site(tmp_path / "site")
    result = sphinx_build(root, root / "_build" / "html", "-D", "spp_publish=1")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    missing = re.findall(r"^conf\.py:(\d+): the publishing build needs (spp_\w+\['\w+'\]) "
                         r"\[spp\.legal\.missing_field\]$", result.stderr, flags=re.M)
    assert [name for _, name in missing] == [
        "spp_imprint['address']", "spp_imprint['represented_by']", "spp_imprint['contact_email']",
        "spp_imprint['responsible_for_content']", "spp_imprint['supervisory_authority']", "spp_imprint['vat_id']",
        "spp_privacy_notice['data_protection_officer']", "spp_privacy_notice['hosting']"]
    assert {line for line, _ in missing} == {"14", "15"}  # where each setting is written


def test_the_poster_collection_shows_a_thumbnail_and_the_download(small_site):
    import struct

    page = soup(small_site, "docs/posters.html")
    [card] = page.select(".spp-poster-card")
    assert card.select_one(".spp-card-title a")["href"] == "../projects/stated-project.html"
    image = card.select_one("img")
    assert image["alt"] == "First page of the poster of A Project Whose Facts Are Stated"
    png = (small_site / "docs" / image["src"]).resolve().read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (300, int(image["height"]))
    download = card.select_one("figcaption a")
    assert download.get_text() == "Download the poster (PDF, 1 KB)"
    source = ROOT / "tests" / "sites" / "small" / "docs" / "_static" / "posters" / "stated-project.pdf"
    assert (small_site / "docs" / download["href"]).resolve().read_bytes() == source.read_bytes()
    project = soup(small_site, "projects/stated-project.html")
    assert project.select_one("#poster img")["src"] == "../files/posters/stated-project.png"
    assert soup(small_site, "projects/inferred-project.html").select_one("#poster") is None


def test_a_post_lists_its_documents_with_type_and_size(small_site):
    page = soup(small_site, "docs/news/2023-09-04-workshop.html")
    [item] = page.select("#documents ul.spp-documents li")
    assert item.get_text() == "Slides of the opening talk (PDF, 1 KB)"
    copied = (small_site / "docs" / "news" / item.a["href"]).resolve()
    source = ROOT / "tests" / "sites" / "small" / "docs" / "_static" / "slides" / "workshop.pdf"
    assert copied.read_bytes() == source.read_bytes()
