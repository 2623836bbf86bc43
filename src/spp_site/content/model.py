"""The program's content model: one schema for people, institutions and projects.

Files on disk are read by :mod:`spp_site.content.loader` into these models; every page is
generated from them. ``schema.json`` for editors is exported from the same classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, HttpUrl, field_validator


class Perspective(StrEnum):
    """The program's three research perspectives."""

    statistical = "statistical"
    application = "application"
    methodological = "methodological"

    @property
    def title(self) -> str:
        return PERSPECTIVE_TITLES[self]

    @property
    def docname(self) -> str:
        return f"docs/perspectives/{self.value}"


PERSPECTIVE_TITLES = {
    Perspective.statistical: "Statistical perspective",
    Perspective.application: "Application perspective",
    Perspective.methodological: "Mathematical-methodological perspective",
}

# Ids of people and institutions and project file names: lower-case words joined by hyphens.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]


def is_slug(text: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, text) is not None


def check_orcid(value: str) -> str:
    """ORCID iDs end in an ISO 7064 MOD 11-2 check digit; a typo almost always breaks it."""
    if not re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", value):
        raise ValueError("an ORCID iD looks like 0000-0002-1825-0097")
    digits = value.replace("-", "")
    total = 0
    for ch in digits[:-1]:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[-1] != expected:
        raise ValueError(f"the check digit of ORCID {value} is wrong (expected {expected})")
    return value


Orcid = Annotated[str, AfterValidator(check_orcid)]


class _Strict(BaseModel):
    # Unknown keys are errors: a misspelt field must not vanish silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


# Project facts a reader takes at face value: each one shown needs a source that states it.
SourcedField = Literal["pis", "former_pis", "members", "institutions", "start", "end"]
SOURCED_FIELDS: tuple[str, ...] = get_args(SourcedField)
# Fields an editor may mark as deduced rather than stated; pages never show them as fact.
InferableField = Literal["pis", "former_pis", "members", "institutions", "perspectives", "phases",
                         "acronym", "start", "end", "title_de", "keywords", "website", "dfg_number"]
FIELD_NAMES = {
    "pis": "principal investigators", "former_pis": "former applicants", "members": "team members",
    "institutions": "institutions", "perspectives": "perspectives", "phases": "funding phases",
    "acronym": "acronym", "start": "start year", "end": "end year", "title_de": "German title",
    "keywords": "keywords", "website": "website", "dfg_number": "DFG project number",
}


def _check_web_address(value: str) -> str:
    if not re.match(r"https?://[^\s/]+\.[^\s]*$", value):
        raise ValueError("a source is a web address starting with https://")
    return value


WebAddress = Annotated[str, AfterValidator(_check_web_address)]


class Source(_Strict):
    """A public page the data comes from, and which of the shown facts it states."""

    url: WebAddress
    states: list[SourcedField] = Field(
        default_factory=list, description="The shown facts this page states, e.g. [pis, start, end].")
    # A third-party copy of an official record, read by the editors: kept in the data, never shown.
    working_copy: bool = False


def _strings_as(key: str):
    """A before-validator: a plain string in a list stands for a mapping ``{key: string}``."""
    def expand(value):
        if isinstance(value, list):
            return [{key: v} if isinstance(v, str) else v for v in value]
        return value
    return expand


class Affiliation(_Strict):
    """A person's institution, with the page that states it."""

    institution: Slug
    source: WebAddress | None = Field(None, description="The public page that states this affiliation.")


class Institution(_Strict):
    """A university or research institute that hosts projects."""

    id: Slug
    name: str = Field(min_length=1)
    short_name: str | None = None
    city: str = Field(min_length=1)
    kind: Literal["university", "institute"] = "university"
    country: str = "Germany"
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    # Markers outside Germany are flagged unless the institution is marked as abroad.
    abroad: bool = False
    ror: Annotated[str, Field(pattern=r"^0[a-z0-9]{6}\d{2}$")] | None = None
    homepage: HttpUrl | None = None
    sources: list[str] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Person(_Strict):
    """A principal investigator (or another named member) of the program."""

    id: Slug
    name: str = Field(min_length=1)
    family_name: str | None = None
    title: str | None = None
    orcid: Orcid | None = None
    homepage: HttpUrl | None = None
    affiliations: list[Affiliation] = Field(default_factory=list)
    roles: list[Literal["coordinator", "coordination-team"]] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)

    # A bare id is accepted by the schema so that validation can name the missing source.
    _affiliations = field_validator("affiliations", mode="before",
                                    json_schema_input_type=list[Affiliation | Slug])(_strings_as("institution"))

    @property
    def affiliation_ids(self) -> list[str]:
        return [a.institution for a in self.affiliations]

    @property
    def sort_key(self) -> tuple[str, str]:
        family = self.family_name or self.name.split()[-1]
        return (family.casefold(), self.name.casefold())


Year = Annotated[int, Field(ge=2019, le=2035)]


class Project(_Strict):
    """A research project of the program, read from ``projects/<slug>.md`` front matter."""

    title: str = Field(min_length=1, description="The project's title in English.")
    title_de: str | None = Field(None, description="The German title, where the DFG lists one.")
    # True when ``title`` is our English rendering of a title known only in German.
    title_is_translation: bool = False
    acronym: str | None = None
    phases: list[Literal[1, 2]] = Field(min_length=1, description="Funding phases: [1], [2] or [1, 2].")
    perspectives: list[Perspective] = Field(min_length=1, description="One or more research perspectives.")
    pis: list[Slug] | Literal["unknown"] = Field(
        description="Principal investigators: person ids from docs/data/people.yaml, or 'unknown'.")
    former_pis: list[Slug] = Field(default_factory=list, description="Person ids of earlier PIs.")
    members: list[Slug] = Field(default_factory=list, description="Person ids of other named team members.")
    institutions: list[Slug] | None = Field(
        None, description="Institution ids from docs/data/institutions.yaml; default: the PIs' affiliations.")
    keywords: list[str] = Field(default_factory=list)
    website: HttpUrl | None = None
    poster: str | None = Field(
        None, description="The project's poster, a PDF in the repository, e.g. docs/_static/posters/<slug>.pdf.")
    start: Year | None = None
    end: Year | None = None
    dfg_number: Annotated[str, Field(pattern=r"^\d{9}$")] | None = Field(
        None, description="The nine-digit project number in the DFG's GEPRIS database.")
    # Fields deduced by the editors rather than stated in a source: kept for the editors, never shown.
    inferred: list[InferableField] = Field(
        default_factory=list, description="Names of fields deduced, not stated in a source.")
    sources: list[Source] = Field(
        min_length=1, description="Public pages the facts on this page come from: an address, or "
        "url + states (the shown facts it states) + working_copy (a third-party copy, never shown).")
    html_meta: dict[str, str] | None = None

    _sources = field_validator("sources", mode="before",
                               json_schema_input_type=list[Source | WebAddress])(_strings_as("url"))

    @property
    def gepris_url(self) -> str | None:
        if self.dfg_number:
            return f"https://gepris.dfg.de/gepris/projekt/{self.dfg_number}?language=en"
        return None


# What an inferred field becomes on the pages: absent.
_ABSENT = {"pis": "unknown", "former_pis": [], "members": [], "institutions": None, "phases": [],
           "acronym": None, "start": None, "end": None, "title_de": None, "keywords": [], "website": None,
           "dfg_number": None}


def shown_facts(project: Project) -> Project:
    """The project as readers see it: every inferred field emptied (perspectives aside, which
    place a project on a perspective page; those pages say that placement is by topic)."""
    return project.model_copy(update={f: _ABSENT[f] for f in project.inferred if f in _ABSENT})


@dataclass
class ProjectRecord:
    """A validated project plus where it came from.

    ``data`` holds only what pages may show (:func:`shown_facts`); ``recorded`` is the front
    matter as written, inferred fields included, for the editors' report.
    """

    slug: str
    docname: str
    path: str
    data: Project
    recorded: Project | None = None
    institutions: list[str] = field(default_factory=list)
    poster_file: tuple[int, str] | None = None  # (size, digest) of the poster PDF

    @property
    def pis(self) -> list[str]:
        return [] if self.data.pis == "unknown" else list(self.data.pis)

    @property
    def perspectives_inferred(self) -> bool:
        return "perspectives" in self.data.inferred

    @property
    def public_sources(self) -> list[Source]:
        return [s for s in self.data.sources if not s.working_copy]


@dataclass
class Program:
    """Everything the pages need, validated and cross-checked. Loaded once per build."""

    people: dict[str, Person]
    institutions: dict[str, Institution]
    projects: dict[str, ProjectRecord]
    fingerprint: str = ""
    # (registry file, line) of each institution, for messages raised after loading.
    institution_lines: dict[str, tuple[str, int]] = field(default_factory=dict)
    person_lines: dict[str, tuple[str, int]] = field(default_factory=dict)

    def projects_by_person(self) -> dict[str, list[ProjectRecord]]:
        """Each person's projects (as PI, former applicant or member), sorted by title: one pass,
        as the people page asks for everyone's."""
        found: dict[str, list[ProjectRecord]] = {}
        for record in self.sorted_projects():
            for person_id in dict.fromkeys((*record.pis, *record.data.former_pis, *record.data.members)):
                found.setdefault(person_id, []).append(record)
        return found

    def projects_at(self, institution_id: str) -> list[ProjectRecord]:
        return [p for p in self.sorted_projects() if institution_id in p.institutions]

    def projects_in(self, perspective: Perspective) -> list[ProjectRecord]:
        return [p for p in self.sorted_projects() if perspective in p.data.perspectives]

    def sorted_projects(self) -> list[ProjectRecord]:
        return sorted(self.projects.values(), key=lambda p: p.data.title.casefold())

    def principal_investigators(self) -> list[Person]:
        ids = {pid for p in self.projects.values() for pid in p.pis}
        return sorted((self.people[i] for i in ids), key=lambda p: p.sort_key)

    def people_with_role(self, role: str) -> list[Person]:
        """The people whose ``roles`` name ``role``. A page reading the program through
        state.read_program records this query, not the whole registry: renaming someone
        else does not re-read it."""
        with_role = getattr(self.people, "with_role", None)
        if with_role is not None:
            return with_role(role)
        return [p for p in self.people.values() if role in p.roles]

    def listed_people(self) -> list[Person]:
        """Everyone the people page shows: PIs, former applicants, members and the coordination team."""
        ids = {pid for p in self.projects.values() for pid in (*p.pis, *p.data.former_pis, *p.data.members)}
        ids |= {p.id for p in self.people.values() if p.roles}
        return sorted((self.people[i] for i in ids), key=lambda p: p.sort_key)

    def listed_institutions(self) -> list[Institution]:
        """Institutions the site names: project hosts and the affiliations of listed people."""
        ids = {i for p in self.projects.values() for i in p.institutions}
        ids |= {i for person in self.listed_people() for i in person.affiliation_ids}
        return sorted((self.institutions[i] for i in ids if i in self.institutions), key=lambda i: i.name.casefold())

    def host_institutions(self) -> list[Institution]:
        ids = {i for p in self.projects.values() for i in p.institutions}
        return sorted((self.institutions[i] for i in ids), key=lambda i: i.name.casefold())

    def figures(self) -> dict[str, int]:
        """Figures for the home page, each labelled with what it counts. A figure whose data is
        incomplete is left out, never shown as a total (PIs and hosts are known for some
        projects only; the editors' report lists the gaps)."""
        starts = sorted({p.data.start for p in self.projects.values() if p.data.start})
        since = " and ".join(str(y) for y in starts)
        figures = {f"projects, funded from {since}" if since else "projects": len(self.projects),
                   "research perspectives": len(Perspective)}
        if all(p.pis for p in self.projects.values()):  # counted by id: no person's record is read
            figures["principal investigators"] = len({pid for p in self.projects.values() for pid in p.pis})
        if all(p.institutions for p in self.projects.values()):
            hosts = self.host_institutions()
            figures["host universities and institutes"] = len(hosts)
        return figures
