"""News items and events: dated posts in ``docs/news/``, read into validated records.

"Now" is the build date, taken from SOURCE_DATE_EPOCH when set, so builds (and tests)
that fix it get the same upcoming/past split.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

from .errors import ErrorCode, ErrorCollector
from .loader import _schema_errors, add_yaml_error, read_text_file, repo_file
from .yamlsource import LineDict, YamlSyntaxError, line_of, load_yaml, split_front_matter


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    url: HttpUrl


class Document(BaseModel):
    """A file that belongs to a post (slides, a call), kept in the repository."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    file: str = Field(min_length=1, description="Path from the repository's top folder, e.g. docs/_static/slides/x.pdf")


class Post(BaseModel):
    """Front matter of a news item or event.

    ``date`` is the post's own date. An event's ``start``/``end`` are the days it takes place,
    set only where a source states them; without them the event is shown as announced on ``date``
    and left out of calendar files.
    """

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    date: dt.date
    kind: Literal["news", "event"]
    start: dt.date | None = None
    end: dt.date | None = None
    place: str | None = None
    online: bool = False
    tags: list[str] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    summary: str | None = None
    sources: list[str] = Field(default_factory=list)
    myst: dict | None = None

    @property
    def first_day(self) -> dt.date:
        return self.start or self.date

    @property
    def last_day(self) -> dt.date:
        return self.end or self.first_day


class PostRecord(BaseModel):
    docname: str
    slug: str
    post: Post
    body_text: str
    document_files: list[tuple[int, str]] = Field(default_factory=list)  # (size, digest) per document


def build_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


# Files the site makes from posts: events/<slug>.ics beside events/events.ics.
RESERVED_SLUGS = {"events", "index", "atom"}


def post_date(data) -> str:
    return str(data.get("date", "2024-01-01")) if isinstance(data, dict) else "2024-01-01"


def load_posts(folder: Path, root: Path) -> list[PostRecord]:
    errors = ErrorCollector(root)
    records = []
    for path in sorted(folder.glob("*.md")):
        if path.name == "index.md":
            continue
        text = read_text_file(errors, path)
        if text is None:
            continue
        yaml_text, offset, body = split_front_matter(text)
        if yaml_text is None:
            errors.add(path, 1, ErrorCode.post_no_front_matter, "the post has no YAML front matter",
                       "start with '---', title:, date:, kind:, then '---'")
            continue
        try:
            data = load_yaml(yaml_text, line_offset=offset)
        except YamlSyntaxError as exc:
            add_yaml_error(errors, path, exc)
            continue
        if not isinstance(data, LineDict):
            errors.add(path, 1, ErrorCode.yaml_malformed, "the front matter must be 'field: value' lines")
            continue
        if path.stem in RESERVED_SLUGS:
            errors.add(path, 1, ErrorCode.post_reserved_slug, f"the file name '{path.name}' is taken by the site",
                       f"rename the file, e.g. docs/news/{post_date(data)}-{path.stem}-post.md")
            continue
        try:
            post = Post.model_validate(data)
        except ValidationError as exc:
            _schema_errors(errors, path, data, exc, "post")
            continue
        if post.end and (not post.start or post.end < post.start):
            errors.add(path, line_of(data, ("end",)), ErrorCode.post_end_before_start,
                       f"end ({post.end}) is before start ({post.start})" if post.start else
                       "an event with 'end' needs 'start'",
                       "write the first day as start and the last day as end, as 2024-05-27")
            continue
        files = [repo_file(errors, path, line_of(data, ("documents", i)), root, d.file, ErrorCode.post_bad_document,
                           "document") for i, d in enumerate(post.documents)]
        if None in files:
            continue
        rel = path.relative_to(root).with_suffix("").as_posix()
        records.append(PostRecord(docname=rel, slug=path.stem, post=post, body_text=body.strip(),
                                  document_files=[f for f in files if f]))
    errors.raise_if_any()
    return sorted(records, key=lambda r: (r.post.date, r.slug), reverse=True)


def published(records: list[PostRecord], kind: str = "news") -> list[PostRecord]:
    """Posts of a kind, newest first; news dated after the build date waits until then."""
    today = build_date()
    return [r for r in records if r.post.kind == kind and (kind != "news" or r.post.date <= today)]
