"""The live preview (``nox -s serve``): a saved edit reloads the open page with the change and
then reaches the site search; a mistake is reported in the terminal, the last good pages stay
served, and fixing it recovers."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

from browser import free_port
from conftest import copy_small_site, replace_in
from playwright.sync_api import expect


def wait_for(condition, what: str, output: list[str], timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError(f"{what} did not happen; server said:\n" + "\n".join(output[-40:]))
        time.sleep(0.05)


def shows(page, text: str, output: list[str]) -> None:
    """The open page shows ``text`` within a minute (Playwright retries across the reload)."""
    try:
        expect(page.locator("body")).to_contain_text(text, timeout=60_000)
    except AssertionError as error:
        raise AssertionError(f"{error}\nserver said:\n" + "\n".join(output[-40:])) from None


def finds(context, url: str, title: str) -> bool:
    """The site search at ``url`` lists a result titled ``title``."""
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function("document.documentElement.dataset.sppQuery")
        return title in page.inner_text("#spp-site-results")
    finally:
        page.close()


def test_a_saved_edit_reloads_the_page_and_a_mistake_is_reported_then_recovered(tmp_path, chromium):
    site = copy_small_site(tmp_path / "site")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "spp_site.preview", "--port", str(port), "-d", str(site / "_build" / "doctrees"),
         str(site), str(site / "_build" / "html")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    output: list[str] = []
    threading.Thread(target=lambda: output.extend(line.rstrip() for line in server.stdout), daemon=True).start()
    url = f"http://127.0.0.1:{port}/projects/stated-project.html"

    def serving() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return True
        except OSError:
            return False

    context = chromium.new_context()
    try:
        wait_for(serving, "serving the first build", output, timeout=120)
        page = context.new_page()
        page.goto(url)
        project = site / "projects" / "stated-project.md"
        replace_in(project, "", "\nA quokka sentence saved while the page was open.\n")
        shows(page, "A quokka sentence saved while the page was open.", output)
        # The search index is brought up to date after the reload (build/forking.py).
        wait_for(lambda: finds(context, f"http://127.0.0.1:{port}/search.html?q=quokka", "Facts Are Stated"),
                 "the search finding the saved sentence", output, timeout=30)

        builds = sum("[preview] Rebuilt" in line for line in output)
        replace_in(project, "end: 2027", "end: 20x7")  # a mistake in the front matter
        wait_for(lambda: any("build failed" in line for line in output), "the failed build", output)
        assert any("projects/stated-project.md:" in line for line in output)  # file and line, in plain words
        assert not any("Traceback" in line for line in output)
        assert serving()  # the last good pages are still there
        replace_in(project, "end: 20x7", "end: 2027")
        wait_for(lambda: sum("[preview] Rebuilt" in line for line in output) > builds, "the recovery", output)
    finally:
        server.terminate()
        try:
            server.wait(20)
        finally:  # the server and its build process, whatever state a failure left them in
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            context.close()
