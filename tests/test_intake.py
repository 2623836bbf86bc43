"""Publication intake, offline: a local server plays doi.org and the arXiv API from recorded
replies (tests/intake/), including a 404, a malformed reply, a slow one and a 429."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import warm
from conftest import ROOT, read

from spp_site.intake.bibfiles import read_bib
from spp_site.intake.housestyle import encode_title, name

DATA = Path(__file__).parent / "intake"
FIXTURE = Path(__file__).parent / "sites" / "small"


class Recorded(BaseHTTPRequestHandler):
    """doi.org at /doi/<doi>, the arXiv API at /arxiv?id_list=<id>."""

    requests: list[str] = []
    busy_left = {"10.5555/busy.4": 1}

    def do_GET(self):  # noqa: N802 - http.server's name
        Recorded.requests.append(self.path)
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith("/doi/"):
            doi = urllib.parse.unquote(url.path[len("/doi/"):]).lower()
            if doi == "10.5555/slow.5":
                time.sleep(2)
            if doi == "10.5555/broken.6":
                return self.reply(200, b"<html>Service temporarily moved</html>", "text/html")
            if Recorded.busy_left.get(doi, 0) > 0:
                Recorded.busy_left[doi] -= 1
                return self.reply(429, b"slow down", "text/plain", {"Retry-After": "0"})
            if doi == "10.5555/busy.4":
                doi = "10.5555/journal.1"
            file = DATA / f"doi-{doi.replace('/', '-')}.json"
            if not file.exists():
                return self.reply(404, b"DOI not found", "text/plain")
            assert "citationstyles.csl+json" in self.headers["Accept"]
            return self.reply(200, file.read_bytes(), "application/vnd.citationstyles.csl+json")
        ident = urllib.parse.parse_qs(url.query)["id_list"][0]
        file = DATA / f"arxiv-{ident.replace('/', '-')}.xml"
        return self.reply(200, (file if file.exists() else DATA / "arxiv-none.xml").read_bytes(),
                          "application/atom+xml")

    def reply(self, code, body, ctype, headers=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture
def small(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "site", ignore=shutil.ignore_patterns("_build")))


def intake(site: Path, *args: str, base: str = "http://127.0.0.1:1") -> subprocess.CompletedProcess:
    env = {**os.environ, "SPP_DOI_BASE": f"{base}/doi", "SPP_ARXIV_BASE": f"{base}/arxiv",
           "SPP_LOOKUP_TIMEOUT": "1", "SPP_LOOKUP_BACKOFF": "0"}
    return warm.run([sys.executable, "-m", "spp_site.intake", "--root", str(site), *args],
                          capture_output=True, text=True, env=env)


def validate(site: Path) -> subprocess.CompletedProcess:
    return warm.run([sys.executable, "-m", "spp_site.validate", str(site)], capture_output=True, text=True)


def entries(site: Path, slug: str) -> dict:
    return {r.key: r for r in read_bib(read(site / "bibliography" / f"{slug}.bib")).records}


def test_a_doi_becomes_a_house_style_entry_and_is_asked_for_once(small, server):
    Recorded.requests.clear()
    result = intake(small, "https://doi.org/10.5555/journal.1", "--project", "stated-project", base=server)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Added: muller2025sparse to bibliography/stated-project.bib (DOI 10.5555/journal.1)" in result.stdout
    text = read(small / "bibliography" / "stated-project.bib")
    assert text == (
        "% Publications of the project 'stated-project'.\n\n"
        "@article{muller2025sparse,\n"
        "  author  = {M{\\\"u}ller, J{\\\"o}rg and Stated, Ada},\n"
        "  title   = {Sparse {ReLU} Networks Learn $L^p$ Targets: A {GNN} View},\n"
        "  journal = {Journal of Example Mathematics},\n"
        "  volume  = {12},\n"
        "  number  = {3},\n"
        "  pages   = {101--130},\n"
        "  year    = {2025},\n"
        "  doi     = {10.5555/journal.1}\n"
        "}\n")
    assert validate(small).returncode == 0
    assert len(Recorded.requests) == 1
    again = intake(small, "10.5555/journal.1", "--project", "stated-project", base=server)
    assert again.returncode == 0
    assert "(cached)" in again.stdout and "already there as muller2025sparse" in again.stdout
    assert len(Recorded.requests) == 1  # the second run asked nothing
    assert read(small / "bibliography" / "stated-project.bib") == text


def test_arxiv_ids_new_and_old_style(small, server):
    result = intake(small, "2412.99999", "arXiv:math/0601001", "--project", "program", base=server)
    assert result.returncode == 0, result.stdout + result.stderr
    got = entries(small, "program")
    assert got["stated2024depth"].fields == {"title": "Depth separation for toy networks", "year": "2024",
                                             "eprint": "2412.99999", "archiveprefix": "arXiv"}
    assert got["stated2024depth"].authors == ["Stated, Ada", "Guessed, Gus"]
    old = got["berg2006oldstyle"]
    assert old.authors == ["van der Berg, Jan"]
    assert (old.fields["eprint"], old.fields["doi"]) == ("math/0601001", "10.5555/old.3")
    assert validate(small).returncode == 0


def test_a_preprint_is_upgraded_in_place_by_its_published_version(small, server):
    assert intake(small, "2412.99999", "--project", "stated-project", base=server).returncode == 0
    result = intake(small, "10.5555/upgrade.2", "--project", "stated-project", base=server)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Merged: DOI 10.5555/upgrade.2 is stated2024depth" in result.stdout
    assert "preprint upgraded" in result.stdout
    [record] = entries(small, "stated-project").values()
    assert (record.key, record.type) == ("stated2024depth", "inproceedings")  # cited key keeps working
    assert record.fields == {
        "title": "Depth separation for toy networks", "booktitle": "Proceedings of the Example Conference on Learning",
        "pages": "1--12", "year": "2025", "doi": "10.5555/upgrade.2", "eprint": "2412.99999",
        "archiveprefix": "arXiv"}


def test_a_joint_paper_added_from_two_projects_is_one_entry(small, server):
    assert intake(small, "10.5555/journal.1", "--project", "stated-project", base=server).returncode == 0
    result = intake(small, "10.5555/journal.1", "--project", "inferred-project", base=server)
    assert result.returncode == 0
    assert "projects + inferred-project" in result.stdout
    assert entries(small, "stated-project")["muller2025sparse"].projects == ["inferred-project"]
    assert not (small / "bibliography" / "inferred-project.bib").exists()
    assert validate(small).returncode == 0
    # Both at once: written to the first project's file, naming the second.
    both = intake(small, "2412.99999", "--project", "inferred-project", "--project", "stated-project", base=server)
    assert both.returncode == 0
    assert entries(small, "inferred-project")["stated2024depth"].projects == ["stated-project"]


def test_a_noisy_reference_manager_export(small):
    result = intake(small, str(DATA / "zotero-export.bib"), "--project", "stated-project")
    out = result.stdout
    counts = re.search(r"(\d+) added, (\d+) merged, (\d+) skipped, (\d+) not added", out).groups()
    assert counts == ("14", "1", "3", "2")  # 20 entries in, 20 accounted for
    assert result.returncode == 1  # two entries need the contributor's attention
    assert "zotero-export.bib, line 151: entry 'broken2024' cannot be read" in out
    assert "noyear: it has no year" in out
    here = "in bibliography/stated-project.bib"
    assert f"muller_sparse_2025: already there as muller2025sparse {here} (same DOI)" in out
    assert f"stated2024depthGS: already there as stated2024depth {here} (same arXiv id)" in out
    got = entries(small, "stated-project")
    assert len(got) == 14
    assert set(got) >= {"grune2023control", "grune2023controla", "stated2020regularised", "stated2017regularised"}
    text = read(small / "bibliography" / "stated-project.bib")
    for noise in ("file", "urldate", "keywords", "month", "isbn", "mendeley-groups", "journaltitle", "date"):
        assert not re.search(rf"^\s*{noise}\s*=", text, flags=re.M), noise
    assert text.isascii()
    assert got["muller2025sparse"].fields["doi"] == "10.5555/z.1"
    assert got["muller2025sparse"].fields["abstract"] == ('We study sparse networks --- with "odd" quotes '
                                                          "and a non-breaking space.")
    assert got["guessed2022written"].fields["booktitle"] == "Proceedings of the Example Conference on Learning"
    assert got["stated2024notes"].type == "misc" and got["stated2024toolbox"].type == "software"
    assert got["stated2024depth"].fields["eprint"] == "2412.11111"  # upgraded, version dropped
    assert got["stated2024depth"].fields["doi"] == "10.5555/z.5"
    assert validate(small).returncode == 0
    # House style is a fixed point: tidying the result changes nothing.
    check = intake(small, "--check")
    assert check.returncode == 0 and check.stdout == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("On $\\ell_1$ regularised GNNs and PDEs in Hilbert spaces",
         "On $\\ell_1$ regularised {GNNs} and {PDEs} in {Hilbert} spaces"),
        ("Benign overfitting in leaky {ReLU} networks", "Benign overfitting in leaky {ReLU} networks"),
        ("Depth-Bounds for Neural Networks via the Braid Arrangement",
         "Depth-Bounds for Neural Networks via the Braid Arrangement"),
        ("Fréchet means of iPhone photos, $\\mathbb{R}^d$", "Fr{\\'e}chet means of {iPhone} photos, $\\mathbb{R}^d$"),
        ("Grüne–Sperl bounds", "Gr{\\\"u}ne--Sperl bounds"),
    ],
)
def test_titles_protect_acronyms_and_proper_nouns_and_keep_math(raw, expected):
    assert encode_title(raw) == expected
    assert encode_title(expected) == expected  # idempotent


def test_non_ascii_names_have_one_spelling_whatever_the_input():
    assert name("Müller", "Jörg") == "M{\\\"u}ller, J{\\\"o}rg"
    latex = read_bib("@article{a, author = {M{\\\"u}ller, J{\\\"o}rg and Cr{\\u{a}}ciun, Alexandru}, title = {T},"
                     " journal = {J}, year = {2024}}").records[0]
    utf8 = read_bib("@article{a, author = {Müller, Jörg and Crăciun, Alexandru}, title = {T},"
                    " journal = {J}, year = {2024}}").records[0]
    assert latex.authors == utf8.authors == ["M{\\\"u}ller, J{\\\"o}rg", "Cr{\\u{a}}ciun, Alexandru"]


@pytest.mark.parametrize(
    ("ident", "message"),
    [
        ("10.5555/missing.9", "DOI 10.5555/missing.9 does not exist (127.0.0.1"),
        ("10.5555/broken.6", "the reply for DOI 10.5555/broken.6 is not CSL JSON metadata"),
        ("10.5555/slow.5", "did not answer within 1 s for DOI 10.5555/slow.5"),
        ("2412.00000", "arXiv id 2412.00000 does not exist"),
    ],
)
def test_lookups_that_fail_say_why_and_write_nothing(small, server, ident, message):
    result = intake(small, ident, "--project", "stated-project", base=server)
    assert result.returncode == 1
    assert message in result.stdout
    assert "Traceback" not in result.stderr
    assert not (small / "bibliography" / "stated-project.bib").exists()
    assert not list((small / "_build" / "intake-cache").rglob("*broken*"))  # a bad reply is not cached


def test_a_busy_service_is_asked_again(small, server):
    result = intake(small, "10.5555/busy.4", "--project", "stated-project", base=server)
    assert result.returncode == 0, result.stdout
    assert "Added: muller2025sparse" in result.stdout


def test_offline_run_says_so(small):
    result = intake(small, "10.5555/journal.1", "2412.99999", "--project", "stated-project")
    assert result.returncode == 1
    assert result.stdout.count("this machine seems to be offline") == 2
    assert "Traceback" not in result.stderr


def test_unknown_project_slug_is_a_clear_error(small):
    result = intake(small, "10.5555/journal.1", "--project", "stated-projekt")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: unknown project 'stated-projekt': did you mean 'stated-project'?"


def test_the_repository_bibliography_is_in_house_style():
    result = warm.run([sys.executable, "-m", "spp_site.intake", "--root", str(ROOT), "--check"],
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")


# -- validate catches every kind of duplicate, naming both places -----------------------------

FIRST = "@article{first2024, author = {Stated, Ada}, title = {A {Study} of Things}, journal = {J}, year = {2024}%s}\n"
SECOND = "@misc{second2024, author = {Stated, Ada}, title = {%s}, year = {%s}, url = {https://example.org/x}%s}\n"


@pytest.mark.parametrize(
    ("first_extra", "title", "year", "second_extra", "why"),
    [
        (", doi = {10.5555/Same.1}", "Other", "2024", ", doi = {https://doi.org/10.5555/same.1}", "DOI"),
        (", doi = {10.5555/same.1}", "Other", "2024", ", doi = {doi:10.5555/SAME.1}", "DOI"),
        (", eprint = {2412.99999v1}", "Other", "2020", ", eprint = {2412.99999v3}", "arXiv id"),
        ("", "A study of things.", "2025", ", doi = {10.5555/only.one}", "title"),
        ("", "A Study of {T}hings", "2023", "", "title"),
    ],
)
def test_validate_names_both_places_of_a_duplicate(small, first_extra, title, year, second_extra, why):
    # Files are read in name order: the entry in the later file is the one reported.
    (small / "bibliography" / "inferred-project.bib").write_text(FIRST % first_extra, encoding="utf-8")
    (small / "bibliography" / "stated-project.bib").write_text("\n" + SECOND % (title, year, second_extra),
                                                              encoding="utf-8")
    result = validate(small)
    assert result.returncode == 1
    problems = [line for line in result.stderr.splitlines() if "[spp." in line]
    assert problems == [
        f"bibliography/stated-project.bib:2: entry 'second2024' is the same paper as 'first2024' at "
        f"bibliography/inferred-project.bib:1 (same {why}) [spp.bib.duplicate_paper]"]
    assert "keep one entry, in bibliography/inferred-project.bib, and list the other projects in it: " \
           "projects = {stated-project}; then delete 'second2024' here" in result.stderr


def test_titles_two_years_apart_are_different_papers(small):
    (small / "bibliography" / "stated-project.bib").write_text(FIRST % "", encoding="utf-8")
    (small / "bibliography" / "inferred-project.bib").write_text(SECOND % ("A Study of Things", "2022", ""),
                                                                 encoding="utf-8")
    assert validate(small).returncode == 0
