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

from ..build.codeversion import CODE_VERSION
from ..build.forking import finish_background, finish_later, start_in_background
from ..state import build_state, site_domain
from .exports import write_exports
from .pages import WRITTEN_ONLY, parse_selection_key, select, signature


def use_program_bib_for_prose_citations(app: Sphinx, config) -> None:
    """config-inited: sphinxcontrib-bibtex serves prose citations ({cite:p}, {bibliography})
    from program.bib.

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


def _bibliography_stamp(bib) -> str:
    """What every selection and its signature follow from: the fields signatures keep (pages.py:
    KEYS, COUNTED, the graph's) and the people an entry is matched to. Made once per build."""
    if "_stamp" not in bib.__dict__:
        text = "".join(f"{p.key}\0{p.digest}\0{p.year}\0{p.entry_type}\0{p.projects}\0{p.people}\0{p.plain_title}\n"
                       for p in bib.sorted())
        bib.__dict__["_stamp"] = hashlib.sha1(text.encode()).hexdigest()
    return bib.__dict__["_stamp"]


def _changed_selections(app: Sphinx, env: BuildEnvironment, written: bool):
    """(docname, selection key, current signature) for each selection whose entries changed:
    the ones a page keeps when it is read (``written`` False) or only uses when written (True).
    None when the bibliography is as the last build checked it: then no signature can differ
    (0.1 s of every rebuild at 10,000 entries)."""
    bib = build_state(app).loaded_bibliography
    if site_domain(env).checked_bibliography == _bibliography_stamp(bib):
        return
    current: dict[str, str] = {}  # many pages show the same selection: each is computed once
    for docname, selections in site_domain(env).selections.items():
        if docname not in env.all_docs:
            continue
        for key, shown in selections.items():
            selector, fields = parse_selection_key(key)
            if (fields == WRITTEN_ONLY) != written:
                continue
            if key not in current:
                try:
                    pubs = select(bib, selector)
                except KeyError:
                    pubs = []
                current[key] = signature(pubs, fields)
            if current[key] != shown:
                yield docname, key, current[key]


def pages_showing_changed_entries(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """env-get-outdated: pages that keep something of an entry that changed: re-read."""
    return sorted({docname for docname, _, _ in _changed_selections(app, env, written=False)})


def pages_showing_changed_text(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """env-get-updated: pages that show a changed entry only when written (its formatted text):
    re-written without being read again (a fixed title re-writes its pages, re-reads none)."""
    stale = set()
    for docname, key, now in list(_changed_selections(app, env, written=True)):
        site_domain(env).selections[docname][key] = now
        stale.add(docname)
    # Every selection now matches this bibliography: those read again were noted with it.
    site_domain(env).checked_bibliography = _bibliography_stamp(build_state(app).loaded_bibliography)
    return sorted(stale)


def exports_in_background(app: Sphinx) -> None:
    """builder-inited: the downloads need only the bibliography, so they are written beside
    the pages (in a second process), and only when an entry, the data or the code changed."""
    if app.builder.format != "html":
        return
    state = build_state(app)
    bib, program = state.loaded_bibliography, state.loaded_program
    # Downloads and reports name projects (titles, periods, perspectives), never people.
    stamp_text = hashlib.sha1("".join([state.fingerprint("projects:*"), CODE_VERSION,
                                       *(p.key + p.digest for p in bib.sorted())])
                              .encode()).hexdigest()
    stamp = Path(app.doctreedir) / "spp-exports.txt"
    outdir = Path(app.outdir)
    if stamp.exists() and stamp.read_text() == stamp_text and (outdir / "publications").is_dir():
        return

    def write() -> None:
        write_exports(outdir, bib, program)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(stamp_text)

    start_in_background(app, DOWNLOADS, write)


def finish_publications(app: Sphinx, exception) -> None:
    """build-finished: free the formatted entries; wait for the downloads."""
    build_state(app).entry_html = {}
    if exception is None:
        finish_later(lambda: finish_background(app, DOWNLOADS))
    else:
        finish_background(app, DOWNLOADS, exception)
