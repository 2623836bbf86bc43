"""The built site: navigation, required pages, and nothing loaded from other hosts."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup
from conftest import read

PERSPECTIVES = ["statistical", "application", "methodological"]


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(read(path), "html.parser")


def test_home_page_has_program_identity(site):
    page = soup(site / "index.html")
    text = page.get_text(" ")
    assert "Theoretical Foundations of Deep Learning" in page.title.get_text()
    assert "DFG" in text and "SPP 2298" in text
    assert "Deutsche Forschungsgemeinschaft" in page.select_one("footer.bd-footer").get_text()
    cards = page.select(".sd-card a, a.sd-stretched-link")
    targets = {urlparse(a["href"]).path for a in cards}
    for name in PERSPECTIVES:
        assert f"docs/perspectives/{name}.html" in targets


def test_every_perspective_page_is_reachable_from_the_navbar(site):
    nav = soup(site / "index.html").select_one("nav.navbar-nav, .navbar-header-items")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    perspectives_index = next(h for h in hrefs if "perspectives/index" in h)
    index_page = soup(site / perspectives_index)
    linked = {urljoin(perspectives_index, a["href"]) for a in index_page.select("article a[href]")}
    for name in PERSPECTIVES:
        assert f"docs/perspectives/{name}.html" in linked
        assert (site / "docs" / "perspectives" / f"{name}.html").exists()


def test_legal_pages_show_exactly_the_fields_given(site):
    """conf.py gives only the hosting of the privacy notice: that is all the legal pages show."""
    def fields(name):
        page = soup(site / "docs" / f"{name}.html")
        return {dt.get_text(" ", strip=True).rstrip(": "): dd.get_text(" ", strip=True)
                for dt, dd in zip(page.select("dl.spp-legal dt"), page.select("dl.spp-legal dd"), strict=True)}

    assert fields("privacy") == {
        "Hosting": "GitHub Pages (static files; no cookies, no analytics, no third-party requests)"}
    assert fields("imprint") == {}
    assert "not yet provided" not in read(site / "docs" / "imprint.html")


def test_favicon_logo_and_meta_description(site):
    page = read(site / "index.html")
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg"', page)
    assert "logo.svg" in page
    description = soup(site / "index.html").select_one('meta[name="description"]')
    assert "SPP 2298" in description["content"]


EXTERNAL = re.compile(r"""<(script|link|img|iframe|source|video|audio)\b[^>]*?\b(src|href)=["'](https?:)?//""",
                      re.IGNORECASE)


def test_no_page_loads_anything_from_another_host(site):
    offenders = []
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts]
    assert len(pages) > 40
    for path in pages:
        for match in EXTERNAL.finditer(read(path)):
            tag = read(path)[match.start(): match.start() + 200]
            if 'rel="canonical"' in tag or 'rel="alternate"' in tag:
                continue
            offenders.append((path.relative_to(site), tag.split(">")[0]))
    assert offenders == []


def test_math_is_served_locally(site):
    # Pages with math must not load MathJax from a CDN.
    scripts = [s.get("src", "") for p in site.rglob("*.html") for s in soup(p).select("script[src]")]
    assert not [s for s in scripts if "mathjax" in s.lower() and s.startswith("http")]


@pytest.mark.parametrize(("perspective", "titles"), [
    ("statistical", ["when does more expressivity hurt generalization?"]),
    ("application", ["unsupervised adversarial fine-tuning", "fast training of robust semantic segmentation"]),
    ("methodological", ["separable approximations of optimal value functions"]),
])
def test_perspective_pages_cite_program_papers_through_sphinxcontrib_bibtex(site, perspective, titles):
    page = soup(site / "docs" / "perspectives" / f"{perspective}.html")
    notes = [page.select_one(ref["href"]).get_text().lower() for ref in page.select("a.footnote-reference")]
    assert len(notes) == len(titles)
    for note, title in zip(notes, titles, strict=True):
        assert title in note
