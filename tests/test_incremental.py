"""Incremental builds equal clean builds, for every kind of edit.

Each case builds a copy of tests/sites/small (with its own copy of the extension's code, so
code, templates and static files can be edited too), edits it and builds again in the same
folder (a copy in another folder would start afresh); the result must equal a clean build of
the edited sources. The files the reproducibility test excludes are excluded here for the same
reason (Pagefind's filter chunks are written in hash-map order).
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import warm
from conftest import ROOT, read, replace_in
from test_quality import differing_files

SMALL = Path(__file__).parent / "sites" / "small"
PACKAGE = ROOT / "src" / "spp_site"

Edit = tuple[str, str, str]  # (file in the copy, old text, new text); old "" appends, new None deletes the file
EDITS: dict[str, list[Edit]] = {
    # Defect (a) of issue 18: the publications page's facets and badges name projects and
    # perspectives; they must follow an acronym and a perspective change.
    "project acronym and perspective": [
        ("site/projects/stated-project.md", "title_de:", "acronym: SPX\ntitle_de:"),
        ("site/projects/stated-project.md", "perspectives: [application]", "perspectives: [methodological]")],
    "project title": [("site/projects/inferred-project.md", "title: A Project Whose PIs Are Inferred",
                       "title: A Project Renamed")],
    "project PIs": [("site/projects/inferred-project.md", "inferred: [pis, institutions,", "inferred: [institutions,"),
                    ("site/projects/inferred-project.md", "    states: [start]", "    states: [start, pis]")],
    "project dates": [("site/projects/stated-project.md", "end: 2027", "end: 2026")],
    "project prose": [("site/projects/stated-project.md", "", "\nOne more sentence.\n")],
    # A page's own heading: the home page's toctree and every page's navigation show it.
    "page heading": [("site/docs/institutions.md", "# Institutions", "# Host institutions")],
    "page section": [("site/docs/events.md", "", "\n## Past workshops\n\nA section added at the end.\n")],
    "people registry": [("site/docs/data/people.yaml", "name: Ada Stated", "name: Ada Q. Stated")],
    "institutions registry": [("site/docs/data/institutions.yaml", "city: Bonn", "city: Cologne")],
    # Pages record each person, institution and project they read (state.py): a renamed
    # institution and a person who moves must reach every page that shows them.
    "institution renamed": [("site/docs/data/institutions.yaml", "name: University of Stated Facts",
                             "name: University of Well-Stated Facts")],
    "person moves to another institution": [("site/docs/data/people.yaml", "      - institution: uni-stated\n",
                                             "      - institution: uni-guessed\n")],
    "bib entry edited": [("site/bibliography/program.bib", "A joint paper of two projects",
                          "A joint paper of both projects")],
    "bib entry added in a new year": [("site/bibliography/program.bib", "", (
        "\n@article{added2019,\n  author  = {Doe, Jane},\n  title   = {An Added Entry},\n"
        "  journal = {Journal},\n  year    = {2019}\n}\n"))],
    "bib entry removed": [("site/bibliography/program.bib", (
        "@inproceedings{guessed2021talk,\n  author    = {Guessed, Gus},\n"
        "  title     = {A conference paper on guesses},\n"
        "  booktitle = {Proceedings of the Example Conference on Learning},\n  year      = {2021}\n}\n"), "")],
    "bib entry moved between files": [
        ("site/bibliography/program.bib", (
            "@misc{stated2022preprint,\n  author        = {Stated, Ada},\n"
            "  title         = {A preprint on stated facts},\n  year          = {2022},\n"
            "  eprint        = {2201.00001},\n  archiveprefix = {arXiv}\n}\n"), ""),
        ("site/bibliography/stated-project.bib", "", (
            "@misc{stated2022preprint,\n  author = {Stated, Ada},\n  title = {A preprint on stated facts},\n"
            "  year = {2022},\n  eprint = {2201.00001},\n  archiveprefix = {arXiv}\n}\n"))],
    "poster replaced": [("site/docs/_static/posters/stated-project.pdf", "Poster of a stated project",
                         "Poster of a stated projekt")],
    "news post": [("site/docs/news/2023-02-01-news.md", "title: A news item", "title: A renamed news item")],
    "event dates": [("site/docs/news/2023-09-04-workshop.md", "end: 2023-09-06", "end: 2023-09-08")],
    "template": [("pkg/spp_site/templates/spp-funding.html", "", "<!-- edited -->")],
    "static file": [("pkg/spp_site/static/spp.css", "", "\n.spp-edited { color: inherit; }\n")],
    # Defect (b): a label in the code, used by year pages, lists, downloads and search records.
    "source module": [("pkg/spp_site/bibliography/model.py", '"article": "Journal article"',
                       '"article": "Journal paper"')],
}


def build(work: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(work / "pkg")}  # this copy's extension, not the installed one
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "--no-color", "-b", "html",
           "-d", str(work / "site" / "_build" / "doctrees"), str(work / "site"), str(work / "site" / "_build" / "html")]
    return warm.run(cmd, capture_output=True, text=True, env=env)


def apply(work: Path, edits: list[Edit]) -> None:
    for rel, old, new in edits:
        replace_in(work / rel, old, new)


def copy_site(work: Path) -> Path:
    """The small site and a copy of the extension, side by side in ``work``."""
    shutil.copytree(SMALL, work / "site", ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(PACKAGE, work / "pkg" / "spp_site", ignore=shutil.ignore_patterns("__pycache__"))
    return work


class Slots:
    """One working copy per parallel worker, built once: each case starts from that build,
    restored file for file (modification times kept) into the same folder, as Sphinx keeps
    absolute paths. 2 first builds instead of one per case."""

    def __init__(self, tmp: Path, count: int) -> None:
        self.free: queue.Queue[Path] = queue.Queue()
        self.errors: list[str] = []
        for i in range(count):
            slot = tmp / f"slot{i}"
            first = build(copy_site(slot / "work"))
            if first.returncode != 0:
                self.errors.append(f"first build failed: {first.stderr[-500:]}")
            shutil.copytree(slot / "work", slot / "built", symlinks=True)
            self.free.put(slot)

    @contextlib.contextmanager
    def take(self):
        slot = self.free.get()
        try:
            shutil.rmtree(slot / "work")
            shutil.copytree(slot / "built", slot / "work", symlinks=True)  # copy2: times kept
            yield slot / "work"
        finally:
            self.free.put(slot)


def check(tmp: Path, slots: Slots, name: str, edits: list[Edit]) -> str | None:
    """None if the incremental build equals the clean one, else what differs."""
    clean = tmp / name.replace(" ", "-") / "clean"
    with slots.take() as incremental:
        apply(incremental, edits)
        shutil.copytree(incremental, clean, ignore=shutil.ignore_patterns("_build", "__pycache__"))
        for kind, work in (("incremental", incremental), ("clean", clean)):
            result = build(work)
            if result.returncode != 0:
                return f"{kind} build failed (exit {result.returncode}): {result.stderr[-500:]} {result.stdout[-300:]}"
            # An edit of the extension's own files starts afresh by design (build/codeversion.py).
            code_edit = any(rel.startswith("pkg/") for rel, _, _ in edits)
            if kind == "incremental" and ("[new config]" in result.stdout) != code_edit:
                return f"the second build {'did not start' if code_edit else 'started'} afresh"
        out = "site/_build/html"
        differ = differing_files(incremental / out, clean / out)
    return f"{len(differ)} files differ: {differ[:8]}" if differ else None


def test_the_copy_of_the_extension_is_the_one_that_builds(tmp_path):
    work = copy_site(tmp_path)
    probe = warm.run([sys.executable, "-c", "import spp_site; print(spp_site.__file__)"], capture_output=True,
                           text=True, env={**os.environ, "PYTHONPATH": str(work / "pkg")})
    assert probe.stdout.strip() == str(work / "pkg" / "spp_site" / "__init__.py")


def test_every_kind_of_edit_builds_incrementally_as_from_scratch(tmp_path):
    slots = Slots(tmp_path, 2)
    assert slots.errors == []
    with ThreadPoolExecutor(2) as pool:  # each case: an incremental and a clean build
        results = dict(zip(EDITS, pool.map(lambda item: check(tmp_path, slots, *item), EDITS.items()), strict=True))
    failures = {name: why for name, why in results.items() if why}
    assert failures == {}


def test_the_two_defects_of_issue_18_show_in_the_output(tmp_path):
    """The edits above do reach the pages (so equality is not two equally stale builds)."""
    work = copy_site(tmp_path)
    apply(work, EDITS["project acronym and perspective"] + EDITS["source module"])
    assert build(work).returncode == 0
    html = work / "site" / "_build" / "html"
    explorer = read(html / "docs" / "publications.html")
    assert 'data-label="SPX"' in explorer  # the project facet names the new acronym
    assert 'data-label="Mathematical-methodological"' in explorer
    assert "Journal paper" in read(html / "publications" / "2023.html")
    assert "Journal paper" in read(html / "publications" / "publications.csv")


def _progress(result: subprocess.CompletedProcess, phase: str) -> set[str]:
    """The pages a build named in one phase's progress lines (one line per page, or, where Sphinx
    thinks it writes to a terminal (CI=true), one line redrawn with carriage returns)."""
    text = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", result.stdout)
    return {line.rsplit("] ", 1)[1].strip() for line in re.split(r"[\r\n]+", text)
            if line.startswith(f"{phase}... [")}


def pages_read(result: subprocess.CompletedProcess) -> set[str]:
    return _progress(result, "reading sources")


def pages_written(result: subprocess.CompletedProcess) -> set[str]:
    return _progress(result, "writing output")


def test_an_edit_re_reads_only_the_pages_that_show_what_changed(tmp_path):
    """Pages record the people, institutions, projects and entries they show (state.py,
    bibliography/pages.py): a renamed person re-reads the pages that name her, not every page
    made from data, and only re-writes the catalogue (its cards name her when written); a
    corrected title re-reads none of the pages that list it, the collaboration graph's table
    included (they are only re-written)."""
    work = copy_site(tmp_path)
    assert build(work).returncode == 0
    apply(work, EDITS["people registry"])
    renamed = build(work)
    assert renamed.returncode == 0
    read_now = pages_read(renamed)
    assert "projects/stated-project" in read_now and "docs/people" in read_now
    # The catalogue's cards name PIs only when written: re-written, not re-read.
    # The home page counts PIs by id and names the coordinators (JSON-LD): not read for her.
    assert not read_now & {"projects/inferred-project", "docs/publications", "docs/news/2023-02-01-news",
                           "projects/index", "index"}
    assert "Ada Q. Stated</span></a>" in read(work / "site" / "_build" / "html" / "projects" / "index.html")
    replace_in(work / "site" / "docs" / "data" / "people.yaml", "    name: Gus Guessed\n",
               "    name: Gus Guessed\n    roles: [coordinator]\n")
    appointed = build(work)
    assert appointed.returncode == 0
    assert "index" in pages_read(appointed)  # a new coordinator is on the home page's JSON-LD
    assert '"name": "Gus Guessed"' in read(work / "site" / "_build" / "html" / "index.html")
    apply(work, EDITS["bib entry edited"])
    retitled = build(work)
    assert retitled.returncode == 0
    assert not pages_read(retitled) & {"projects/stated-project", "projects/inferred-project", "docs/publications",
                                       "docs/people", "docs/collaboration"}
    # Pages only re-written keep their titles: their toctree parents are not re-written.
    assert "projects/stated-project" in pages_written(retitled)
    assert not pages_written(retitled) & {"projects/index", "index"}
    html = work / "site" / "_build" / "html"
    for page in ("projects/stated-project.html", "projects/inferred-project.html", "docs/publications.html",
                 "docs/people.html", "docs/collaboration.html"):
        assert "A joint paper of both projects" in read(html / page), page
    # A page citing in prose ({footcite:p}) formats its footnotes when read: re-read when an
    # entry it cites changes, and only then (not for any edit of a file in bibtex_bibfiles).
    assert "docs/perspectives/statistical" in pages_read(retitled)
    assert "A joint paper of both projects" in read(html / "docs/perspectives/statistical.html")
    replace_in(work / "site" / "bibliography" / "program.bib", "A conference paper on guesses",
               "A conference paper on good guesses")
    uncited = build(work)
    assert uncited.returncode == 0
    assert "docs/perspectives/statistical" not in pages_read(uncited)
    assert "A conference paper on good guesses" in read(html / "publications/2021.html")
    # A page read again with a new title: its parent's toctree shows it, so it is re-written.
    apply(work, EDITS["project title"])
    renamed_project = build(work)
    assert renamed_project.returncode == 0
    assert {"projects/inferred-project", "projects/index"} <= pages_written(renamed_project)
    assert "A Project Renamed" in read(html / "projects/index.html")
