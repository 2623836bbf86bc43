"""Plant deliberate bugs one at a time in a copy of the repository and run the test suite on
each: a bug the suite does not catch is a behaviour no test pins. Not part of the suite (it
runs the suite once per bug); run it after changing tests: ``python tools/plant_bugs.py``.

Each bug is one text replacement in one file of the last commit (``git archive HEAD``, so
work in progress does not leak in); the suite stops at its first failure (-x), so caught bugs
cost little and survivors cost a full run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
S = "src/spp_site/"

# The whole suite, quick behaviour tests first, so a caught bug costs seconds, not minutes.
ORDER = ["test_small_site.py", "test_facts.py", "test_input.py", "test_intake.py", "test_incremental.py",
         "test_content_model.py", "test_news.py", "test_site.py", "test_map.py", "test_bibliography.py",
         "test_search.py", "test_quality.py", "test_hostile.py", "test_browser.py"]

# (what breaks, file, text, replacement)
BUGS = [
    ("explorer facet counts ignore the query", S + "static/spp.js",
     "`${option.dataset.label} (${counts[option.value] || 0})`", "option.dataset.total"),
    ("JSON-LD names only the first author", S + "pages/jsonld.py", "for a in pub.authors", "for a in pub.authors[:1]"),
    ("search records link to the publications page", S + "search.py",
     '"url": f"/{year_page(pub.year)}.html#{pub.key}"', '"url": f"/docs/publications.html#{pub.key}"'),
    ("a person lists every publication", S + "bibliography/pages.py",
     "pubs = get_bibliography(env).of_person(person.id)", "pubs = get_bibliography(env).sorted()"),
    ("calendar end is inclusive", S + "pages/news.py",
     'ev.add("dtend", r.post.last_day + dt.timedelta(days=1))', 'ev.add("dtend", r.post.last_day)'),
    ("a joint paper only in its first project's download", S + "bibliography/exports.py",
     "project_pubs = bib.of_project(slug)",
     "project_pubs = [p for p in bib.of_project(slug) if p.projects[0] == slug]"),
    ("scheduled news is published", S + "content/posts.py",
     '(kind != "news" or r.post.date <= today)', "True"),
    ("a page loads a script from a CDN", S + "templates/layout.html",
     '<meta name="color-scheme" content="light dark"/>',
     '<meta name="color-scheme" content="light dark"/><script src="https://cdn.example.org/x.js"></script>'),
    ("the catalogue drops a card", S + "pages/projects.py",
     "grid += project_cards_node(env, program, program.sorted_projects())",
     "grid += project_cards_node(env, program, program.sorted_projects()[:-1])"),
    ("a retitled page leaves the navigation of other pages stale", S + "build/parents.py",
     "if before is None or now is None or before[0] != now[0] or before[2] != now[2]:",
     "if before is None or now is None or before[2] != now[2]:"),
    ("a page with a new section leaves its parent's toctree stale", S + "build/parents.py",
     "if docname in changed}", "if False}"),
    ("a prose citation keeps an edited entry's old text", S + "bibliography/pages.py",
     'PROSE_CITED = ("key", "digest")', 'PROSE_CITED = ("key",)'),
    ("inferred fields are shown", S + "content/model.py",
     "return project.model_copy(update={f: _ABSENT[f] for f in project.inferred if f in _ABSENT})", "return project"),
    ("an unsourced end year passes", S + "content/model.py",
     'SourcedField = Literal["pis", "former_pis", "members", "institutions", "start", "end"]',
     'SourcedField = Literal["pis", "former_pis", "members", "institutions", "start"]'),
    ("titles years apart are one paper", S + "bibliography/identity.py",
     "abs(item.year - other.year) <= 1", "True"),
    ("intake overwrites a taken key", S + "intake/housestyle.py", "while key.casefold() in taken:", "while False:"),
    ("intake keeps https://doi.org/ in DOIs", S + "intake/housestyle.py",
     'f["doi"] = DOI_PREFIX.sub("", f["doi"]).strip()', 'f["doi"] = f["doi"].strip()'),
    ("an undated event shows its announcement as its date", S + "pages/news.py",
     "    if post.start is None:\n        return f\"Announced", "    if False:\n        return f\"Announced"),
    ("working copies are shown as sources", S + "content/model.py",
     "return [s for s in self.data.sources if not s.working_copy]", "return list(self.data.sources)"),
    ("directives do not record what they read", S + "state.py",
     "        read_program(self.env)\n        read_posts(self.env)\n        return self.render()",
     "        return self.render()"),
    ("caches ignore code changes", S + "build/codeversion.py", "CODE_VERSION = _code_version()",
     'CODE_VERSION = "fixed"'),
    ("legal pages show empty fields", S + "pages/legal.py", "            if value:\n", "            if True:\n"),
    ("an unsourced affiliation is shown", S + "content/loader.py",
     "            elif aff.source is None:", "            elif False:"),
    ("duplicate papers pass validate", S + "bibliography/loader.py",
     "    _check_same_papers(errors, entries, root)\n", ""),
    ("map markers cover each other", S + "pages/map.py",
     'while any(math.hypot(x - m["x"], y - m["y"]) < r + m["r"] + GAP for m in out):', "while False:"),
    ("map markers smaller than a finger", S + "pages/map.py", "MIN_RADIUS = 12 * WIDTH / 290",
     "MIN_RADIUS = 7 * WIDTH / 290"),
    ("an empty section navigation is shown", S + "build/theme.py",
     "return startdepth == 1 and not env.toctree_includes.get(section_of(pagename))", "return False"),
    ("a poster's thumbnail is missing", S + "pages/posters.py", "            _thumbnail(root / source, dest)",
     "            pass"),
    ("raw HTML passes", S + "content/safety.py", 'add(line, ErrorCode.page_raw_html, "raw HTML is not allowed',
     'None and add(line, ErrorCode.page_raw_html, "raw HTML is not allowed'),
    ("a person's affiliation without source is linked", S + "pages/people.py",
     "for i in person.affiliation_ids]", "for i in person.affiliation_ids][:0]"),
]


def run(bug, args) -> tuple[str, bool, float]:
    name, rel, old, new = bug
    with tempfile.TemporaryDirectory(prefix="bug-") as tmp:
        work = Path(tmp)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
        os.symlink(ROOT / "node_modules", work / "node_modules")
        path = work / rel
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise SystemExit(f"bug '{name}': text not found in {rel}")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(work / "src"), "SPP_NODE_MODULES": str(ROOT / "node_modules"),
               "PYTHONHASHSEED": "0"}
        start = time.monotonic()
        tests = sorted((work / "tests").glob("test_*.py"), key=lambda p: (ORDER + [p.name]).index(p.name))
        result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                                 *map(str, tests), *args.pytest],
                                cwd=work, env=env, capture_output=True, text=True)
        return name, result.returncode != 0, time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="run the bugs whose name contains this text (repeatable)")
    parser.add_argument("pytest", nargs="*", help="extra pytest arguments")
    args = parser.parse_args()
    bugs = [b for b in BUGS if not args.only or any(text in b[0] for text in args.only)]
    survived = []
    for bug in bugs:
        name, caught, seconds = run(bug, args)
        print(f"{'caught  ' if caught else 'SURVIVED'} {seconds:6.0f} s  {name}", flush=True)
        if not caught:
            survived.append(name)
    print(f"\n{len(survived)} of {len(bugs)} planted bugs survived ({100 * len(survived) / len(bugs):.0f}%).")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
