"""All of a site's inputs, read and checked in one place: by the build and by ``validate``.

Both call :func:`load_site`, so they find the same mistakes and print the same report
(:func:`report`): one entry per mistake, with file, line, what is wrong and what to do, and
nothing else. A build with data errors stops with that report and exit code 1, not with a
Sphinx traceback.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.project import Project

from .bibliography import project_labels
from .bibliography.loader import ParseCache, load_bibliography
from .bibliography.model import Bibliography
from .config import SiteConfig
from .content.errors import DataError, ErrorCode, SiteDataError
from .content.loader import load_program
from .content.model import Program
from .content.posts import PostRecord, build_date, load_posts
from .content.safety import Citation, check_pages
from .state import build_state


def folders(root: Path, config: SiteConfig) -> dict[str, Path]:
    """The data folders of a site."""
    return {"data": root / config.data_dir, "projects": root / config.projects_dir,
            "bibliography": root / config.bibliography_dir, "news": root / config.news_dir}


@dataclass
class SiteData:
    program: Program
    posts: list[PostRecord]
    bibliography: Bibliography


# Folders that never hold pages: the build's output and the tools' environments. Sphinx walks
# every folder its include patterns do not rule out, and .nox/ and node_modules/ alone hold
# tens of thousands (2.9 s of every rebuild in a working copy, twice).
NEVER_PAGES = ("_build", ".git", ".nox", ".venv", "node_modules", "benchmarks/_work")


def exclude_tool_folders(app: Sphinx, config) -> None:
    """config-inited: Sphinx never looks into :data:`NEVER_PAGES`."""
    config.exclude_patterns = [*config.exclude_patterns,
                               *(folder for folder in NEVER_PAGES if folder not in config.exclude_patterns)]


def site_pages(root: Path, include: list[str], exclude: list[str]) -> list[Path]:
    """The Markdown pages Sphinx builds, found as Sphinx finds them."""
    project = Project(str(root), {".md": "markdown"})
    docnames = project.discover(exclude_paths=[*NEVER_PAGES, *exclude], include_paths=include or ["**"])
    return [Path(project.doc2path(d, absolute=True)) for d in sorted(docnames)]


def load_site(root: Path, config: SiteConfig, pages: list[Path], bib_cache_folder: Path | None = None,
              bibtex_bibfiles: list[str] | None = None) -> SiteData:
    """Read everything the build reads; raise one SiteDataError with every mistake found.
    ``bibtex_bibfiles``: the files sphinxcontrib-bibtex's roles may cite (default program.bib)."""
    where = folders(root, config)
    citations: list[Citation] = []
    safety_cache = bib_cache_folder.parent / "spp-page-checks.pickle" if bib_cache_folder else None
    errors: list[DataError] = list(check_pages(root, pages, citations, safety_cache))
    posts: list[PostRecord] = []
    try:
        posts = load_posts(where["news"], root)
    except SiteDataError as exc:
        errors += exc.errors
    try:
        program = load_program(where["data"], where["projects"], root)
    except SiteDataError as exc:
        raise SiteDataError(errors + exc.errors) from None  # publications need the program
    try:
        cache = ParseCache(bib_cache_folder) if bib_cache_folder else None
        bibliography = load_bibliography(where["bibliography"], program, root, cache=cache)
    except SiteDataError as exc:
        raise SiteDataError(errors + exc.errors) from None
    prose_files = bibtex_bibfiles or [(where["bibliography"] / "program.bib").relative_to(root).as_posix()]
    errors += unknown_citations(citations, bibliography, prose_files)
    if errors:
        raise SiteDataError(errors)
    return SiteData(program, posts, bibliography)


def unknown_citations(citations: list[Citation], bibliography: Bibliography, prose_files: list[str]) -> list[DataError]:
    """{cite} keys must be in the bibliography; {footcite:p} and the other sphinxcontrib-bibtex
    roles read only the files of conf.py's bibtex_bibfiles."""
    errors = []
    for c in citations:
        pub = bibliography.entries.get(c.key)
        if pub is None or (c.role != "cite" and pub.path not in prose_files):
            where = "a file in bibliography/" if c.role == "cite" else " or ".join(prose_files)
            errors.append(DataError(c.path, c.line, ErrorCode.bib_unknown_key,
                                    f"{{{c.role}}} names the BibTeX key '{c.key}', which is not in {where}",
                                    f"add the entry to {where} or fix the key"))
    return errors


def report(errors: list[DataError]) -> str:
    """The report of data errors, as validate, the build and CI print it."""
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
    lines = [f"{count} in the site data:", *(str(e) for e in errors)]
    if os.environ.get("GITHUB_ACTIONS") == "true":
        # Shown by GitHub on the changed line of a pull request.
        lines += [f"::error file={e.path},line={e.line or 1},title={e.code}::{_one_line(e)}" for e in errors]
    return "\n".join(lines)


def _one_line(error: DataError) -> str:
    text = f"{error.message}. {error.hint}" if error.hint else error.message
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def load_into_build(app: Sphinx) -> None:
    """builder-inited: the site's data into the build's state; data errors end the build here,
    with the report and exit code 1 (a traceback would only hide the file and line)."""
    state = build_state(app)
    root = Path(app.srcdir)
    pages = site_pages(root, list(app.config.include_patterns), list(app.config.exclude_patterns))
    try:
        site = load_site(root, state.config, pages, Path(app.doctreedir) / "spp-bib-cache",
                         list(app.config.bibtex_bibfiles))
    except SiteDataError as exc:
        print(report(exc.errors), file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    state.program, state.posts, state.bibliography = site.program, site.posts, site.bibliography
    state.project_labels = project_labels(site.program)


def hold_back_scheduled_news(app: Sphinx, config) -> None:
    """config-inited: news dated after the build date is not published yet, so it is not a page
    either (as a page it would appear in every sidebar). Its data is still checked."""
    root = Path(app.srcdir)
    news = root / build_state(app).config.news_dir
    try:
        posts = load_posts(news, root)
    except SiteDataError:
        return  # reported with file and line when the data is loaded
    today = build_date()
    config.exclude_patterns = [*config.exclude_patterns,
                               *(f"{r.docname}.md" for r in posts if r.post.kind == "news" and r.post.date > today)]
