"""Lighthouse category scores (desktop preset, Debian's Chromium) for the home page, a project
page and the publications page of a built site. A benchmark, not a test: targets performance
100 (issue 21) and >= 95 for the other categories.

    python benchmarks/lighthouse.py _build/html path/to/node_modules/.bin/lighthouse
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import ARGS, CHROMIUM, serve  # noqa: E402

PAGES = {"home": "index.html", "project": "projects/geomar.html", "publications": "docs/publications.html"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def audit(lighthouse: str, url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([lighthouse, url, "--preset=desktop", "--output=json", f"--output-path={report}",
                        f"--only-categories={','.join(CATEGORIES)}", "--quiet",
                        f"--chrome-flags={' '.join(ARGS)}"],
                       check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
        return json.loads(report.read_text())


def main() -> None:
    site, lighthouse = Path(sys.argv[1]), sys.argv[2]
    rows, lost = [], []
    with serve(site, gzip=True) as base:  # as GitHub Pages serves it
        for name, path in PAGES.items():
            result = audit(lighthouse, f"{base}/{path}")
            scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
            rows.append((name, scores))
            for category in CATEGORIES:
                for ref in result["categories"][category]["auditRefs"]:
                    found = result["audits"][ref["id"]]
                    if ref["weight"] and found["score"] is not None and found["score"] < 1:
                        lost.append(f"{name} / {category}: {found['title']} ({found['score']:.2f})")
    print("\n| page | " + " | ".join(CATEGORIES) + " |\n|---|" + "---|" * len(CATEGORIES))
    for name, scores in rows:
        print(f"| {name} | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |")
    print("\nAudits not at full score:\n" + ("\n".join(f"- {item}" for item in lost) or "- none"))
    for name, scores in rows:
        print(f"{name}: performance {scores['performance']} (target 100: "
              f"{'met' if scores['performance'] == 100 else 'MISSED'})")
    if any(score < 95 for _, scores in rows for score in scores.values()):
        print("\nBelow the target of 95.")


if __name__ == "__main__":
    main()
