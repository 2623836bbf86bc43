"""Files on disk -> one validated :class:`~spp_site.content.model.Program`.

Every problem becomes a :class:`~spp_site.content.errors.DataError` with file and line;
all of them are reported together, and nothing is skipped silently.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import ErrorCode, ErrorCollector
from .model import (
    FIELD_NAMES,
    SLUG_PATTERN,
    SOURCED_FIELDS,
    Institution,
    Person,
    Perspective,
    Program,
    Project,
    ProjectRecord,
    is_slug,
    shown_facts,
)
from .yamlsource import LineDict, LineList, YamlSyntaxError, line_of, load_yaml, split_front_matter

# Names the site uses for generated pages and downloads (publications/<slug>.bib, program.bib).
RESERVED_SLUGS = {"publications", "program", "index", "events", "news"}
PERSPECTIVE_HINT = "use one of: " + ", ".join(p.value for p in Perspective)


# pydantic names union branches and validators in error locations; a contributor knows fields.
_TAG = re.compile(r"^[\w-]+\[.*\]$|^function-|^constrained")


def _short(value: Any, limit: int = 60) -> str:
    """A value quoted for a message, never longer than ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plain(err: dict) -> str:
    """What is wrong with a value, in a contributor's words."""
    etype, msg, ctx = err["type"], err["msg"], err.get("ctx") or {}
    if etype in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number"
    if etype == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern == SLUG_PATTERN:
            return "must be lower-case letters, digits and hyphens, like ada-lovelace"
        if pattern.startswith("^\\d{9}"):
            return "must be the nine-digit GEPRIS project number, in quotes"
        return "does not have the expected form"
    if etype in ("date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"):
        return "must be a date written year-month-day, like 2024-05-27"
    if etype.startswith("url_"):
        return "must be a web address starting with https://"
    if etype in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"must be {msg.removeprefix('Input should be ')}"
    if etype == "too_short":
        return "must not be empty"
    if etype == "list_type":
        return "must be a list, like [a, b]"
    if etype == "string_type":
        return "must be text"
    if etype == "bool_parsing":
        return "must be true or false"
    return re.sub(r"^(Value error, |Input should be )", lambda m: "" if m.group(1) == "Value error, " else "should be ",
                  msg)


def _schema_errors(
    errors: ErrorCollector, path: Path, data: Any, exc: ValidationError, kind: str
) -> None:
    """Translate pydantic's errors into ours, one per mistake, with the line."""
    found = [{**e, "loc": tuple(p for p in e["loc"] if not (isinstance(p, str) and _TAG.match(p)))}
             for e in exc.errors()]
    # A field that may be a list or a word ("pis: unknown") fails both ways: the list's error is meant.
    listed = {e["loc"][0] for e in found if len(e["loc"]) > 1}
    found = [e for e in found if not (e["type"] == "literal_error" and len(e["loc"]) == 1 and e["loc"][0] in listed)]
    # A misspelt field is one mistake, not two ("unknown 'titel'" + "missing 'title'").
    missing = [e["loc"][-1] for e in found if e["type"] == "missing" and e["loc"]]
    typos = {}
    for e in found:
        if e["type"] == "extra_forbidden" and e["loc"]:
            close = difflib.get_close_matches(str(e["loc"][-1]), [str(m) for m in missing], n=1)
            if close:
                typos[e["loc"][-1]] = close[0]
    found = [e for e in found if not (e["type"] == "missing" and e["loc"] and e["loc"][-1] in typos.values())]
    reported = set()
    for err in found:
        loc = err["loc"]
        line = line_of(data, loc)
        field = " ".join(str(p) if isinstance(p, str) else f"(item {p + 1})" for p in loc) or kind
        etype = err["type"]
        if (loc, etype) in reported:
            continue
        reported.add((loc, etype))
        if etype == "missing":
            errors.add(path, line, ErrorCode.of(kind, "missing_field"), f"required field '{field}' is missing",
                       f"add '{loc[-1]}:' to the {kind}")
        elif etype == "extra_forbidden":
            hint = (f"did you mean '{typos[loc[-1]]}'?" if loc and loc[-1] in typos else
                    "check the spelling against the template; remove fields that are not in it")
            errors.add(path, line, ErrorCode.of(kind, "unknown_field"), f"unknown field '{field}'", hint)
        elif loc and loc[0] == "perspectives" and etype == "enum":
            errors.add(path, line, ErrorCode.project_unknown_perspective,
                       f"unknown perspective {_short(err.get('input'))}", PERSPECTIVE_HINT)
        elif loc and loc[-1] == "orcid":
            errors.add(path, line, ErrorCode.person_invalid_orcid, f"invalid ORCID: {_plain(err)}",
                       "copy the iD from the person's orcid.org page, or leave the field out")
        elif loc and loc[-1] in ("latitude", "longitude"):
            errors.add(path, line, ErrorCode.institution_bad_coordinates,
                       f"{loc[-1]} {_short(err.get('input'))} {_plain(err)}",
                       "latitude is -90..90 and longitude -180..180, in decimal degrees")
        else:
            errors.add(path, line, ErrorCode.of(kind, "invalid_value"),
                       f"'{field}' {_plain(err)} (it is {_short(err.get('input'))})")


YAML_HINTS = {
    ErrorCode.yaml_malformed: "check the indentation (spaces, not tabs) and quote values that contain ':' or '#'",
    ErrorCode.yaml_duplicate_key: "delete the one that is wrong",
    ErrorCode.yaml_alias: "copy the value where the alias is",
}


def add_yaml_error(errors: ErrorCollector, path: Path, exc: YamlSyntaxError) -> None:
    """One message for a YAML file (or front matter) that cannot be read."""
    what = f"the YAML cannot be read: {exc.problem}" if exc.code == ErrorCode.yaml_malformed else exc.problem
    errors.add(path, exc.line, exc.code, what, YAML_HINTS[exc.code])


def read_text_file(errors: ErrorCollector, path: Path) -> str | None:
    """A data file's text (a UTF-8 byte-order mark is dropped); None, with an error, if it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        errors.add(path, data.count(b"\n", 0, exc.start) + 1, ErrorCode.file_not_utf8,
                   f"the file is not UTF-8 text (byte {data[exc.start]:#x})",
                   "save it as UTF-8 (in most editors: Save with encoding, UTF-8)")
        return None


def repo_file(errors: ErrorCollector, path: Path, line: int | None, root: Path, value: str, code: ErrorCode,
              what: str, pdf: bool = False) -> tuple[int, str] | None:
    """(size, digest) of a file a record names by its repository path; None, with an error,
    when it is missing, outside the repository or (``pdf``) not a PDF."""
    target = (root / value).resolve()
    problem = ("is outside the repository" if not target.is_relative_to(root.resolve()) else
               "is not in the repository" if not target.is_file() else
               "is not a PDF" if pdf and target.read_bytes()[:5] != b"%PDF-" else "")
    if problem:
        errors.add(path, line, code, f"the {what} '{value}' {problem}",
                   "give the path from the repository's top folder, e.g. docs/_static/posters/my-project.pdf")
        return None
    data = target.read_bytes()
    return len(data), hashlib.sha1(data).hexdigest()


def _validate(errors, path, data, model: type[BaseModel], kind: str):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        _schema_errors(errors, path, data, exc, kind)
        return None


def _load_registry(errors, path: Path, key: str, model, kind: str) -> tuple[dict, dict[str, int], dict]:
    """Load a YAML list of records (people or institutions) keyed by ``id``; also returns each
    record's raw YAML (for the lines of its fields)."""
    records: dict[str, Any] = {}
    lines: dict[str, int] = {}
    raws: dict[str, Any] = {}
    if not path.is_file():
        errors.add(path, None, ErrorCode.data_missing_file, f"{path.name} not found")
        return records, lines, raws
    text = read_text_file(errors, path)
    if text is None:
        return records, lines, raws
    try:
        data = load_yaml(text)
    except YamlSyntaxError as exc:
        add_yaml_error(errors, path, exc)
        return records, lines, raws
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, LineList):
        errors.add(path, 1, ErrorCode.data_bad_layout, f"expected a top-level '{key}:' list")
        return records, lines, raws
    for raw in items:
        record = _validate(errors, path, raw, model, kind)
        line = raw.line if isinstance(raw, LineDict) else items.line
        if record is None:
            # Reported already; keep its id so references to it don't cascade into more errors.
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                lines.setdefault(raw["id"], line)
            continue
        if record.id in records:
            errors.add(path, line, ErrorCode.of(kind, "duplicate_id"),
                       f"duplicate {kind} id '{record.id}' (first defined on line {lines[record.id]})",
                       "ids must be unique; merge the two records or rename one")
            continue
        records[record.id] = record
        lines[record.id] = line
        raws[record.id] = raw
    return records, lines, raws


def _load_project(errors, path: Path, root: Path) -> tuple[Project | None, LineDict | None]:
    text = read_text_file(errors, path)
    if text is None:
        return None, None
    yaml_text, offset, _body = split_front_matter(text)
    if yaml_text is None:
        errors.add(path, 1, ErrorCode.project_no_front_matter, "the page has no YAML front matter",
                   "start the file with '---', the fields of projects/_template.md, then '---'")
        return None, None
    try:
        data = load_yaml(yaml_text, line_offset=offset)
    except YamlSyntaxError as exc:
        add_yaml_error(errors, path, exc)
        return None, None
    if not isinstance(data, LineDict):
        errors.add(path, 1, ErrorCode.yaml_malformed, "the front matter must be a set of 'field: value' lines")
        return None, None
    return _validate(errors, path, data, Project, "project"), data


def load_program(data_dir: Path, projects_dir: Path, root: Path) -> Program:
    """Read and cross-check all program data. Raises SiteDataError listing every problem."""
    errors = ErrorCollector(root)
    people_path = data_dir / "people.yaml"
    inst_path = data_dir / "institutions.yaml"
    before = len(errors)
    institutions, inst_lines, _ = _load_registry(errors, inst_path, "institutions", Institution, "institution")
    # A registry that cannot be read at all is one mistake: its ids are not reported unknown everywhere.
    inst_known = None if len(errors) > before and not inst_lines else {*inst_lines}
    before = len(errors)
    people, people_lines, people_raw = _load_registry(errors, people_path, "people", Person, "person")
    people_known = None if len(errors) > before and not people_lines else {*people_lines}

    for inst in institutions.values():
        if not inst.sources:
            errors.add(inst_path, inst_lines[inst.id], ErrorCode.institution_unsourced,
                       f"institution '{inst.id}' has no source",
                       "add 'sources:' with the public page that links it to the program")
    for person in people.values():
        if not person.sources:
            errors.add(people_path, people_lines[person.id], ErrorCode.person_unsourced,
                       f"person '{person.id}' has no source",
                       "add 'sources:' with a public page that names them in connection with the program")
        for i, aff in enumerate(person.affiliations):
            line = line_of(people_raw[person.id], ("affiliations", i))
            if inst_known is not None and aff.institution not in inst_known:
                errors.add(people_path, line, ErrorCode.person_unknown_institution,
                           f"person '{person.id}' names unknown institution '{aff.institution}'",
                           f"add '{aff.institution}' to {inst_path.name} or use one of its ids")
            elif aff.source is None:
                errors.add(people_path, line, ErrorCode.person_unsourced_affiliation,
                           f"the affiliation '{aff.institution}' of '{person.id}' has no source",
                           f"write it as '- institution: {aff.institution}' with 'source: <address of the "
                           "page that states it>' below, or remove it")

    projects: dict[str, ProjectRecord] = {}
    seen_slugs: dict[str, Path] = {}
    for path in sorted(projects_dir.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        if path.name.startswith("_") or path.name == "index.md" and path.parent == projects_dir:
            continue
        if path.parent != projects_dir:
            errors.add(rel, 1, ErrorCode.project_unreachable,
                       "project pages must sit directly in projects/; this one is not in the catalogue",
                       f"move it to projects/{path.name}")
            continue
        slug = path.stem
        if slug in RESERVED_SLUGS:
            errors.add(rel, 1, ErrorCode.project_reserved_slug,
                       f"the file name '{path.name}' is taken by a page or download the site makes itself",
                       f"rename it, e.g. projects/{slug}-project.md")
            continue
        if slug.lower() in seen_slugs:
            errors.add(rel, 1, ErrorCode.project_duplicate_slug,
                       f"slug '{slug}' is already used by {seen_slugs[slug.lower()]}",
                       "rename one of the files")
            continue
        seen_slugs[slug.lower()] = rel
        if not is_slug(slug):
            errors.add(rel, 1, ErrorCode.project_bad_slug, f"file name '{path.name}' is not a valid slug",
                       "use lower-case letters, digits and hyphens, e.g. projects/deep-inverse.md")
            continue
        project, data = _load_project(errors, path, root)
        if project is None:
            continue
        record = ProjectRecord(slug=slug, docname=f"{projects_dir.relative_to(root).as_posix()}/{slug}",
                               path=rel, data=shown_facts(project), recorded=project)
        if project.poster:
            record.poster_file = repo_file(errors, path, line_of(data, ("poster",)), root, project.poster,
                                           ErrorCode.project_bad_poster, "poster", pdf=True)
        _cross_check(errors, path, data, record, people, institutions, people_path, inst_path,
                     people_known, inst_known)
        projects[slug] = record

    errors.raise_if_any()
    # The data, not the prose: editing a project's summary must not re-read every page.
    digest = hashlib.sha256(inst_path.read_bytes() + people_path.read_bytes())
    for slug, record in sorted(projects.items()):
        digest.update(f"{slug}\0{record.recorded.model_dump_json()}\0{record.institutions}\0"
                      f"{record.poster_file}\0".encode())
    rel_inst = inst_path.relative_to(root).as_posix() if inst_path.is_relative_to(root) else str(inst_path)
    return Program(people=people, institutions=institutions, projects=projects,
                   fingerprint=digest.hexdigest(),
                   institution_lines={i: (rel_inst, line) for i, line in inst_lines.items()},
                   person_lines={i: (_rel(people_path, root), line) for i, line in people_lines.items()})


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _cross_check(errors, path, data, record, people, institutions, people_path, inst_path,
                 people_known: set[str] | None, inst_known: set[str] | None) -> None:
    """References to people and institutions (also inferred ones: they must still be ids), the
    period, the institutions shown, and the sources of the shown facts."""
    project = record.data  # the shown facts: inferred ones are already empty
    written = record.recorded
    before = len(errors)
    if written.start and written.end and written.end < written.start:
        errors.add(path, line_of(data, ("end",)), ErrorCode.project_end_before_start,
                   f"end ({written.end}) is before start ({written.start})", "check both years in GEPRIS")
    for field_name in ("pis", "former_pis", "members"):
        ids = getattr(written, field_name)
        if ids == "unknown" or people_known is None:
            continue
        for i, pid in enumerate(ids):
            if pid not in people_known:
                errors.add(path, line_of(data, (field_name, i)), ErrorCode.project_unknown_person,
                           f"unknown person '{pid}'",
                           f"add '{pid}' to {people_path.name} first, or use an id from that file")
    for i, iid in enumerate(written.institutions or []):
        if inst_known is not None and iid not in inst_known:
            errors.add(path, line_of(data, ("institutions", i)), ErrorCode.project_unknown_institution,
                       f"unknown institution '{iid}'",
                       f"add '{iid}' to {inst_path.name} first, or use an id from that file")
    if project.institutions is not None:
        record.institutions = [i for i in project.institutions if i in institutions]
    else:
        # Derived from the PIs' affiliations, in PI order, without repeats.
        derived: list[str] = []
        for pid in record.pis:
            for aff in people[pid].affiliation_ids if pid in people else []:
                if aff not in derived and aff in institutions:
                    derived.append(aff)
        record.institutions = derived
    if len(errors) == before:  # a wrong id is one mistake, not also an unsourced fact
        _check_sourced(errors, path, data, project)


def _check_sourced(errors, path, data, project: Project) -> None:
    """Every fact a reader takes at face value needs a source that states it."""
    stated = {f for source in project.sources for f in source.states}
    for field_name in SOURCED_FIELDS:
        value = getattr(project, field_name)
        if value not in (None, [], "unknown") and field_name not in stated:
            plural = field_name.endswith("s")
            errors.add(path, line_of(data, (field_name,)), ErrorCode.project_unsourced_fact,
                       f"the {FIELD_NAMES[field_name]} {'are' if plural else 'is'} shown on the page, "
                       f"but no source states {'them' if plural else 'it'}",
                       f"add '{field_name}' to 'states:' of the source that gives "
                       f"{'them' if plural else 'it'}, or list '{field_name}' under 'inferred:' "
                       "(it is then not shown)")
