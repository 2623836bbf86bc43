"""Structured data (schema.org JSON-LD) in every page's head, built from the validated model:
the program on the home page, a ResearchProject per project page, a ScholarlyArticle per
entry on the publication year pages, and an Event (or a NewsArticle) per post."""

from __future__ import annotations

import json
from typing import Any

from sphinx.application import Sphinx

from ..bibliography.pages import year_page
from ..content.model import Person, Program, ProjectRecord
from ..content.posts import Post
from ..state import build_state, read_page_record, read_program, site_domain

CONTEXT = "https://schema.org"
DFG = {"@type": "FundingAgency", "name": "Deutsche Forschungsgemeinschaft (DFG)", "url": "https://www.dfg.de/"}
ARTICLE_TYPES = {"book": "Book", "phdthesis": "Thesis", "mastersthesis": "Thesis", "software": "SoftwareSourceCode"}


def script_tag(data: dict[str, Any]) -> str:
    """A <script> element no data can break out of: '<' is escaped inside JSON strings."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{text}</script>'


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty fields: an unknown fact is left out, never guessed."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


class Urls:
    def __init__(self, app: Sphinx) -> None:
        self.base = (app.config.html_baseurl or "/").rstrip("/") + "/"

    def page(self, docname: str) -> str:
        return self.base + ("" if docname == "index" else docname + ".html")

    def program(self) -> str:
        return self.base + "#program"


def _person(person: Person, program: Program) -> dict[str, Any]:
    return _compact({
        "@type": "Person", "name": person.name, "familyName": person.family_name,
        "sameAs": [f"https://orcid.org/{person.orcid}"] if person.orcid else [],
        "url": str(person.homepage) if person.homepage else None,
        "affiliation": [_compact({"@type": "Organization", "name": program.institutions[i].name,
                                  "url": str(program.institutions[i].homepage or "") or None})
                        for i in person.affiliation_ids if i in program.institutions],
    })


def program_data(program: Program, urls: Urls) -> dict[str, Any]:
    coordinators = program.people_with_role("coordinator")
    hosts = program.host_institutions()
    return _compact({
        "@context": CONTEXT, "@type": "ResearchProject", "@id": urls.program(),
        "name": "Theoretical Foundations of Deep Learning", "alternateName": "SPP 2298",
        "description": "DFG Priority Program on the mathematical and statistical theory of deep learning.",
        "url": urls.base, "funder": DFG,
        "member": [_person(p, program) for p in coordinators],
        "subOrganization": [{"@type": "ResearchProject", "name": r.data.title, "url": urls.page(r.docname)}
                            for r in program.sorted_projects()],
        "location": [{"@type": "Place", "name": i.name,
                      "geo": {"@type": "GeoCoordinates", "latitude": i.latitude, "longitude": i.longitude}}
                     for i in hosts],
    })


def project_data(record: ProjectRecord, program: Program, urls: Urls) -> dict[str, Any]:
    data = record.data
    return _compact({
        "@context": CONTEXT, "@type": "ResearchProject", "@id": urls.page(record.docname),
        "name": data.title, "alternateName": data.acronym, "url": urls.page(record.docname),
        "description": (data.html_meta or {}).get("description"),
        "keywords": data.keywords, "funder": DFG,
        "parentOrganization": {"@type": "ResearchProject", "@id": urls.program(), "name": "SPP 2298"},
        "member": [_person(program.people[i], program) for i in record.pis if i in program.people],
        "sameAs": [u for u in (data.gepris_url, str(data.website) if data.website else None) if u],
        "foundingDate": str(data.start) if data.start else None,
        "dissolutionDate": str(data.end) if data.end else None,
        "location": [{"@type": "Place", "name": program.institutions[i].name}
                     for i in record.institutions if i in program.institutions],
    })


def articles_data(app: Sphinx, year: int, urls: Urls) -> dict[str, Any]:
    program = build_state(app).loaded_program
    page = urls.page(year_page(year))
    graph = []
    for pub in build_state(app).loaded_bibliography.sorted():
        if pub.year != year:
            continue
        graph.append(_compact({
            "@type": ARTICLE_TYPES.get(pub.entry_type, "ScholarlyArticle"), "@id": f"{page}#{pub.key}",
            "name": pub.plain_title, "headline": pub.plain_title[:110],
            "author": [{"@type": "Person", "name": a.display} for a in pub.authors],
            "datePublished": str(pub.year),
            "isPartOf": {"@type": "CreativeWork", "name": pub.venue} if pub.venue else None,
            "sameAs": [u for u in (f"https://doi.org/{pub.doi}" if pub.doi else None,
                                   f"https://arxiv.org/abs/{pub.arxiv}" if pub.arxiv else None, pub.url) if u],
            "about": [{"@type": "ResearchProject", "@id": urls.page(program.projects[s].docname)}
                      for s in pub.projects if s in program.projects],
        }))
    return {"@context": CONTEXT, "@graph": graph}


def post_data(post: Post, docname: str, urls: Urls) -> dict[str, Any]:
    if post.kind == "event":
        where = ({"@type": "VirtualLocation", "url": urls.page(docname)} if post.online
                 else {"@type": "Place", "name": post.place} if post.place else None)
        return _compact({
            "@context": CONTEXT, "@type": "Event", "@id": urls.page(docname), "name": post.title,
            "url": urls.page(docname), "description": post.summary,
            # Only dates a source states: an event known from its announcement has none.
            "startDate": post.start and post.first_day.isoformat(),
            "endDate": post.start and post.last_day.isoformat(),
            "eventAttendanceMode": "https://schema.org/" + (
                "OnlineEventAttendanceMode" if post.online else "OfflineEventAttendanceMode"),
            "location": where,
            "organizer": {"@type": "ResearchProject", "@id": urls.program(), "name": "SPP 2298"},
        })
    return _compact({
        "@context": CONTEXT, "@type": "NewsArticle", "@id": urls.page(docname), "headline": post.title[:110],
        "url": urls.page(docname), "description": post.summary, "datePublished": post.date.isoformat(),
        "publisher": {"@type": "ResearchProject", "@id": urls.program(), "name": "SPP 2298"},
    })


def page_data(env, docname: str) -> dict[str, Any] | None:
    """doctree-read time (pages/titles.py): the JSON-LD of a page made from data, from what the
    page reads (so it is recorded as a reader of exactly that)."""
    urls = Urls(env.app)
    if docname == env.config.root_doc:
        return program_data(read_program(env), urls)
    record = read_page_record(env)
    if isinstance(record, ProjectRecord):
        return project_data(record, read_program(env), urls)
    if record is not None:
        return post_data(record.post, docname, urls)
    return None


def add_structured_data(app: Sphinx, pagename: str, templatename, context: dict, doctree) -> None:
    """html-page-context: the JSON-LD made when the page was read, or, for a year page, now."""
    if app.builder.format != "html":
        return
    year = pagename.rpartition("/")[2]
    if year.isdigit() and year_page(int(year)) == pagename:
        data = articles_data(app, int(year), Urls(app))
    else:
        data = site_domain(app.env).jsonld.get(pagename)
    if data:
        context["metatags"] = context.get("metatags", "") + "\n" + script_tag(data)
