"""``python -m spp_site.report [ROOT] [--project SLUG] [--from YEAR] [--to YEAR]`` (``nox -s report``):
publication lists as funding reports ask for them, for the coordinator and the DFG.

For the program and for each project (or one ``--project``): the publications of the years
asked for, grouped as peer-reviewed journal articles, conference papers, and preprints and
other, with counts, as Markdown, BibTeX and CSV; plus a one-page program summary (projects per
perspective and start year, principal investigators, institutions, publications per year).
Written to ``_build/report/``. The build writes each project's Markdown report for its funding
period too, linked from the project's page.
"""

from __future__ import annotations

import argparse
import csv
import io
import runpy
import sys
from collections import Counter
from pathlib import Path

from .bibliography.exports import COLUMNS, rows
from .bibliography.model import Bibliography, Publication
from .bibliography.reports import GROUPS, group_of, markdown, period, selected
from .config import SiteConfig
from .content.errors import SiteDataError
from .content.model import PERSPECTIVE_TITLES, Perspective, Program
from .loading import load_site, report, site_pages


def summary(program: Program, bib: Bibliography, first: int | None, last: int | None) -> str:
    pubs = selected(bib, None, first, last)
    lines = ["# SPP 2298: program summary", "", "## Projects", "",
             f"{len(program.projects)} projects.", "", "| perspective | projects |", "|---|---|"]
    for p in Perspective:
        lines.append(f"| {PERSPECTIVE_TITLES[p]} | {len(program.projects_in(p))} |")
    starts = Counter(r.data.start for r in program.projects.values() if r.data.start)
    lines += ["", "| funded since | projects |", "|---|---|", *(f"| {y} | {n} |" for y, n in sorted(starts.items()))]
    with_pis = sum(1 for r in program.projects.values() if r.pis)
    lines += ["", f"Principal investigators: {len(program.principal_investigators())} (known for {with_pis} of "
              f"{len(program.projects)} projects).",
              f"Host institutions: {len(program.host_institutions())} (known for "
              f"{sum(1 for r in program.projects.values() if r.institutions)} projects).", "",
              f"## Publications ({period(first, last)})", "", "| year | " + " | ".join(GROUPS.values()) + " | all |",
              "|---|" + "---|" * (len(GROUPS) + 1)]
    for year in sorted({p.year for p in pubs}):
        counts = Counter(group_of(p) for p in pubs if p.year == year)
        lines.append(f"| {year} | " + " | ".join(str(counts[k]) for k in GROUPS) + f" | {sum(counts.values())} |")
    return "\n".join(lines) + "\n"


def write(folder: Path, title: str, pubs: list[Publication], program: Program, first: int | None,
          last: int | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "publications.md").write_text(markdown(title, pubs, first, last), encoding="utf-8")
    (folder / "publications.bib").write_text("\n\n".join(p.raw for p in pubs) + "\n", encoding="utf-8")
    table = [r for r in rows_for(pubs, program)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["group", *COLUMNS], lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    (folder / "publications.csv").write_text(buffer.getvalue(), encoding="utf-8")


def rows_for(pubs: list[Publication], program: Program) -> list[dict]:
    bib = Bibliography(entries={p.key: p for p in pubs}, files={})
    return [{"group": GROUPS[group_of(bib.entries[r["key"]])], **r} for r in rows(bib, program)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nox -s report --", description=__doc__.split("\n\n")[0])
    parser.add_argument("root", nargs="?", default=".")
    parser.add_argument("--project", help="one project (slug); default: the program and every project")
    parser.add_argument("--from", dest="first", type=int, help="first year")
    parser.add_argument("--to", dest="last", type=int, help="last year")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    conf = runpy.run_path(str(root / "conf.py"))
    pages = site_pages(root, list(conf.get("include_patterns", ["**"])), list(conf.get("exclude_patterns", [])))
    try:
        site = load_site(root, SiteConfig.from_settings(conf), pages, bibtex_bibfiles=conf.get("bibtex_bibfiles"))
    except SiteDataError as exc:
        print(report(exc.errors), file=sys.stderr)
        return 1
    program, bib = site.program, site.bibliography
    if args.project and args.project not in program.projects:
        print(f"error: unknown project '{args.project}'; use a file name of projects/ without .md", file=sys.stderr)
        return 2
    out = root / "_build" / "report"
    slugs = [args.project] if args.project else sorted(program.projects)
    if not args.project:
        pubs = selected(bib, None, args.first, args.last)
        write(out / "program", "SPP 2298: publications", pubs, program, args.first, args.last)
        (out / "program" / "summary.md").write_text(summary(program, bib, args.first, args.last), encoding="utf-8")
        print(f"program: {len(pubs)} publications -> {(out / 'program').relative_to(root)}/")
    for slug in slugs:
        pubs = selected(bib, slug, args.first, args.last)
        write(out / slug, f"{program.projects[slug].data.title}: publications", pubs, program, args.first, args.last)
        groups = Counter(group_of(p) for p in pubs)
        kinds = ", ".join(f"{groups[k]} {GROUPS[k].lower()}" for k in GROUPS)
        print(f"{slug}: {len(pubs)} publication{'s' if len(pubs) != 1 else ''} ({kinds}"
              + f") -> {(out / slug).relative_to(root)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
