"""The theme's icon font, cut to the icons the site can show.

pydata-sphinx-theme draws its icons (theme switcher, search, menu, breadcrumbs, admonitions) with
the Font Awesome solid font: 115 KB on every first visit, for about twenty glyphs. At the start
of a build we read the installed theme (its CSS, templates and scripts) for the icons it can use,
cut the same font to those glyphs with fontTools, and declare the cut font under the theme's own
family name after the theme's stylesheet, so the browser loads it instead. The look is the
theme's own, and nothing of the theme is copied: an upgraded theme is read afresh.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sphinx.application import Sphinx

from .codeversion import CODE_VERSION

TEMPLATES = Path(__file__).parent.parent / "templates"
SOLID = "fa-solid-900.woff2"
# Icon classes in markup and the theme's own icon variables (admonitions, breadcrumbs, links).
ICON_CLASS = re.compile(r"\bfa-([a-z0-9-]+)")
ICON_RULE = re.compile(r"((?:\.fa-[a-z0-9-]+,?)+)\{--fa:\"\\([0-9a-f]+)\"")
ICON_VARIABLE = re.compile(r"--pst-(?:icon-[a-z-]+|breadcrumb-divider):\"\\([0-9a-f]+)\"")
SOLID_FACE = re.compile(r"@font-face\{[^}]*font-family:([^;}]+);[^}]*url\(([^)]*" + SOLID + r")\)[^}]*\}")


@dataclass(frozen=True)
class IconFont:
    family: str  # as the theme's CSS names it
    source: Path  # the theme's full font
    codepoints: tuple[int, ...]
    filename: str  # named by what it is cut from: a new cut gets a new address


@cache
def icon_font(theme_dir: Path) -> IconFont | None:
    """What the theme draws with its solid icon font; None if the theme no longer has one."""
    css_file = theme_dir / "static" / "styles" / "pydata-sphinx-theme.css"
    if not css_file.is_file():
        return None
    css = css_file.read_text(encoding="utf-8")
    face = SOLID_FACE.search(css)
    if face is None:
        return None
    used = set()
    for markup in [*theme_dir.rglob("*.html"), *(theme_dir / "static" / "scripts").glob("*.js"),
                   *theme_dir.parent.parent.glob("*.py"), *TEMPLATES.rglob("*.html")]:
        used |= set(ICON_CLASS.findall(markup.read_text(encoding="utf-8", errors="replace")))
    codepoints = {int(code, 16) for code in ICON_VARIABLE.findall(css)}
    for selectors, code in ICON_RULE.findall(css):
        if used & {name.removeprefix(".fa-") for name in selectors.rstrip(",").split(",")}:
            codepoints.add(int(code, 16))
    source = (css_file.parent / face.group(2).strip("'\"")).resolve()
    key = hashlib.sha1(source.read_bytes() + repr(sorted(codepoints)).encode() + CODE_VERSION.encode())
    return IconFont(family=face.group(1).strip(), source=source, codepoints=tuple(sorted(codepoints)),
                    filename=f"spp-icons-{key.hexdigest()[:12]}.woff2")


def _theme_dir(app: Sphinx) -> Path | None:
    theme = getattr(app.builder, "theme", None)
    for directory in theme.get_theme_dirs() if theme else ():
        if (Path(directory) / "static" / "styles" / "pydata-sphinx-theme.css").is_file():
            return Path(directory)
    return None


def font_face(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """html-page-context: the @font-face that puts the cut font in the theme's place."""
    directory = _theme_dir(app)
    font = icon_font(directory) if directory else None
    if font is not None:
        url = context["pathto"](f"_static/{font.filename}", 1)
        context["spp_icon_font"] = {"family": font.family, "url": url}


def write_icon_font(app: Sphinx, exception: BaseException | None) -> None:
    """build-finished: write the cut font once per theme and icon set; older cuts are removed
    so an incremental build leaves the same files as a clean one."""
    directory = _theme_dir(app)
    if exception is not None or app.builder.format != "html" or directory is None:
        return
    font = icon_font(directory)
    if font is None:
        return
    static = Path(app.outdir) / "_static"
    target = static / font.filename
    for old in static.glob("spp-icons-*.woff2"):
        if old != target:
            old.unlink()
    if not target.exists():
        target.write_bytes(subset(font))


def subset(font: IconFont) -> bytes:
    from fontTools import subset as fontsubset  # only when the font is (re)made
    from fontTools.ttLib import TTFont

    options = fontsubset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = []  # no names: the font is only ever used through CSS
    options.notdef_outline = False
    tt = TTFont(io.BytesIO(font.source.read_bytes()), recalcTimestamp=False)  # same bytes every build
    subsetter = fontsubset.Subsetter(options)
    subsetter.populate(unicodes=font.codepoints)
    subsetter.subset(tt)
    out = io.BytesIO()
    tt.flavor = "woff2"
    tt.save(out)
    return out.getvalue()
