"""Our templates and static files on top of pydata-sphinx-theme."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

HERE = Path(__file__).parent.parent  # the package, with templates/ and static/


def add_template_and_static_paths(app: Sphinx, config) -> None:
    """config-inited: our templates override the theme's documented slots; spp.css and spp.js."""
    config.templates_path.insert(0, str(HERE / "templates"))
    config.html_static_path.append(str(HERE / "static"))
