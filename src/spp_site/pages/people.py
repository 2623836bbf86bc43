"""People and institutions pages, the coordination team and the program figures."""

from __future__ import annotations

from docutils import nodes

from ..content.links import (
    doc_link,
    external_link,
    institution_label,
    institution_link,
    joined,
    paragraph,
    person_label,
    person_link,
    register_label,
)
from ..state import SppDirective


class PeopleList(SppDirective):
    """Principal investigators, alphabetical by family name, with projects and institutions."""

    def render(self) -> list[nodes.Node]:
        program = self.program
        env = self.env
        out = nodes.container(classes=["spp-people"])
        projects_of = program.projects_by_person()
        for person in program.listed_people():
            node_id = f"person-{person.id}"
            register_label(env, person_label(person.id), node_id, person.name)
            entry = nodes.container(ids=[node_id], classes=["spp-person"])
            heading = paragraph(nodes.strong("", person.name), classes=["spp-person-name"])
            if person.title:
                heading.insert(0, nodes.Text(person.title + " "))
            entry += heading
            insts = [institution_link(env, program.institutions[i]) for i in person.affiliation_ids]
            if insts:
                entry += paragraph(nodes.Text("Affiliation: "), *joined(insts))
            projects = [doc_link(env, r.docname, r.data.title) for r in projects_of.get(person.id, [])]
            if projects:
                entry += paragraph(nodes.Text("Projects: "), *joined(projects, "; "))
            roles = {"coordinator": "program coordinator", "coordination-team": "coordination team"}
            if person.roles:
                entry += paragraph(nodes.Text("Role: " + ", ".join(roles[r] for r in person.roles)))
            links = []
            if person.orcid:
                links.append(external_link(f"https://orcid.org/{person.orcid}", f"ORCID {person.orcid}"))
            if person.homepage:
                links.append(external_link(str(person.homepage), "homepage"))
            if links:
                entry += paragraph(*joined(links, " · "))
            env.app.emit("spp-person-entry", person, entry)
            out += entry
        return [out]


class InstitutionList(SppDirective):
    """Institutions hosting projects, with their projects and people."""

    def render(self) -> list[nodes.Node]:
        program = self.program
        env = self.env
        out = nodes.container(classes=["spp-institutions"])
        for inst in program.listed_institutions():
            node_id = f"institution-{inst.id}"
            register_label(env, institution_label(inst.id), node_id, inst.name)
            entry = nodes.container(ids=[node_id], classes=["spp-institution"])
            entry += paragraph(nodes.strong("", inst.name), nodes.Text(f" — {inst.city}"),
                               classes=["spp-institution-name"])
            projects = program.projects_at(inst.id)
            items = nodes.bullet_list()
            for record in projects:
                items += nodes.list_item("", paragraph(doc_link(env, record.docname, record.data.title)))
            if projects:
                entry += paragraph(nodes.Text(f"{len(projects)} project{'s' if len(projects) != 1 else ''}:"))
                entry += items
            else:  # listed as the affiliation of a member of the program
                people = [person_link(env, p) for p in program.listed_people() if inst.id in p.affiliation_ids]
                entry += paragraph(nodes.Text("Affiliation of "), *joined(people))
            out += entry
        return [out]


class CoordinationTeam(SppDirective):
    """The coordinator and coordination team, from the people registry's ``roles``."""

    def render(self) -> list[nodes.Node]:
        program = self.program
        items = nodes.bullet_list()
        members = program.people_with_role("coordination-team")
        for person in sorted(members, key=lambda p: ("coordinator" not in p.roles, p.sort_key)):
            text = person.name
            insts = ", ".join(program.institutions[i].name for i in person.affiliation_ids)
            if insts:
                text += f" ({insts})"
            if "coordinator" in person.roles:
                text += ", coordinator"
            items += nodes.list_item("", paragraph(nodes.Text(text)))
        return [items]


class ProgramFigures(SppDirective):
    """The program's numbers, counted from the data (never typed in)."""

    def render(self) -> list[nodes.Node]:
        figures = self.program.figures()
        box = nodes.container(classes=["spp-figures"], ids=["program-figures"])
        for name, value in figures.items():
            item = nodes.container(classes=["spp-figure"])
            item += paragraph(nodes.Text(str(value)), classes=["spp-figure-value"])
            item += paragraph(nodes.Text(name), classes=["spp-figure-label"])
            box += item
        return [box]
