"""Publication lists grouped as funding reports ask (journal articles; conference papers;
preprints and other), shared by the build (each project's report download) and the report
command (spp_site/report.py)."""

from __future__ import annotations

from ..content.model import Program
from .format import author_list
from .model import Bibliography, Publication

GROUPS = {"journal": "Peer-reviewed journal articles", "conference": "Conference papers",
          "other": "Preprints and other"}


def group_of(pub: Publication) -> str:
    return {"article": "journal", "inproceedings": "conference", "conference": "conference"}.get(pub.entry_type,
                                                                                                 "other")


def selected(bib: Bibliography, slug: str | None, first: int | None, last: int | None) -> list[Publication]:
    pubs = bib.of_project(slug) if slug else bib.sorted()
    return [p for p in pubs if (first is None or p.year >= first) and (last is None or p.year <= last)]


def period(first: int | None, last: int | None) -> str:
    if first and last:
        return f"{first}–{last}" if first != last else str(first)
    return f"from {first}" if first else f"until {last}" if last else "all years"


def markdown(title: str, pubs: list[Publication], first: int | None, last: int | None) -> str:
    lines = [f"# {title}", "", f"Publications ({period(first, last)}): {len(pubs)}.", ""]
    for key, name in GROUPS.items():
        members = [p for p in pubs if group_of(p) == key]
        lines += [f"## {name} ({len(members)})", ""]
        for i, pub in enumerate(members, 1):
            ids = "; ".join(x for x in (f"doi:{pub.doi}" if pub.doi else "", f"arXiv:{pub.arxiv}" if pub.arxiv else "")
                            if x)
            venue = f" {pub.venue}." if pub.venue else ""
            ids = f" {ids}." if ids else ""
            lines.append(f"{i}. {author_list(pub)} ({pub.year}). {pub.plain_title}.{venue}{ids}")
        lines.append("")
    return "\n".join(lines)


def project_report(program: Program, bib: Bibliography, slug: str) -> str:
    """A project's Markdown report for its funding period (as far as the data states it)."""
    record = program.projects[slug]
    first, last = record.data.start, record.data.end
    return markdown(f"{record.data.title}: publications", selected(bib, slug, first, last), first, last)
