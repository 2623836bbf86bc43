"""The primary sidebar, without re-serialising it for every page.

pydata-sphinx-theme renders the section navigation once per section and folder, then, for
every further page, moves the "current page" markers in a BeautifulSoup tree and turns the
whole tree back into text: with 200 projects in one section that is ~1 s of every build.
Where the current page and the page to show are both top-level entries without children (a
project among projects), the markers move by swapping two known strings instead. Everything
else is left to the theme. A test checks that every page's HTML equals the theme's own.
"""

from __future__ import annotations

import posixpath
from html import escape

from sphinx.application import Sphinx

from ..state import build_state

CURRENT = ('<li class="toctree-l1 current active"><a aria-current="page" '
           'class="current reference internal" href="#">')


def _entry(href: str) -> str:
    return f'<li class="toctree-l1"><a class="reference internal" href="{escape(href)}">'


def _is_leaf(html: str, start: int) -> bool:
    """The entry opened at ``start`` closes its link and item with nothing nested."""
    end = html.find("</a>", start)
    return end != -1 and html.startswith("</li>", end + 4) and "<li" not in html[start + 4:end]


def move_current(html: str, old_href: str, new_href: str) -> str | None:
    """The sidebar with the current-page markers moved from the entry now shown as "#"
    (which links to ``old_href`` from the new page) to the entry linking to ``new_href``;
    None where that is not a swap of two childless top-level entries."""
    old_at, new = html.find(CURRENT), _entry(new_href)
    new_at = html.find(new)
    if (old_at == -1 or new_at == -1 or html.count(CURRENT) != 1 or html.count(new) != 1
            or not _is_leaf(html, old_at) or not _is_leaf(html, new_at)):
        return None
    swapped = {old_at: (CURRENT, _entry(old_href)), new_at: (new, CURRENT)}
    out, pos = [], 0
    for at in sorted(swapped):
        before, after = swapped[at]
        out += [html[pos:at], after]
        pos = at + len(before)
    out.append(html[pos:])
    return "".join(out)


def fast_sidebar(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context, after the theme's: serve the sidebar from the last page's, marked anew."""
    theirs = context.get("generate_toctree_html")
    if theirs is None or not build_state(app).config.fast_sidebar:
        return
    uri = app.builder.get_target_uri(pagename)
    shown: dict = build_state(app).sidebars  # key -> (html, page it marks)

    def generate_toctree_html(kind: str, startdepth: int = 1, show_nav_level: int = 1, **kwargs):
        if kind != "sidebar" or uri.endswith("/"):  # relative links differ per page folder
            return theirs(kind, startdepth, show_nav_level, **kwargs)
        key = (startdepth, int(show_nav_level), posixpath.dirname(uri), tuple(sorted(kwargs.items())))
        if key in shown:
            html, marked = shown[key]
            if marked == pagename:
                return html
            moved = move_current(html, old_href=app.builder.get_relative_uri(pagename, marked),
                                 new_href=app.builder.get_relative_uri(marked, pagename))
            if moved is not None:
                shown[key] = (moved, pagename)
                return moved
        html = theirs(kind, startdepth, show_nav_level, **kwargs)
        at = html.find(CURRENT) if isinstance(html, str) else -1
        if at != -1 and _is_leaf(html, at):
            shown[key] = (html, pagename)
        return html

    context["generate_toctree_html"] = generate_toctree_html


def forget_sidebars(app: Sphinx, exception) -> None:
    build_state(app).sidebars.clear()
