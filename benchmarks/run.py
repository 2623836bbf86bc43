"""Build-speed benchmark: our pipeline vs. the same pages without bibliography vs. a naive
sphinxcontrib-bibtex setup, in the same run. Prints one table with ratios.

    python benchmarks/run.py [--quick | --projects N --entries M]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import generate, naive

RESULTS = Path(__file__).resolve().parent / "_work" / "results.json"
# The builds run on a RAM disk where there is one. On this project's CI machines (journal-less
# ext4) creating a file soon after many were deleted can cost 0.3-0.5 ms, as the kernel scans
# recently freed inodes: seconds for a pipeline writing 11,000 files (one per search record),
# nothing for one writing 700, and so a measure of the disk's history, not of the builds.
RAM_DISK = Path("/dev/shm")


def default_workdir() -> Path:
    if RAM_DISK.is_dir() and os.access(RAM_DISK, os.W_OK):
        return RAM_DISK / "spp-bench"
    return RESULTS.parent


def build(src: Path, *, strict: bool = True) -> dict:
    """One `python -m sphinx` build, as users run it; time, peak RSS (the largest process of
    the build), warnings, output size."""
    out = src / "_build"
    args = [sys.executable, "-m", "sphinx", "-q", "-b", "html", "-d", str(out / "doctrees"),
            str(src), str(out / "html")]
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        stderr = log.read()
    if strict and proc.returncode != 0:
        raise SystemExit(stderr[-3000:])
    warnings = sum("WARNING" in line for line in stderr.splitlines())
    html = sum(p.stat().st_size for p in (out / "html").rglob("*.html"))
    pubs = out / "html" / "docs" / "publications.html"
    if not pubs.exists():
        pubs = out / "html" / "publications.html"
    return {"s": seconds, "rss": usage.ru_maxrss / 1024, "warnings": warnings, "html_mb": html / 1e6,
            "pubs_kb": pubs.stat().st_size / 1e3 if pubs.exists() else 0}


def browser_metrics(html: Path) -> dict:
    """Publications page in headless Chromium: bytes of the first load, and, once Pagefind is
    loaded, the median time until a query's count and facets are shown (search) and until its
    first ten results are shown (query; fetches their records)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import ARGS, CHROMIUM, serve
    from playwright.sync_api import sync_playwright

    with serve(html) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        bodies: dict[str, bytes] = {}
        page.on("response", lambda r: bodies.setdefault(r.url, r.body()))
        page.goto(f"{base}/docs/publications.html", wait_until="networkidle")
        first_load = sum(len(b) for b in bodies.values())
        # What a server with gzip (GitHub Pages, any CDN) sends; http.server sends raw bytes.
        first_load_gzip = sum(len(gzip.compress(b, 6)) for b in bodies.values())
        heaviest = sorted(((len(b), u.rsplit("/", 1)[-1].split("?")[0]) for u, b in bodies.items()), reverse=True)
        search_ms, query_ms = [], []
        # Each word once (its index chunks are fetched while the input's debounce waits, as in use);
        # the first query also loads Pagefind itself and is not counted.
        for i, word in enumerate(["Rossi", "Nguyen", "Okafor", "Schmidt", "kernel", "sparse", "gradient"]):
            page.fill("#spp-q", word)
            page.wait_for_function(f"Number(document.documentElement.dataset.sppQuery) >= {i + 1}")
            if i:
                search_ms.append(page.evaluate("window.sppLastSearchMs"))
                query_ms.append(page.evaluate("window.sppLastQueryMs"))
        browser.close()
    return {"first_load_kb": first_load / 1e3, "first_load_gzip_kb": first_load_gzip / 1e3,
            "search_ms": statistics.median(search_ms), "query_ms": statistics.median(query_ms),
            "heaviest": heaviest[:6]}


def median_of(runs: list[dict]) -> dict:
    """The run with the median time (incremental builds are short and the machine is noisy)."""
    return sorted(runs, key=lambda r: r["s"])[len(runs) // 2]


def scenario(src: Path, edit_entry: bool, repeat: int = 3) -> dict:
    cold = build(src)
    nochange = median_of([build(src) for _ in range(repeat)])
    pages = sorted((src / "projects").glob("project-*.md"))[:repeat]
    touch, edit = [], []
    for page in pages:
        page.write_text(page.read_text() + "\nTouched.\n")
        touch.append(build(src))
    if edit_entry:
        for page in pages:  # one entry in another file each time
            bib = src / "bibliography" / (page.stem + ".bib")
            text = bib.read_text().replace("Journal of Learning Theory", "Journal of Learning Theory (edited)", 1)
            bib.write_text(text)
            edit.append(build(src))
    return {"cold": cold, "nochange": nochange, "touch": median_of(touch),
            "edit": median_of(edit) if edit else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="23 projects, 2000 entries")
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--workdir", type=Path, default=default_workdir(),
                        help="where the generated sites are built (default: a RAM disk if there is one)")
    opts = parser.parse_args()
    n, m = (23, 2000) if opts.quick else (opts.projects, opts.entries)
    work = opts.workdir
    ours = generate(work / "ours", n, m)
    bare = generate(work / "bare", n, m, bibliography=False)
    results = {"ours": scenario(ours, True), "no bibliography": {"cold": build(bare)}}
    if not opts.skip_naive:
        results["naive"] = scenario(naive(work / "naive", ours), False, repeat=1)  # minutes per build
    base = results["no bibliography"]["cold"]["s"]
    print(f"\n{n} projects, {m} entries ({os.cpu_count()} cores, built in {work}); ratios against the same site"
          " without bibliography; incremental builds: median of 3\n")
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
    if (n, m) == (200, 10000):  # issue 21: no regression beyond 5% of the table it started from
        ours_r = results["ours"]
        for label, value, target in (("cold x bare", ours_r["cold"]["s"] / base, 1.69),
                                     ("no-change s", ours_r["nochange"]["s"], 1.0),
                                     ("edit an entry s", ours_r["edit"]["s"], 1.4)):
            print(f"{label}: {value:.2f} (target <= {target * 1.05:.2f}, within 5% of {target}: "
                  f"{'met' if value <= target * 1.05 else 'MISSED'})")
    metrics = browser_metrics(ours / "_build" / "html")
    print(f"\npublications page, first load in Chromium: {metrics['first_load_kb']:.0f} KB "
          f"({metrics['first_load_gzip_kb']:.0f} KB gzip-compressed); heaviest: {metrics['heaviest']}; "
          f"after Pagefind is loaded, median of 6 queries: count and facets {metrics['search_ms']:.1f} ms, "
          f"first 10 results shown {metrics['query_ms']:.1f} ms")
    results["ours"]["browser"] = metrics
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
