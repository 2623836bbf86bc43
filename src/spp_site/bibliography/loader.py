"""BibTeX files -> validated :class:`Publication` records, with file and line in every error.

Each file is split into entries at lines starting with ``@type{`` (which gives every entry
its line). pybtex parses a well-formed file in one pass; a file it rejects is parsed again
entry by entry, so one broken entry is reported at its own line and cannot swallow the
entries after it.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import hashlib
import multiprocessing as mp
import os
import pickle
import re
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pybtex.errors
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexError

from ..build.codeversion import CODE_VERSION
from ..build.forking import can_fork
from ..content.errors import ErrorCode, ErrorCollector
from ..content.loader import read_text_file
from ..content.model import Program
from .format import plain_text
from .identity import Identity, arxiv_key, doi_key, duplicates, title_key
from .model import Author, Bibliography, Publication

pybtex.errors.set_strict_mode(True)

ENTRY_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s]*)", re.MULTILINE)
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
ARXIV = re.compile(r"^(\d{4}\.\d{4,5}(v\d+)?|[a-z\-]+(\.[A-Z]{2})?/\d{7}(v\d+)?)$")
YEAR = re.compile(r"^\d{4}$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?(/.*)?$")  # BibLaTeX dates, ranges included
FIRST_YEAR = 1900


def latest_year() -> int:
    """No entry is dated after next year (by the calendar, not SOURCE_DATE_EPOCH: a reproducible
    build of an old commit must still accept what was valid)."""
    return dt.date.today().year + 1
NON_ENTRIES = {"string", "preamble", "comment"}

REQUIRED = {
    "article": ("author", "title", "journal", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "conference": ("author", "title", "booktitle", "year"),
    "incollection": ("author", "title", "booktitle", "year"),
    "book": ("author", "title", "publisher", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "techreport": ("author", "title", "institution", "year"),
}
ONLINE_TYPES = {"misc", "preprint", "online", "unpublished", "software"}
VENUE_FIELDS = ("journal", "booktitle", "publisher", "school", "institution", "howpublished")


def decode_latex(text: str) -> str:
    """LaTeX accents and commands -> Unicode; grouping braces dropped; $math$ kept as is."""
    parts = re.split(r"(\$[^$]*\$)", text)
    out = []
    for part in parts:
        if part.startswith("$") and part.endswith("$") and len(part) > 1:
            out.append(part)
        else:
            decoded = codecs.decode(part, "ulatex") if "\\" in part or "--" in part else part
            out.append(decoded.replace("{", "").replace("}", ""))
    return re.sub(r"\s+", " ", "".join(out)).strip()


# Names and venues recur across entries (a co-author, a journal): decoded once per process.
_decode_recurring = lru_cache(maxsize=16384)(decode_latex)


def _split_entries(text: str) -> list[tuple[int, str, str, str]]:
    """(line, type, key, text) for every @-block of the file."""
    starts = list(ENTRY_START.finditer(text))
    blocks = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        line = text.count("\n", 0, match.start()) + 1
        blocks.append((line, match.group(1).lower(), match.group(2), text[match.start():end]))
    return blocks


def _author(person) -> Author:
    given = " ".join(person.first_names + person.middle_names)
    family = " ".join(person.prelast_names + person.last_names)
    given, family = _decode_recurring(given), _decode_recurring(family)
    display = f"{given} {family}".strip()
    if person.lineage_names:
        display += ", " + _decode_recurring(" ".join(person.lineage_names))
    return Author(display=display, family=family, given_initial=given[:1])


class ParseCache:
    """Each .bib file's entries, one pickle per file in the build's cache folder, valid while
    the file's text, the program data and the parsing code are unchanged. Kept out of the
    Sphinx environment: an edit rewrites one small file, not the whole environment."""

    CODE = CODE_VERSION

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, rel: str) -> Path:
        return self.folder / (hashlib.sha1(rel.encode()).hexdigest() + ".pickle")

    # Files read ahead of a build by a process waiting to run it (the live preview): path ->
    # (modification time, size, contents). Used only while the file is unchanged.
    READ_AHEAD: dict[Path, tuple[int, int, tuple[str, list[Publication]]]] = {}

    @classmethod
    def read_ahead(cls, folder: Path) -> None:
        for path in folder.glob("*.pickle") if folder.is_dir() else ():
            with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                info = path.stat()
                cls.READ_AHEAD[path] = (info.st_mtime_ns, info.st_size, pickle.loads(path.read_bytes()))

    def get(self, rel: str, stamp: str) -> list[Publication] | None:
        path = self._file(rel)
        try:
            info = path.stat()
            ahead = self.READ_AHEAD.pop(path, None)
            if ahead is not None and ahead[:2] == (info.st_mtime_ns, info.st_size):
                saved_stamp, pubs = ahead[2]
            else:
                saved_stamp, pubs = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None
        return pubs if saved_stamp == stamp + self.CODE else None

    def put(self, rel: str, stamp: str, pubs: list[Publication]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._file(rel).write_bytes(pickle.dumps((stamp + self.CODE, pubs), protocol=pickle.HIGHEST_PROTOCOL))

    def keep_only(self, rels) -> None:
        wanted = {self._file(rel).name for rel in rels}
        for path in self.folder.glob("*.pickle") if self.folder.is_dir() else ():
            if path.name not in wanted:
                path.unlink()


def load_bibliography(bib_dir: Path, program: Program, root: Path, cache: ParseCache | None = None) -> Bibliography:
    """Read every .bib file; raise SiteDataError naming each bad entry's file and line.

    With a ``cache``, a file whose text and program data are unchanged is not parsed again.
    """
    errors = ErrorCollector(root)
    known_projects = set(program.projects) | {"program"}
    slugs = ",".join(sorted(known_projects))
    loaded: dict[str, tuple[Path, list[Publication]]] = {}
    todo: list[tuple[Path, str, str, str]] = []
    files = sorted(p for p in bib_dir.iterdir() if p.is_file() and p.suffix.lower() == ".bib") \
        if bib_dir.is_dir() else []
    for path in files:
        rel = path.relative_to(root).as_posix()
        if path.stem not in known_projects:
            errors.add(path, 1, ErrorCode.bib_unknown_project,
                       f"'{path.name}' is not named after a known project",
                       "name the file <project-slug>.bib after a page in projects/, or use program.bib")
            continue
        text = read_text_file(errors, path)
        if text is None:
            continue
        # Parsing checks the text against the project slugs and the year (no year after next
        # year); people are matched after the cache, so a registry edit re-parses nothing.
        stamp = hashlib.sha1(f"{slugs}\0{latest_year()}\0{text}".encode()).hexdigest()
        cached = cache.get(rel, stamp) if cache else None
        loaded[rel] = (path, cached or [])
        if cached is None:
            todo.append((path, rel, text, stamp))
    for (path, rel, _text, stamp), (pubs, file_errors) in zip(todo, _parse_files(todo, program, root), strict=True):
        errors.errors.extend(file_errors)
        if cache and not file_errors:
            cache.put(rel, stamp, pubs)
        loaded[rel] = (path, pubs)
    entries: dict[str, Publication] = {}
    by_folded_key: dict[str, Publication] = {}  # BibTeX keys are case-insensitive
    files: dict[str, list[str]] = {}
    for rel, (path, pubs) in loaded.items():
        keys = []
        for pub in pubs:
            first = by_folded_key.get(pub.key.casefold())
            if first is not None:
                errors.add(path, pub.line, ErrorCode.bib_duplicate_key,
                           f"duplicate key '{pub.key}' (first at {first.path}:{first.line})", DUPLICATE_HINT)
                continue
            entries[pub.key] = by_folded_key[pub.key.casefold()] = pub
            keys.append(pub.key)
        files[rel] = keys
    if cache:
        cache.keep_only(files)
    _check_same_papers(errors, entries, root)
    errors.raise_if_any()
    _match_people(entries, program)
    return Bibliography(entries=entries, files=files)


# Above this much BibTeX to parse, the files are shared out to one process per core (a cold
# build of 10,000 entries parses 8 MB: 3 s on one core).
PARALLEL_BYTES = 1_000_000
_WORKER_CONTEXT: tuple[Program, Path] | None = None  # inherited by forked workers


def _parse_files(todo, program: Program, root: Path) -> list[tuple[list[Publication], list]]:
    global _WORKER_CONTEXT
    cores = os.cpu_count() or 1
    if cores < 2 or sum(len(t[2]) for t in todo) < PARALLEL_BYTES or not can_fork():
        return [_parse_file(path, rel, text, program, root) for path, rel, text, _ in todo]
    _WORKER_CONTEXT = (program, root)
    try:
        with ProcessPoolExecutor(cores, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(_parse_in_worker, [(path, rel, text) for path, rel, text, _ in todo],
                                 chunksize=max(1, len(todo) // (4 * cores))))
    finally:
        _WORKER_CONTEXT = None


def _parse_in_worker(item: tuple[Path, str, str]) -> tuple[list[Publication], list]:
    assert _WORKER_CONTEXT is not None
    return _parse_file(*item, *_WORKER_CONTEXT)


def _parse_file(path: Path, rel: str, text: str, program: Program, root: Path) -> tuple[list[Publication], list]:
    errors = ErrorCollector(root)
    pubs = _load_file(errors, path, rel, text, program)
    return pubs, errors.errors


DUPLICATE_HINT = ("a paper shared by projects is written once, with projects = {a, b}; "
                  "otherwise give one of them a new key")


def _load_file(errors, path: Path, rel: str, text: str, program: Program) -> list[Publication]:
    """Fast path: pybtex parses the whole file at once. If that fails, every entry is parsed
    on its own so each mistake is reported at its own line."""
    all_blocks = _split_entries(text)
    blocks = [b for b in all_blocks if b[1] not in NON_ENTRIES]
    # With @string abbreviations the entry's own text is not complete BibTeX: the BibTeX box and
    # the downloads then show the entry as parsed, with the abbreviations written out.
    context = FileContext(keys={b[2].casefold() for b in blocks}, macros=any(b[1] == "string" for b in all_blocks))
    try:
        parsed = Parser(encoding="utf-8").parse_string(text).entries
    except PybtexError:
        parsed = None
    if parsed is not None and [b[2] for b in blocks] == [e.key for e in parsed.values()]:
        pubs = (_publication(errors, path, rel, line, block, parsed[key], program, context)
                for line, _type, key, block in blocks)
        return [p for p in pubs if p is not None]
    return _load_file_by_entry(errors, path, rel, text, program, context)


@dataclass(frozen=True)
class FileContext:
    keys: set[str]  # the file's entry keys, case-folded (a crossref must name one)
    macros: bool  # the file defines @string abbreviations


def _load_file_by_entry(errors, path: Path, rel: str, text: str, program: Program,
                        context: FileContext) -> list[Publication]:
    parser = Parser(encoding="utf-8")
    keys: set[str] = set()
    pubs: list[Publication] = []
    for line, entry_type, key, block in _split_entries(text):
        if entry_type in NON_ENTRIES:
            try:
                parser.parse_string(block)
            except PybtexError as exc:
                errors.add(path, line, ErrorCode.bib_syntax, f"cannot parse @{entry_type}: {exc}")
            continue
        if not key:
            errors.add(path, line, ErrorCode.bib_syntax, "entry has no key",
                       "write @article{SomeKey2024, ...}")
            continue
        if key.casefold() in keys:
            errors.add(path, line, ErrorCode.bib_duplicate_key, f"duplicate key '{key}' (first earlier in this file)",
                       DUPLICATE_HINT)
            continue
        try:
            before = set(parser.data.entries)
            parser.parse_string(block)
            new = [k for k in parser.data.entries if k not in before]
        except PybtexError as exc:
            errors.add(path, line, ErrorCode.bib_syntax,
                       f"entry '{key}' is broken: {_syntax_message(exc)}",
                       "check that every { has a matching } and the entry ends with }")
            continue
        if len(new) != 1:
            errors.add(path, line, ErrorCode.bib_syntax, f"entry '{key}' could not be read",
                       "check the braces and the comma after the key")
            continue
        keys.add(key.casefold())
        pub = _publication(errors, path, rel, line, block, parser.data.entries[new[0]], program, context)
        if pub is not None:
            pubs.append(pub)
    return pubs


def _syntax_message(exc: PybtexError) -> str:
    msg = str(exc)
    if "premature end of file" in msg:
        return "it ends before its closing brace (unbalanced braces or a truncated entry)"
    return re.sub(r"^syntax error in line \d+: ", "", msg)


def _publication(errors, path, rel, line, block, entry, program, context: FileContext) -> Publication | None:
    fields = {k.lower(): str(v) for k, v in entry.fields.items()}
    etype = entry.type.lower()
    key = entry.key
    ok = True

    def fail(code: str, message: str, hint: str = "") -> None:
        nonlocal ok
        ok = False
        errors.add(path, line, code, f"entry '{key}': {message}", hint)

    crossref = fields.get("crossref", "").strip()
    if crossref and crossref.casefold() not in context.keys:
        fail(ErrorCode.bib_unknown_crossref, f"crossref names '{crossref}', which is not in this file",
             "copy the fields it should give (booktitle, year ...) into the entry and remove crossref")
        return None  # the fields it lacks are this one mistake
    if "year" not in fields and "date" in fields:
        # Zotero's BibLaTeX export writes date = {2024-05-01} instead of year.
        date = fields["date"].strip()
        if not ISO_DATE.match(date):
            fail(ErrorCode.bib_bad_date, f"date '{date[:40]}' is not written year-month-day",
                 "write date = {2025-04-24}, or year = {2025}")
            return None
        fields["year"] = date[:4]
    authors = [_author(p) for p in entry.persons.get("author", [])]
    required = REQUIRED.get(etype, ("author", "title", "year"))
    for name in required:
        if name == "author":
            present = bool(authors)
        elif name == "title":
            present = bool(decode_latex(fields.get("title", "")))  # {} or { } is no title
        else:
            present = bool(fields.get(name, "").strip())
        if not present:
            fail(ErrorCode.bib_missing_field, f"@{etype} needs the field '{name}'",
                 f"add {name} = {{...}} to the entry")
    if etype in ONLINE_TYPES and not any(fields.get(f) for f in ("url", "eprint", "doi")):
        fail(ErrorCode.bib_missing_field, f"@{etype} needs one of url, eprint or doi",
             "add the arXiv id as eprint = {2401.01234}, or a url/doi")
    year = fields.get("year", "").strip()
    latest = latest_year()
    if year and not YEAR.match(year):
        fail(ErrorCode.bib_bad_year, f"year '{year[:40]}' is not a four-digit year", "write year = {2024}")
    elif year and not FIRST_YEAR <= int(year) <= latest:
        fail(ErrorCode.bib_bad_year, f"year {year} is not plausible (the site takes {FIRST_YEAR} to {latest})",
             "check the year; a paper in press gets the year it appears")
    doi = fields.get("doi", "").strip()
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi, flags=re.IGNORECASE)
    if doi and not DOI.match(doi):
        fail(ErrorCode.bib_bad_doi, f"DOI '{doi}' is malformed", "a DOI looks like 10.1137/20M1234567")
    eprint = fields.get("eprint", "").strip()
    is_arxiv = fields.get("archiveprefix", "arxiv").lower() == "arxiv"
    if eprint and is_arxiv and not ARXIV.match(eprint):
        fail(ErrorCode.bib_bad_eprint, f"arXiv id '{eprint}' is malformed", "an arXiv id looks like 2306.12941")
    links = {}
    for name in ("url", "pdf", "code"):
        value = fields.get(name, "").strip()
        if value and not re.match(r"^https?://[^\s\"'<>]+$", value):
            fail(ErrorCode.bib_bad_url, f"{name} '{value}' is not an http(s) address",
                 f"write {name} = {{https://...}}")
        links[name] = value or None
    projects = [path.stem]
    extra = fields.get("projects", "")
    for slug in (s.strip() for s in extra.split(",") if s.strip()):
        if slug not in program.projects and slug != "program":
            fail(ErrorCode.bib_unknown_project, f"projects names unknown project '{slug}'",
                 "use slugs of pages in projects/ (file names without .md)")
        elif slug not in projects:
            projects.append(slug)
    if not ok:
        return None
    venue = next((_decode_recurring(fields[f]) for f in VENUE_FIELDS if fields.get(f)), "")
    if not venue and eprint and is_arxiv:
        venue = "arXiv preprint"
    title = decode_latex(fields.get("title", ""))
    return Publication(
        key=key, entry_type=etype, path=rel, line=line, raw=_as_written(entry) if context.macros else block.strip(),
        digest=hashlib.sha1(block.encode("utf-8")).hexdigest(),
        authors=authors, title=title, plain_title=plain_text(title), title_key=title_key(title), venue=venue,
        year=int(year),
        projects=projects, doi=doi or None, arxiv=eprint if eprint and is_arxiv else None,
        url=links["url"], pdf=links["pdf"], code=links["code"],
        abstract=decode_latex(fields["abstract"]) if fields.get("abstract") else None,
        note=decode_latex(fields["note"]) if fields.get("note") else None,
    )


def _check_same_papers(errors, entries: dict[str, Publication], root: Path) -> None:
    """One paper, one entry: a joint paper lists its projects instead of appearing twice."""
    items = (Identity(pub, doi_key(pub.doi), arxiv_key(pub.arxiv), pub.title_key, pub.year)
             for pub in entries.values())
    for item, first, why in duplicates(items):
        pub, other = item.ref, first.ref
        both = sorted({*other.projects, *pub.projects} - {"program"} - {Path(other.path).stem})
        errors.add(root / pub.path, pub.line, ErrorCode.bib_duplicate_paper,
                   f"entry '{pub.key}' is the same paper as '{other.key}' at {other.path}:{other.line} "
                   f"(same {why})",
                   f"keep one entry, in {other.path}, and list the other projects in it: "
                   f"projects = {{{', '.join(both)}}}; then delete '{pub.key}' here")


def _as_written(entry) -> str:
    """The entry as complete BibTeX (abbreviations written out), for the box and the downloads."""
    from pybtex.database import BibliographyData

    return BibliographyData(entries={entry.key: entry}).to_string("bibtex").strip()


@cache
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _match_people(entries: dict[str, Publication], program: Program) -> None:
    """Link authors to people: same family name and initial, and the person works on one of
    the entry's projects (so a namesake elsewhere is never matched)."""
    by_name: dict[tuple[str, str], list[str]] = {}
    for person in program.people.values():
        by_name.setdefault((_fold(person.sort_key[0]), _fold(person.name)[:1]), []).append(person.id)
    members = {slug: {*record.pis, *record.data.former_pis, *record.data.members}
               for slug, record in program.projects.items()}
    for pub in entries.values():
        pub.people = []
        for author in pub.authors:
            for person_id in by_name.get((_fold(author.family), _fold(author.given_initial)), ()):
                if person_id not in pub.people and any(person_id in members.get(s, ()) for s in pub.projects):
                    pub.people.append(person_id)
