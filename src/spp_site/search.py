"""Site search with Pagefind: a static, chunked index built at the end of every HTML build.

Pages are indexed from their article text; every publication is a record of its own with
filters (year, project, perspective, type), so the site search and the publication explorer
share one index and the browser downloads only the chunks a query needs. Sphinx's own
search index (loaded by the theme on every page) is switched off.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import types
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from .bibliography.format import author_list, plain_text
from .bibliography.pages import get_bibliography, perspectives_of, year_page
from .data import get_program

logger = logging.getLogger(__name__)
OUTPUT = "_pagefind"
# Pages that are lists of publications (indexed as records) or have no content of their own.
NOT_INDEXED = ("search.html", "genindex.html", "publications/")


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
            "sort": {"year": str(pub.year)},
        })
    return records


def _pages(outdir: Path) -> list[Path]:
    return sorted(p for p in outdir.rglob("*.html")
                  if not p.relative_to(outdir).as_posix().startswith(("_", *NOT_INDEXED)))


def _without_poll_delay() -> None:
    """pagefind 1.5.2's Python service sleeps 0.1 s before reading each reply, so 10,000
    records would take 17 minutes. Its module gets an asyncio whose sleep only yields."""
    import pagefind.service as service

    if isinstance(getattr(service, "asyncio", None), types.ModuleType):
        shim = types.SimpleNamespace(**vars(asyncio))
        shim.sleep = lambda _delay: asyncio.sleep(0)
        service.asyncio = shim


async def _write_index(outdir: Path, pages: list[Path], records: list[dict]) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    _without_poll_delay()
    config = IndexConfig(root_selector="article.bd-article", force_language="en",
                         exclude_selectors=[".headerlink", ".spp-pub-list", ".spp-explorer", "nav"],
                         output_path=str(outdir / OUTPUT))
    async with PagefindIndex(config=config) as index:
        # One at a time: the order of arrival decides the index files, and builds must be reproducible.
        for page in pages:
            await index.add_html_file(content=page.read_text(encoding="utf-8"),
                                      url="/" + page.relative_to(outdir).as_posix())
        for record in records:
            await index.add_custom_record(**record)


def _build_index(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    pages = _pages(outdir)
    records = publication_records(app)
    # Skip the indexer when no page and no publication changed since the last index.
    state = hashlib.sha1(json.dumps(records, sort_keys=True).encode())
    for page in pages:
        state.update(page.relative_to(outdir).as_posix().encode())
        state.update(page.read_bytes())
    stamp = outdir / OUTPUT / "spp-state.txt"
    if stamp.exists() and stamp.read_text() == state.hexdigest():
        return
    logger.info(f"search index: {len(pages)} pages, {len(records)} publications")
    asyncio.run(_write_index(outdir, pages, records))
    stamp.write_text(state.hexdigest())


def setup_search(app: Sphinx) -> None:
    app.connect("config-inited", _search_page)
    app.connect("builder-inited", _use_pagefind)
    app.connect("build-finished", _build_index)
