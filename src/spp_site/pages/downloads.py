"""Links to the files the build makes (feeds, calendars, publication downloads), for pages:
``{site-files} news-feed events-calendar``. Pages are Markdown without raw HTML (see
:mod:`spp_site.content.safety`); this directive writes the links, relative to each page."""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

# name -> (path in the output, link text, offered as a download)
FILES = {
    "news-feed": ("news/atom.xml", "Atom feed of the news", False),
    "events-calendar": ("events/events.ics", "calendar of all events (.ics)", True),
    "publications-bibtex": ("publications/publications.bib", "BibTeX", True),
    "publications-csv": ("publications/publications.csv", "CSV", True),
    "publications-json": ("publications/publications.json", "JSON", True),
}


class SiteFiles(SphinxDirective):
    """One paragraph of links to generated files, named by the arguments; optional lead text."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"lead": str}

    def run(self) -> list[nodes.Node]:
        names = self.arguments[0].split()
        unknown = [n for n in names if n not in FILES]
        if unknown:
            raise self.error(f"unknown file {', '.join(unknown)}; use {', '.join(FILES)}")
        links = []
        for name in names:
            path, text, download = FILES[name]
            href = relative_uri(self.env.docname + ".html", path)
            links.append(f'<a href="{escape(href)}"{" download" if download else ""}>{escape(text)}</a>')
        lead = escape(self.options.get("lead", ""))
        html = f'<p class="spp-site-files">{lead + " " if lead else ""}{" · ".join(links)}</p>'
        return [nodes.raw("", html, format="html")]
