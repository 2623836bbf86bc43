"""Our templates and static files on top of pydata-sphinx-theme."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

HERE = Path(__file__).parent


def _add_paths(app: Sphinx, config) -> None:
    config.templates_path.insert(0, str(HERE / "templates"))
    config.html_static_path.append(str(HERE / "static"))


def setup_theme(app: Sphinx) -> None:
    app.connect("config-inited", _add_paths)
    app.add_css_file("spp.css")
    app.add_js_file("spp.js", loading_method="defer")
