"""Titles of pages made from data (projects, posts) are plain text.

MyST turns a front-matter ``title`` into a heading by parsing it as Markdown, so a title with
``<script>`` or ``<b>`` in it would reach the page, its <title> and every menu that lists it as
raw HTML. The validated title replaces what MyST parsed, as text, before Sphinx records it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .data import get_program
from .news import get_posts


def data_title(env) -> str | None:
    docname = env.docname
    for record in get_program(env).projects.values():
        if record.docname == docname:
            return record.data.title
    for post in get_posts(env):
        if post.docname == docname:
            return post.post.title
    return None


class TitleFromData(SphinxTransform):
    default_priority = 500  # after parsing, before doctree-read records titles for menus

    def apply(self, **kwargs) -> None:
        title = data_title(self.env)
        section = next(iter(self.document.findall(nodes.section)), None)
        if title is None or section is None or not isinstance(section[0], nodes.title):
            return
        del section[0][:]
        section[0] += nodes.Text(title)


def setup_titles(app: Sphinx) -> None:
    app.add_transform(TitleFromData)
