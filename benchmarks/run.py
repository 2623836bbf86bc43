"""Build-speed benchmark: our pipeline vs. the same pages without bibliography vs. a naive
sphinxcontrib-bibtex setup, in the same run. Prints one table with ratios.

    python benchmarks/run.py [--quick | --projects N --entries M]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from generate import generate, naive

WORK = Path(__file__).resolve().parent / "_work"
BUILD = r"""
import resource, sys
from sphinx.cmd.build import build_main
code = build_main(sys.argv[1:])
print("RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)
sys.exit(code)
"""


def build(src: Path, *, strict: bool = True) -> dict:
    out = src / "_build"
    args = [sys.executable, "-c", BUILD, "-q", "-b", "html", "-d", str(out / "doctrees"),
            str(src), str(out / "html")]
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if strict and result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    rss = next((float(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("RSS_MB")), 0.0)
    warnings = sum("WARNING" in line for line in result.stderr.splitlines())
    html = sum(p.stat().st_size for p in (out / "html").rglob("*.html"))
    pubs = out / "html" / "docs" / "publications.html"
    if not pubs.exists():
        pubs = out / "html" / "publications.html"
    return {"s": seconds, "rss": rss, "warnings": warnings, "html_mb": html / 1e6,
            "pubs_kb": pubs.stat().st_size / 1e3 if pubs.exists() else 0}


def scenario(src: Path, edit_entry: bool) -> dict:
    cold = build(src)
    nochange = build(src)
    page = next((src / "projects").glob("project-*.md"))
    page.write_text(page.read_text() + "\nTouched.\n")
    touch = build(src)
    edit = None
    if edit_entry:
        bib = src / "bibliography" / (page.stem + ".bib")
        bib.write_text(bib.read_text().replace("Journal of Learning Theory", "Journal of Learning Theory (edited)", 1))
        edit = build(src)
    return {"cold": cold, "nochange": nochange, "touch": touch, "edit": edit}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="23 projects, 2000 entries")
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--skip-naive", action="store_true")
    opts = parser.parse_args()
    n, m = (23, 2000) if opts.quick else (opts.projects, opts.entries)
    ours = generate(WORK / "ours", n, m)
    bare = generate(WORK / "bare", n, m, bibliography=False)
    results = {"ours": scenario(ours, True), "no bibliography": {"cold": build(bare)}}
    if not opts.skip_naive:
        results["naive"] = scenario(naive(WORK / "naive", ours), False)
    base = results["no bibliography"]["cold"]["s"]
    print(f"\n{n} projects, {m} entries (2 cores); ratios against the same site without bibliography\n")
    print("| pipeline | cold s | x bare | no-change s | touch page s | edit entry s | peak RSS MB | warnings "
          "| HTML MB | publications page KB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        c = r["cold"]
        def s(k, r=r):
            return f"{r[k]['s']:.2f}" if r.get(k) else "-"

        print(f"| {name} | {c['s']:.2f} | {c['s'] / base:.2f} | {s('nochange')} | {s('touch')} | {s('edit')} | "
              f"{c['rss']:.0f} | {c['warnings']} | {c['html_mb']:.1f} | {c['pubs_kb']:.0f} |")
    if "naive" in results:
        print(f"\nnaive cold / ours cold = {results['naive']['cold']['s'] / results['ours']['cold']['s']:.1f}x")
    (WORK / "results.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
