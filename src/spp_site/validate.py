"""``python -m spp_site.validate [ROOT]``: check all site data in seconds, without a build.

It reads the same settings as the build (from conf.py) and runs the same loading and checks
(:func:`spp_site.loading.load_site`), so it finds the same mistakes and prints the same report.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from .config import SiteConfig
from .content.errors import DataError, SiteDataError
from .loading import folders, load_site, report, site_pages


def settings(root: Path) -> dict[str, Path]:
    """The data folders conf.py names (the same as the build's)."""
    return folders(root, SiteConfig.from_settings(runpy.run_path(str(root / "conf.py"))))


def validate(root: Path) -> list[DataError]:
    """Every mistake in the site's data and pages (empty when everything is valid)."""
    conf = runpy.run_path(str(root / "conf.py"))
    pages = site_pages(root, list(conf.get("include_patterns", ["**"])), list(conf.get("exclude_patterns", [])))
    try:
        load_site(root, SiteConfig.from_settings(conf), pages, bibtex_bibfiles=conf.get("bibtex_bibfiles"))
    except SiteDataError as exc:
        return exc.errors
    return []


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else ".").resolve()
    problems = validate(root)
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    print("All site data is valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
