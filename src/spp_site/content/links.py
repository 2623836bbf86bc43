"""Small node builders shared by every generated page: links, badges, labels."""

from __future__ import annotations

from html import escape

from docutils import nodes
from sphinx import addnodes
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .model import Institution, Person, Perspective

logger = logging.getLogger(__name__)


def doc_link(env: BuildEnvironment, docname: str, text: str, classes=()) -> addnodes.pending_xref:
    """A link to another page; Sphinx resolves it (and warns if the page is missing)."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="doc", reftarget="/" + docname, refexplicit=True,
        refdoc=env.docname, refwarn=True,
    )
    ref += nodes.inline(text, text, classes=list(classes))
    return ref


def label_link(env: BuildEnvironment, label: str, text: str, classes=()) -> addnodes.pending_xref:
    """A link to an anchor registered with :func:`register_label`."""
    ref = addnodes.pending_xref(
        "", refdomain="std", reftype="ref", reftarget=label, refexplicit=True,
        refdoc=env.docname, refwarn=True,
    )
    ref += nodes.inline(text, text, classes=list(classes))
    return ref


def register_label(env: BuildEnvironment, label: str, node_id: str, title: str) -> None:
    env.get_domain("std").note_hyperlink_target(label, env.docname, node_id, title)


def person_label(person_id: str) -> str:
    return f"spp-person-{person_id}"


def institution_label(inst_id: str) -> str:
    return f"spp-institution-{inst_id}"


def person_link(env, person: Person) -> addnodes.pending_xref:
    return label_link(env, person_label(person.id), person.name)


# Links made when a page is written, for HTML a page makes then (the project cards): the
# same markup as Sphinx's resolved references.

def page_link_html(translator, here: str, docname: str, text: str, classes: str = "") -> str:
    """A link from the page ``here`` to the page ``docname``; ``classes`` go on the link."""
    uri = "#" if docname == here else translator.builder.get_relative_uri(here, docname)
    if classes:
        return f'<a class="reference internal {classes}" href="{escape(uri)}">{escape(text)}</a>'
    return f'<a class="reference internal" href="{escape(uri)}"><span class="doc">{escape(text)}</span></a>'


def label_link_html(translator, here: str, label: str, text: str) -> str:
    """A link to an anchor registered with :func:`register_label`, as it is now; the text
    alone (with Sphinx's warning) where no page registers it."""
    target = translator.builder.env.domaindata["std"]["labels"].get(label)
    if target is None:
        logger.warning(f"undefined label: {label!r}", location=here)
        return f'<span class="std std-ref">{escape(text)}</span>'
    docname, anchor, _ = target
    uri = "" if docname == here else translator.builder.get_relative_uri(here, docname)
    return (f'<a class="reference internal" href="{escape(uri)}#{escape(anchor)}">'
            f'<span class="std std-ref">{escape(text)}</span></a>')


def person_with_ids(env, person: Person) -> nodes.inline:
    """A person's link to the people page, then their ORCID iD and homepage where known."""
    out = nodes.inline("", "", person_link(env, person), classes=["spp-team-member"])
    if person.orcid:
        out += nodes.Text(" ")
        out += external_link(f"https://orcid.org/{person.orcid}", "ORCID", classes=["spp-orcid"])
    if person.homepage:
        out += nodes.Text(" ")
        out += external_link(str(person.homepage), "homepage", classes=["spp-homepage"])
    return out


def institution_link(env, inst: Institution, short: bool = False) -> addnodes.pending_xref:
    return label_link(env, institution_label(inst.id), inst.label if short else inst.name)


def perspective_badge(env, perspective: Perspective) -> nodes.reference:
    """A perspective's coloured badge, linking to its page. Made as a plain reference: Sphinx
    replaces a resolved reference's content, and with it the badge's classes."""
    uri = env.app.builder.get_relative_uri(env.docname, perspective.docname)
    return nodes.reference("", perspective.title, internal=True, refuri=uri,
                           classes=["sd-badge", f"spp-badge-{perspective.value}"])


def joined(items: list[nodes.Node], sep: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, item in enumerate(items):
        if i:
            out.append(nodes.Text(sep))
        out.append(item)
    return out


def paragraph(*children: nodes.Node, classes=()) -> nodes.paragraph:
    para = nodes.paragraph(classes=list(classes))
    para.extend(children)
    return para


def external_link(url: str, text: str | None = None, classes: list[str] | None = None) -> nodes.reference:
    return nodes.reference(text or url, text or url, refuri=url, classes=["spp-external", *(classes or [])])


def table(headers: tuple[str, ...], rows: list[list[nodes.Node | str]], widths: tuple[int, ...],
          classes: tuple[str, ...] = ()) -> nodes.table:
    """A table with a header row; a cell is a node or plain text."""
    out = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(headers))
    out += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += nodes.row("", *(nodes.entry("", paragraph(nodes.Text(h))) for h in headers))
    group += head
    body = nodes.tbody()
    for row in rows:
        body += nodes.row("", *(nodes.entry("", paragraph(nodes.Text(c) if isinstance(c, str) else c)) for c in row))
    group += body
    return out
