"""When two BibTeX entries are one paper: the rule shared by validation and intake.

Two entries are the same paper when they have the same DOI (without ``https://doi.org/`` or
``doi:``, case-insensitively), the same arXiv id (without version), or the same title once LaTeX
is decoded and case, accents, braces and punctuation are dropped, with years at most one apart
(a preprint and its published version often differ by a year). One of the two may lack a DOI.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

DOI_PREFIX = re.compile(r"^\s*(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
ARXIV_VERSION = re.compile(r"v\d+$")


def doi_key(doi: str | None) -> str | None:
    if not doi:
        return None
    return DOI_PREFIX.sub("", doi).strip().casefold() or None


def arxiv_key(arxiv: str | None) -> str | None:
    if not arxiv:
        return None
    return ARXIV_VERSION.sub("", re.sub(r"^arxiv:\s*", "", arxiv.strip(), flags=re.IGNORECASE)).casefold() or None


def title_key(title: str) -> str:
    """A decoded (Unicode) title reduced to lower-case letters and digits."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W_]+", "", text)


@dataclass(frozen=True)
class Identity:
    """What makes an entry a paper: where it is, and the three ways to recognise it."""

    ref: object  # the caller's handle (a key, a record)
    doi: str | None
    arxiv: str | None
    title: str  # already reduced by title_key
    year: int | None


def identity(ref: object, doi: str | None, arxiv: str | None, title: str, year: int | None) -> Identity:
    return Identity(ref, doi_key(doi), arxiv_key(arxiv), title_key(title), year)


class PaperIndex:
    """Finds the entry already known for a paper; add entries one by one."""

    def __init__(self, known: Iterable[Identity] = ()) -> None:
        self._doi: dict[str, Identity] = {}
        self._arxiv: dict[str, Identity] = {}
        self._title: dict[str, list[Identity]] = {}
        for item in known:
            self.add(item)

    def find(self, item: Identity) -> tuple[Identity, str] | None:
        """The first known entry that is the same paper, and why ("DOI", "arXiv id", "title")."""
        if item.doi and item.doi in self._doi:
            return self._doi[item.doi], "DOI"
        if item.arxiv and item.arxiv in self._arxiv:
            return self._arxiv[item.arxiv], "arXiv id"
        for other in self._title.get(item.title, ()) if item.title else ():
            if item.year is None or other.year is None or abs(item.year - other.year) <= 1:
                return other, "title"
        return None

    def add(self, item: Identity) -> None:
        if item.doi:
            self._doi.setdefault(item.doi, item)
        if item.arxiv:
            self._arxiv.setdefault(item.arxiv, item)
        if item.title:
            self._title.setdefault(item.title, []).append(item)

    def replace(self, old: Identity, new: Identity) -> None:
        """``old`` has been upgraded in place (it gained a DOI or a venue): index it as ``new``."""
        for table in (self._doi, self._arxiv):
            for k, v in list(table.items()):
                if v is old:
                    table[k] = new
        for items in self._title.values():
            items[:] = [new if v is old else v for v in items]
        self.add(new)


def duplicates(items: Iterable[Identity]) -> Iterator[tuple[Identity, Identity, str]]:
    """(later entry, the earlier one it repeats, why), in the given order."""
    index = PaperIndex()
    for item in items:
        found = index.find(item)
        if found:
            yield item, found[0], found[1]
        else:
            index.add(item)
