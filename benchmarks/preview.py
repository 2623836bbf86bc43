"""Preview speed as a researcher feels it, in Chromium against the preview server.

- first page: from starting ``nox -s serve`` (environments present) to the first page loaded;
- edits: from saving a project page, a BibTeX file or the people registry to the reloaded page
  showing the change, median of 5 each, split into rebuild (save -> the browser starts
  reloading: watcher, build, reload message) and reload (-> the page's load event).

    python benchmarks/preview.py [--large] [--projects 200 --entries 10000]

The real site is measured in this repository through ``bash tools/nox.sh -s serve`` (its
files are restored afterwards); the large synthetic site (benchmarks/generate.py) through
the same preview server run from the serve environment.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import ARGS, CHROMIUM, free_port  # noqa: E402

LOG = HERE / "_work" / "preview-server.log"  # the last server's output, to see where time went
TARGETS = {"real": 1.0, "large": 2.0, "first page": 8.0}


class Server:
    """The preview server as a child process; its output is kept to count finished builds."""

    def __init__(self, command: list[str], cwd: Path, port: int) -> None:
        self.lines: list[str] = []
        self.start = time.time()
        self.process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, env={**os.environ, "SPP_PORT": str(port)},
                                        start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.url = f"http://127.0.0.1:{port}"

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def builds(self) -> int:
        return sum("[preview] Rebuilt" in line or "build failed" in line for line in self.lines)

    def wait_for_builds(self, count: int, timeout: float = 300) -> None:
        deadline = time.time() + timeout
        while self.builds() < count:
            if self.process.poll() is not None or time.time() > deadline:
                raise SystemExit("the preview server stopped or hung:\n" + "\n".join(self.lines[-30:]))
            time.sleep(0.02)

    def wait_until_serving(self, path: str, timeout: float = 600) -> None:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/{path}", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None or time.time() > deadline:
                    raise SystemExit("the preview server did not start:\n" + "\n".join(self.lines[-30:])) from None
                time.sleep(0.02)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        LOG.parent.mkdir(exist_ok=True)
        LOG.write_text("\n".join(self.lines))


def edit_and_time(page, server: Server, file: Path, change, marker) -> tuple[float, float]:
    """Save a change, wait for the page to reload showing it; (rebuild s, reload s)."""
    builds = server.builds()
    saved = time.time()
    file.write_text(change, encoding="utf-8")
    deadline = saved + 120
    while True:  # polled from here: a wait inside the page ends with the page it waits in
        try:
            if page.evaluate("m => document.readyState === 'complete' && document.body.innerText.includes(m)", marker):
                break
        except Exception:  # noqa: BLE001 - the page was replaced while it was asked
            pass
        if time.time() > deadline:
            raise SystemExit(f"the change ({marker!r}) never showed:\n" + "\n".join(server.lines[-30:]))
        time.sleep(0.01)
    timing = page.evaluate("() => [performance.timeOrigin, performance.getEntriesByType('navigation')[0].loadEventEnd]")
    started, loaded = timing[0] / 1000, (timing[0] + timing[1]) / 1000
    server.wait_for_builds(builds + 1)
    time.sleep(1.5)  # the reader looks at the page; the next build process warms up meanwhile
    return started - saved, loaded - started


def measure_edits(server: Server, page, edits: list[tuple[str, Path, str, callable]]) -> dict:
    results = {}
    for name, file, path, variant in edits:
        original = file.read_text(encoding="utf-8")
        page.goto(f"{server.url}/{path}", wait_until="load")
        runs = []
        try:
            for i in range(1, 6):
                text, marker = variant(original, i)
                runs.append(edit_and_time(page, server, file, text, marker))
        finally:
            builds = server.builds()
            file.write_text(original, encoding="utf-8")
        server.wait_for_builds(builds + 1)
        time.sleep(1.5)
        rebuild = statistics.median(r[0] for r in runs)
        reload = statistics.median(r[1] for r in runs)
        total = statistics.median(r[0] + r[1] for r in runs)
        results[name] = {"rebuild": rebuild, "reload": reload, "total": total, "runs": runs}
    return results


def append(sentence: str):
    def variant(text: str, i: int) -> tuple[str, str]:
        marker = f"{sentence} {i}."
        return text.rstrip("\n") + f"\n\n{marker}\n", marker
    return variant


def replace(old: str, new: str, shown: str):
    """Replace ``old`` by ``new`` (with {i}); ``shown`` (with {i}) is what the page then shows."""
    def variant(text: str, i: int) -> tuple[str, str]:
        assert old in text, old
        return text.replace(old, new.format(i=i), 1), shown.format(i=i)
    return variant


def real_site(p) -> dict:
    port = free_port()
    command = ["bash", "tools/nox.sh", "-s", "serve"]
    warm = Server(command, ROOT, port)  # environments present: the session and the site's build
    warm.wait_until_serving("index.html")
    warm.stop()
    server = Server(command, ROOT, port)
    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_page()
    try:
        server.wait_until_serving("index.html")
        page.goto(f"{server.url}/index.html", wait_until="load")
        first = time.time() - server.start
        edits = [
            ("project page", ROOT / "projects" / "geomar.md", "projects/geomar.html",
             append("Preview check")),
            ("BibTeX file", ROOT / "bibliography" / "reliable-classification.bib",
             "projects/reliable-classification.html",
             replace("Unsupervised Adversarial", "Unsupervised Preview{i} Adversarial",
                     "Unsupervised Preview{i} Adversarial")),
            ("people registry", ROOT / "docs" / "data" / "people.yaml", "projects/geomar.html",
             replace("name: Leon Bungert", "name: Leon Preview{i} Bungert", "Leon Preview{i} Bungert")),
        ]
        results = measure_edits(server, page, edits)
    finally:
        browser.close()
        server.stop()
    return {"first page": first, "edits": results}


def large_site(p, n: int, m: int) -> dict:
    sys.path.insert(0, str(HERE))
    from generate import generate
    from run import default_workdir

    src = generate(default_workdir() / "preview", n, m)
    out = src / "_build"
    python = sys.executable  # the bench environment has the serve extra
    subprocess.run([python, "-m", "sphinx", "-q", "-b", "html", "-d", str(out / "doctrees"), str(src),
                    str(out / "html")], check=True, capture_output=True)
    port = free_port()
    server = Server([str(python), "-m", "spp_site.preview", "--port", str(port), "-d", str(out / "doctrees"),
                     str(src), str(out / "html")], src, port)
    browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_page()
    try:
        server.wait_until_serving("index.html")
        edits = [
            ("project page", src / "projects" / "project-000.md", "projects/project-000.html",
             append("Preview check")),
            ("BibTeX file", src / "bibliography" / "project-000.bib", "projects/project-000.html",
             replace("(entry00000)", "(entry00000, preview {i})", "(entry00000, preview {i})")),
            ("people registry", src / "docs" / "data" / "people.yaml", "projects/project-000.html",
             replace("Person0\n", "Person0 Preview{i}\n", "Person0 Preview{i}")),
        ]
        results = measure_edits(server, page, edits)
    finally:
        browser.close()
        server.stop()
    return {"edits": results}


def report(title: str, result: dict, target: float) -> None:
    print(f"\n{title}: save -> reloaded page in Chromium, median of 5 (target <= {target:.1f} s)\n")
    print("| edit | rebuild s | reload s | total s | target |")
    print("|---|---|---|---|---|")
    for name, r in result["edits"].items():
        verdict = "met" if r["total"] <= target else "MISSED"
        print(f"| {name} | {r['rebuild']:.2f} | {r['reload']:.2f} | {r['total']:.2f} | {verdict} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="also the synthetic site (200 projects, 10,000 entries)")
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--only-large", action="store_true", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        if opts.only_large:
            report("large", large_site(p, opts.projects, opts.entries), TARGETS["large"])
            return
        real = real_site(p)
        first = real["first page"]
        print(f"\nFirst page of `nox -s serve` (environments present): {first:.2f} s "
              f"(target <= {TARGETS['first page']:.0f} s: {'met' if first <= TARGETS['first page'] else 'MISSED'})")
        report("Real site", real, TARGETS["real"])
        if opts.large:
            large = large_site(p, opts.projects, opts.entries)
            report(f"{opts.projects} projects / {opts.entries} entries", large, TARGETS["large"])


if __name__ == "__main__":
    main()
