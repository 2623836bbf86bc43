"""Pages made from data: their titles are plain text, and they are recorded as readers.

MyST turns a front-matter ``title`` into a heading by parsing it as Markdown, so a title with
``<script>`` or ``<b>`` in it would reach the page, its <title> and every menu that lists it as
raw HTML. The validated title replaces what MyST parsed, as text, before Sphinx records it.

Project pages, posts and the home page (whose metadata describes the program) are recorded as
readers of their data here, for every page, whatever else is on it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from ..content.model import ProjectRecord
from ..state import read_page_record, read_program


class TitleFromData(SphinxTransform):
    default_priority = 500  # after parsing, before doctree-read records titles for menus

    def apply(self, **kwargs) -> None:
        if self.env.docname == self.config.root_doc:
            read_program(self.env)  # its structured data describes the program
        record = read_page_record(self.env)
        if record is None:
            return
        title = record.data.title if isinstance(record, ProjectRecord) else record.post.title
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None or not isinstance(section[0], nodes.title):
            return
        del section[0][:]
        section[0] += nodes.Text(title)
