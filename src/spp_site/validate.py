"""``python -m spp_site.validate [ROOT]``: check all site data in seconds, without a build.

Reads the same settings as the build (from conf.py) and runs the same loaders, so
the messages are the ones the build would give.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

from .errors import SiteDataError
from .loader import load_program


def settings(root: Path) -> dict:
    conf = runpy.run_path(str(root / "conf.py"))
    return {
        "data": root / conf.get("spp_data_dir", "docs/data"),
        "projects": root / conf.get("spp_projects_dir", "projects"),
        "bibliography": root / conf.get("spp_bibliography_dir", "bibliography"),
    }


def validate(root: Path) -> list[str]:
    """Return a list of error messages (empty when everything is valid)."""
    where = settings(root)
    try:
        program = load_program(where["data"], where["projects"], root)
    except SiteDataError as exc:
        return [str(e) for e in exc.errors]
    from .bibliography.loader import load_bibliography

    try:
        load_bibliography(where["bibliography"], program, root)
    except SiteDataError as exc:
        return [str(e) for e in exc.errors]
    return []


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
