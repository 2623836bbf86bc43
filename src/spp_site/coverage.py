"""``python -m spp_site.coverage [ROOT]`` (``nox -s coverage``): what the data lacks, for editors.

Readers never see a gap (an empty field is simply not shown); this report is where gaps go. For
each field, the share of records that have it (as Crossref's participation reports show
metadata completeness), ranked by how much a visitor would miss it, then the records to fix with
file and line. Printed, and written to ``_build/coverage.md``.
"""

from __future__ import annotations

import runpy
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path

from .config import SECTIONS, SiteConfig
from .content.errors import SiteDataError
from .loading import load_site, report, site_pages


@dataclass
class Check:
    records: str  # what is counted, e.g. "projects"
    field: str  # what they should have
    missing: list[str] = field(default_factory=list)  # "file:line  name" of each record without it
    total: int = 0

    @property
    def share(self) -> float:
        return 1.0 if not self.total else (self.total - len(self.missing)) / self.total


def checks(root: Path) -> list[Check]:
    conf = runpy.run_path(str(root / "conf.py"))
    config = SiteConfig.from_settings(conf)
    pages = site_pages(root, list(conf.get("include_patterns", ["**"])), list(conf.get("exclude_patterns", [])))
    site = load_site(root, config, pages, bibtex_bibfiles=conf.get("bibtex_bibfiles"))
    program, posts, bib = site.program, site.posts, site.bibliography
    out: list[Check] = []

    def check(records: str, name: str, items, has, where) -> None:
        items = list(items)
        out.append(Check(records, name, [where(i) for i in items if not has(i)], len(items)))

    projects = program.sorted_projects()
    project_at = lambda r: f"{r.path}:1  {r.slug}"  # noqa: E731 - one line per table row
    check("projects", "principal investigators", projects, lambda r: r.pis, project_at)
    check("projects", "host institution", projects, lambda r: r.institutions, project_at)
    check("projects", "publications", projects, lambda r: bib.of_project(r.slug), project_at)
    check("projects", "end of funding", projects, lambda r: r.data.end, project_at)
    check("projects", "perspective stated by a source (not inferred)", projects,
          lambda r: not r.perspectives_inferred, project_at)
    pubs = bib.sorted()
    pub_at = lambda p: f"{p.path}:{p.line}  {p.key}"  # noqa: E731
    check("publications", "DOI or arXiv id", pubs, lambda p: p.doi or p.arxiv, pub_at)
    check("publications", "venue", pubs, lambda p: p.venue and p.venue != "arXiv preprint", pub_at)
    people = program.listed_people()
    person_at = lambda p: "{}:{}  {}".format(*program.person_lines.get(p.id, ("docs/data/people.yaml", 0)), p.id)  # noqa: E731
    check("people shown", "affiliation", people, lambda p: p.affiliations, person_at)
    check("people shown", "ORCID iD", people, lambda p: p.orcid, person_at)
    check("people shown", "homepage", people, lambda p: p.homepage, person_at)
    events = [r for r in posts if r.post.kind == "event"]
    post_at = lambda r: f"{r.docname}.md:2  {r.slug}"  # noqa: E731
    check("events", "dates stated by a source", events, lambda r: r.post.start, post_at)
    check("events", "place (or online)", events, lambda r: r.post.place or r.post.online, post_at)
    insts = program.listed_institutions()
    inst_at = lambda i: "{}:{}  {}".format(*program.institution_lines.get(i.id, ("", 0)), i.id)  # noqa: E731
    check("institutions shown", "homepage", insts, lambda i: i.homepage, inst_at)
    for section in SECTIONS:
        values = getattr(config, section)
        check(f"legal: {section.replace('_', ' ')}", "fields given (conf.py)", fields(values),
              lambda f, v=values: getattr(v, f.name), lambda f, s=section: f"conf.py  spp_{s}['{f.name}']")
    return out


def markdown(found: list[Check]) -> str:
    lines = ["# What the data lacks", "", "| records | field | have it | share |", "|---|---|---|---|"]
    for c in found:
        lines.append(f"| {c.records} | {c.field} | {c.total - len(c.missing)} of {c.total} | {c.share:.0%} |")
    for c in found:
        if c.missing:
            lines += ["", f"## {c.records} without {c.field} ({len(c.missing)})", ""]
            lines += [f"- `{m}`" for m in c.missing]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else ".").resolve()
    try:
        found = checks(root)
    except SiteDataError as exc:
        print(report(exc.errors), file=sys.stderr)
        return 1
    text = markdown(found)
    out = root / "_build" / "coverage.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(text)
    print(f"Written to {out.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
