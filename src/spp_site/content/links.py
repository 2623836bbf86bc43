"""Small node builders shared by every generated page: links, badges, labels."""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ..state import build_state, show_when_written
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


class person_reference(nodes.Inline, nodes.Element):
    """A person's link to the people page, made when the page is written (``person``: the id):
    a renamed person re-writes the project lists that name them, it does not re-read them."""


def person_link_when_written(env: BuildEnvironment, person_id: str) -> person_reference:
    show_when_written(env, f"people:{person_id}")
    return person_reference(person=person_id)


class PersonReferences(SphinxPostTransform):
    """When a page is written: each person_reference becomes the link Sphinx would have made
    of a reference to the person's label, with the name as it is now."""

    default_priority = 5  # before Sphinx resolves the other references

    def run(self, **kwargs) -> None:
        people = build_state(self.app).loaded_program.people
        labels = self.env.domaindata["std"]["labels"]
        for node in list(self.document.findall(person_reference)):
            person = people[node["person"]]
            text = nodes.inline(person.name, person.name, classes=["std", "std-ref"])
            target = labels.get(person_label(person.id))
            if target is None:  # a people page that does not list them: the name, unlinked
                logger.warning(f"undefined label: {person_label(person.id)!r}", location=node)
                node.replace_self(text)
                continue
            docname, anchor, _ = target
            uri = "" if docname == self.env.docname else self.app.builder.get_relative_uri(self.env.docname, docname)
            node.replace_self(nodes.reference("", "", text, internal=True, refuri=f"{uri}#{anchor}"))


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


def perspective_badge(env, perspective: Perspective) -> addnodes.pending_xref:
    return doc_link(env, perspective.docname, perspective.title,
                    classes=("sd-badge", f"spp-badge-{perspective.value}"))


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
