"""``python -m spp_site.validate [ROOT]``: check all site data in seconds, without a build.

Reads the same settings as the build (from conf.py) and runs the same loaders, so
the messages are the ones the build would give.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from .config import SiteConfig
from .content.data import folders
from .content.errors import SiteDataError
from .content.loader import load_program
from .content.posts import load_posts


def settings(root: Path) -> dict[str, Path]:
    """The data folders conf.py names (the same as the build's)."""
    return folders(root, SiteConfig.from_settings(runpy.run_path(str(root / "conf.py"))))


def validate(root: Path) -> list[str]:
    """Return a list of error messages (empty when everything is valid)."""
    from .bibliography.loader import load_bibliography

    where = settings(root)
    problems: list[str] = []
    try:
        load_posts(where["news"], root)
    except SiteDataError as exc:
        problems += [str(e) for e in exc.errors]
    try:
        program = load_program(where["data"], where["projects"], root)
    except SiteDataError as exc:
        return problems + [str(e) for e in exc.errors]
    try:
        load_bibliography(where["bibliography"], program, root)
    except SiteDataError as exc:
        problems += [str(e) for e in exc.errors]
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0] if args else ".").resolve()
    problems = validate(root)
    if problems:
        print(f"{len(problems)} problem(s) found:", file=sys.stderr)
        for message in problems:
            print(message, file=sys.stderr)
        return 1
    print("All site data is valid.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
