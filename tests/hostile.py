"""A hostile-input corpus: every free-text field of the site's sources (project front matter,
the YAML registries, news front matter, BibTeX) carries script-like strings, a javascript:
URL and unbalanced markup. Built once per test run (conftest.py: ``hostile_site``) for the
tests of the HTML, the browser, the bibliography and search."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import read

MARK = "Zzyzx"


def hostile(field: str) -> str:
    """Script, attribute break-out, javascript: URL, an unclosed tag and an open comment."""
    return (f"{MARK}-{field} <script>alert('{field}')</script> \"><img src=x onerror=alert('{field}')> "
            f"<a href=\"javascript:alert('{field}')\">x</a> <b>open <!-- </script></details>")


def yaml_str(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def set_line(path, old: str, new: str) -> None:
    text = read(path)
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BIBTEX = """@article{{hostile2024,
  author = {{{a} and Evil, Eve}},
  title = {{{t}}},
  journal = {{{j}}},
  abstract = {{{ab}}},
  note = {{{n}}},
  year = {{2024}}
}}
"""

# Markup in the fields a bibliography shows beyond the title (a publisher, an abstract, maths).
MARKUP_ENTRY = r"""@misc{markup2024,
  author = {<script>alert(1)</script> and Evil, "><img src=x onerror=alert(2)>},
  title = {"><img src=x onerror=alert(3)> <b>bold</b> & $x<y$},
  howpublished = {<iframe src="javascript:alert(4)">},
  abstract = {</details><script>alert(5)</script>},
  url = {https://example.org/ok},
  year = {2024}
}
"""


def make_corpus(src: Path) -> Path:
    """Write the hostile text into a copy of the site's sources at ``src``."""
    project = src / "projects" / "geomar.md"
    set_line(project, "title: 'GeoMAR: Geometric Methods for Adversarial Robustness'",
             f"title: {yaml_str(hostile('project-title'))}")
    set_line(project, "title_de: 'GeoMAR: Geometrische Methoden für Adversarial Robustness'",
             f"title_de: {yaml_str(hostile('project-title-de'))}")
    set_line(project, "acronym: GeoMAR", f"acronym: {yaml_str(hostile('acronym'))}")
    set_line(project, "- adversarial robustness", f"- {yaml_str(hostile('keyword'))}")
    people = src / "docs" / "data" / "people.yaml"
    set_line(people, "    name: Leon Bungert\n    title: Prof. Dr.",
             f"    name: {yaml_str(hostile('person-name'))}\n    title: {yaml_str(hostile('person-title'))}")
    institutions = src / "docs" / "data" / "institutions.yaml"
    set_line(institutions, "    name: University of Würzburg\n    short_name: Würzburg\n    city: Würzburg",
             f"    name: {yaml_str(hostile('institution'))}\n    short_name: {yaml_str(hostile('short'))}\n"
             f"    city: {yaml_str(hostile('city'))}")
    post = src / "docs" / "news" / "2024-05-27-phd-course.md"
    set_line(post, "title: PhD course", f"title: {yaml_str(hostile('post-title'))}\n"
                                        f"place: {yaml_str(hostile('place'))}")
    set_line(post, "kind: event", "kind: event\nstart: 2024-05-27")  # a dated event, so it is in the calendar
    set_line(post, "tags: [early career, course]", f"tags: [{yaml_str(hostile('tag'))}]")
    set_line(post, "summary: A course for the program's doctoral researchers.",
             f"summary: {yaml_str(hostile('summary'))}")
    bib = src / "bibliography" / "geomar.bib"
    bib.write_text((read(bib) if bib.exists() else "") + "\n" + BIBTEX.format(
        a=hostile("author").replace(" and ", " "), t=hostile("bib-title"), j=hostile("journal"),
        ab=hostile("abstract"), n=hostile("note")) + "\n" + MARKUP_ENTRY, encoding="utf-8")
    return src
