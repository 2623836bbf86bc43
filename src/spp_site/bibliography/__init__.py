"""Publications: per-project BibTeX files -> validated entries -> lists, pages and downloads.

Per build: each .bib file is parsed only when its text changed (cached in the build folder),
only pages showing a changed entry are re-rendered, and an entry is formatted only when a page
being written shows it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..data import get_program
from ..forking import finish_background, start_in_background
from .exports import write_exports
from .loader import ParseCache, load_bibliography
from .pages import get_bibliography, select, setup_pages


def _configure_bibtex(app: Sphinx, config) -> None:
    """sphinxcontrib-bibtex serves prose citations ({cite:p}, {bibliography}) from program.bib.

    The site's own lists and ``{cite}`` cover every file; handing all of them to
    sphinxcontrib-bibtex as well would parse every entry twice on each cold build (about 4 s
    at 10,000 entries) for directives no page uses. Set ``bibtex_bibfiles`` to widen it.
    """
    if not config.bibtex_bibfiles:
        config.bibtex_bibfiles = [f"{config.spp_bibliography_dir}/program.bib"]


def project_labels(program) -> dict[str, str]:
    labels = {"program": "SPP 2298"}
    for slug, record in program.projects.items():
        title = record.data.acronym or record.data.title
        if len(title) > 42:
            title = title[:40].rsplit(" ", 1)[0] + "…"
        labels[slug] = title
    return labels


DOWNLOADS = "writing the publication downloads"
EXPORTS_CODE = hashlib.sha1((Path(__file__).parent / "exports.py").read_bytes()).hexdigest()


def _load(app: Sphinx) -> None:
    env = app.env
    if not hasattr(env, "spp_bib_pages"):
        env.spp_bib_pages = {}  # type: ignore[attr-defined]
    program = get_program(env)
    root = Path(app.srcdir)
    app.spp_bibliography = load_bibliography(root / app.config.spp_bibliography_dir, program, root,
                                             cache=ParseCache(Path(app.doctreedir) / "spp-bib-cache"))
    app.spp_bib_labels = project_labels(program)
    app.spp_bib_html = {}  # an entry's HTML, made when a page being written first shows it


def _outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    from .pages import _signature

    bib = get_bibliography(env)
    stale = []
    for docname, selections in env.spp_bib_pages.items():
        if docname not in env.all_docs:
            continue
        for selector, signature in selections.items():
            try:
                pubs = select(bib, selector)
            except KeyError:
                pubs = []
            if _signature(pubs) != signature:
                stale.append(docname)
                break
    return stale


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "spp_bib_pages", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    for doc in docnames:
        if doc in other.spp_bib_pages:
            env.spp_bib_pages[doc] = other.spp_bib_pages[doc]


def _start_downloads(app: Sphinx) -> None:
    """builder-inited: the downloads need only the bibliography, so they are written beside
    the pages (in a second process), and only when an entry, the data or their code changed."""
    if app.builder.format != "html":
        return
    bib, program = get_bibliography(app.env), get_program(app.env)
    state = hashlib.sha1("".join([program.fingerprint, EXPORTS_CODE, *(p.key + p.digest for p in bib.sorted())])
                         .encode()).hexdigest()
    stamp = Path(app.doctreedir) / "spp-exports.txt"
    outdir = Path(app.outdir)
    if stamp.exists() and stamp.read_text() == state and (outdir / "publications").is_dir():
        return

    def write() -> None:
        write_exports(outdir, bib, program)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(state)

    start_in_background(app, DOWNLOADS, write)


def _finish_downloads(app: Sphinx, exception) -> None:
    app.spp_bib_html = {}  # all pages are written: free the formatted entries
    finish_background(app, DOWNLOADS, exception)


def setup_bibliography(app: Sphinx) -> None:
    app.add_config_value("spp_bibliography_dir", "bibliography", "env", types=[str])
    app.connect("config-inited", _configure_bibtex, priority=400)
    app.connect("builder-inited", _load, priority=200)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("builder-inited", _start_downloads, priority=750)
    app.connect("build-finished", _finish_downloads, priority=100)
    setup_pages(app)
