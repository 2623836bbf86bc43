"""Site search with Pagefind: static, chunked indexes built at the end of every HTML build.

Pages are indexed from their article text; every publication is a record of its own with
filters (year, project, perspective, type), so the site search and the publication explorer
share one search and the browser downloads only the chunks a query needs. Sphinx's own
search index (loaded by the theme on every page) is switched off.

Publications go into small Pagefind indexes, by year, merged in the browser (`mergeIndex`):
Pagefind 1.5 scores each match by scanning every match of the query, so a query's cost grows
with the square of its matches; a word in 3,000 of 10,000 records took 130 ms in one index.
Small indexes also mean that editing one entry re-indexes a few hundred records, not all.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import types
import zlib
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .bibliography.format import author_list, plain_text
from .bibliography.pages import get_bibliography, perspectives_of, year_page
from .data import get_program

logger = logging.getLogger(__name__)
OUTPUT = "_pagefind"
PAGES = "pages"  # the pages' index; it also holds Pagefind's scripts
MANIFEST = "publication-indexes.json"  # the per-year indexes, newest first: the order of results
STATE = "spp-state.txt"  # hash of an index's input; unchanged input skips the indexer
# Pages that are lists of publications (indexed as records) or have no content of their own.
NOT_INDEXED = ("search.html", "genindex.html", "publications/")
# What a merged index is read from; the rest of Pagefind's output is loaded from PAGES only.
SHARD = 1000  # records per publication index: a query's cost grows with the square of its matches
MERGED_INDEX_FILES = ("pagefind-entry.json", "index", "filter", "fragment", STATE)


def _use_pagefind(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.builder.search = False  # type: ignore[attr-defined]


def _search_page(app: Sphinx, config) -> None:
    config.html_additional_pages.setdefault("search", "spp-search.html")


def publication_records(app: Sphinx) -> list[dict]:
    """One Pagefind record per publication; text fields are plain text, the browser escapes."""
    from .bibliography import project_labels

    program = get_program(app.env)
    labels = project_labels(program)
    records = []
    for pub in get_bibliography(app.env).sorted():
        title = plain_text(pub.title)
        authors = author_list(pub)
        records.append({
            "url": f"/{year_page(pub.year)}.html#{pub.key}",
            "content": f"{authors}. {title}. {pub.venue} {pub.year}.",
            "language": "en",
            "meta": {"title": title, "authors": authors, "venue": pub.venue, "year": str(pub.year),
                     "type": pub.type_label, "key": pub.key,
                     "projects": " · ".join(labels.get(s, s) for s in pub.projects)},
            "filters": {"kind": ["Publication"], "year": [str(pub.year)], "project": pub.projects,
                        "perspective": perspectives_of(pub, program), "type": [pub.type_label]},
        })
    return records


@dataclass
class IndexJob:
    """One Pagefind index: a folder under _pagefind/, the pages and records it holds."""

    folder: Path
    pages: list[tuple[str, Path]] = field(default_factory=list)  # (url, file)
    records: list[dict] = field(default_factory=list)

    def state(self) -> str:
        digest = hashlib.sha1(json.dumps(self.records, sort_keys=True).encode())
        for url, page in self.pages:
            digest.update(url.encode())
            digest.update(page.read_bytes())
        return digest.hexdigest()

    def is_current(self, state: str) -> bool:
        stamp = self.folder / STATE
        return stamp.exists() and stamp.read_text() == state


def _pages(outdir: Path) -> list[tuple[str, Path]]:
    return [("/" + p.relative_to(outdir).as_posix(), p) for p in sorted(outdir.rglob("*.html"))
            if not p.relative_to(outdir).as_posix().startswith(("_", *NOT_INDEXED))]


def index_jobs(app: Sphinx) -> list[IndexJob]:
    """The pages' index, then the publications of each year, newest first, in indexes of at
    most SHARD records (a record's index depends on its key, so an edit touches one index)."""
    root = Path(app.outdir) / OUTPUT
    jobs = [IndexJob(root / PAGES, pages=_pages(Path(app.outdir)))]
    records = sorted(publication_records(app), key=lambda r: r["meta"]["year"], reverse=True)
    for year, group in groupby(records, key=lambda r: r["meta"]["year"]):
        in_year = list(group)
        parts = -(-len(in_year) // SHARD)
        for part in range(parts):
            jobs.append(IndexJob(root / f"{year}-{part}", records=[
                r for r in in_year if zlib.crc32(r["meta"]["key"].encode()) % parts == part]))
    return [job for job in jobs if job.pages or job.records or job.folder.name == PAGES]


def _without_poll_delay() -> None:
    """pagefind 1.5.2's Python service sleeps 0.1 s before reading each reply, so 10,000
    records would take 17 minutes. Its module gets an asyncio whose sleep only yields."""
    import pagefind.service as service

    if isinstance(getattr(service, "asyncio", None), types.ModuleType):
        shim = types.SimpleNamespace(**vars(asyncio))
        shim.sleep = lambda _delay: asyncio.sleep(0)
        service.asyncio = shim


async def _write_index(job: IndexJob, state: str, slots: asyncio.Semaphore) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    async with slots:
        # A fresh folder: Pagefind never deletes the fragments of records that are gone.
        shutil.rmtree(job.folder, ignore_errors=True)
        config = IndexConfig(root_selector="article.bd-article", force_language="en",
                             exclude_selectors=[".headerlink", ".spp-pub-list", ".spp-explorer", "nav"],
                             output_path=str(job.folder))
        async with PagefindIndex(config=config) as index:
            # One at a time: the order of arrival decides the index files; builds are reproducible.
            for url, page in job.pages:
                await index.add_html_file(content=page.read_text(encoding="utf-8"), url=url)
            for record in job.records:
                await index.add_custom_record(**record)
        if job.folder.name != PAGES:
            for path in job.folder.iterdir():
                if path.name not in MERGED_INDEX_FILES and not path.name.endswith(".pf_meta"):
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
        (job.folder / STATE).write_text(state)


async def _write_indexes(jobs: list[tuple[IndexJob, str]]) -> None:
    _without_poll_delay()
    slots = asyncio.Semaphore(os.cpu_count() or 1)  # each index is its own Pagefind process
    await asyncio.gather(*(_write_index(job, state, slots) for job, state in jobs))


def _build_index(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    jobs = index_jobs(app)
    root = Path(app.outdir) / OUTPUT
    root.mkdir(exist_ok=True)
    wanted = {job.folder.name for job in jobs}
    for stale in root.iterdir():  # years that no longer have publications
        if stale.is_dir() and stale.name not in wanted:
            shutil.rmtree(stale)
    manifest = json.dumps([job.folder.name for job in jobs[1:]])
    if not (root / MANIFEST).exists() or (root / MANIFEST).read_text() != manifest:
        (root / MANIFEST).write_text(manifest)
    stale_jobs = [(job, state) for job in jobs if not job.is_current(state := job.state())]
    if stale_jobs:
        logger.info("search index: " + ", ".join(
            f"{job.folder.name} ({len(job.pages) or len(job.records)})" for job, _ in stale_jobs))
        asyncio.run(_write_indexes(stale_jobs))


def setup_search(app: Sphinx) -> None:
    app.connect("config-inited", _search_page)
    app.connect("builder-inited", _use_pagefind)
    app.connect("build-finished", _build_index)
