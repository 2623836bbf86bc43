"""Downloads: all entries as BibTeX, one .bib per project, and CSV/JSON of the whole list."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..content.model import Program
from .format import author_list
from .model import Bibliography
from .reports import project_report

COLUMNS = ["key", "type", "year", "authors", "title", "venue", "doi", "arxiv", "url",
           "projects", "perspectives"]


def rows(bib: Bibliography, program: Program) -> list[dict]:
    out = []
    for pub in bib.sorted():
        perspectives = sorted({x.value for s in pub.projects if s in program.projects
                               for x in program.projects[s].data.perspectives})
        out.append({
            "key": pub.key, "type": pub.type_label, "year": pub.year, "authors": author_list(pub),
            "title": pub.title, "venue": pub.venue, "doi": pub.doi or "", "arxiv": pub.arxiv or "",
            "url": pub.url or "", "projects": ";".join(pub.projects),
            "perspectives": ";".join(perspectives),
        })
    return out


def write_exports(outdir: Path, bib: Bibliography, program: Program) -> None:
    folder = outdir / "publications"
    folder.mkdir(parents=True, exist_ok=True)
    pubs = bib.sorted()
    (folder / "publications.bib").write_text("\n\n".join(p.raw for p in pubs) + "\n", encoding="utf-8")
    for slug in sorted(program.projects):
        project_pubs = bib.of_project(slug)
        (folder / f"{slug}.bib").write_text("\n\n".join(p.raw for p in project_pubs) + "\n",
                                            encoding="utf-8")
        (folder / f"{slug}-report.md").write_text(project_report(program, bib, slug), encoding="utf-8")
    table = rows(bib, program)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    (folder / "publications.csv").write_text(buffer.getvalue(), encoding="utf-8")
    # One entry per line: diffable, and json's fast C encoder (indent= makes it pure Python).
    (folder / "publications.json").write_text(
        "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in table) + "\n]\n", encoding="utf-8")
