"""Headless Chromium (Debian's package) serving the built site on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import re
import socket
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
# axe-core options: the WCAG 2.1 A and AA rules; only violations are sent back (the passes of a
# page are most of the reply, and nothing reads them).
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"]}
# Requests to anything but the test server: stopped, and recorded by PageWatch. Matched in the
# browser driver, so the site's own requests never make a round trip through Python.
FOREIGN = re.compile(r"^(?!http://127\.0\.0\.1[:/]|data:|blob:)")


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(directory: Path, *, gzip: bool = False):
    """Serve a folder on a free loopback port; yields the base URL. With ``gzip``, text is sent
    compressed when the browser asks for it, as GitHub Pages and any CDN send it."""
    handler = functools.partial(_GzipHandler if gzip else _QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # any free port
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Keep-alive without Nagle's delay, as a production server: reconnecting per file (HTTP/1.0)
    # made ten small search fragments cost 20-30 ms here.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):  # keep test output readable
        pass


class _GzipHandler(_QuietHandler):
    TEXT = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics"}

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in self.TEXT or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PageWatch:
    """Records what a page does that it must not: foreign requests, console errors, dialogs."""

    def __init__(self, page):
        self.foreign: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("dialog", self._dialog)
        page.on("response", lambda r: r.status >= 400 and self.console_errors.append(f"{r.status} {r.url}"))
        page.route(FOREIGN, self._stop)

    def _stop(self, route):
        self.foreign.append(route.request.url)
        route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()
