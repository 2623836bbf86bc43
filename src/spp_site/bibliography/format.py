"""The house citation style, straight to HTML. One call per entry per change of that entry.

Every field is escaped: text from a .bib file is shown as text, never as markup.
``{root}`` stands for the relative path to the site root; it is filled in per page.
"""

from __future__ import annotations

import functools
import re
from html import escape

from pylatexenc.latex2text import LatexNodes2Text

from .model import Publication

ROOT = "\x00ROOT\x00"  # replaced with the page's path to the site root when written


_SUB = str.maketrans("0123456789+-=()aeijkmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₘₙₒₚᵣₛₜᵤᵥₓ")
_SUP = str.maketrans("0123456789+-=()dinpkT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵈⁱⁿᵖᵏᵀ")
_LATEX = LatexNodes2Text(math_mode="text")


@functools.lru_cache(maxsize=4096)  # titles repeat their symbols ($\ell_1$, $O(n)$)
def math_text(tex: str) -> str:
    """Inline TeX as plain Unicode ($\\ell_1$ -> ℓ₁). Publication lists carry no MathJax
    (over a megabyte per page); titles use little more than symbols and indices."""
    text = _LATEX.latex_to_text(tex)

    def script(match: re.Match, table: dict) -> str:
        body = match.group(1) or match.group(2)
        converted = body.translate(table)
        return converted if all(c != o for c, o in zip(converted, body, strict=True)) else match.group(0)

    text = re.sub(r"_(?:\{([^{}]+)\}|(\w))", lambda m: script(m, _SUB), text)
    return re.sub(r"\^(?:\{([^{}]+)\}|(\w))", lambda m: script(m, _SUP), text)


def _text_with_math(text: str) -> str:
    """Escape text; $...$ becomes Unicode in a span styled as math."""
    parts = re.split(r"(\$[^$]+\$)", text)
    out = []
    for part in parts:
        if len(part) > 2 and part.startswith("$") and part.endswith("$"):
            out.append(f'<span class="spp-math">{escape(math_text(part[1:-1]))}</span>')
        else:
            out.append(escape(part))
    return "".join(out)


def plain_text(text: str) -> str:
    """The text as a reader sees it (math converted), for search records and exports."""
    return re.sub(r"\$([^$]+)\$", lambda m: math_text(m.group(1)), text)


def author_list(pub: Publication) -> str:
    names = [a.display for a in pub.authors]
    if len(names) > 2:
        return ", ".join(names[:-1]) + ", and " + names[-1]
    return " and ".join(names)


# Fields a citation does not need: the abstract (shown above the box) and our project tags.
NOT_CITED = frozenset({"abstract", "projects"})
SPECIAL = re.compile(r'[{}",]')  # the only characters that decide where a field ends


def citation_bibtex(raw: str, drop: frozenset[str] = NOT_CITED) -> str:
    """The entry as written, without the fields in ``drop``: what a reader copies to cite it.
    Fields are split at the commas between them (outside braces and quotes)."""
    end = raw.rstrip().rfind("}")
    if end < 0:
        return raw
    body, tail = raw[:end], raw[end:]
    cuts, depth, quoted = [], 0, False
    for match in SPECIAL.finditer(body):
        i, char = match.start(), match.group()
        if char == "{" and not quoted:
            depth += 1
        elif char == "}" and not quoted:
            depth -= 1
        elif char == '"' and depth == 1:
            quoted = not quoted
        elif char == "," and depth == 1 and not quoted:
            cuts.append(i)
    parts = [body[a + 1 if a >= 0 else 0:b] for a, b in zip([-1, *cuts], [*cuts, len(body)], strict=True)]
    kept = [parts[0]] + [p for p in parts[1:] if p.split("=", 1)[0].strip().lower() not in drop]
    return ",".join(kept).rstrip().removesuffix(",") + "\n" + tail.lstrip()


def _link(href: str, label: str, title: str) -> str:
    return f'<a class="spp-pub-link" href="{escape(href)}" title="{escape(title)}">{label}</a>'


def render(pub: Publication, project_labels: dict[str, str]) -> str:
    """One publication as an <li>; ``project_labels`` maps slug -> short label."""
    links = []
    if pub.doi:
        links.append(_link(f"https://doi.org/{pub.doi}", "DOI", f"DOI {pub.doi}"))
    if pub.arxiv:
        links.append(_link(f"https://arxiv.org/abs/{pub.arxiv}", "arXiv", f"arXiv:{pub.arxiv}"))
    if pub.url:
        links.append(_link(pub.url, "URL", "Web page"))
    if pub.pdf:
        links.append(_link(pub.pdf, "PDF", "PDF"))
    if pub.code:
        links.append(_link(pub.code, "Code", "Source code"))
    badges = []
    for slug in pub.projects:
        label = escape(project_labels.get(slug, slug))
        if slug == "program":
            badges.append(f'<span class="sd-badge spp-badge-project">{label}</span>')
        else:
            badges.append(f'<a class="sd-badge spp-badge-project" href="{ROOT}/projects/{slug}.html">{label}</a>')
    venue = f' <span class="spp-pub-venue">{escape(pub.venue)}</span>,' if pub.venue else ""
    key = escape(pub.key)
    parts = [
        f'<li class="spp-pub" id="{key}" data-key="{key}" data-year="{pub.year}" '
        f'data-type="{escape(pub.type_label)}" data-projects="{escape(" ".join(pub.projects))}">',
        f'<span class="spp-pub-authors">{escape(author_list(pub))}</span>. ',
        f'<span class="spp-pub-title">{_text_with_math(pub.title)}</span>.',
        f'{venue} <span class="spp-pub-year">{pub.year}</span>.',
    ]
    if pub.note:
        parts.append(f' <span class="spp-pub-note">{escape(pub.note)}</span>')
    parts.append('<span class="spp-pub-meta">')
    parts.append(f'<span class="spp-pub-type">{escape(pub.type_label)}</span>')
    if links:
        parts.append(" " + " ".join(links))
    if badges:
        parts.append(' <span class="spp-pub-projects">' + " ".join(badges) + "</span>")
    parts.append(f' <a class="spp-pub-anchor" href="#{key}" title="Link to this entry">#</a>')
    parts.append("</span>")
    if pub.abstract:
        parts.append('<details class="spp-pub-abstract"><summary>Abstract</summary>'
                     f"<p>{_text_with_math(pub.abstract)}</p></details>")
    parts.append('<details class="spp-pub-bibtex"><summary>BibTeX</summary>'
                 f'<pre>{escape(citation_bibtex(pub.raw))}</pre></details>')
    parts.append("</li>")
    return "".join(parts)
