"""Search in real headless Chromium: the publication explorer and the site-wide search."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import WCAG, PageWatch, serve
from conftest import ROOT
from hostile import MARK, hostile

from spp_site.bibliography.loader import load_bibliography
from spp_site.content.loader import load_program

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def bibliography():
    program = load_program(ROOT / "docs" / "data", ROOT / "projects", ROOT)
    return load_bibliography(ROOT / "bibliography", program, ROOT)


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.watch = PageWatch(page)
    yield page
    assert page.watch.foreign == [] and page.watch.console_errors == [] and page.watch.dialogs == []
    context.close()


def wait_for_query(page, previous: str | None = None) -> str:
    """Wait until the page has rendered a query newer than ``previous``; return its number."""
    page.wait_for_function("(p) => { const q = document.documentElement.dataset.sppQuery; return q && q !== p; }",
                           arg=previous)
    return page.evaluate("document.documentElement.dataset.sppQuery")


def shown_keys(page) -> set[str]:
    return {href.rsplit("#", 1)[1] for href in page.eval_on_selector_all(
        "#spp-results a.spp-pub-title", "links => links.map(a => a.href)")}


def test_author_name_finds_exactly_that_authors_entries(page, base_url, bibliography):
    family = "Croce"
    expected = {k for k, p in bibliography.entries.items() if any(a.family == family for a in p.authors)}
    assert len(expected) >= 2
    page.goto(f"{base_url}/docs/publications.html")
    page.fill("#spp-q", family)
    wait_for_query(page)
    assert shown_keys(page) == expected
    status = page.inner_text("#spp-pub-count")
    assert status.startswith(f"{len(expected)} of {len(bibliography.entries)} publications")
    assert page.get_attribute("#spp-pub-count", "aria-live") == "polite"
    assert page.is_hidden("#spp-latest")
    marks = page.eval_on_selector_all("#spp-results mark", "ms => ms.map(m => m.textContent)")
    assert marks and set(marks) == {family}
    from axe_playwright_python.sync_playwright import Axe

    assert page.watch.console_errors == []
    assert Axe().run(page, options=WCAG).response["violations"] == []
    # axe fetches stylesheets itself and resolves their @import against the wrong base.
    page.watch.console_errors.clear()


def test_facet_with_text_keeps_state_in_the_url_through_reload_and_history(page, base_url, bibliography):
    family = "Hein"
    hein = {k: p for k, p in bibliography.entries.items() if any(a.family == family for a in p.authors)}
    year = max(p.year for p in hein.values())
    expected = {k for k, p in hein.items() if p.year == year}
    assert 0 < len(expected) < len(hein)
    page.goto(f"{base_url}/docs/publications.html")
    page.fill("#spp-q", family)
    first = wait_for_query(page)
    assert shown_keys(page) == set(hein)
    # The year facet counts this query's entries per year, and other years stay selectable.
    option = page.locator(f"#spp-f-year option[value='{year}']")
    assert option.inner_text().endswith(f"({len(expected)})")
    page.select_option("#spp-f-year", str(year))
    wait_for_query(page, first)
    assert shown_keys(page) == expected
    assert f"year={year}" in page.url and f"q={family}" in page.url
    page.reload()
    wait_for_query(page)
    assert page.input_value("#spp-q") == family and page.input_value("#spp-f-year") == str(year)
    assert shown_keys(page) == expected
    page.go_back()  # before the facet was chosen
    page.wait_for_function("document.getElementById('spp-f-year').value === ''")
    page.wait_for_function(f"document.querySelectorAll('#spp-results li').length === {len(hein)}")
    assert shown_keys(page) == set(hein)
    page.click("button.spp-clear")
    page.wait_for_function("!document.getElementById('spp-latest').hidden")
    assert page.input_value("#spp-q") == "" and "?" not in page.url


def test_explorer_works_with_the_keyboard_alone(page, base_url):
    page.goto(f"{base_url}/docs/publications.html")
    page.focus("#spp-q")
    page.keyboard.type("Croce")
    first = wait_for_query(page)
    page.keyboard.press("Tab")  # to the year facet
    assert page.evaluate("document.activeElement.id") == "spp-f-year"
    page.keyboard.press("ArrowDown")
    wait_for_query(page, first)
    assert page.input_value("#spp-f-year") != ""


def test_site_search_from_the_theme_button_finds_a_project_page(page, base_url):
    page.goto(f"{base_url}/index.html")
    page.keyboard.press("Control+k")  # the theme's shortcut opens its search dialog
    page.wait_for_selector("#pst-search-dialog input[name=q]", state="visible")
    page.keyboard.type("GeoMAR")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search.html?q=GeoMAR")
    wait_for_query(page)
    hrefs = page.eval_on_selector_all("#spp-site-results a", "links => links.map(a => a.getAttribute('href'))")
    assert any(h.endswith("/projects/geomar.html") for h in hrefs)
    page.click("#spp-site-results a[href$='/projects/geomar.html']")
    page.wait_for_url("**/projects/geomar.html")
    assert "GeoMAR" in page.inner_text("h1")



def test_site_search_shows_every_result_a_batch_at_a_time(page, base_url):
    """A broad query lists 30 results, says so, and "Show more results" adds the rest, moving
    keyboard focus to the first new one; a narrow query hides the button."""
    page.goto(f"{base_url}/search.html?q=project")
    wait_for_query(page)
    status = page.inner_text("#spp-site-status")
    total = int(status.split()[0])
    assert total > 30 and "(first 30 shown)" in status
    assert page.locator("#spp-site-results > li").count() == 30
    from axe_playwright_python.sync_playwright import Axe

    assert page.watch.console_errors == []
    assert Axe().run(page, options=WCAG).response["violations"] == []  # results and button shown
    page.watch.console_errors.clear()  # axe resolves the stylesheets' @import against the wrong base
    page.focus("#spp-site-more")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#spp-site-results > li').length > 30")
    assert page.locator("#spp-site-results > li").count() == min(total, 60)
    assert page.evaluate("document.activeElement === document.querySelectorAll('#spp-site-results > li')[30]"
                         ".querySelector('a')")
    while page.locator("#spp-site-more").is_visible():
        page.click("#spp-site-more")
        page.wait_for_timeout(100)
    assert page.locator("#spp-site-results > li").count() == total
    assert page.inner_text("#spp-site-status") == f"{total} results for “project”"
    hrefs = page.eval_on_selector_all("#spp-site-results a", "links => links.map(a => a.getAttribute('href'))")
    assert len(set(hrefs)) == total  # no result twice
    page.fill("#spp-site-q", "GeoMAR")
    wait_for_query(page, previous=page.evaluate("document.documentElement.dataset.sppQuery"))
    assert page.locator("#spp-site-more").is_hidden()

def test_hostile_bibtex_is_shown_as_text_in_search_results(hostile_site, chromium):
    title = hostile("bib-title")  # hostile.py: the corpus's entry, every field script-like
    context = chromium.new_context()
    page = context.new_page()
    watch = PageWatch(page)
    with serve(hostile_site) as base:
        page.goto(f"{base}/docs/publications.html?q={MARK}-bib-title")
        wait_for_query(page)
        item = page.locator("#spp-results li").filter(has_text=f"{MARK}-bib-title").first
        assert "<script>alert('bib-title')</script>" in item.inner_text()
        assert "\"><img src=x onerror=alert('bib-title')> " in item.inner_text()
        assert title.split(" <b>")[0] in item.inner_text()
        assert page.locator("#spp-results img, #spp-results script, #spp-results b, #spp-results iframe").count() == 0
        assert page.locator('#spp-results a[href^="javascript:"]').count() == 0
        page.goto(f"{base}/search.html?q={MARK}")
        wait_for_query(page)
        assert "onerror=alert(" in page.inner_text("#spp-site-results")
        assert page.locator("#spp-site-results img, #spp-site-results script").count() == 0
        page.wait_for_timeout(300)
    assert watch.dialogs == [] and watch.console_errors == [] and watch.foreign == []
    context.close()


def test_index_folders_are_updated_in_place_only_after_a_complete_write(tmp_path):
    """Unchanged content-named chunks are kept, changed files rewritten, gone ones removed;
    a folder whose last write did not finish (no state file) is written afresh."""
    from spp_site.search import STATE, _update_folder

    folder = tmp_path / "2024-0"
    (folder / "fragment").mkdir(parents=True)
    (folder / "fragment" / "en_kept.pf_fragment").write_bytes(b"written before")
    (folder / "fragment" / "en_gone.pf_fragment").write_bytes(b"a removed record")
    (folder / "pagefind-entry.json").write_bytes(b"old entry")
    (folder / STATE).write_text("complete")
    new = {Path("fragment/en_kept.pf_fragment"): b"same name, same content",
           Path("fragment/en_new.pf_fragment"): b"an added record",
           Path("pagefind-entry.json"): b"new entry"}
    _update_folder(folder, new)
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "fragment/en_kept.pf_fragment", "fragment/en_new.pf_fragment", "pagefind-entry.json"]
    assert (folder / "fragment" / "en_kept.pf_fragment").read_bytes() == b"written before"  # not rewritten
    assert (folder / "pagefind-entry.json").read_bytes() == b"new entry"

    # No state file: an interrupted write may have left a truncated chunk under its right name.
    (folder / "fragment" / "en_kept.pf_fragment").write_bytes(b"trunc")
    _update_folder(folder, new)
    assert (folder / "fragment" / "en_kept.pf_fragment").read_bytes() == b"same name, same content"
