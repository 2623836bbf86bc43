"""Quality gates over the built site: valid HTML, internal links and anchors, reproducibility."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copy_site, read, sphinx_build

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def our_pages(site: Path) -> list[Path]:
    # _static/ holds theme-internal files (webpack-macros.html is a raw template, not a page).
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


def test_every_page_is_valid_html(site):
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("Nu HTML checker missing: run tools/install-system-deps.sh (npm ci, Java)")
    pages = our_pages(site)
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             *map(str, pages)], capture_output=True, text=True)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{Path(unquote(m['url'])).relative_to(site)}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error"]
    assert len(pages) > 40
    assert errors == []


def test_every_internal_link_and_anchor_resolves(site):
    ids: dict[Path, set[str]] = {}
    broken = []
    pages = our_pages(site)
    soups = {p: BeautifulSoup(read(p), "html.parser") for p in pages}
    for path, page in soups.items():
        ids[path] = {el["id"] for el in page.select("[id]")}
    checked = 0
    for path, page in soups.items():
        for a in page.select("a[href]"):
            href = a["href"]
            url = urlparse(href)
            if url.scheme or href.startswith("//") or href.startswith("mailto:"):
                continue
            target = (path.parent / unquote(url.path)).resolve() if url.path else path
            checked += 1
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)}: {href} (no such file)")
            elif url.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {el["id"] for el in BeautifulSoup(read(target), "html.parser").select("[id]")}
                if unquote(url.fragment) not in ids[target]:
                    broken.append(f"{path.relative_to(site)}: {href} (no such anchor)")
    assert checked > 500
    assert broken == []


def differing_files(one: Path, other: Path) -> list[str]:
    """Published files that differ between two builds, or exist in only one of them.

    Not compared: .buildinfo and .buildinfo.bak (build cache stamps), and Pagefind's filter chunks and the two
    files naming them: Pagefind 1.5.2 writes filter values in hash-map order, so their bytes
    (and hashed names) vary from run to run. The records themselves (fragment/) and the word
    index (index/) are compared."""
    def published(root: Path) -> set[Path]:
        return {p.relative_to(root) for p in root.rglob("*") if p.is_file() and not unstable(p.relative_to(root))}

    def unstable(rel: Path) -> bool:
        return rel.name in (".buildinfo", ".buildinfo.bak") or (rel.parts[0] == "_pagefind" and (
            rel.parts[2:3] == ("filter",) or rel.name in ("pagefind-entry.json", "spp-state.txt")
            or rel.suffix == ".pf_meta"))

    a, b = published(one), published(other)
    return sorted(str(rel) for rel in a ^ b) + sorted(
        str(rel) for rel in a & b if not filecmp.cmp(one / rel, other / rel, shallow=False))


def test_two_clean_builds_are_byte_identical(site, tmp_path):
    """The second build uses the theme's own sidebar code (spp_site/sidebar.py off), so this
    also shows that the fast sidebar gives every page the theme's HTML. It runs as a fresh
    process with another hash seed, as a real build gets one: set order must not reach a page
    (it once moved the collaboration graph's nodes)."""
    src = copy_site(tmp_path / "again")
    out = src / "_build" / "html"
    seed = str(int(os.environ.get("PYTHONHASHSEED") or 0) + 1)
    result = sphinx_build(src, out, "-D", "spp_fast_sidebar=0", hash_seed=seed)
    assert result.returncode == 0, result.stderr
    assert differing_files(site, out) == []
    # Every page and every publication is a record: one fragment each.
    pages = [p for p in site.rglob("*.html") if not p.relative_to(site).as_posix().startswith(
        ("_", "search.html", "genindex.html", "publications/"))]
    assert sum(len(list(p.iterdir())) for p in (site / "_pagefind").glob("pages*/fragment")) == len(pages) > 50
    entries = sum(read(p).count('class="spp-pub"') for p in (site / "publications").glob("*.html"))
    assert sum(len(list(p.iterdir())) for p in (site / "_pagefind").glob("20*/fragment")) == entries > 5


def test_edits_build_the_same_incrementally_as_from_scratch(tmp_path):
    """Edit, add and remove entries (a year appears, one disappears) and a page's prose: the
    incremental build equals a clean build of the edited sources, file for file."""
    src = copy_site(tmp_path / "incremental")
    out = src / "_build" / "html"
    assert sphinx_build(src, out).returncode == 0
    bib = src / "bibliography"
    edited = read(bib / "linear-inverse-problems.bib").replace(
        "Conformal Prediction for Multi-Source Detection on a Network", "Conformal Prediction on Networks")
    (bib / "linear-inverse-problems.bib").write_text(edited, encoding="utf-8")
    (bib / "semi-supervised-gnn.bib").write_text(read(bib / "semi-supervised-gnn.bib") + (
        "\n@article{added2020,\n  author = {Doe, Jane},\n  title = {An Added Entry},\n"
        "  journal = {Journal},\n  year = {2020}\n}\n"), encoding="utf-8")
    (bib / "probability-and-geometry.bib").write_text("% No entries left.\n", encoding="utf-8")
    project = src / "projects" / "geomar.md"
    project.write_text(read(project) + "\nOne more sentence of prose.\n", encoding="utf-8")
    assert sphinx_build(src, out).returncode == 0

    cold = tmp_path / "cold"
    shutil.copytree(src, cold, ignore=shutil.ignore_patterns("_build"))
    assert sphinx_build(cold, cold / "_build" / "html").returncode == 0
    assert "Conformal Prediction on Networks" in read(out / "publications" / "2026.html")
    assert (out / "publications" / "2020.html").exists()
    assert differing_files(out, cold / "_build" / "html") == []


def test_sitemap_robots_and_social_meta(site):
    import xml.etree.ElementTree as ET

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [u.text for u in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")
             if "_static" not in p.parts and p.name not in ("search.html", "genindex.html")}
    base = "https://www.foundationsofdl.de/"
    assert all(u.startswith(base) and "/en/" not in u for u in urls)
    assert {u.removeprefix(base) for u in urls} == pages
    robots = read(site / "robots.txt")
    assert f"Sitemap: {base}sitemap.xml" in robots
    page = BeautifulSoup(read(site / "projects" / "geomar.html"), "html.parser")
    og = {m["property"]: m["content"] for m in page.select("meta[property^='og:']")}
    assert og["og:url"] == f"{base}projects/geomar.html"
    assert og["og:title"].startswith("GeoMAR")
    assert og["og:site_name"] == "SPP 2298 Theoretical Foundations of Deep Learning"
    assert len(og.get("og:description", "")) > 40


def json_ld(path: Path) -> list[dict]:
    soup = BeautifulSoup(read(path), "html.parser")
    return [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]


def test_structured_data_describes_program_projects_publications_and_events(site):
    from spp_site.content.loader import load_program
    from spp_site.content.posts import load_posts

    program = load_program(ROOT / "docs" / "data", ROOT / "projects", ROOT)
    [home] = json_ld(site / "index.html")
    assert home["@type"] == "ResearchProject" and home["alternateName"] == "SPP 2298"
    assert home["funder"]["name"].startswith("Deutsche Forschungsgemeinschaft")
    assert len(home["subOrganization"]) == len(program.projects)
    assert [m["name"] for m in home["member"]] == ["Gitta Kutyniok"]

    for record in program.projects.values():
        [project] = json_ld(site / f"{record.docname}.html")
        assert project["@type"] == "ResearchProject" and project["name"] == record.data.title
        assert project["parentOrganization"]["@id"] == home["@id"]
        assert sorted(m["name"] for m in project.get("member", [])) == sorted(
            program.people[p].name for p in record.pis)

    articles = 0
    for year_page in (site / "publications").glob("*.html"):
        [data] = json_ld(year_page)
        ids = {el["id"] for el in BeautifulSoup(read(year_page), "html.parser").select("li.spp-pub[id]")}
        graph = data["@graph"]
        assert {node["@id"].rsplit("#", 1)[1] for node in graph} == ids  # one node per entry shown
        assert all(node["@type"] in ("ScholarlyArticle", "Book", "Thesis", "SoftwareSourceCode") for node in graph)
        assert all(node["datePublished"] == year_page.stem and node["author"] for node in graph)
        articles += len(graph)
    assert articles >= 5

    events = 0
    for post in load_posts(ROOT / "docs" / "news", ROOT):
        [data] = json_ld(site / f"{post.docname}.html")
        if post.post.kind == "event":
            assert data["@type"] == "Event" and data["name"] == post.post.title
            # Only a stated date: an event known from its announcement has none.
            assert data.get("startDate") == (post.post.start and post.post.first_day.isoformat())
            events += 1
        else:
            assert data["@type"] == "NewsArticle" and data["datePublished"] == post.post.date.isoformat()
    assert events >= 5


def test_search_indexes_are_complete_and_all_merged(site):
    """Every index folder is named in the manifest and holds a whole index: its entry file
    parses, and the page counts add up to the pages and publications the site shows."""
    root = site / "_pagefind"
    merged = json.loads(read(root / "merged-indexes.json"))
    folders = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert sorted(["pages", *merged]) == folders
    counts = {name: json.loads(read(root / name / "pagefind-entry.json"))["languages"]["en"]["page_count"]
              for name in folders}
    entries = sum(read(p).count('class="spp-pub"') for p in (site / "publications").glob("*.html"))
    assert sum(n for name, n in counts.items() if not name.startswith("pages")) == entries
    assert all(n > 0 for n in counts.values())


def test_fast_sidebar_moves_the_current_page_marker(site):
    """Project B's sidebar, made from project A's by swapping two entries, equals B's own."""
    from spp_site.build.sidebar import move_current

    def sidebar(page: Path) -> str:
        html = read(page)
        start = html.index('<div class="bd-toc-item navbar-nav">')
        return html[start:html.index("</nav>", start)]

    a, b = sorted((site / "projects").glob("[a-z]*.html"))[3:5]
    moved = move_current(sidebar(a), old_href=a.name, new_href=b.name)
    assert moved is not None and moved == sidebar(b) != sidebar(a)
    assert moved.count('aria-current="page"') == 1
    assert move_current(sidebar(a), old_href=a.name, new_href="no-such-page.html") is None


def test_collector_settings_are_undone_for_in_process_builds():
    """Only the sphinx-build command keeps the build's objects frozen at the end (it exits);
    a process that builds in-process (a test, an editor plugin) gets the collector back."""
    import gc

    from spp_site.build import collector

    class App:  # stands in for the Sphinx application: the build state is keyed on it
        pass

    before = gc.get_threshold()
    app = App()
    collector.tune_for_the_build(app, None)
    collector.freeze_loaded_data(app)
    assert gc.get_threshold() == collector.THRESHOLD and gc.get_freeze_count() > 0
    assert not collector.exits_after_build()  # pytest is not sphinx-build
    collector.restore(app, None)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_every_section_navigation_has_entries_or_is_absent(site):
    empty, with_nav = [], 0
    for path in our_pages(site):
        nav = BeautifulSoup(read(path), "html.parser").select_one("nav.bd-docs-nav")
        if nav is None:
            continue
        with_nav += 1
        if not nav.select(".bd-toc-item a[href]"):
            empty.append(str(path.relative_to(site)))
    assert empty == [] and with_nav > 30  # project, news and perspective pages keep theirs
