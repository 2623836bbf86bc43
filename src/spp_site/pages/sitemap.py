"""sitemap.xml: every page of the site, from the build's own list of documents.

Written here rather than by sphinx-sitemap, which lists only the pages written by the current
build (an incremental build left a sitemap of four pages) and starts a multiprocessing
manager process that costs half a second per build.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from sphinx.application import Sphinx

from ..bibliography.pages import year_page
from ..state import build_state

EXCLUDED = {"search", "genindex"}


def site_pages(app: Sphinx) -> list[str]:
    """Page names of the site: the documents and the publication year pages."""
    years = {pub.year for pub in build_state(app).loaded_bibliography.entries.values()}
    return sorted((set(app.env.found_docs) | {year_page(y) for y in years}) - EXCLUDED)


def write_sitemap(app: Sphinx, exception) -> None:
    """build-finished: sitemap.xml, rewritten only when it changed."""
    if exception is not None or app.builder.format != "html":
        return
    base = (app.config.html_baseurl or "").rstrip("/") + "/"
    urls = "".join(f"  <url><loc>{escape(base + app.builder.get_target_uri(page))}</loc></url>\n"
                   for page in site_pages(app))
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n')
    path = Path(app.outdir) / "sitemap.xml"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
