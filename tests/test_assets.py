"""A first visit loads only what the page uses (issue 21), and nothing moves once it is shown."""

from __future__ import annotations

import io

from browser import serve
from fontTools.ttLib import TTFont

PAGES = ["index.html", "projects/stated-project.html", "docs/publications.html"]
# The theme's full icon font and its icon script, Sphinx's search helpers, sphinx-design's tabs
# script (no page has tabs): never requested.
UNUSED = {"fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2", "fontawesome.js",
          "doctools.js", "sphinx_highlight.js", "design-tabs.js", "searchindex.js"}
# Every character the page draws with the icon font, in pseudo-elements (theme switcher,
# search, menu, breadcrumbs, admonitions, ...), as the browser computes it.
ICON_CHARACTERS = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(element, pseudo);
      if (style.fontFamily.includes("Font Awesome") && style.content.startsWith('"')) found.push(style.content);
    }
  }
  return found;
}"""
LAYOUT_SHIFTS = """window.sppShifts = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.sppShifts.push(e.value); })
  .observe({type: "layout-shift", buffered: true});"""


def test_a_page_loads_only_what_it_uses_and_draws_its_icons_from_the_cut_font(small_site, chromium):
    with serve(small_site) as base:
        for path in PAGES:
            page = chromium.new_page()
            requested: list[str] = []
            page.on("request", lambda r, requested=requested: requested.append(r.url))
            page.goto(f"{base}/{path}", wait_until="networkidle")
            names = {url.split("?")[0].rsplit("/", 1)[-1] for url in requested}
            assert names & UNUSED == set(), path
            cut = sorted(n for n in names if n.startswith("spp-icons-") and n.endswith(".woff2"))
            assert len(cut) == 1, (path, names)
            font = TTFont(io.BytesIO((small_site / "_static" / cut[0]).read_bytes()))
            drawn = {ch for content in page.evaluate(ICON_CHARACTERS) for ch in content.strip('"')
                     if 0xE000 <= ord(ch) <= 0xF8FF}  # icons are in Unicode's private use area
            assert {"\uf185", "\uf186", "\uf002"} <= drawn  # sun, moon, magnifying glass: the font is used
            assert drawn - set(map(chr, font.getBestCmap())) == set(), path  # and has every icon shown
            assert page.evaluate("""() => [...document.fonts].some(
                f => f.family.includes("Font Awesome") && f.status === "loaded")"""), path
            page.close()


def test_nothing_moves_after_the_first_paint(small_site, chromium):
    """The explorer's form is in place from the start; the logo is shown once, not twice and
    then once (the theme resolves light/dark after its first paint)."""
    with serve(small_site) as base:
        for scheme in ("light", "dark"):
            context = chromium.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
            context.add_init_script(LAYOUT_SHIFTS)
            page = context.new_page()
            for path in PAGES:
                page.goto(f"{base}/{path}", wait_until="networkidle")
                page.wait_for_timeout(300)
                assert sum(page.evaluate("window.sppShifts")) < 0.01, (scheme, path)
            context.close()
