"""Posters and documents: files of the repository that pages offer for download.

A project's ``poster`` (a PDF) appears on its page and in the poster collection
(``{poster-collection}``) with a thumbnail of its first page, rendered at build time with
pypdfium2; a post's ``documents`` (slides, calls) are listed on the post with their type and
size. The loader has checked that every file exists inside the repository; the build copies
them to ``files/`` and makes thumbnails only when a file changed.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path, PurePosixPath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..content.links import doc_link, paragraph
from ..content.model import ProjectRecord
from ..state import SppDirective, build_state

FILES = "files"  # output folder of posters, thumbnails and documents
THUMB_WIDTH = 300  # pixels


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def file_type(path: str) -> str:
    return PurePosixPath(path).suffix.lstrip(".").upper() or "file"


def poster_paths(record: ProjectRecord) -> tuple[str, str]:
    """(PDF, thumbnail) in the output."""
    return f"{FILES}/posters/{record.slug}.pdf", f"{FILES}/posters/{record.slug}.png"


def document_path(slug: str, index: int, source: str) -> str:
    return f"{FILES}/posts/{slug}-{index + 1}{PurePosixPath(source).suffix.lower()}"


@cache
def _thumbnail_height(pdf: Path, digest: str) -> int:
    """The thumbnail's height, so the page reserves its space before the image arrives."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    return round(THUMB_WIDTH * height / width)


def _poster_html(app: Sphinx, docname: str, record: ProjectRecord) -> str:
    pdf, thumb = (relative_uri(docname + ".html", p) for p in poster_paths(record))
    size, digest = record.poster_file or (0, "")
    height = _thumbnail_height(Path(app.srcdir) / (record.data.poster or ""), digest)
    title = escape(record.data.title)
    return (f'<figure class="spp-poster">'
            f'<a href="{pdf}"><img src="{thumb}" width="{THUMB_WIDTH}" height="{height}" loading="lazy" '
            f'alt="First page of the poster of {title}"></a>'
            f'<figcaption><a href="{pdf}" download>Download the poster (PDF, {human_size(size)})</a>'
            "</figcaption></figure>")


class PosterCollection(SppDirective):
    """Every project poster, as a section with a grid of thumbnails, project and download link;
    nothing at all while there are none (the page then shows only its guidelines)."""

    def render(self) -> list[nodes.Node]:
        records = [r for r in self.program.sorted_projects() if r.data.poster]
        if not records:
            return []
        section = nodes.section(ids=["posters"])
        section += nodes.title("", "Posters")
        grid = nodes.container(classes=["spp-poster-grid"])
        for record in records:
            card = nodes.container(classes=["spp-poster-card"])
            card += paragraph(doc_link(self.env, record.docname, record.data.title), classes=["spp-card-title"])
            card += nodes.raw("", _poster_html(self.env.app, self.env.docname, record), format="html")
            grid += card
        section += paragraph(nodes.Text(f"{len(records)} poster{'s' if len(records) != 1 else ''}."))
        section += grid
        return [section]


def add_poster(app: Sphinx, record: ProjectRecord, section: nodes.section) -> None:
    """spp-project-page: the project's poster, when it has one."""
    if not record.data.poster:
        return
    sub = nodes.section(ids=["poster"])
    sub += nodes.title("", "Poster")
    sub += nodes.raw("", _poster_html(app, app.env.docname, record), format="html")
    section += sub


def document_list(docname: str, record) -> nodes.Node:
    """The documents of a post, each with its type and size."""
    items = []
    for i, (doc, (size, _)) in enumerate(zip(record.post.documents, record.document_files, strict=True)):
        href = relative_uri(docname + ".html", document_path(record.slug, i, doc.file))
        items.append(f'<li><a href="{escape(href)}" download>{escape(doc.title)}</a> '
                     f'({file_type(doc.file)}, {human_size(size)})</li>')
    return nodes.raw("", f'<ul class="spp-documents">{"".join(items)}</ul>', format="html")


def write_files(app: Sphinx, exception) -> None:
    """build-finished: copy posters and documents to files/ and render the thumbnails, each only
    when its file changed; files no longer named are removed."""
    if exception is not None or app.builder.format != "html":
        return
    state = build_state(app)
    root, out = Path(app.srcdir), Path(app.outdir)
    wanted: dict[str, tuple[str, str]] = {}  # output path -> (source, digest)
    for record in state.loaded_program.projects.values():
        if record.data.poster and record.poster_file:
            pdf, thumb = poster_paths(record)
            wanted[pdf] = (record.data.poster, record.poster_file[1])
            wanted[thumb] = (record.data.poster, record.poster_file[1] + ":thumb")
    for post in state.posts:
        for i, (doc, (_size, digest)) in enumerate(zip(post.post.documents, post.document_files, strict=True)):
            wanted[document_path(post.slug, i, doc.file)] = (doc.file, digest)
    stamp_file = Path(app.doctreedir) / "spp-files.json"
    previous = json.loads(stamp_file.read_text()) if stamp_file.exists() else {}
    for target, (source, digest) in wanted.items():
        dest = out / target
        if previous.get(target) == digest and dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if digest.endswith(":thumb"):
            _thumbnail(root / source, dest)
        else:
            dest.write_bytes((root / source).read_bytes())
    for target in set(previous) - set(wanted):
        (out / target).unlink(missing_ok=True)
    stamp_file.write_text(json.dumps({t: d for t, (_, d) in wanted.items()}, sort_keys=True))


def _thumbnail(pdf: Path, dest: Path) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[0]
        image = page.render(scale=THUMB_WIDTH / page.get_width()).to_pil()
        image.save(dest, format="PNG", optimize=True)
    finally:
        document.close()
