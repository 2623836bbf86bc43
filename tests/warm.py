"""``python -m <module>`` runs for the tests, without paying Python's imports every time.

The suite runs the site's commands (sphinx builds, validate, intake, report, ...) a few hundred
times, as a user would: a fresh process each. Half of a small build is importing Sphinx and the
libraries around it. Here each run is a process forked from one that has imported those
libraries once (multiprocessing's fork server), with the command's own arguments,
environment (PYTHONPATH included), working folder, output and exit code. This package is never
imported beforehand, so tests that build with a copy of it (PYTHONPATH) get that copy.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

# Third-party modules every build or command imports (never spp_site: see above).
PRELOAD = ["sphinx.cmd.build", "sphinx.application", "sphinx.builders.html", "docutils.parsers.rst",
           "myst_parser.parsers.sphinx_", "sphinx_design", "sphinxcontrib.bibtex", "pydata_sphinx_theme",
           "sphinxext.opengraph", "pybtex.database", "pydantic", "yaml", "pylatexenc.latex2text", "feedgen.feed",
           "icalendar", "markdown_it", "bs4", "jinja2", "pygments.lexers", "warm_imports"]
_context = None


def _fork_server():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def _child(module: str, args: list[str], env: dict[str, str], cwd: str, out: str, err: str, status: str) -> None:
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.path[:0] = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY)
        os.dup2(target, fd)
        os.close(target)
    code = 0
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
            code = 1
        else:
            code = stop.code or 0
    except BaseException:  # noqa: BLE001 - as the interpreter would: traceback, exit status 1
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    Path(status).write_text(str(code))
    os._exit(code)


def run(cmd: list[str], *, cwd: str | Path | None = None, env: dict[str, str] | None = None,
        capture_output: bool = True, text: bool = True, **rest) -> subprocess.CompletedProcess:
    """As ``subprocess.run(cmd, capture_output=True, text=True, ...)``."""
    if (len(cmd) < 3 or cmd[0] != sys.executable or cmd[1] != "-m" or rest or not capture_output or not text
            or "forkserver" not in multiprocessing.get_all_start_methods()):
        return subprocess.run(cmd, cwd=cwd, env=env, capture_output=capture_output, text=text, **rest)
    with tempfile.TemporaryDirectory() as tmp:
        out, err, status = Path(tmp) / "out", Path(tmp) / "err", Path(tmp) / "status"
        out.touch()
        err.touch()
        process = _fork_server().Process(target=_child, args=(
            cmd[2], [str(a) for a in cmd[3:]], dict(os.environ if env is None else env),
            str(cwd or os.getcwd()), str(out), str(err), str(status)))
        process.start()
        process.join()
        stdout, stderr = out.read_text(errors="replace"), err.read_text(errors="replace")
        # The exit code as the command wrote it: multiprocessing's own can read 255 when
        # another thread starts a process meanwhile (its start() polls every child's status
        # pipe, and the two readers race for the one message).
        code = int(status.read_text()) if status.exists() else process.exitcode  # none: it was killed
    return subprocess.CompletedProcess(cmd, code, stdout, stderr)
