"""What content pages may do: a pull request's pages are built in CI and previewed, so no page
may run script, redirect its reader, or publish a file from outside the repository.

Every page is parsed with MyST's own Markdown parser and refused, with file and line, when it
holds raw HTML (a block or inline tag: MyST passes both through, and docutils' ``raw_enabled``
does not see them), a directive that reads or writes raw files (``raw``, ``include``,
``literalinclude``, a ``:file:`` or ``:url:`` option), an image, figure, download or link
to a file outside the repository, or a ``myst.html_meta`` entry with ``http-equiv`` (a meta
refresh sends readers elsewhere). The site's own directives make the HTML that pages need.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .errors import DataError, ErrorCode

MYST_EXTENSIONS = {"colon_fence", "deflist", "dollarmath", "attrs_inline", "fieldlist"}
FORBIDDEN_DIRECTIVES = {"raw", "include", "literalinclude"}
PATH_DIRECTIVES = {"image", "figure"}  # their argument is a file of the repository
FILE_OPTIONS = re.compile(r"^\s*:(file|url):", re.MULTILINE)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=MYST_EXTENSIONS), RendererHTML)


@dataclass(frozen=True)
class Citation:
    path: Path
    line: int | None
    role: str  # cite (our role, every .bib file) or cite:p, footcite:p ... (sphinxcontrib-bibtex)
    key: str


def check_page(path: Path, root: Path, text: str | None = None,
               citations: list[Citation] | None = None) -> list[DataError]:
    """The mistakes of one Markdown page (``root``: the repository, which files must stay in);
    the keys it cites are added to ``citations``, to be checked against the bibliography."""
    rel = path.relative_to(root) if path.is_relative_to(root) else path
    errors: list[DataError] = []
    cited = citations if citations is not None else []

    def add(line: int | None, code: ErrorCode, message: str, hint: str) -> None:
        errors.append(DataError(rel, line, code, message, hint))

    if text is None:
        text = path.read_text(encoding="utf-8-sig")
    for token in _parser().parse(text):
        line = token.map[0] + 1 if token.map else None
        if token.type == "front_matter":
            _check_front_matter(token.content, line or 1, add)
        elif token.type == "html_block":
            add(line, ErrorCode.page_raw_html, "raw HTML is not allowed in pages (it could run script)",
                "write it in Markdown; for what Markdown cannot say, ask for a directive")
        elif token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
            name, _, argument = token.info.strip()[1:].partition("}")
            name, argument = name.strip(), argument.strip()
            if name in FORBIDDEN_DIRECTIVES:
                add(line, ErrorCode.page_forbidden_directive, f"the directive '{name}' is not allowed in pages",
                    "it reads files or writes raw HTML; paste the text into the page instead")
            elif FILE_OPTIONS.search(token.content):
                add(line, ErrorCode.page_forbidden_directive, f"the directive '{name}' may not read a file or URL",
                    "write the content into the page")
            elif name in PATH_DIRECTIVES and argument:
                _check_path(argument, path, root, line, name, add)
        elif token.type == "inline":
            _check_inline(token, path, root, line, add,
                          lambda at, role, key: cited.append(Citation(rel, at, role, key)))
    return errors


def _check_inline(token, path: Path, root: Path, line: int | None, add, cite) -> None:
    at = line
    for child in token.children or ():
        if child.type in ("softbreak", "hardbreak") and at is not None:
            at += 1
        elif child.type == "html_inline" and not child.content.startswith(("<!--", "</")):  # one per tag
            add(at, ErrorCode.page_raw_html, f"raw HTML {child.content[:40]!r} is not allowed in pages",
                "write it in Markdown (a link is [text](address))")
        elif child.type == "image":
            _check_path(child.attrs.get("src", ""), path, root, at, "image", add)
        elif child.type == "link_open":
            _check_path(str(child.attrs.get("href", "")), path, root, at, "link", add)
        elif child.type == "myst_role" and child.meta.get("name") == "download":
            target = re.sub(r"^.*<([^>]*)>\s*$", r"\1", child.content)
            _check_path(target, path, root, at, "download", add)
        elif child.type == "myst_role" and str(child.meta.get("name", "")).startswith(("cite", "footcite")):
            for key in child.content.split(","):
                if key.strip():
                    cite(at, child.meta["name"], key.strip())


def _check_path(target: str, page: Path, root: Path, line: int | None, what: str, add) -> None:
    """A file a page refers to must lie inside the repository."""
    target = target.strip().split("#")[0]
    if not target or SCHEME.match(target) or target.startswith("//"):
        return
    base = root if target.startswith("/") else page.parent
    resolved = (base / target.lstrip("/")).resolve()
    if not resolved.is_relative_to(root.resolve()):
        add(line, ErrorCode.page_outside_file, f"the {what} '{target}' points outside the repository",
            "pages may only use files inside the repository; copy the file into docs/_static")


def _check_front_matter(content: str, line: int, add) -> None:
    try:
        data = yaml.load(content, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader (libyaml's when present)
    except yaml.YAMLError:
        return  # the page's loader reports malformed front matter with its line
    meta = (data.get("myst") or {}).get("html_meta") if isinstance(data, dict) else None
    meta = {**(meta if isinstance(meta, dict) else {}),
            **(data.get("html_meta") or {} if isinstance(data, dict) and isinstance(data.get("html_meta"), dict)
               else {})}
    for key in meta:
        if "http-equiv" in str(key).lower():
            add(line, ErrorCode.page_meta_refresh,
                f"html_meta '{key}' is not allowed (it can send readers to another site)",
                "use only description and keywords in html_meta")


def check_pages(root: Path, pages: Iterable[Path], citations: list[Citation],
                cache_file: Path | None = None) -> Iterator[DataError]:
    """Every page's mistakes and citations. With a ``cache_file``, a page whose text (and the
    extension's code) is unchanged since the last build is not parsed again."""
    from ..build.codeversion import CODE_VERSION

    cached = _read_cache(cache_file)
    fresh: dict[str, tuple[str, list, list]] = {}
    for page in sorted(pages):
        data = page.read_bytes()
        key = page.relative_to(root).as_posix() if page.is_relative_to(root) else str(page)
        stamp = hashlib.sha1(CODE_VERSION.encode() + data).hexdigest()
        if key in cached and cached[key][0] == stamp:
            errors, cites = cached[key][1], cached[key][2]
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                errors = [DataError(Path(key), text_line(data, exc.start), ErrorCode.file_not_utf8,
                                    f"the file is not UTF-8 text (byte {data[exc.start]:#x})",
                                    "save it as UTF-8 (in most editors: Save with encoding, UTF-8)")]
                cites = []
            else:
                cites = []
                errors = check_page(page, root, text, cites)
        fresh[key] = (stamp, errors, cites)
        citations.extend(cites)
        yield from errors
    if cache_file is not None and fresh != cached:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_bytes(pickle.dumps(fresh, protocol=pickle.HIGHEST_PROTOCOL))


def _read_cache(cache_file: Path | None) -> dict:
    try:
        return pickle.loads(cache_file.read_bytes()) if cache_file else {}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return {}


def text_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
