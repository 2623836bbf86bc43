"""Live preview (``nox -s serve``): save a file, and the open page reloads with the change.

sphinx-autobuild's pieces (its file watcher, server and reload script) with one change: each
rebuild runs in a process that has already imported Sphinx, the theme and this extension while
the reader was still editing, instead of a fresh ``python -m sphinx`` that spends half a second
importing before it reads a single file. After each build the next such process is started.
A change to the extension's own code discards the waiting process, so a rebuild never runs
old code. The search indexes and downloads are brought up to date after the browser was told
to reload (build/forking.py, ``after_reload``), and before the next build starts.

    python -m spp_site.preview [--port 8000] [--host 127.0.0.1] SOURCEDIR OUTDIR [sphinx options]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .loading import NEVER_PAGES

PACKAGE = Path(__file__).resolve().parent
# What a rebuild needs, imported by the waiting process (conf.py's extensions and ours).
WARM_MODULES = ("sphinx.cmd.build", "sphinx.builders.html", "myst_parser", "sphinx_design",
                "sphinxcontrib.bibtex", "pydata_sphinx_theme", "sphinxext.opengraph",
                "spp_site", "spp_site.loading", "spp_site.bibliography.pages", "spp_site.search")
# Top-level folders that hold no input of the site.
NOT_WATCHED = {*NEVER_PAGES, "tests", "tools", "src", ".github", ".pytest_cache", ".ruff_cache"}


def _wait_then_build(conn, sphinx_args: list[str], modules: list[str]) -> None:
    """In the waiting process: import what the last build imported, wait for the word, build,
    send back the exit code and the modules this build imported."""
    for name in modules:
        with contextlib.suppress(Exception):  # a module that only imports inside its package's context
            importlib.import_module(name)
    doctrees = next((Path(sphinx_args[i + 1]) for i, a in enumerate(sphinx_args[:-1]) if a == "-d"), None)
    if doctrees is not None:  # the parsed BibTeX files, checked against the files when used
        from .bibliography.loader import ParseCache

        ParseCache.read_ahead(doctrees / "spp-bib-cache")
    gc.collect()
    gc.freeze()  # what is loaded so far stays: the build's own collections never scan it
    if conn.recv() != "build":
        return
    from sphinx.cmd.build import build_main

    from .build import forking

    forking.after_reload = []
    status = build_main(sphinx_args)
    conn.send((status, sorted(name for name in sys.modules if not name.startswith("__"))))
    os.nice(10)  # the browser's reload and the next waiting process go first
    for work in forking.after_reload:  # the pages are shown; now the search indexes and downloads
        try:
            work()
        except Exception as error:  # noqa: BLE001 - said in one line, as the build's own errors
            print(f"[preview] The search index or downloads were not updated: {error}", file=sys.stderr, flush=True)
            sys.exit(1)


class WarmBuilder:
    """Runs each build in a process that was started, and imported everything, beforehand."""

    def __init__(self, sphinx_args: list[str], url: str) -> None:
        self.sphinx_args = sphinx_args
        self.url = url
        self._spawn = multiprocessing.get_context("spawn")  # a clean process: no threads, no server
        self._modules = list(WARM_MODULES)  # then what the last build imported
        self._next = self._start()
        self._finishing = None  # the last build's process, finishing its work after the reload

    def _start(self):
        parent, child = self._spawn.Pipe()
        process = self._spawn.Process(target=_wait_then_build, args=(child, self.sphinx_args, self._modules),
                                      name="spp-preview-build")  # not a daemon: the build forks
        process.start()
        return process, parent

    def __call__(self, *, changed_paths: Sequence[Path] = ()) -> None:
        if any(PACKAGE in path.parents for path in changed_paths):
            self.discard_waiting()  # it imported the code before this change
        names = ", ".join(str(p.name) for p in changed_paths[:5])
        print(f"[preview] {'Changed: ' + names + '; rebuilding' if names else 'Building'}...", flush=True)
        start = time.perf_counter()
        if self._finishing is not None:  # one build at a time writes the output folder
            self._finishing.join()
        process, conn = self._next
        conn.send("build")
        try:
            status, self._modules = conn.recv()
        except EOFError:  # the build process died (a crash prints its own traceback)
            status = 1
        self._finishing = process
        self._next = self._start()  # warms up while the reader looks at the result
        seconds = time.perf_counter() - start
        if status:
            print(f"[preview] The build failed (see above); still serving the last good pages at {self.url}",
                  flush=True)
        else:
            print(f"[preview] Rebuilt in {seconds:.2f} s; serving {self.url}", flush=True)

    def discard_waiting(self) -> None:
        process, _ = self._next
        process.kill()
        process.join()
        self._next = self._start()

    def close(self) -> None:
        process, _ = self._next
        process.kill()
        if self._finishing is not None:
            self._finishing.join(10)


def watched_paths(source: Path) -> list[Path]:
    """The site's inputs: the source folder's files and folders but tools' ones, and this package
    (for editing the extension). Watching only these keeps the watcher off .nox/ and
    node_modules/ (tens of thousands of folders)."""
    paths = [p for p in sorted(source.iterdir()) if p.name not in NOT_WATCHED and not p.name.startswith(".")]
    return [*paths, PACKAGE]


def main(argv: list[str] | None = None) -> None:
    import uvicorn
    import watchfiles
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from sphinx_autobuild.server import RebuildServer
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    parser = argparse.ArgumentParser(prog="python -m spp_site.preview", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args, sphinx_args = parser.parse_known_args(argv)
    positional = [a for a in sphinx_args if not a.startswith("-")]
    if len(positional) < 2:
        parser.error("give the source and output folders, as to sphinx-build")
    source, out = Path(positional[-2]).resolve(), Path(positional[-1]).resolve()
    url = f"http://{args.host}:{args.port}"

    class WarmRebuildServer(RebuildServer):
        async def watch(self) -> None:
            # As sphinx-autobuild's, but the build runs in a thread that hands it to the waiting
            # process (sphinx-autobuild starts a process pool per change for it).
            async for changes in watchfiles.awatch(*self.paths, watch_filter=lambda _, p: not self.ignore(p)):
                await asyncio.to_thread(self.change_callback, changed_paths=[Path(p).resolve() for _, p in changes])
                self.flag.set()

    builder = WarmBuilder(sphinx_args, url)
    builder()  # the first build, before serving
    ignore = IgnoreFilter([str(out), str(source / "_build")], [r"__pycache__", r"\.pyc$", r"~$", r"\.sw.$"])
    watcher = WarmRebuildServer(watched_paths(source), ignore, change_callback=builder)
    app = Starlette(routes=[WebSocketRoute("/websocket-reload", watcher, name="reload"),
                            Mount("/", app=StaticFiles(directory=out, html=True), name="static")],
                    middleware=[Middleware(JavascriptInjectorMiddleware, ws_url=f"{args.host}:{args.port}")],
                    lifespan=watcher.lifespan)
    print(f"[preview] Serving {url} (Ctrl+C stops)", flush=True)
    try:
        # An open page's reload socket would otherwise keep Ctrl+C waiting.
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=1)
    finally:
        builder.close()


if __name__ == "__main__":
    sys.exit(main())
