"""A publication as the site shows it: decoded, validated, with its origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

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


@dataclass(slots=True)
class Author:
    display: str  # "Given Family", Unicode
    family: str
    given_initial: str


@dataclass(slots=True)
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
    plain_title: str = ""  # the title as a reader sees it (math in Unicode), for search and metadata
    title_key: str = ""  # the title reduced for recognising the same paper (identity.title_key), cached

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
        if keys is None:
            return list(self._in_order)
        return sorted((self.entries[k] for k in keys), key=lambda p: p.sort_key)

    def of_project(self, slug: str) -> list[Publication]:
        return list(self._by("projects").get(slug, ()))

    def of_person(self, person_id: str) -> list[Publication]:
        return list(self._by("people").get(person_id, ()))

    @cached_property
    def _in_order(self) -> list[Publication]:
        return sorted(self.entries.values(), key=lambda p: p.sort_key)

    def _by(self, attribute: str) -> dict[str, list[Publication]]:
        """Entries grouped by project or person, in order; built once (pages ask hundreds of times)."""
        groups = self.__dict__.get(f"_by_{attribute}")
        if groups is None:
            groups = self.__dict__[f"_by_{attribute}"] = {}
            for pub in self._in_order:
                for value in getattr(pub, attribute):
                    groups.setdefault(value, []).append(pub)
        return groups
