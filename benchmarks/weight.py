"""First-load weight of the pages readers land on: every byte Chromium fetches for the home
page, a project page and the publications page of a built site, gzip-compressed as GitHub
Pages sends them. Target: <= 150 KB each.

    python benchmarks/weight.py _build/html
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import ARGS, CHROMIUM, serve  # noqa: E402

TARGET_KB = 150


def heaviest_project(site: Path) -> str:
    """The project page with the most HTML (most publications), so the figure is the worst case."""
    pages = sorted((p for p in (site / "projects").glob("*.html") if p.name != "index.html"),
                   key=lambda p: p.stat().st_size)
    return pages[-1].relative_to(site).as_posix()


def first_load(site: Path, paths: list[str]) -> dict[str, tuple[float, list[tuple[float, str]]]]:
    from playwright.sync_api import sync_playwright

    results = {}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in paths:
            page = browser.new_page()  # a new page in a fresh profile: nothing cached
            bodies: dict[str, bytes] = {}
            page.on("response", lambda r, bodies=bodies: bodies.setdefault(r.url, r.body()))
            page.goto(f"{base}/{path}", wait_until="networkidle")
            sizes = sorted(((len(gzip.compress(b, 6)) / 1e3, url.replace(base, "").split("?")[0])
                            for url, b in bodies.items()), reverse=True)
            results[path] = (sum(s for s, _ in sizes), sizes)
            page.close()
        browser.close()
    return results


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html")
    paths = ["index.html", heaviest_project(site), "docs/publications.html"]
    print(f"\nFirst load, gzip-compressed (target <= {TARGET_KB} KB each)\n")
    print("| page | KB | target | heaviest files (KB) |\n|---|---|---|---|")
    for path, (total, sizes) in first_load(site, paths).items():
        top = ", ".join(f"{name.rsplit('/', 1)[-1]} {kb:.0f}" for kb, name in sizes[:4])
        print(f"| {path} | {total:.0f} | {'met' if total <= TARGET_KB else 'MISSED'} | {top} |")


if __name__ == "__main__":
    main()
