"""Site search with Pagefind: static, chunked indexes built at the end of every HTML build.

Pages are indexed from their article text; every publication is a record of its own with
filters (year, project, perspective, type), so the site search and the publication explorer
share one search and the browser downloads only the chunks a query needs. Sphinx's own
search index (loaded by the theme on every page) is switched off.

Publications go into small Pagefind indexes, by year, and pages into parts of 50, merged in the
browser (`mergeIndex`): Pagefind 1.5 scores each match by scanning every match of the query, so
a query's cost grows with the square of its matches; a word in 3,000 of 10,000 records took
130 ms in one index. Small indexes also mean that an edit re-indexes one part, not everything.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import shutil
import types
import zlib
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .bibliography.format import author_list
from .bibliography.model import Publication
from .bibliography.pages import perspectives_of, year_page
from .build.codeversion import CODE_VERSION
from .build.forking import can_fork, finish_background, finish_later, start_in_background
from .content.model import Program
from .state import build_state

logger = logging.getLogger(__name__)
OUTPUT = "_pagefind"
PAGES = "pages"  # the pages' index; it also holds Pagefind's scripts
MANIFEST = "merged-indexes.json"  # indexes merged into PAGES; publications newest year first
WORKER = "writing the publication search indexes"
STATE = "spp-state.txt"  # hash of an index's input; unchanged input skips the indexer
# Pages that are lists of publications (indexed as records) or have no content of their own.
NOT_INDEXED = ("search.html", "genindex.html", "publications/")
SHARD = 1000  # records per publication index: a query's cost grows with the square of its matches
PAGE_SHARD = 50  # pages per page index: editing a page re-indexes its part
# Parts of pages the index leaves out (publication lists: every entry is a record of its own),
# so an edited entry does not re-index the pages that list it.
IGNORED = re.compile(rb'<ol class="spp-pub-list" data-pagefind-ignore="all">.*?</ol>', re.DOTALL)
# What a merged index is read from; the rest of Pagefind's output is loaded from PAGES only.
MERGED_INDEX_FILES = ("pagefind-entry.json", "index", "filter", "fragment", STATE)
READ_LIMIT = 1 << 28  # bytes of one reply from Pagefind (a whole index)


def switch_off_sphinx_search(app: Sphinx) -> None:
    """builder-inited: Pagefind replaces Sphinx's search index (loaded by the theme on every page)."""
    if app.builder.format == "html":
        setattr(app.builder, "search", False)  # noqa: B010 - the HTML builder's switch, not declared on Builder


def add_search_page(app: Sphinx, config) -> None:
    """config-inited: our search page, with the Pagefind form."""
    config.html_additional_pages.setdefault("search", "spp-search.html")


def publication_record(pub: Publication, program: Program, labels: dict[str, str]) -> dict:
    """A publication as a Pagefind record; text fields are plain text, the browser escapes."""
    authors = author_list(pub)
    return {
        "url": f"/{year_page(pub.year)}.html#{pub.key}",
        "content": f"{authors}. {pub.plain_title}. {pub.venue} {pub.year}.",
        "language": "en",
        "meta": {"title": pub.plain_title, "authors": authors, "venue": pub.venue, "year": str(pub.year),
                 "type": pub.type_label, "key": pub.key,
                 "projects": " · ".join(labels.get(s, s) for s in pub.projects)},
        "filters": {"kind": ["Publication"], "year": [str(pub.year)], "project": pub.projects,
                    "perspective": perspectives_of(pub, program), "type": [pub.type_label]},
    }


@dataclass
class IndexJob:
    """One Pagefind index: a folder under _pagefind/, the pages or publications it holds."""

    folder: Path
    pages: list[tuple[str, Path]] = field(default_factory=list)  # (url, file)
    publications: list[Publication] = field(default_factory=list)

    def state(self, salt: str) -> str:
        """Digest of the input. Publications count by their BibTeX digest; the salt covers the
        program data and the code that turns both into records."""
        digest = hashlib.sha1(salt.encode())
        for pub in self.publications:
            digest.update(f"{pub.key}\0{pub.digest}\0".encode())
        for url, page in self.pages:
            digest.update(url.encode())
            digest.update(IGNORED.sub(b"", page.read_bytes()))
        return digest.hexdigest()

    def is_current(self, state: str) -> bool:
        stamp = self.folder / STATE
        return stamp.exists() and stamp.read_text() == state


def _pages(outdir: Path) -> list[tuple[str, Path]]:
    found = []
    for folder, dirs, files in os.walk(outdir):
        if folder == str(outdir):  # not into _static, _pagefind (thousands of fragments), ...
            dirs[:] = [d for d in dirs if not (d.startswith(("_", ".")) or f"{d}/" in NOT_INDEXED)]
        found += (Path(folder, name) for name in files if name.endswith(".html"))
    return [("/" + p.relative_to(outdir).as_posix(), p) for p in sorted(found)
            if not p.relative_to(outdir).as_posix().startswith(("_", *NOT_INDEXED))]


def _sharded(items: list, size: int, key) -> list[list]:
    """Split into ceil(len/size) parts by a hash of each item's key: an edit changes one part."""
    parts = -(-len(items) // size) or 1
    return [[x for x in items if zlib.crc32(key(x).encode()) % parts == part] for part in range(parts)]


def page_jobs(app: Sphinx) -> list[IndexJob]:
    """The pages, in indexes of at most PAGE_SHARD; the first ("pages") also holds the scripts."""
    root = Path(app.outdir) / OUTPUT
    shards = _sharded(_pages(Path(app.outdir)), PAGE_SHARD, key=lambda page: page[0])
    return [IndexJob(root / (f"{PAGES}-{i}" if i else PAGES), pages=part) for i, part in enumerate(shards)]


def publication_jobs(app: Sphinx) -> list[IndexJob]:
    """The publications of each year, newest first, in indexes of at most SHARD records (a
    record's index depends on its key, so an edit touches one index)."""
    root = Path(app.outdir) / OUTPUT
    jobs = []
    by_year = sorted(build_state(app).loaded_bibliography.sorted(), key=lambda p: p.year, reverse=True)
    for year, group in groupby(by_year, key=lambda p: p.year):
        for i, part in enumerate(_sharded(list(group), SHARD, key=lambda p: p.key)):
            jobs.append(IndexJob(root / f"{year}-{i}", publications=part))
    return jobs


def _without_poll_delay() -> None:
    """pagefind 1.5.2's Python service sleeps 0.1 s before reading each reply, so 10,000
    records would take 17 minutes. Its module gets an asyncio whose sleep only yields."""
    import pagefind.service as service

    if isinstance(getattr(service, "asyncio", None), types.ModuleType):
        shim = types.SimpleNamespace(**vars(asyncio))
        shim.sleep = lambda _delay: asyncio.sleep(0)
        service.asyncio = shim


async def _write_index(job: IndexJob, records: list[dict], state: str, slots: asyncio.Semaphore) -> None:
    from pagefind.index import IndexConfig
    from pagefind.service import PagefindService

    async with slots:
        config = IndexConfig(root_selector="article.bd-article", force_language="en",
                             exclude_selectors=[".headerlink", ".spp-pub-list", ".spp-explorer", "nav"])
        async with PagefindService() as service:
            # Pagefind's "write files" answers while its threads are still writing, and the
            # service's close() kills it: indexes came out with an empty entry file or without
            # some scripts. So the files are fetched and written here. A reply holds a whole
            # index (1.4 MB for 1,000 records), more than the library's 2 MiB read limit allows
            # for; the limit is private (pagefind is pinned, 1.5.2).
            service._backend.stdout._limit = READ_LIMIT
            index = await service.create_index(config)
            # Sent in order without waiting for each reply (one round trip per record made a
            # 10,000-record index take 14 s beside a busy build). The service handles messages
            # in arrival order: the files are the same as when sent one by one.
            for start in range(0, len(job.pages), 20):  # a few pages at a time: they are large
                await asyncio.gather(*(
                    index.add_html_file(content=IGNORED.sub(b"", page.read_bytes()).decode("utf-8"), url=url)
                    for url, page in job.pages[start:start + 20]))
            await asyncio.gather(*(index.add_custom_record(**record) for record in records))
            files = await index.get_files()
    merged = job.folder.name != PAGES  # read for its index only; scripts come from PAGES
    wanted = {Path(file["path"]): file["content"] for file in files}
    _update_folder(job.folder, {path: content for path, content in wanted.items() if not merged
                                or path.parts[0] in MERGED_INDEX_FILES or path.suffix == ".pf_meta"})
    (job.folder / STATE).write_text(state)


def _update_folder(folder: Path, files: dict[Path, bytes]) -> None:
    """Make ``folder`` hold exactly ``files``, writing only what changed: an edited entry
    changes one record of a thousand, and creating files is slow on some disks. Pagefind
    names its records, word and filter chunks by a hash of their content, so an existing
    one is already right; that holds only if the last write finished, which its state file
    (written last) says, else the folder is written afresh."""
    stamp = folder / STATE
    if not stamp.exists():
        shutil.rmtree(folder, ignore_errors=True)
    stamp.unlink(missing_ok=True)  # until this write is complete
    old = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()
    for gone in old - files.keys():
        (folder / gone).unlink()
    for rel, content in files.items():
        target = folder / rel
        hashed = rel.parts[0] in ("fragment", "index", "filter") or rel.suffix == ".pf_meta"
        if rel in old and (hashed or target.read_bytes() == content):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


async def _write_indexes(jobs: list[tuple[IndexJob, list[dict], str]], parallel: int) -> None:
    _without_poll_delay()
    slots = asyncio.Semaphore(parallel)  # each index is its own Pagefind process
    await asyncio.gather(*(_write_index(job, records, state, slots) for job, records, state in jobs))


def _stale(app: Sphinx, jobs: list[IndexJob]) -> list[tuple[IndexJob, list[dict], str]]:
    """The jobs whose input changed since their index was written, with their records."""
    state = build_state(app)
    program = state.loaded_program
    salt = state.fingerprint("projects:*") + CODE_VERSION  # records name projects, nobody else
    stale = [(job, stamp) for job in jobs if not job.is_current(stamp := job.state(salt))]
    if stale:
        logger.info("search index: " + ", ".join(
            f"{job.folder.name} ({len(job.pages) or len(job.publications)})" for job, _ in stale))
    return [(job, [publication_record(p, program, state.project_labels) for p in job.publications], stamp)
            for job, stamp in stale]


def publication_indexes_in_background(app: Sphinx) -> None:
    """builder-inited, once the bibliography is loaded: the publication indexes need no page,
    so a second process writes them while Sphinx reads and writes the pages."""
    if app.builder.format != "html":
        return
    jobs = publication_jobs(app)
    build_state(app).publication_indexes = [job.folder.name for job in jobs]
    stale = _stale(app, jobs)
    if stale:
        # One Pagefind process at a time in the background; all cores where run inline.
        parallel = 1 if can_fork() else os.cpu_count() or 1
        start_in_background(app, WORKER, lambda: asyncio.run(_write_indexes(stale, parallel)))


def index_pages_and_finish(app: Sphinx, exception) -> None:
    """build-finished: index the written pages, and wait for the publication indexes."""
    if exception is not None or app.builder.format != "html":
        finish_background(app, WORKER, exception)
        return
    finish_later(lambda: _index_pages_and_finish(app))


def _index_pages_and_finish(app: Sphinx) -> None:
    jobs = page_jobs(app)
    root = Path(app.outdir) / OUTPUT
    root.mkdir(parents=True, exist_ok=True)
    merged = [job.folder.name for job in jobs[1:]] + build_state(app).publication_indexes
    for old in root.iterdir():  # indexes of years or pages that are gone
        if old.is_dir() and old.name not in {PAGES, *merged}:
            shutil.rmtree(old)
    if not (root / MANIFEST).exists() or (root / MANIFEST).read_text() != json.dumps(merged):
        (root / MANIFEST).write_text(json.dumps(merged))
    stale = _stale(app, jobs)
    if stale:
        asyncio.run(_write_indexes(stale, parallel=os.cpu_count() or 1))
    finish_background(app, WORKER)
