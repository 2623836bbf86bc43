"""Imprint and privacy pages, from the ``spp_imprint`` and ``spp_privacy_notice`` settings.

Legal data is never invented: a field that is not given is not shown, and the build reports it.
"""

from __future__ import annotations

import sys
from dataclasses import fields
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..config import SECTIONS
from ..content.errors import DataError, ErrorCode
from ..content.links import paragraph
from ..loading import report
from ..state import SppDirective, build_state

logger = logging.getLogger(__name__)


def missing_fields(app: Sphinx, section: str) -> list[str]:
    values = getattr(build_state(app).config, section)
    return [f.name for f in fields(values) if not getattr(values, f.name)]


class LegalFields(SppDirective):
    """The given fields of one section of the legal settings: ``imprint`` or ``privacy_notice``."""

    required_arguments = 1

    def render(self) -> list[nodes.Node]:
        section = self.arguments[0]
        if section not in SECTIONS:
            raise self.error(f"unknown section {section!r}; use one of {', '.join(SECTIONS)}")
        values = getattr(self.build.config, section)
        out = nodes.field_list(classes=["spp-legal"])
        for f in fields(values):
            value = getattr(values, f.name)
            if value:
                body = [paragraph(nodes.Text(line)) for line in value.splitlines()]
                out += nodes.field("", nodes.field_name("", f.metadata["label"]), nodes.field_body("", *body))
        return [out] if len(out) else []


def report_missing_legal_fields(app: Sphinx) -> None:
    """builder-inited: say which legal fields conf.py lacks; a publishing build stops on them
    (one message each), an ordinary one only reports them. Never invent legal data."""
    conf = Path(app.confdir) / "conf.py"
    lines = conf.read_text(encoding="utf-8").splitlines() if conf.exists() else []
    errors = []
    for section in SECTIONS:
        missing = missing_fields(app, section)
        if missing and not build_state(app).config.publish:
            logger.info(f"[spp.legal.missing_field] conf.py spp_{section} lacks: {', '.join(missing)}")
        line = next((i for i, text in enumerate(lines, 1) if text.startswith(f"spp_{section}")), None)
        errors += [DataError(Path("conf.py"), line, ErrorCode.legal_missing_field,
                             f"the publishing build needs spp_{section}['{name}']",
                             "ask the coordination office for it; never fill it in with a guess")
                   for name in missing]
    if errors and build_state(app).config.publish:
        print(report(errors), file=sys.stderr, flush=True)
        raise SystemExit(1)
