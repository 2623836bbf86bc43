"""Sphinx extension for the SPP 2298 website: data model, generated pages, bibliography."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from .bibliography import setup_bibliography
from .collector import setup_collector
from .data import setup_data
from .jsonld import setup_jsonld
from .legal import setup_legal
from .map import setup_map
from .news import setup_news
from .people import setup_people
from .projects import setup_projects
from .search import setup_search
from .sidebar import setup_sidebar
from .sitemap import setup_sitemap
from .theme import setup_theme
from .titles import setup_titles

__version__ = "0.1.0"
HERE = Path(__file__).parent


def setup(app: Sphinx) -> dict:
    setup_data(app)
    setup_projects(app)
    setup_people(app)
    setup_bibliography(app)  # after projects/people: adds to their page hooks
    setup_legal(app)
    setup_news(app)
    setup_map(app)
    setup_search(app)
    setup_jsonld(app)
    setup_sitemap(app)
    setup_titles(app)
    setup_theme(app)
    setup_sidebar(app)
    setup_collector(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 5}
