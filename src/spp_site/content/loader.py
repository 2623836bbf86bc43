"""Files on disk -> one validated :class:`~spp_site.content.model.Program`.

Every problem becomes a :class:`~spp_site.content.errors.DataError` with file and line;
all of them are reported together, and nothing is skipped silently.
"""

from __future__ import annotations

import difflib
import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import ErrorCode, ErrorCollector
from .model import (
    FIELD_NAMES,
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

PERSPECTIVE_HINT = "use one of: " + ", ".join(p.value for p in Perspective)


def _schema_errors(
    errors: ErrorCollector, path: Path, data: Any, exc: ValidationError, kind: str
) -> None:
    """Translate pydantic's errors into ours, one per mistake, with the line."""
    found = exc.errors()
    # A misspelt field is one mistake, not two ("unknown 'titel'" + "missing 'title'").
    missing = [e["loc"][-1] for e in found if e["type"] == "missing" and e["loc"]]
    typos = {}
    for e in found:
        if e["type"] == "extra_forbidden" and e["loc"]:
            close = difflib.get_close_matches(str(e["loc"][-1]), [str(m) for m in missing], n=1)
            if close:
                typos[e["loc"][-1]] = close[0]
    found = [e for e in found if not (e["type"] == "missing" and e["loc"] and e["loc"][-1] in typos.values())]
    for err in found:
        loc = tuple(err["loc"])
        line = line_of(data, loc)
        field = ".".join(str(p) for p in loc) or kind
        etype = err["type"]
        if etype == "missing":
            errors.add(path, line, ErrorCode.of(kind, "missing_field"), f"required field '{field}' is missing",
                       f"add '{loc[-1]}:' to the {kind}")
        elif etype == "extra_forbidden":
            hint = (f"did you mean '{typos[loc[-1]]}'?" if loc and loc[-1] in typos else
                    "check the spelling against the template; remove fields that are not in it")
            errors.add(path, line, ErrorCode.of(kind, "unknown_field"), f"unknown field '{field}'", hint)
        elif loc and loc[0] == "perspectives" and etype == "enum":
            errors.add(path, line, ErrorCode.project_unknown_perspective,
                       f"unknown perspective {err.get('input')!r}", PERSPECTIVE_HINT)
        elif loc and loc[-1] == "orcid":
            errors.add(path, line, ErrorCode.person_invalid_orcid, f"invalid ORCID: {err['msg']}",
                       "copy the iD from the person's orcid.org page, or leave the field out")
        elif loc and loc[-1] in ("latitude", "longitude"):
            errors.add(path, line, ErrorCode.institution_bad_coordinates,
                       f"{loc[-1]} {err.get('input')!r} is out of range ({err['msg']})",
                       "latitude is -90..90 and longitude -180..180, in decimal degrees")
        else:
            errors.add(path, line, ErrorCode.of(kind, "invalid_value"),
                       f"field '{field}': {err['msg']} (got {err.get('input')!r})")


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
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        errors.add(path, None, ErrorCode.data_missing_file, f"{path.name} not found")
        return records, lines, raws
    except YamlSyntaxError as exc:
        errors.add(path, exc.line, ErrorCode.yaml_malformed, f"YAML syntax error: {exc.problem}",
                   "check indentation and quote values that contain ':' or '#'")
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
    text = path.read_text(encoding="utf-8")
    yaml_text, offset, _body = split_front_matter(text)
    if yaml_text is None:
        errors.add(path, 1, ErrorCode.project_no_front_matter, "the page has no YAML front matter",
                   "start the file with '---', the fields of projects/_template.md, then '---'")
        return None, None
    try:
        data = load_yaml(yaml_text, line_offset=offset)
    except YamlSyntaxError as exc:
        errors.add(path, exc.line, ErrorCode.yaml_malformed, f"malformed YAML front matter: {exc.problem}",
                   "check indentation and quote values that contain ':' or '#'")
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
    institutions, inst_lines, _ = _load_registry(errors, inst_path, "institutions", Institution, "institution")
    people, people_lines, people_raw = _load_registry(errors, people_path, "people", Person, "person")

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
            if aff.institution not in institutions and aff.institution not in inst_lines:
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
        _cross_check(errors, path, data, record, people, institutions, people_path, inst_path,
                     known={*people_lines, *inst_lines})
        projects[slug] = record

    errors.raise_if_any()
    # The data, not the prose: editing a project's summary must not re-read every page.
    digest = hashlib.sha256(inst_path.read_bytes() + people_path.read_bytes())
    for slug, record in sorted(projects.items()):
        digest.update(f"{slug}\0{record.recorded.model_dump_json()}\0{record.institutions}\0".encode())
    rel_inst = inst_path.relative_to(root).as_posix() if inst_path.is_relative_to(root) else str(inst_path)
    return Program(people=people, institutions=institutions, projects=projects,
                   fingerprint=digest.hexdigest(),
                   institution_lines={i: (rel_inst, line) for i, line in inst_lines.items()})


def _cross_check(errors, path, data, record, people, institutions, people_path, inst_path,
                 known: set[str]) -> None:
    project = record.data  # the shown facts: inferred ones are already empty
    before = len(errors)
    for field_name in ("pis", "former_pis", "members"):
        ids = getattr(project, field_name)
        if ids == "unknown":
            continue
        for i, pid in enumerate(ids):
            if pid not in people and pid not in known:
                errors.add(path, line_of(data, (field_name, i)), ErrorCode.project_unknown_person,
                           f"unknown person '{pid}'",
                           f"add '{pid}' to {people_path.name} first, or use an id from that file")
    if project.institutions is not None:
        for i, iid in enumerate(project.institutions):
            if iid not in institutions and iid not in known:
                errors.add(path, line_of(data, ("institutions", i)), ErrorCode.project_unknown_institution,
                           f"unknown institution '{iid}'",
                           f"add '{iid}' to {inst_path.name} first, or use an id from that file")
        record.institutions = list(project.institutions)
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
