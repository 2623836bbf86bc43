"""Pages made from data: their titles are plain text, and they are recorded as readers.

MyST turns a front-matter ``title`` into a heading by parsing it as Markdown, so a title with
``<script>`` or ``<b>`` in it would reach the page, its <title> and every menu that lists it as
raw HTML. The validated title replaces what MyST parsed, as text, before Sphinx records it.

Project pages, posts and the home page get their JSON-LD here, made from what they read, so
they are recorded as readers of exactly that, whatever else is on them.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from ..content.model import ProjectRecord
from ..state import read_page_record, site_domain
from .jsonld import page_data


class TitleFromData(SphinxTransform):
    default_priority = 500  # after parsing, before doctree-read records titles for menus

    def apply(self, **kwargs) -> None:
        data = page_data(self.env, self.env.docname)  # JSON-LD, emitted when the page is written
        if data:
            site_domain(self.env).jsonld[self.env.docname] = data
        record = read_page_record(self.env)
        if record is None:
            return
        title = record.data.title if isinstance(record, ProjectRecord) else record.post.title
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None or not isinstance(section[0], nodes.title):
            return
        del section[0][:]
        section[0] += nodes.Text(title)
