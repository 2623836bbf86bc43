"""``nox -s add_publication -- <DOI | arXiv id | export.bib> ... --project SLUG [--project SLUG2]``

Turns a DOI, an arXiv id or a reference manager's export into house-style entries in
``bibliography/<slug>.bib``: a paper already in any file is merged (its projects extended, a
preprint upgraded to its published version in place, its key kept), never added twice.
``--tidy`` rewrites every file in house style; ``--check`` only says which files are not.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..bibliography.identity import Identity, PaperIndex, identity
from ..content.errors import SiteDataError
from ..content.loader import load_program
from ..validate import settings as site_settings
from ..validate import validate
from .bibfiles import BibFile, bib_files, decode_bytes, read_bib
from .housestyle import VENUE_FIELDS, Record, new_key
from .lookup import LookupError_, Settings, classify, record_for

LOOKUPS_AT_ONCE = 3  # DOI and arXiv services ask for few parallel requests
UPGRADE_FIELDS = (*VENUE_FIELDS, "volume", "number", "pages", "doi")


@dataclass
class Report:
    added: list[str]
    merged: list[str]
    skipped: list[str]  # already there: nothing to do
    failed: list[str]  # could not be added: the contributor has something to fix

    def print(self) -> None:
        for title, lines in (("Added", self.added), ("Merged", self.merged), ("Skipped", self.skipped),
                             ("Not added", self.failed)):
            for line in lines:
                print(f"{title}: {line}")
        print(f"\n{len(self.added)} added, {len(self.merged)} merged, {len(self.skipped)} skipped"
              + (f", {len(self.failed)} not added (see above)." if self.failed else "."))


class Library:
    """All our .bib files, in house style, with an index of the papers they hold."""

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder, self.root = folder, root
        self.files: dict[Path, BibFile] = {}
        self.changed: set[Path] = set()
        for path in bib_files(folder):
            text, _ = decode_bytes(path.read_bytes())
            self.files[path] = read_bib(text)
        self.index = PaperIndex(self._identity(p, r) for p, f in self.files.items() for r in f.records)
        self.keys = {r.key.casefold() for f in self.files.values() for r in f.records}

    @staticmethod
    def _identity(path: Path, record: Record) -> Identity:
        return identity((path, record), record.fields.get("doi"), record.fields.get("eprint"),
                        record.plain_title, record.year)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def file_for(self, slug: str) -> Path:
        path = self.folder / f"{slug}.bib"
        if path not in self.files:
            self.files[path] = BibFile(header=[f"% Publications of the project '{slug}'." if slug != "program"
                                               else "% Program-level publications of SPP 2298."], records=[])
        return path

    def take(self, incoming: Record, projects: list[str], origin: str, report: Report) -> None:
        missing = [f for f, ok in (("title", incoming.fields.get("title")), ("year", incoming.year),
                                   ("authors", incoming.authors)) if not ok]
        if missing:
            report.failed.append(f"{origin}: it has no {' or '.join(missing)}; add "
                                 f"{'it' if len(missing) == 1 else 'them'} and run again")
            return
        me = self._identity(Path(), incoming)
        found = self.index.find(me)
        if found is None:
            self._add(incoming, projects, origin, report)
            return
        (path, existing), why = found[0].ref, found[1]
        old_identity = found[0]
        where = f"{existing.key} in {self.rel(path)}"
        changes = []
        have = {path.stem, *existing.projects}
        new_projects = [p for p in projects if p not in have]
        if new_projects:
            existing.fields["projects"] = ", ".join([*existing.projects, *new_projects])
            changes.append("projects + " + ", ".join(new_projects))
        if existing.is_preprint and not incoming.is_preprint:
            existing.type = incoming.type
            for name in UPGRADE_FIELDS:
                if incoming.fields.get(name):
                    existing.fields[name] = incoming.fields[name]
            if incoming.year:
                existing.fields["year"] = str(incoming.year)
            changes.append(f"preprint upgraded to its published version ({incoming.venue or incoming.type}; "
                           "key and arXiv id kept)")
        else:
            for name in ("doi", "eprint", "archiveprefix"):
                if incoming.fields.get(name) and not existing.fields.get(name):
                    existing.fields[name] = incoming.fields[name]
                    changes.append(f"{name} added")
        if changes:
            self.changed.add(path)
            self.index.replace(old_identity, self._identity(path, existing))
            report.merged.append(f"{origin} is {where} (same {why}): " + "; ".join(changes))
        else:
            report.skipped.append(f"{origin}: already there as {where} (same {why}), with these projects")

    def _add(self, record: Record, projects: list[str], origin: str, report: Report) -> None:
        path = self.file_for(projects[0])
        others = [p for p in dict.fromkeys([*record.projects, *projects[1:]]) if p != projects[0]]
        record.fields.pop("projects", None)
        if others:
            record.fields["projects"] = ", ".join(others)
        old_key = record.key
        record.key = new_key(record, self.keys)
        self.keys.add(record.key.casefold())
        self.files[path].records.append(record)
        self.changed.add(path)
        self.index.add(self._identity(path, record))
        notes = []
        if old_key and old_key != record.key:
            notes.append(f"its key in the export was '{old_key}'")
        if record.dropped:
            notes.append("left out: " + ", ".join(sorted(set(record.dropped))))
        report.added.append(f"{record.key} to {self.rel(path)} ({origin})" + (f"; {'; '.join(notes)}" if notes else ""))

    def write(self) -> list[Path]:
        for path in sorted(self.changed):
            path.write_text(self.files[path].format(), encoding="utf-8")
        return sorted(self.changed)


def _gather(args: list[str], settings: Settings, report: Report) -> list[tuple[str, Record]]:
    """(origin, record) for every input, in the order given; look-ups run a few at a time."""
    jobs: list[tuple[str, object]] = []
    for arg in args:
        path = Path(arg)
        if path.suffix.lower() == ".bib" or path.exists():
            if not path.is_file():
                report.failed.append(f"{arg}: no such file")
                continue
            text, note = decode_bytes(path.read_bytes())
            parsed = read_bib(text)
            for problem in parsed.problems:
                report.failed.append(f"{path.name}, {problem}")
            if note:
                print(f"Note: {path.name}: {note}")
            jobs += [(f"{path.name}:{r.key}", r) for r in parsed.records]
            continue
        kind = classify(arg)
        if kind is None:
            report.failed.append(f"{arg}: not a DOI (10.xxxx/...), an arXiv id (2401.01234) or a .bib file")
            continue
        jobs.append((f"{'DOI' if kind[0] == 'doi' else 'arXiv'} {kind[1]}", kind))
    with ThreadPoolExecutor(LOOKUPS_AT_ONCE) as pool:
        futures = {i: pool.submit(record_for, settings, *job) for i, (_o, job) in enumerate(jobs)
                   if isinstance(job, tuple)}
        out = []
        for i, (origin, job) in enumerate(jobs):
            if isinstance(job, Record):
                out.append((origin, job))
                continue
            try:
                record, cached = futures[i].result()
            except LookupError_ as exc:
                report.failed.append(f"{origin}: {exc}")
                continue
            out.append((origin + (" (cached)" if cached else ""), record))
    return out


def _check_projects(root: Path, projects: list[str]) -> list[str]:
    where = site_settings(root)
    try:
        program = load_program(where["data"], where["projects"], root)
    except SiteDataError as exc:
        return [f"the site data has errors; run nox -s validate first ({len(exc.errors)} problems)"]
    known = [*sorted(program.projects), "program"]
    problems = []
    for slug in projects:
        if slug not in known:
            close = difflib.get_close_matches(slug, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use a file name of projects/ without .md, or program"
            problems.append(f"unknown project '{slug}': {hint}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s add_publication --", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", help="DOIs, arXiv ids or .bib exports")
    parser.add_argument("--project", action="append", default=[], help="project slug (repeat for a joint paper)")
    parser.add_argument("--root", default=".", help="the site's folder (default: here)")
    parser.add_argument("--tidy", action="store_true", help="rewrite every bibliography file in house style")
    parser.add_argument("--check", action="store_true", help="list files that are not in house style")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    folder = site_settings(root)["bibliography"]
    if args.tidy or args.check:
        untidy = []
        for path in bib_files(folder):
            text, _ = decode_bytes(path.read_bytes())
            parsed = read_bib(text)
            for problem in parsed.problems:
                print(f"{path.relative_to(root)}: {problem}", file=sys.stderr)
            if parsed.problems:
                return 1
            if parsed.format() != text:
                untidy.append(path)
                if args.tidy:
                    path.write_text(parsed.format(), encoding="utf-8")
        verb = "rewrote" if args.tidy else "not in house style:"
        for path in untidy:
            print(f"{verb} {path.relative_to(root)}")
        return 1 if untidy and args.check else 0
    if not args.inputs or not args.project:
        parser.error("give at least one DOI, arXiv id or .bib file, and --project SLUG")
    problems = _check_projects(root, args.project)
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    report = Report([], [], [], [])
    library = Library(folder, root)
    settings = Settings.from_env(root / "_build" / "intake-cache")
    for origin, record in _gather(args.inputs, settings, report):
        library.take(record, list(dict.fromkeys(args.project)), origin, report)
    written = library.write()
    report.print()
    for path in written:
        print(f"Wrote {path.relative_to(root)}")
    errors = validate(root) if written else []
    if errors:
        print("\nnox -s validate finds problems:", *errors, sep="\n", file=sys.stderr)
        return 1
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
