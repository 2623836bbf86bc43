"""Our templates and static files on top of pydata-sphinx-theme."""

from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes
from jinja2 import FileSystemBytecodeCache
from markupsafe import Markup
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


# Scripts no page of ours runs: Sphinx's own search helpers (our search is Pagefind's), and the
# theme's Font Awesome script, which only draws custom icon links (we have none).
UNUSED_SCRIPTS = ("doctools.js", "sphinx_highlight.js")
UNUSED_THEME_SCRIPT = re.compile(r'\s*<script[^>]*src="[^"]*/fontawesome\.js[^"]*"[^>]*></script>')


def without_unused_theme_script(html: str) -> Markup:
    """Template filter for the theme's head (templates/layout.html)."""
    return Markup(UNUSED_THEME_SCRIPT.sub("", str(html)))


def prepare_templates(app: Sphinx) -> None:
    """builder-inited: filters our templates use, and compiled templates kept between builds
    (Jinja's bytecode cache, checked against each template's source): compiling the theme's
    templates took 0.2 s of every rebuild. SPP_TEMPLATE_CACHE names a folder for them that
    many build folders share (the test suite's hundred clean builds)."""
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["without_unused_theme_script"] = without_unused_theme_script
        folder = Path(os.environ.get("SPP_TEMPLATE_CACHE") or Path(app.doctreedir) / "spp-templates")
        folder.mkdir(parents=True, exist_ok=True)
        templates.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def only_the_scripts_a_page_uses(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: leave out scripts the page does not use (sphinx-design's tabs script
    where the page has no tabs). A new list: the one in the context is shared by all pages."""
    has_tabs = doctree is not None and any("sd-tab-set" in node.get("classes", ())
                                           for node in doctree.findall(nodes.Element))
    unused = UNUSED_SCRIPTS if has_tabs else (*UNUSED_SCRIPTS, "design-tabs.js")
    context["script_files"] = [js for js in context.get("script_files", ())
                               if Path(str(getattr(js, "filename", js))).name not in unused]
