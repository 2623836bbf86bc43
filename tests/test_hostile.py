"""The hostile-input corpus (hostile.py): the built pages show its text as text and execute
nothing; a javascript: URL in a URL field is refused with the file and line."""

from __future__ import annotations

import json
import re

import pytest
from browser import PageWatch, serve
from bs4 import BeautifulSoup
from conftest import read, sphinx_build
from hostile import MARK, hostile, set_line

pytestmark = pytest.mark.browser


def marked_pages(site) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if MARK in read(p) and "_static" not in p.parts)


def test_hostile_text_is_escaped_in_the_html(hostile_site):
    pages = marked_pages(hostile_site)
    assert len(pages) >= 8, pages
    for path in pages:
        soup = BeautifulSoup(read(hostile_site / path), "html.parser")
        assert soup.select('img[src="x"], a[href^="javascript:"], iframe') == [], path
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.string)  # structured data stays one valid JSON document
            else:
                assert "alert(" not in (script.string or ""), path
        # In an attribute value (og:title) '<script>' is inert text; an element may not carry it.
        assert [t.name for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)] == [], path


def test_hostile_text_survives_the_feeds_as_text(hostile_site):
    import xml.etree.ElementTree as ET

    ET.parse(hostile_site / "news" / "atom.xml")  # still well-formed XML
    ics = read(hostile_site / "events" / "2024-05-27-phd-course.ics").replace("\r\n ", "").replace("\n ", "")
    assert f"SUMMARY:{hostile('post-title')}" in ics and f"DESCRIPTION:{hostile('summary')}" in ics


def test_hostile_text_executes_nothing_and_reads_as_text(hostile_site, chromium):
    pages = marked_pages(hostile_site)
    shown = {}
    context = chromium.new_context()
    page = context.new_page()  # one tab, sent from page to page
    watch = PageWatch(page)
    with serve(hostile_site) as base:
        for path in pages:
            for seen_before in (watch.dialogs, watch.console_errors, watch.foreign):
                seen_before.clear()
            page.goto(f"{base}/{path}", wait_until="load")
            page.wait_for_timeout(50)
            injected = page.evaluate("""() => document.querySelectorAll('img[src="x"], a[href^="javascript:"], iframe')
                .length + [...document.scripts].filter((s) => s.text.includes("alert(")
                && s.type !== "application/ld+json").length""")
            text = page.evaluate("document.body.textContent")
            shown[path] = set(re.findall(rf"{MARK}-([\w-]+) <script>alert\('\1'\)</script>", text))
            assert (watch.dialogs, watch.console_errors, watch.foreign, injected) == ([], [], [], 0), path
    context.close()
    seen = set().union(*shown.values())
    # Every field a reader sees arrives on some page as the literal text that was written.
    assert {"project-title", "project-title-de", "keyword", "person-name", "institution", "city",
            "post-title", "place", "tag", "bib-title", "journal", "abstract", "note"} <= seen


@pytest.mark.parametrize(("path", "old", "new"), [
    ("projects/geomar.md", "end: 2027", "end: 2027\nwebsite: javascript:alert(1)"),
    ("docs/data/people.yaml", "    name: Leon Bungert", "    name: Leon Bungert\n    homepage: javascript:alert(1)"),
    ("docs/news/2024-05-27-phd-course.md", "tags: [early career, course]",
     "tags: [course]\nlinks:\n  - title: Programme\n    url: javascript:alert(1)"),
])
def test_a_javascript_url_is_refused_with_file_and_line(site_copy, path, old, new):
    set_line(site_copy / path, old, new)
    result = sphinx_build(site_copy, site_copy / "_build" / "html")
    assert result.returncode != 0
    line = read(site_copy / path).splitlines().index(next(
        ln for ln in read(site_copy / path).splitlines() if "javascript:" in ln)) + 1
    assert f"{path}:{line}" in result.stderr, result.stderr
