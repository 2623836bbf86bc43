"""``python -m spp_site.scaffold SLUG``: create a project page and its bibliography file."""

from __future__ import annotations

import sys
from pathlib import Path

from .content.model import is_slug
from .validate import settings


def scaffold(root: Path, slug: str) -> list[Path]:
    if not is_slug(slug):
        raise ValueError(f"'{slug}' is not a valid slug: use lower-case letters, digits and "
                         "hyphens, e.g. deep-inverse-problems")
    where = settings(root)
    page = where["projects"] / f"{slug}.md"
    bib = where["bibliography"] / f"{slug}.bib"
    if page.exists():
        raise FileExistsError(f"{page.relative_to(root)} already exists")
    template = (where["projects"] / "_template.md").read_text(encoding="utf-8")
    page.write_text(template, encoding="utf-8")
    created = [page]
    if not bib.exists():
        bib.write_text(f"% Publications of the project '{slug}'. One BibTeX entry per paper.\n",
                       encoding="utf-8")
        created.append(bib)
    return created


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: nox -s new_project -- <slug>", file=sys.stderr)
        return 2
    root = Path.cwd()
    try:
        created = scaffold(root, args[0])
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in created:
        print(f"created {path.relative_to(root)}")
    print(
        "\nNext:\n"
        f"  1. Fill in the fields in projects/{args[0]}.md (title, phases, perspectives, pis,\n"
        "     sources) and write a short summary below the front matter.\n"
        "  2. Add new people to docs/data/people.yaml and institutions to institutions.yaml.\n"
        f"  3. Add publications to bibliography/{args[0]}.bib.\n"
        "  4. Run `nox -s validate`, then open a pull request."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
