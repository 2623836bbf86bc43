"""sitemap.xml: every page of the site, from the build's own list of documents.

Written here rather than by sphinx-sitemap, which lists only the pages written by the current
build (an incremental build left a sitemap of four pages) and starts a multiprocessing
manager process that costs half a second per build.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from sphinx.application import Sphinx

from .bibliography.pages import get_bibliography, year_page

EXCLUDED = {"search", "genindex"}


def site_pages(app: Sphinx) -> list[str]:
    """Page names of the site: the documents and the publication year pages."""
    years = {pub.year for pub in get_bibliography(app.env).entries.values()}
    return sorted((set(app.env.found_docs) | {year_page(y) for y in years}) - EXCLUDED)


def _write_sitemap(app: Sphinx, exception) -> None:
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


def setup_sitemap(app: Sphinx) -> None:
    app.connect("build-finished", _write_sitemap)
