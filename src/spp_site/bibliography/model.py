"""A publication as the site shows it: decoded, validated, with its origin."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_LABELS = {
    "article": "Journal article",
    "inproceedings": "Conference paper",
    "conference": "Conference paper",
    "incollection": "Book chapter",
    "inbook": "Book chapter",
    "book": "Book",
    "phdthesis": "Thesis",
    "mastersthesis": "Thesis",
    "techreport": "Report",
    "preprint": "Preprint",
    "misc": "Preprint",
    "online": "Preprint",
    "unpublished": "Preprint",
    "software": "Software",
}


@dataclass
class Author:
    display: str  # "Given Family", Unicode
    family: str
    given_initial: str


@dataclass
class Publication:
    key: str
    entry_type: str
    path: str  # repository-relative .bib file
    line: int
    raw: str  # the entry's BibTeX as written (for the BibTeX box and downloads)
    digest: str  # changes when the entry's text changes
    authors: list[Author]
    title: str  # Unicode, may contain $math$
    venue: str
    year: int
    projects: list[str]  # project slugs; "program" for program-level items
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    pdf: str | None = None
    code: str | None = None
    abstract: str | None = None
    note: str | None = None
    people: list[str] = field(default_factory=list)  # person ids, matched via the registry

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.entry_type, "Other")

    @property
    def sort_key(self) -> tuple:
        first = self.authors[0].family.casefold() if self.authors else ""
        return (-self.year, first, self.title.casefold(), self.key)


@dataclass
class Bibliography:
    """All publications of the program, keyed by BibTeX key, in a stable order."""

    entries: dict[str, Publication]
    files: dict[str, list[str]]  # .bib path -> keys in file order

    def sorted(self, keys=None) -> list[Publication]:
        pubs = self.entries.values() if keys is None else (self.entries[k] for k in keys)
        return sorted(pubs, key=lambda p: p.sort_key)

    def of_project(self, slug: str) -> list[Publication]:
        return self.sorted(k for k, p in self.entries.items() if slug in p.projects)

    def of_person(self, person_id: str) -> list[Publication]:
        return self.sorted(k for k, p in self.entries.items() if person_id in p.people)
