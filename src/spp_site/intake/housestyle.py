"""The house style of our BibTeX files, and the normaliser that writes it.

Rules (after bibtex-tidy and Zotero Better BibTeX, chosen so that reviewers see small diffs):

- one key scheme for new entries: family name of the first author + year + first significant
  title word, lower-case ASCII (``sperl2025separable``); a, b, c on clashes. An existing key is
  kept: the normaliser never renames an entry;
- a fixed field order, and only the fields the site and its downloads use (``file``,
  ``urldate``, ``keywords``, ``month``, ``issn`` ... are dropped);
- ASCII files: non-ASCII letters as braced LaTeX accents (``Gr{\\"u}ne``), dashes as ``--``;
- names as ``Family, Given``; titles with acronyms and inner capitals protected by braces
  (``{ReLU}``), math kept as written;
- DOI without ``https://doi.org/``; arXiv as ``eprint`` + ``archiveprefix = {arXiv}``;
- BibLaTeX spellings mapped (``journaltitle``, ``date``, ``eprinttype``, ``@online``).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from pybtex.database import Entry, Person
from pylatexenc.latexencode import UnicodeToLatexEncoder

from ..bibliography.identity import DOI_PREFIX, arxiv_key

FIELD_ORDER = ("author", "editor", "title", "journal", "booktitle", "series", "publisher", "school", "institution",
               "howpublished", "volume", "number", "pages", "year", "doi", "eprint", "archiveprefix", "url",
               "pdf", "code", "abstract", "note", "projects", "source")
VENUE_FIELDS = ("journal", "booktitle", "publisher", "school", "institution", "howpublished")
TYPES = {
    "article": "article", "inproceedings": "inproceedings", "conference": "inproceedings",
    "incollection": "incollection", "inbook": "incollection", "book": "book", "phdthesis": "phdthesis",
    "thesis": "phdthesis", "mastersthesis": "mastersthesis", "techreport": "techreport", "report": "techreport",
    "misc": "misc", "online": "misc", "electronic": "misc", "www": "misc", "preprint": "misc",
    "unpublished": "misc", "software": "software",
}
RENAMED = {"journaltitle": "journal", "eprinttype": "archiveprefix", "issue": "number", "arxivid": "eprint",
           "arxiv": "eprint"}
STOPWORDS = {"a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "via", "from", "by", "at",
             "towards", "toward", "is", "are", "as", "what", "when", "how", "why", "do", "does"}
ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?/?$", re.IGNORECASE)
ARXIV_JOURNAL = re.compile(r"^\s*arxiv(?: preprint)?\s*(?:arxiv:)?\s*(\S+)\s*$", re.IGNORECASE)
PUNCTUATION = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "--", "\u2014": "---", "\u2018": "'",
                             "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2212": "-"})
_encoder = UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                                 unknown_char_policy="keep")


@dataclass
class Record:
    """One entry in house style: every value already LaTeX-encoded ASCII, names as 'Family, Given'."""

    type: str
    key: str
    fields: dict[str, str]
    authors: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # '%' lines written just before the entry
    dropped: list[str] = field(default_factory=list)  # field names not kept, for the report

    # -- what the intake compares -------------------------------------------------------------
    @property
    def projects(self) -> list[str]:
        return [p.strip() for p in self.fields.get("projects", "").split(",") if p.strip()]

    @property
    def year(self) -> int | None:
        return int(self.fields["year"]) if re.fullmatch(r"\d{4}", self.fields.get("year", "")) else None

    @property
    def venue(self) -> str | None:
        return next((self.fields[f] for f in VENUE_FIELDS if self.fields.get(f)), None)

    @property
    def is_preprint(self) -> bool:
        return self.type == "misc" and not self.venue

    @property
    def plain_title(self) -> str:
        return decode(self.fields.get("title", ""))

    def format(self) -> str:
        names = [f for f in FIELD_ORDER if f == "author" and self.authors or self.fields.get(f)]
        width = max((len(n) for n in names), default=0)
        lines = [*self.comments, f"@{self.type}{{{self.key},"]
        for i, name in enumerate(names):
            value = " and ".join(self.authors) if name == "author" else self.fields[name]
            comma = "," if i < len(names) - 1 else ""
            lines.append(f"  {name.ljust(width)} = {{{value}}}{comma}")
        lines.append("}")
        return "\n".join(lines)


def decode(text: str) -> str:
    """LaTeX -> Unicode, braces dropped (for comparing and for keys)."""
    if "\\" in text or "--" in text:
        text = codecs.decode(text, "ulatex")
    return re.sub(r"\s+", " ", text.replace("{", "").replace("}", "")).strip()


def encode(text: str, strip: bool = True) -> str:
    """Unicode -> our ASCII convention; LaTeX already in the text is kept as written."""
    text = unicodedata.normalize("NFC", text.translate(PUNCTUATION))
    text = re.sub(r"\s+", " ", _encoder.unicode_to_latex(text))
    return text.strip() if strip else text


def _unicode_keeping_markup(text: str) -> str:
    """Accents written in LaTeX -> Unicode letters, keeping braces and $math$ (titles)."""
    parts = re.split(r"(\$[^$]*\$)", text)
    out = []
    for part in parts:
        if not (part.startswith("$") and part.endswith("$") and len(part) > 1) and "\\" in part:
            part = codecs.decode(part, "ulatex")
            part = re.sub(r"\{(\w)\}", r"\1", part)  # {ü} left by decoding an accent
        out.append(part)
    return "".join(out)


def protect_title(title: str) -> str:
    """Braces around words BibTeX styles must not lower-case: acronyms, inner capitals, and
    (in a sentence-case title) proper nouns. Math and existing brace groups stay as they are."""
    pieces = re.split(r"(\$[^$]*\$|\{(?:[^{}]|\{[^{}]*\})*\})", title)
    # Sentence case when most ordinary words (not acronyms) start lower-case.
    plain_words = [w for i, piece in enumerate(pieces) if i % 2 == 0 for w in re.findall(r"[^\W\d_]{4,}", piece)
                   if w[1:].islower()]
    sentence_case = bool(plain_words) and sum(w[0].isupper() for w in plain_words) / len(plain_words) < 0.5
    first = True
    out = []
    for i, piece in enumerate(pieces):
        if i % 2 == 1:
            out.append(piece)
            first = False
            continue

        def wrap(match: re.Match) -> str:
            nonlocal first
            word = match.group(0)
            inner_capital = re.search(r"[a-z][A-Z]|[A-Z]{2}", word) is not None
            proper_noun = sentence_case and not first and word[0].isupper()
            first = False
            return f"{{{word}}}" if inner_capital or proper_noun else word

        out.append(re.sub(r"[^\W\d_][\w'\-]*", wrap, piece))
    return "".join(out)


def encode_title(raw: str) -> str:
    """A title as written in any export -> house style."""
    text = _unicode_keeping_markup(re.sub(r"\s+", " ", raw).strip())
    text = protect_title(text)
    pieces = re.split(r"(\$[^$]*\$)", text)
    return "".join(p if i % 2 else encode(p, strip=False) for i, p in enumerate(pieces)).strip()


def name(family: str, given: str = "", prelast: str = "", lineage: str = "") -> str:
    family = " ".join(x for x in (prelast, family) if x)
    parts = [encode(family)] + ([encode(lineage)] if lineage else []) + ([encode(given)] if given else [])
    return ", ".join(p for p in parts if p)


def person_name(person: Person) -> str:
    def part(names):
        return decode(" ".join(str(n) for n in names))

    return name(part(person.last_names), part(person.first_names + person.middle_names),
                part(person.prelast_names), part(person.lineage_names))


def from_pybtex(entry: Entry, key: str) -> Record:
    """An entry from any reference manager -> house style (the key is kept; see new_key)."""
    fields: dict[str, str] = {}
    dropped = []
    for raw_name, value in entry.fields.items():
        fname = RENAMED.get(raw_name.lower(), raw_name.lower())
        value = re.sub(r"\s+", " ", str(value)).strip()
        if not value:
            continue
        if fname == "date" and "year" not in {k.lower() for k in entry.fields}:
            match = re.match(r"\d{4}", value)
            if match:
                fields["year"] = match.group(0)
                continue
        if fname in FIELD_ORDER and fname not in ("author", "editor"):
            fields.setdefault(fname, value)
        elif fname not in ("author", "editor"):
            dropped.append(raw_name.lower())
    authors = [person_name(p) for p in entry.persons.get("author", [])]
    record = Record(type=TYPES.get(entry.type.lower(), "misc"), key=key, fields=fields, authors=authors,
                    dropped=dropped)
    if entry.type.lower() not in TYPES:
        record.dropped.append(f"type @{entry.type.lower()} (written as @misc)")
    return tidy(record)


def tidy(record: Record) -> Record:
    """Apply the value rules to a record's fields (idempotent)."""
    f = record.fields
    if "title" in f:
        f["title"] = encode_title(f["title"])
    for name_ in ("journal", "booktitle", "publisher", "school", "institution", "howpublished", "abstract",
                  "note", "volume", "number"):
        if name_ in f:
            f[name_] = encode(_unicode_keeping_markup(f[name_]))
    if "pages" in f:
        f["pages"] = re.sub(r"\s*(-+|\u2013|\u2014)\s*", "--", f["pages"].strip())
    if "doi" in f:
        f["doi"] = DOI_PREFIX.sub("", f["doi"]).strip()
    journal_arxiv = ARXIV_JOURNAL.match(decode(f.get("journal", "")))
    if journal_arxiv and record.type == "article":  # Google Scholar's way of writing a preprint
        f.setdefault("eprint", journal_arxiv.group(1))
        del f["journal"]
        record.type = "misc"
    url_arxiv = ARXIV_URL.search(f.get("url", ""))
    if url_arxiv and "eprint" not in f:
        f["eprint"] = url_arxiv.group(1)
    if "eprint" in f and f.get("archiveprefix", "arxiv").lower() == "arxiv":
        f["eprint"] = arxiv_key(f["eprint"]) or f["eprint"]
        f["archiveprefix"] = "arXiv"
        if url_arxiv:
            del f["url"]  # the eprint links to it
    if f.get("url", "").lower().startswith(("https://doi.org/", "http://dx.doi.org/", "https://dx.doi.org/")):
        f.setdefault("doi", DOI_PREFIX.sub("", f["url"]))
        del f["url"]
    if "projects" in f:
        f["projects"] = ", ".join(dict.fromkeys(p.strip() for p in f["projects"].split(",") if p.strip()))
    return record


def new_key(record: Record, taken: set[str]) -> str:
    """family + year + first significant title word; a, b, c ... when taken (case-insensitive)."""
    family = record.authors[0].split(",")[0] if record.authors else "anonymous"
    family = _ascii_word(decode(family).split()[-1] if decode(family) else "anonymous")
    title = re.sub(r"\$[^$]*\$", " ", record.fields.get("title", ""))  # math makes no key word
    words = [w for w in (_ascii_word(w) for w in decode(title).split()) if w]
    word = next((w for w in words if w not in STOPWORDS), words[0] if words else "")
    base = f"{family}{record.fields.get('year', '')}{word}"
    key, suffix = base, 0
    while key.casefold() in taken:
        key = base + "abcdefghijklmnopqrstuvwxyz"[suffix] if suffix < 26 else f"{base}{suffix}"
        suffix += 1
    return key


def _ascii_word(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())
