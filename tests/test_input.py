"""Contributor input, hardened: every mistake is one message with file and line (the line of
the offending item), the same from validate and from the build, without a traceback; nothing is
dropped or overwritten silently; no page can run script, redirect, or publish a file from
outside the repository. Each case edits a copy of tests/sites/small."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import warm
from conftest import copy_small_site, read, replace_in, sphinx_build

PROJECT = "projects/stated-project.md"
PEOPLE = "docs/data/people.yaml"
INSTITUTIONS = "docs/data/institutions.yaml"
BIB = "bibliography/program.bib"
POST = "docs/news/2023-09-04-workshop.md"
ENTRY = "@article{extra2022,\n  author  = {Doe, Jane},\n  title   = {%s},\n  journal = {J},\n  year    = {%s}\n}\n"


def validate(root: Path, **env) -> subprocess.CompletedProcess:
    return warm.run([sys.executable, "-m", "spp_site.validate", str(root)], capture_output=True, text=True,
                          env={**os.environ, **env})


def problems(stderr: str) -> list[tuple[str, int, str]]:
    return [(f, int(n), c) for f, n, c in re.findall(r"^(\S+):(\d+): .* \[(spp\.[a-z_.0-9]+)\]$", stderr, flags=re.M)]


def line_no(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(read(path).splitlines(), 1) if needle in line)


def edit(root: Path, file: str, old: str, new: str) -> None:
    replace_in(root / file, old, new)


# (case, file, old text ('' appends), new text, code, the text on the line the message must name)
CASES = [
    # 1/4. data errors with the offending item's line, in words a researcher can act on
    ("tab in front matter", PROJECT, "phases: [2]", "phases: [2]\n\tkeywords: [a]", "spp.yaml.malformed",
     "\tkeywords"),
    ("malformed ORCID", PEOPLE, "orcid: 0000-0002-1825-0097", "orcid: 0000-0002-1825-0098",
     "spp.person.invalid_orcid", "orcid:"),
    ("year in press", BIB, "", "\n" + ENTRY % ("In press", "in press"), "spp.bib.bad_year", "@article{extra2022"),
    ("year in the far future", BIB, "", "\n" + ENTRY % ("Future", "2204"), "spp.bib.bad_year", "@article{extra2022"),
    ("a date that is not ISO", BIB, "", "\n@misc{d1,\n  author = {Doe, Jane},\n  title = {T},\n"
     "  date = {24.04.2025},\n  url = {https://example.org}\n}\n", "spp.bib.bad_date", "@misc{d1"),
    ("an unknown crossref", BIB, "", "\n@inproceedings{c1,\n  author = {Doe, Jane},\n  title = {T},\n"
     "  crossref = {nowhere}\n}\n", "spp.bib.unknown_crossref", "@inproceedings{c1"),
    ("a post's date", POST, "date: 2023-06-01", "date: 01.06.2023", "spp.post.invalid_value", "date: 01.06.2023"),
    ("a post's end before its start", POST, "end: 2023-09-06", "end: 2023-09-01", "spp.post.end_before_start",
     "end: 2023-09-01"),
    ("a project's end before its start", PROJECT, "end: 2027", "end: 2020", "spp.project.end_before_start",
     "end: 2020"),
    ("a person id that is not a slug", PROJECT, "pis: [ada-stated]", "pis: [Ada Stated]",
     "spp.project.invalid_value", "pis: [Ada Stated]"),
    ("a year that is not a number", PROJECT, "start: 2024", "start: twenty-four", "spp.project.invalid_value",
     "start: twenty-four"),
    ("one bad line in a registry is one mistake", PEOPLE, "  - id: gus-guessed", "\t- id: gus-guessed",
     "spp.yaml.malformed", "\t- id: gus-guessed"),
    # 3. nothing lost or overwritten silently
    ("a key twice in front matter", PROJECT, "end: 2027", "end: 2027\nend: 2028", "spp.yaml.duplicate_key",
     "end: 2028"),
    ("a key twice in a registry", INSTITUTIONS, "    city: Bonn\n", "    city: Bonn\n    city: Cologne\n",
     "spp.yaml.duplicate_key", "city: Cologne"),
    ("keys differing only in case", BIB, "", "\n" + ENTRY.replace("extra2022", "STATED2023JOINT") % ("Other", "2022"),
     "spp.bib.duplicate_key", "@article{STATED2023JOINT"),
    ("an empty title", BIB, "", "\n" + ENTRY % ("{}", "2022"), "spp.bib.missing_field", "@article{extra2022"),
    ("a project named like a generated file", "projects/publications.md", "", "---\ntitle: X\n---\n",
     "spp.project.reserved_slug", "---"),
    ("a post named like a generated file", "docs/news/events.md", "",
     "---\ntitle: X\ndate: 2023-01-01\nkind: event\n---\n", "spp.post.reserved_slug", "---"),
    ("a citation of an unknown key", PROJECT, "", "\nSee {cite}`nobody2020`.\n", "spp.bib.unknown_key",
     "{cite}`nobody2020`"),
    ("a poster that is not there", PROJECT, "poster: docs/_static/posters/stated-project.pdf",
     "poster: docs/_static/posters/missing.pdf", "spp.project.bad_poster", "poster:"),
    ("a poster that is not a PDF", PROJECT, "poster: docs/_static/posters/stated-project.pdf",
     "poster: docs/people.md", "spp.project.bad_poster", "poster:"),
    ("a document outside the repository", POST, "file: docs/_static/slides/workshop.pdf",
     "file: ../../etc/hostname", "spp.post.bad_document", "- title: Slides"),
    # 5. unbounded output
    ("a YAML alias", PEOPLE, "    name: Gus Guessed", "    name: &n Gus Guessed\n  - id: gus-two\n    name: *n",
     "spp.yaml.alias", "name: *n"),
    # 6. unsafe content
    ("a script in a project page", PROJECT, "", "\n<script>alert(1)</script>\n", "spp.page.raw_html", "<script>"),
    ("an inline image with onerror", "docs/people.md", "# People", "# People\n\nHi <img src=x onerror=alert(1)>",
     "spp.page.raw_html", "<img"),
    ("a meta refresh in a post", "docs/news/2023-02-01-news.md", "kind: news",
     'kind: news\nmyst:\n  html_meta:\n    "http-equiv=refresh": "0; url=https://example.org"',
     "spp.page.meta_refresh", "---"),
    ("an include of a file outside", "docs/people.md", "", "\n```{literalinclude} /etc/passwd\n```\n",
     "spp.page.forbidden_directive", "{literalinclude}"),
    ("an image outside the repository", "docs/people.md", "", "\n![x](../../../../../../etc/hostname)\n",
     "spp.page.outside_file", "![x]"),
    ("a download outside the repository", "docs/people.md", "", "\n{download}`x <../../../../../etc/hostname>`\n",
     "spp.page.outside_file", "{download}"),
    ("a figure outside the repository", "docs/people.md", "", "\n```{figure} ../../../../../../etc/hostname\n```\n",
     "spp.page.outside_file", "{figure}"),
    ("a javascript: link in BibTeX", BIB, "", "\n@misc{j1,\n  author = {Doe, Jane},\n  title = {T},\n"
     "  year = {2022},\n  url = {https://example.org},\n  pdf = {javascript:alert(1)}\n}\n", "spp.bib.bad_url",
     "@misc{j1"),
]


@pytest.mark.parametrize(("case", "file", "old", "new", "code", "needle"), CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_one_message_at_its_line(tmp_path, case, file, old, new, code, needle):
    root = copy_small_site(tmp_path / "site")
    edit(root, file, old, new)
    result = validate(root)
    assert result.returncode == 1, result.stdout
    assert problems(result.stderr) == [(file, line_no(root / file, needle), code)], result.stderr
    assert "Traceback" not in result.stderr and "Value error" not in result.stderr
    assert not re.search(r"constrained|list\[|literal\[|function-after", result.stderr), result.stderr


@pytest.mark.parametrize("case", ["tab in front matter", "a script in a project page", "year in press"])
def test_the_build_stops_with_the_same_report_and_no_traceback(tmp_path, case):
    _case, file, old, new, _code, _needle = next(c for c in CASES if c[0] == case)
    root = copy_small_site(tmp_path / "site")
    edit(root, file, old, new)
    build = sphinx_build(root, root / "_build" / "html")
    assert build.returncode == 1
    assert build.stderr.strip() == validate(root).stderr.strip()
    assert "Traceback" not in build.stderr and "Sphinx version" not in build.stderr


def test_ci_gets_an_annotation_per_mistake(tmp_path):
    root = copy_small_site(tmp_path / "site")
    edit(root, PROJECT, "end: 2027", "end: 2020")
    result = validate(root, GITHUB_ACTIONS="true")
    line = line_no(root / PROJECT, "end: 2020")
    assert f"::error file={PROJECT},line={line},title=spp.project.end_before_start::end (2020) is before start" \
        in result.stderr


def test_an_alias_bomb_is_refused_in_a_short_message(tmp_path):
    root = copy_small_site(tmp_path / "site")
    bomb = "".join(f'x{i}: &x{i} [*x{i - 1}, *x{i - 1}, *x{i - 1}, *x{i - 1}]\n' for i in range(1, 12))
    (root / PEOPLE).write_text('x0: &x0 "' + "a" * 100 + '"\n' + bomb + read(root / PEOPLE), encoding="utf-8")
    result = validate(root)
    assert problems(result.stderr) == [(PEOPLE, 2, "spp.yaml.alias")]
    assert len(result.stderr) < 1000


def test_a_latin1_file_is_named_with_its_line(tmp_path):
    root = copy_small_site(tmp_path / "site")
    lines = len(read(root / BIB).splitlines())
    (root / BIB).write_bytes(read(root / BIB).encode() + "\n% Müller\n".encode("latin-1"))
    result = validate(root)
    assert problems(result.stderr) == [(BIB, lines + 2, "spp.file.not_utf8")]


def test_nothing_is_lost_bom_upper_case_file_and_string_macros(tmp_path):
    root = copy_small_site(tmp_path / "site")
    (root / BIB).write_bytes(b"\xef\xbb\xbf" + (root / BIB).read_bytes())  # a BOM before the first entry
    (root / "bibliography" / "stated-project.BIB").write_text(
        "@string{ecl = {Example Conference on Learning}}\n\n@inproceedings{macro2021,\n  author = {Doe, Jane},\n"
        "  title = {Uses a macro},\n  booktitle = ecl,\n  year = {2021}\n}\n", encoding="utf-8")
    assert validate(root).returncode == 0
    out = root / "_build" / "html"
    assert sphinx_build(root, out).returncode == 0
    keys = {row["key"] for row in csv.DictReader(read(out / "publications" / "publications.csv").splitlines())}
    assert keys == {"stated2023joint", "stated2022preprint", "guessed2021talk", "macro2021"}  # entries in == out
    download = read(out / "publications" / "stated-project.bib")
    assert "Example Conference on Learning" in download and "= ecl" not in download
    box = read(out / "publications" / "2021.html")
    assert "Example Conference on Learning" in box.split('id="macro2021"')[1].split("</pre>")[0]


def test_pages_say_search_needs_a_server_when_opened_from_a_file(small_site, chromium):
    page = chromium.new_page()
    page.goto((small_site / "docs" / "publications.html").as_uri())
    note = page.locator(".spp-needs-server")
    assert "nox -s serve" in note.inner_text()
    page.close()
