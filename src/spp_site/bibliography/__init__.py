"""Publications: per-project BibTeX files -> validated entries -> lists, pages and downloads."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx


def _configure_bibtex(app: Sphinx, config) -> None:
    """Point sphinxcontrib-bibtex (used for {cite} in prose) at all of our .bib files."""
    bib_dir = Path(app.confdir) / config.spp_bibliography_dir
    if not config.bibtex_bibfiles:
        config.bibtex_bibfiles = sorted(
            p.relative_to(app.confdir).as_posix() for p in bib_dir.glob("*.bib")
        )


def setup_bibliography(app: Sphinx) -> None:
    app.add_config_value("spp_bibliography_dir", "bibliography", "env", types=[str])
    app.connect("config-inited", _configure_bibtex, priority=400)
