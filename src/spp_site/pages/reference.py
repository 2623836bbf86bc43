"""Reference pages generated from the code: every setting (from :class:`SiteConfig`) and every
data error (from :class:`ErrorCode`), so the documentation cannot fall behind the checks."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..config import settings_reference
from ..content.errors import ErrorCode
from ..content.links import paragraph, table


class ConfigReference(SphinxDirective):
    """Every ``spp_*`` setting of conf.py, with its type, default and meaning."""

    def run(self) -> list[nodes.Node]:
        rows = [[nodes.literal(name, name), kind, nodes.literal(default, default), meaning]
                for name, kind, default, meaning in settings_reference()]
        return [table(("Setting", "Type", "Default", "Meaning"), rows, (30, 8, 12, 50), ("spp-reference",))]


class ErrorReference(SphinxDirective):
    """Every data error: its code, what it means and how to fix it, and an example."""

    def run(self) -> list[nodes.Node]:
        out = []
        for code in ErrorCode:
            section = nodes.section(ids=[code.value.replace(".", "-")])
            section += nodes.title("", code.value)
            section += paragraph(nodes.Text(code.doc))
            section += paragraph(nodes.strong("", "Example: "), nodes.literal(code.example, code.example))
            out.append(section)
        return out
