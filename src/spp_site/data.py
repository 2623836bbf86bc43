"""Load the program data once per build and keep pages in step with it."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from .loader import load_program
from .model import Program

logger = logging.getLogger(__name__)


def get_program(env: BuildEnvironment) -> Program:
    """The validated program model of this build (directives read it, never the files)."""
    return env.app.spp_program  # type: ignore[attr-defined]


def paths(app: Sphinx) -> tuple[Path, Path, Path]:
    root = Path(app.srcdir)
    return root, root / app.config.spp_data_dir, root / app.config.spp_projects_dir


def _load(app: Sphinx) -> None:
    root, data_dir, projects_dir = paths(app)
    app.spp_program = load_program(data_dir, projects_dir, root)  # type: ignore[attr-defined]


def _outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Pages generated from the data must be re-read when the data changed."""
    program = get_program(env)
    previous = getattr(env, "spp_fingerprint", None)
    env.spp_fingerprint = program.fingerprint  # type: ignore[attr-defined]
    if previous == program.fingerprint:
        return []
    users = getattr(env, "spp_data_users", set())
    return sorted(d for d in users if d in env.all_docs)


def note_data_user(env: BuildEnvironment) -> None:
    """Record that the current page shows program data (so data edits re-read it)."""
    if not hasattr(env, "spp_data_users"):
        env.spp_data_users = set()  # type: ignore[attr-defined]
    env.spp_data_users.add(env.docname)  # type: ignore[attr-defined]


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "spp_data_users", set()).discard(docname)


def _merge(app, env, docnames, other) -> None:
    users = getattr(other, "spp_data_users", set())
    env.spp_data_users = getattr(env, "spp_data_users", set()) | (users & set(docnames))


def setup_data(app: Sphinx) -> None:
    app.add_config_value("spp_data_dir", "docs/data", "env", types=[str])
    app.add_config_value("spp_projects_dir", "projects", "env", types=[str])
    app.connect("builder-inited", _load, priority=100)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
