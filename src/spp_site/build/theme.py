"""Our templates and static files on top of pydata-sphinx-theme."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

HERE = Path(__file__).parent.parent  # the package, with templates/ and static/


def add_template_and_static_paths(app: Sphinx, config) -> None:
    """config-inited: our templates override the theme's documented slots; spp.css and spp.js."""
    config.templates_path.insert(0, str(HERE / "templates"))
    config.html_static_path.append(str(HERE / "static"))


def no_empty_section_navigation(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context, after the theme's: a page whose section has no pages below it gets no
    "Section Navigation" box. The theme assumes one exists whenever hidden toctrees are included
    (our catalogue's is), which left an empty box on every top-level page without children."""
    theirs = context.get("suppress_sidebar_toctree")
    if theirs is None:
        return
    env = app.env
    parents = {child: parent for parent, children in env.toctree_includes.items() for child in children}

    def section_of(docname: str) -> str:
        while parents.get(docname, app.config.root_doc) != app.config.root_doc and docname in parents:
            docname = parents[docname]
        return docname

    def suppress(startdepth: int = 1, **kwargs) -> bool:
        if theirs(startdepth, **kwargs):
            return True
        return startdepth == 1 and not env.toctree_includes.get(section_of(pagename))

    context["suppress_sidebar_toctree"] = suppress
