"""Generate a synthetic program in the site's own formats (N projects, M BibTeX entries).

Names carry non-ASCII letters and LaTeX accents, entries have abstracts, DOIs and mixed
types, so formatting and validation do realistic work. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIVEN = ["Anna", "Jörg", "Zoë", "Łukasz", "Renée", "Ahmet", "Mei", "Søren", "Ines", "Tomás"]
FAMILY = [r"M{\"u}ller", r"Cr{\u{a}}ciun", "Schmidt", r"Garc{\'i}a", "Nguyen", r"Ko{\v{c}}i",
          "Okafor", r"Br{\aa}ten", "Rossi", r"Ü{\ss}er"]
WORDS = ["deep", "network", "bounds", "training", "implicit", "bias", "operator", "robust",
         "gradient", "flows", "sparse", "kernel", "equivariant", "generalization", "PDE"]
PERSPECTIVES = ["statistical", "application", "methodological"]


def title(rng) -> str:
    words = rng.sample(WORDS, 6)
    if rng.random() < 0.2:
        words.insert(2, r"$\ell_1$")
    return " ".join(words).capitalize()


def entry(rng, key: str, extra_project: str | None) -> str:
    authors = " and ".join(f"{rng.choice(FAMILY)}, {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 6)))
    kind = rng.choice(["article", "inproceedings", "misc"])
    fields = [f"author = {{{authors}}}", f"title = {{{title(rng)} ({key})}}",  # unique: no duplicate papers
              f"year = {{{rng.randint(2021, 2026)}}}", f"abstract = {{{' '.join(rng.choices(WORDS, k=60))}.}}"]
    if kind == "article":
        fields += ["journal = {Journal of Learning Theory}", f"doi = {{10.1000/jlt.{key}}}"]
    elif kind == "inproceedings":
        fields += ["booktitle = {Advances in Neural Information Processing Systems}"]
    else:
        fields += [f"eprint = {{{rng.randint(2101, 2612)}.{rng.randint(10000, 99999)}}}",
                   "archiveprefix = {arXiv}"]
    if extra_project:
        fields.append(f"projects = {{{extra_project}}}")
    body = ",\n  ".join(fields)
    return f"@{kind}{{{key},\n  {body}\n}}\n"


def generate(dest: Path, n_projects: int, n_entries: int, seed: int = 2298, bibliography: bool = True) -> Path:
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "conf.py", dest / "conf.py")
    with (dest / "conf.py").open("a") as conf:  # the real project files it names are not in a synthetic site
        conf.write('\nbibtex_bibfiles = ["bibliography/program.bib"]\n')
    shutil.copytree(ROOT / "docs", dest / "docs", ignore=shutil.ignore_patterns("data"))
    for page in (dest / "docs" / "perspectives").glob("*.md"):  # they cite real papers; these are synthetic
        text = re.sub(r"\n\n[^\n](?:[^\n]|\n(?!\n))*\{footcite:p\}[^\n]*(?:\n(?!\n)[^\n]*)*", "", page.read_text())
        page.write_text(text.replace("```{footbibliography}\n```\n", ""))
    shutil.copy2(ROOT / "index.md", dest / "index.md")
    (dest / "docs" / "data").mkdir()
    (dest / "docs" / "data" / "institutions.yaml").write_text(
        "institutions:\n" + "".join(
            f"  - id: inst-{i}\n    name: Institute {i}\n    city: City {i}\n"
            f"    latitude: {48 + i % 6}.5\n    longitude: {7 + i % 7}.5\n"
            f"    sources: [https://example.org/inst-{i}]\n" for i in range(24)))
    people = [f"person-{i}" for i in range(n_projects * 2)]
    (dest / "docs" / "data" / "people.yaml").write_text(
        "people:\n" + "".join(
            f"  - id: {p}\n    name: {rng.choice(GIVEN)} Person{i}\n"
            f"    affiliations:\n      - institution: inst-{i % 24}\n        source: https://example.org/{p}\n"
            f"    sources: [https://example.org/{p}]\n"
            for i, p in enumerate(people)) + "  - id: gitta-kutyniok\n    name: Gitta Kutyniok\n"
        "    roles: [coordinator, coordination-team]\n    sources: [https://example.org/coordinator]\n")
    (dest / "projects").mkdir()
    shutil.copy2(ROOT / "projects" / "index.md", dest / "projects" / "index.md")
    slugs = [f"project-{i:03d}" for i in range(n_projects)]
    for i, slug in enumerate(slugs):
        (dest / "projects" / f"{slug}.md").write_text(
            f"---\ntitle: Synthetic project {i}\nphases: [{1 + i % 2}]\nperspectives: [{PERSPECTIVES[i % 3]}]\n"
            f"pis: [{people[2 * i]}, {people[2 * i + 1]}]\n"
            f"sources:\n  - url: https://example.org/{slug}\n    states: [pis]\n---\n\n"
            f"Summary of project {i}.\n")
    (dest / "bibliography").mkdir()
    per_project: dict[str, list[str]] = {s: [] for s in slugs}
    for k in range(n_entries if bibliography else 0):
        slug = slugs[k % n_projects]
        extra = slugs[(k + 1) % n_projects] if k % 10 == 0 else None
        per_project[slug].append(entry(rng, f"entry{k:05d}", extra))
    for slug in slugs:
        (dest / "bibliography" / f"{slug}.bib").write_text("\n".join(per_project[slug]))
    (dest / "bibliography" / "program.bib").write_text("")
    return dest


def naive(dest: Path, ours: Path) -> Path:
    """The same content as a plain sphinxcontrib-bibtex site: one {bibliography} per project
    page (filtered by keyword) and one :all: on the publications page."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "projects").mkdir(parents=True)
    (dest / "bibliography").mkdir()
    slugs = sorted(p.stem for p in (ours / "bibliography").glob("project-*.bib"))
    for slug in slugs:
        text = (ours / "bibliography" / f"{slug}.bib").read_text()
        tagged = text.replace("abstract =", f"keywords = {{{slug}}},\n  abstract =")
        (dest / "bibliography" / f"{slug}.bib").write_text(tagged)
        (dest / "projects" / f"{slug}.md").write_text(
            f"# {slug}\n\nSummary.\n\n```{{bibliography}}\n:filter: keywords % \"{slug}\"\n```\n")
    (dest / "index.md").write_text("# Naive\n\n```{toctree}\n:glob:\n\nprojects/*\npublications\n```\n")
    (dest / "publications.md").write_text("# Publications\n\n```{bibliography}\n:all:\n```\n")
    (dest / "conf.py").write_text(
        "extensions = ['myst_parser', 'sphinxcontrib.bibtex']\nhtml_theme = 'pydata_sphinx_theme'\n"
        f"bibtex_bibfiles = {[f'bibliography/{s}.bib' for s in slugs]!r}\nexclude_patterns = ['_build']\n")
    return dest
