"""Shared fixtures: the real site built once per session, and copies of it to break."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import warm

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["conf.py", "index.md", "docs", "projects", "bibliography"]


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


@pytest.fixture(scope="session", autouse=True)
def no_process_outlives_the_tests():
    """Servers, browsers and builds a failed test left running would hold CI's output open (CI
    then waits for them until its limit). This process adopts orphaned descendants (Linux
    "subreaper") and ends whatever is left once every other fixture is torn down."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    yield
    for pid in _descendants(os.getpid()):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def sphinx_build(src: Path, out: Path, *extra: str, hash_seed: str | None = None) -> subprocess.CompletedProcess:
    """Build like `nox -s docs` does (warnings are errors). With ``hash_seed``, in a fresh
    process with that PYTHONHASHSEED (a forked one keeps the fork server's)."""
    cmd = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-n", "-q", "--no-color", "-b", "html",
           "-d", str(Path(out).parent / "doctrees"), *extra, str(src), str(out)]
    if hash_seed is not None:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=src,
                              env={**os.environ, "PYTHONHASHSEED": hash_seed})
    return warm.run(cmd, capture_output=True, text=True, cwd=src)


def copy_site(dest: Path) -> Path:
    """A private copy of the site's sources, for tests that change them."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


def shared_folder(tmp_path_factory, request) -> Path:
    """A folder of this test run that all xdist workers see (each has its own base folder)."""
    in_worker = hasattr(request.config, "workerinput")
    return tmp_path_factory.getbasetemp().parent if in_worker else tmp_path_factory.getbasetemp()


@pytest.fixture(scope="session", autouse=True)
def shared_template_cache(tmp_path_factory, request):
    """Every build of the run keeps its compiled templates in one folder (build/theme.py): a
    clean build then skips compiling the theme's templates, 0.2 s of a small site's 1.2 s."""
    os.environ["SPP_TEMPLATE_CACHE"] = str(shared_folder(tmp_path_factory, request) / "templates")
    yield
    os.environ.pop("SPP_TEMPLATE_CACHE", None)


def built_once(tmp_path_factory, request, name: str, make_sources) -> Path:
    """The site ``make_sources(folder)`` writes, built once for all xdist workers: the first
    builds it under a lock, the others wait for it and read the same files. Its HTML folder."""
    import fcntl

    shared = shared_folder(tmp_path_factory, request)
    src, built = shared / name / "src", shared / name / "built"
    out = src / "_build" / "html"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            shutil.rmtree(src, ignore_errors=True)  # a failed attempt's copy
            make_sources(src)
            result = sphinx_build(src, out)
            assert result.returncode == 0, result.stderr
            assert result.stderr.strip() == "", f"build printed warnings:\n{result.stderr}"
            built.touch()
    return out


@pytest.fixture(scope="session")
def site(tmp_path_factory, request) -> Path:
    """The real site, built once from a copy of the repository's sources."""
    return built_once(tmp_path_factory, request, "site", copy_site)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory, request) -> Path:
    """The real site with script-like text in every free-text field (tests/hostile.py)."""
    import hostile

    return built_once(tmp_path_factory, request, "hostile", lambda src: hostile.make_corpus(copy_site(src)))


SMALL = Path(__file__).parent / "sites" / "small"


def copy_small_site(dest: Path) -> Path:
    """A copy of the purpose-built small site (tests/sites/small)."""
    shutil.copytree(SMALL, dest, ignore=shutil.ignore_patterns("_build"))
    return dest


@pytest.fixture(scope="session")
def small_site(tmp_path_factory) -> Path:
    """tests/sites/small, built once: behaviour tests read it, so real content can change freely."""
    src = copy_small_site(tmp_path_factory.mktemp("small") / "site")
    out = src / "_build" / "html"
    result = sphinx_build(src, out)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
    return out


@pytest.fixture
def site_copy(tmp_path) -> Path:
    return copy_site(tmp_path)


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` once in a file; an empty ``old`` appends ``new``."""
    text = read(path) if path.exists() else ""
    if old:
        assert old in text, f"{old!r} not in {path}"
        text = text.replace(old, new, 1)
    else:
        text += new
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright (never a downloaded browser)."""
    from browser import ARGS, CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run tools/install-system-deps.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def base_url(site):
    """The built site served on a free loopback port."""
    from browser import serve

    with serve(site) as url:
        yield url
