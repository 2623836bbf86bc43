"""``python -m spp_site.content.schema [ROOT] [--check]``: JSON Schema files for editors.

The schemas are exported from the pydantic models the build validates with, so an
editor that reads them (VS Code's YAML extension, PyCharm, ...) completes and
checks the same fields the build does. They are committed under
``docs/data/schemas/``; ``--check`` fails when they are out of date (run in the tests).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel, create_model

from .model import Institution, Person, Project

SCHEMA_DIR = Path("docs") / "data" / "schemas"
BASE_URL = "https://www.foundationsofdl.de/schemas/"


def _registry(name: str, key: str, item: type[BaseModel]) -> type[BaseModel]:
    # people.yaml and institutions.yaml are one mapping with a single list.
    return create_model(name, __doc__=f"The {key} registry (docs/data/{key}.yaml).",
                        **{key: (list[item], ...)})


def schemas() -> dict[str, dict]:
    """File name -> JSON Schema, for every file type an editor writes by hand."""
    found = {
        "project.schema.json": Project.model_json_schema(),
        "people.schema.json": _registry("People", "people", Person).model_json_schema(),
        "institutions.schema.json": _registry("Institutions", "institutions", Institution).model_json_schema(),
    }
    for name, schema in found.items():
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = BASE_URL + name
    found["project.schema.json"]["description"] = (
        "Front matter of a project page, projects/<slug>.md (the YAML between the --- lines).")
    return found


def render(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def outdated(root: Path) -> list[Path]:
    """Schema files that differ from what the models export now."""
    stale = []
    for name, schema in schemas().items():
        path = root / SCHEMA_DIR / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render(schema):
            stale.append(path)
    return stale


def write(root: Path) -> list[Path]:
    (root / SCHEMA_DIR).mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = root / SCHEMA_DIR / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    paths = [a for a in args if a != "--check"]
    root = Path(paths[0] if paths else ".").resolve()
    if check:
        stale = outdated(root)
        for path in stale:
            print(f"{path.relative_to(root)}: out of date; run `python -m spp_site.content.schema`", file=sys.stderr)
        return 1 if stale else 0
    for path in write(root):
        print(f"wrote {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
