"""Reference pages generated from the code: every setting (from :class:`SiteConfig`) and every
data error (from :class:`ErrorCode`), so the documentation cannot fall behind the checks."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..config import settings_reference
from ..content.errors import ErrorCode
from ..content.links import paragraph


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]], widths: tuple[int, ...],
           literal: tuple[int, ...] = ()) -> nodes.table:
    table = nodes.table(classes=["spp-reference"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += nodes.row("", *(nodes.entry("", paragraph(nodes.Text(h))) for h in headers))
    group += head
    body = nodes.tbody()
    for row in rows:
        cells = [nodes.entry("", paragraph(nodes.literal(text, text) if i in literal else nodes.Text(text)))
                 for i, text in enumerate(row)]
        body += nodes.row("", *cells)
    group += body
    return table


class ConfigReference(SphinxDirective):
    """Every ``spp_*`` setting of conf.py, with its type, default and meaning."""

    def run(self) -> list[nodes.Node]:
        return [_table(("Setting", "Type", "Default", "Meaning"), settings_reference(), (30, 8, 12, 50),
                       literal=(0, 2))]


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
