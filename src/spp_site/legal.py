"""Imprint and privacy pages, filled from the ``spp_site`` configuration section.

Legal data is never invented: an empty field is reported at build time and shown
on the page as not yet provided.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .links import paragraph

logger = logging.getLogger(__name__)

FIELDS = {
    "imprint": {
        "provider": "Provider (legal name of the responsible institution)",
        "address": "Postal address",
        "represented_by": "Represented by",
        "contact_email": "Contact e-mail",
        "responsible_for_content": "Responsible for the content (§ 18 (2) MStV)",
        "supervisory_authority": "Supervisory authority",
        "vat_id": "VAT identification number",
    },
    "privacy": {
        "controller": "Controller responsible for data processing",
        "data_protection_officer": "Data protection officer",
        "hosting": "Hosting",
    },
}


def missing_fields(config: dict, section: str) -> list[str]:
    values = config.get(section, {})
    return [key for key in FIELDS[section] if not str(values.get(key, "")).strip()]


class LegalFields(SphinxDirective):
    """Render one section (``imprint`` or ``privacy``) of the site configuration."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        section = self.arguments[0]
        if section not in FIELDS:
            raise self.error(f"unknown section {section!r}; use 'imprint' or 'privacy'")
        values = self.config.spp_site.get(section, {})
        fields = nodes.field_list(classes=["spp-legal"])
        for key, label in FIELDS[section].items():
            value = str(values.get(key, "")).strip()
            if value:
                body = [paragraph(nodes.Text(line)) for line in value.splitlines()]
            else:
                body = [paragraph(nodes.emphasis("", "not yet provided"), classes=["spp-missing"])]
            fields += nodes.field("", nodes.field_name("", label), nodes.field_body("", *body))
        return [fields]


def _report_missing(app: Sphinx) -> None:
    for section in FIELDS:
        missing = missing_fields(app.config.spp_site, section)
        if missing:
            # Reported, not fatal: the program has not yet supplied this data, and
            # inventing it would be worse than showing the gap.
            logger.info(f"[spp.legal.missing] conf.py spp_site['{section}'] lacks: {', '.join(missing)}")


def setup_legal(app: Sphinx) -> None:
    app.add_config_value("spp_site", {}, "env", types=[dict])
    app.add_directive("legal-fields", LegalFields)
    app.connect("builder-inited", _report_missing)
