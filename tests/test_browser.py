"""Every page in real headless Chromium: no foreign request, no console error, no axe
violation (WCAG 2.1 A/AA) in light and dark mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import WCAG, PageWatch

pytestmark = pytest.mark.browser

# The theme fades colours in (0.15 s transitions): axe must see the colours a reader sees, not
# a mix of light and dark halfway through. A cancelled transition counts as done, and a paused
# animation, which never finishes, is waited for two seconds at most.
SETTLED = ("Promise.race([new Promise(done => setTimeout(done, 2000)), Promise.all(document.getAnimations()"
           ".filter(a => a.effect.getTiming().iterations !== Infinity).map(a => a.finished.catch(() => null)))])")


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if "_static" not in p.parts and p.name not in ("genindex.html",))


def test_every_page_is_private_clean_and_accessible(site, chromium, base_url):
    """Each page is loaded once in light mode and checked, then switched to dark as a reader's
    system switches (the theme follows prefers-color-scheme live) and checked again; foreign
    requests and console errors are watched the whole time, so a request or error that only
    dark mode causes is caught too. Loading every page twice cost 25 s of the suite."""
    import json

    import axe_playwright_python

    context = chromium.new_context(color_scheme="light")
    page = context.new_page()  # one tab, sent from page to page
    watch = PageWatch(page)
    axe_source = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
    problems = {}
    checked = {"light": 0, "dark": 0}
    for path in pages(site):
        page.emulate_media(color_scheme="light")
        page.goto(f"{base_url}/{path}", wait_until="load")
        page.evaluate(axe_source)
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_function(f"document.documentElement.dataset.theme === '{scheme}'", timeout=5000)
            found = {"foreign requests": list(watch.foreign), "console errors": list(watch.console_errors)}
            violations = page.evaluate(SETTLED + f".then(() => axe.run(document, {json.dumps(WCAG)}))"
                                       ".then(r => r.violations)")
            found["axe"] = [f"{v['id']}: {v['nodes'][0]['target']} {v['help']}" for v in violations]
            found = {k: v for k, v in found.items() if v}
            if found:
                problems[f"{path} ({scheme})"] = found
            checked[scheme] += 1
            # Not axe's own requests: it re-fetches stylesheets and resolves their @import
            # against the wrong base, which would show up as a 404 of ours.
            watch.foreign.clear()
            watch.console_errors.clear()
    context.close()
    assert checked["light"] == checked["dark"] >= 40
    assert problems == {}


def test_catalogue_filters_in_place_and_keeps_state_in_the_url(site, chromium, base_url):
    from conftest import ROOT

    from spp_site.content.loader import load_program

    program = load_program(ROOT / "docs" / "data", ROOT / "projects", ROOT)
    expected = sum(1 for r in program.projects.values() if "application" in {p.value for p in r.data.perspectives})
    page = chromium.new_page()
    watch = PageWatch(page)
    page.goto(f"{base_url}/projects/index.html")
    page.click("#spp-project-filters >> text=Application perspective")
    assert page.url.endswith("?perspective=application")
    visible = page.locator(".spp-project-card:visible")
    assert visible.count() == expected < len(program.projects)
    assert page.locator("#spp-project-count").inner_text().startswith(f"{expected} of {len(program.projects)}")
    page.reload()
    assert page.locator(".spp-project-card:visible").count() == expected
    page.click("#spp-project-filters >> text=Application perspective")  # toggles off
    assert page.locator(".spp-project-card:visible").count() == len(program.projects)
    page.go_back()
    assert page.locator(".spp-project-card:visible").count() == expected
    assert watch.console_errors == [] and watch.foreign == []
    page.close()


def test_bibtex_can_be_copied(site, chromium, base_url):
    context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{base_url}/publications/2025.html#grillo2025depthbounds")
    entry = page.locator("#grillo2025depthbounds")
    entry.locator("details.spp-pub-bibtex summary").click()
    entry.locator("button.spp-copy").click()
    from playwright.sync_api import expect

    expect(entry.locator("button.spp-copy")).to_have_text("Copied")  # the clipboard write is async
    assert page.evaluate("navigator.clipboard.readText()").startswith("@inproceedings{grillo2025depthbounds")
    context.close()


def test_the_foreign_request_check_catches_scripts_and_css_imports(chromium, tmp_path):
    """The gate above is only as good as PageWatch: a CDN script next to a canonical link, and
    a stylesheet's @import of another host, are both caught (and stopped)."""
    from browser import serve

    (tmp_path / "style.css").write_text('@import url("https://fonts.example.org/font.css");\n', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title>'
        '<link rel="canonical" href="https://www.example.org/"><link rel="stylesheet" href="style.css">'
        '<script src="https://cdn.example.org/lib.js"></script></head><body>x</body></html>', encoding="utf-8")
    with serve(tmp_path) as url:
        page = chromium.new_page()
        watch = PageWatch(page)
        page.goto(f"{url}/index.html", wait_until="load")
        page.wait_for_timeout(200)  # the @import is fetched after the stylesheet
        page.close()
    assert sorted(watch.foreign) == ["https://cdn.example.org/lib.js", "https://fonts.example.org/font.css"]
