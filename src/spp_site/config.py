"""The site's settings, declared once (type, default, help), as myst-parser's MdParserConfig.

Each field becomes the ``conf.py`` setting ``spp_<name>``; the values are checked when Sphinx
reads the configuration, and the settings page is generated from this class
(``{spp-config-reference}``), so code, check and documentation cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

PREFIX = "spp_"


@dataclass(frozen=True)
class Imprint:
    """The legal notice (Impressum); shown on the imprint page, field by field, when given."""

    provider: str = field(default="", metadata={"label": "Provider (legal name of the responsible institution)"})
    address: str = field(default="", metadata={"label": "Postal address"})
    represented_by: str = field(default="", metadata={"label": "Represented by"})
    contact_email: str = field(default="", metadata={"label": "Contact e-mail"})
    responsible_for_content: str = field(default="", metadata={"label": "Responsible for the content (§ 18 (2) MStV)"})
    supervisory_authority: str = field(default="", metadata={"label": "Supervisory authority"})
    vat_id: str = field(default="", metadata={"label": "VAT identification number"})


@dataclass(frozen=True)
class PrivacyNotice:
    """The privacy notice's facts; shown on the privacy page when given."""

    controller: str = field(default="", metadata={"label": "Controller responsible for data processing"})
    data_protection_officer: str = field(default="", metadata={"label": "Data protection officer"})
    hosting: str = field(default="", metadata={"label": "Hosting"})


@dataclass(frozen=True)
class SiteConfig:
    """Settings of the spp_site extension (write them in conf.py as ``spp_<name> = ...``)."""

    data_dir: str = field(default="docs/data", metadata={
        "help": "Folder of the people and institutions registries (people.yaml, institutions.yaml)."})
    projects_dir: str = field(default="projects", metadata={
        "help": "Folder of the project pages; each page's front matter is the project's data."})
    bibliography_dir: str = field(default="bibliography", metadata={
        "help": "Folder of the BibTeX files: <project-slug>.bib per project, program.bib for the program."})
    news_dir: str = field(default="docs/news", metadata={
        "help": "Folder of the news items and events, one Markdown file each."})
    imprint: Imprint = field(default_factory=Imprint, metadata={
        "help": "The legal notice, as a dict of the fields of Imprint; an empty field is not shown."})
    privacy_notice: PrivacyNotice = field(default_factory=PrivacyNotice, metadata={
        "help": "The privacy notice's facts, as a dict of the fields of PrivacyNotice."})
    publish: bool = field(default=False, metadata={
        "help": "A publishing build (-D spp_publish=1; the deploy workflow sets it): every legal field of "
                "spp_imprint and spp_privacy_notice must be given, or the build stops with one message each."})
    fast_sidebar: bool = field(default=True, metadata={
        "help": "Build speed: move the sidebar's current-page marker by swapping two strings (identical HTML; "
                "0 builds with the theme's own code, as the reproducibility test does)."})

    @classmethod
    def from_sphinx(cls, config: Config) -> SiteConfig:
        return cls.from_settings({PREFIX + f.name: getattr(config, PREFIX + f.name) for f in fields(cls)})

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> SiteConfig:
        """The values of conf.py, checked: a wrong type or an unknown legal field is a config error.
        Settings not given keep their defaults."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            setting = PREFIX + f.name
            if setting not in settings:
                continue
            value = settings[setting]
            if f.name in SECTIONS:
                values[f.name] = _section(SECTIONS[f.name], value, setting)
            elif f.type == "bool" and isinstance(value, bool | int):
                values[f.name] = bool(value)
            elif f.type == "str" and isinstance(value, str) and value.strip():
                values[f.name] = value.strip()
            else:
                raise ConfigError(f"{setting} must be a {'non-empty ' * (f.type == 'str')}{f.type}, not {value!r}")
        return cls(**values)


SECTIONS = {"imprint": Imprint, "privacy_notice": PrivacyNotice}


def _section(kind: type, value: Any, setting: str):
    if not isinstance(value, dict):
        raise ConfigError(f"{setting} must be a dict of {', '.join(f.name for f in fields(kind))}")
    known = {f.name for f in fields(kind)}
    unknown = sorted(set(value) - known)
    if unknown:
        raise ConfigError(f"{setting} has unknown field(s) {', '.join(unknown)}; use {', '.join(sorted(known))}")
    return kind(**{k: str(v).strip() for k, v in value.items()})


def add_config_values(app: Sphinx) -> None:
    """Declare every field as ``spp_<name>`` (rebuild: env, so a changed folder re-reads pages)."""
    defaults = SiteConfig()
    for f in fields(SiteConfig):
        default = {} if f.name in SECTIONS else getattr(defaults, f.name)
        app.add_config_value(PREFIX + f.name, default, "html" if f.name in ("fast_sidebar", "publish") else "env",
                             types=[bool, int] if isinstance(default, bool) else [type(default)])


def check_settings(app: Sphinx, config: Config) -> None:
    """config-inited: the checked settings become the build's (``build_state(app).config``)."""
    from .state import build_state

    build_state(app).config = SiteConfig.from_sphinx(config)


def settings_reference() -> list[tuple[str, str, str, str]]:
    """(setting, type, default, help) for the generated settings page."""
    rows = []
    for f in fields(SiteConfig):
        if f.name in SECTIONS:
            rows.append((PREFIX + f.name, "dict", "{}", f.metadata["help"]))
            rows += [(f"{PREFIX}{f.name}['{sub.name}']", "str", '""', sub.metadata["label"])
                     for sub in fields(SECTIONS[f.name])]
        else:
            rows.append((PREFIX + f.name, str(f.type), repr(getattr(SiteConfig(), f.name)), f.metadata["help"]))
    return rows
