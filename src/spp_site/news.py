"""News and events: dated posts in ``docs/news/``, lists, the home teaser, Atom and iCalendar.

"Now" is the build date, taken from SOURCE_DATE_EPOCH when set, so builds (and tests)
that fix it get the same upcoming/past split.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Literal

from docutils import nodes
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, model_validator
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from .data import note_data_user
from .errors import ErrorCollector
from .links import doc_link, external_link, paragraph
from .loader import _schema_errors
from .yamlsource import LineDict, YamlSyntaxError, load_yaml, split_front_matter


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    url: HttpUrl


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
    summary: str | None = None
    sources: list[str] = Field(default_factory=list)
    myst: dict | None = None

    @model_validator(mode="after")
    def _dates(self) -> Post:
        if self.end and not self.start:
            raise ValueError("an event with 'end' needs 'start'")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self

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


def build_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.date.today()


def load_posts(folder: Path, root: Path) -> list[PostRecord]:
    errors = ErrorCollector(root)
    records = []
    for path in sorted(folder.glob("*.md")):
        if path.name == "index.md":
            continue
        text = path.read_text(encoding="utf-8")
        yaml_text, offset, body = split_front_matter(text)
        if yaml_text is None:
            errors.add(path, 1, "spp.post.no_front_matter", "the post has no YAML front matter",
                       "start with '---', title:, date:, kind:, then '---'")
            continue
        try:
            data = load_yaml(yaml_text, line_offset=offset)
        except YamlSyntaxError as exc:
            errors.add(path, exc.line, "spp.yaml.malformed", f"malformed YAML front matter: {exc.problem}")
            continue
        if not isinstance(data, LineDict):
            errors.add(path, 1, "spp.yaml.malformed", "the front matter must be 'field: value' lines")
            continue
        try:
            post = Post.model_validate(data)
        except ValidationError as exc:
            _schema_errors(errors, path, data, exc, "post")
            continue
        rel = path.relative_to(root).with_suffix("").as_posix()
        records.append(PostRecord(docname=rel, slug=path.stem, post=post, body_text=body.strip()))
    errors.raise_if_any()
    return sorted(records, key=lambda r: (r.post.date, r.slug), reverse=True)


def get_posts(env) -> list[PostRecord]:
    return env.app.spp_posts


def published(records: list[PostRecord], kind: str = "news") -> list[PostRecord]:
    """Posts of a kind, newest first; news dated after the build date waits until then."""
    today = build_date()
    return [r for r in records if r.post.kind == kind and (kind != "news" or r.post.date <= today)]


def _when(post: Post) -> str:
    if post.start is None:
        return f"Announced {post.date.strftime('%-d %B %Y')}"
    first, last = post.first_day, post.last_day
    if first == last:
        return first.strftime("%-d %B %Y")
    return f"{first.strftime('%-d %B %Y')} – {last.strftime('%-d %B %Y')}"


def _item(env, record: PostRecord) -> nodes.list_item:
    post = record.post
    para = paragraph(nodes.inline("", _when(post) if post.kind == "event" else post.date.strftime("%-d %B %Y"),
                                  classes=["spp-post-date"]),
                     nodes.Text(" · "), doc_link(env, record.docname, post.title))
    if post.place:
        para += nodes.Text(f" · {post.place}")
    return nodes.list_item("", para, classes=[f"spp-post-{post.kind}"])


class NewsList(SphinxDirective):
    """News items, newest first, grouped by year. Option ``:limit:`` shows only the latest."""

    option_spec = {"limit": int, "kind": str}

    def run(self):
        note_data_user(self.env)
        kind = self.options.get("kind", "news")
        records = published(get_posts(self.env), kind)
        limit = self.options.get("limit")
        if limit:
            items = nodes.bullet_list(classes=["spp-post-list"])
            for r in records[:limit]:
                items += _item(self.env, r)
            return [items]
        out = []
        for year in sorted({r.post.date.year for r in records}, reverse=True):
            section = nodes.section(ids=[f"{kind}-{year}"])
            section += nodes.title("", str(year))
            items = nodes.bullet_list(classes=["spp-post-list"])
            for r in records:
                if r.post.date.year == year:
                    items += _item(self.env, r)
            section += items
            out.append(section)
        return out


class EventList(SphinxDirective):
    """Events split into upcoming (soonest first) and past (latest first) at the build date.
    Option ``:upcoming: N`` shows only the next N events (for the home page)."""

    option_spec = {"upcoming": int}

    def run(self):
        note_data_user(self.env)
        today = build_date()
        events = [r for r in get_posts(self.env) if r.post.kind == "event"]
        upcoming = sorted((r for r in events if r.post.last_day >= today), key=lambda r: r.post.first_day)
        past = sorted((r for r in events if r.post.last_day < today), key=lambda r: r.post.first_day, reverse=True)
        if "upcoming" in self.options:
            if not upcoming:
                return [paragraph(nodes.Text("No upcoming events are announced at the moment."),
                                  classes=["spp-no-events"])]
            items = nodes.bullet_list(classes=["spp-post-list", "spp-upcoming"])
            for r in upcoming[: self.options["upcoming"]]:
                items += _item(self.env, r)
            return [items]
        out = []
        for ident, title, records in (("upcoming", "Upcoming", upcoming), ("past", "Past", past)):
            section = nodes.section(ids=[f"{ident}-events"])
            section += nodes.title("", f"{title} events")
            if records:
                items = nodes.bullet_list(classes=["spp-post-list", f"spp-{ident}"])
                for r in records:
                    items += _item(self.env, r)
                section += items
            else:
                section += paragraph(nodes.Text(f"No {ident} events."))
            out.append(section)
        return out


def _decorate_post(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    record = next((r for r in get_posts(env) if r.docname == env.docname), None)
    section = next(iter(doctree.findall(nodes.section)), None)
    if record is None or section is None:
        return
    note_data_user(env)
    post = record.post
    fields = nodes.field_list(classes=["spp-post-meta"])

    def add(name, *value):
        fields.append(nodes.field("", nodes.field_name("", name), nodes.field_body("", paragraph(*value))))

    if post.kind == "event" and post.start:
        add("When", nodes.Text(_when(post)))
    elif post.kind == "event":
        add("Announced", nodes.Text(post.date.strftime("%-d %B %Y")))
    if post.kind == "event":
        if post.place or post.online:
            add("Where", nodes.Text(post.place or "online"))
        if post.start:
            ics = relative_uri(env.docname + ".html", f"events/{record.slug}.ics")
            add("Calendar", nodes.raw("", f'<a href="{ics}" download>Add to calendar (.ics)</a>', format="html"))
    else:
        add("Published", nodes.Text(post.date.strftime("%-d %B %Y")))
    if post.tags:
        add("Tags", nodes.Text(", ".join(post.tags)))
    section.insert(1, fields)
    if post.links:
        box = nodes.section(ids=["documents"])
        box += nodes.title("", "Documents and links")
        items = nodes.bullet_list()
        for link in post.links:
            items += nodes.list_item("", paragraph(external_link(str(link.url), link.title)))
        box += items
        section += box


def write_feeds(app: Sphinx, exception) -> None:
    if exception or app.builder.format != "html":
        return
    from feedgen.feed import FeedGenerator
    from icalendar import Calendar, Event

    base = app.config.html_baseurl.rstrip("/") + "/"
    out = Path(app.outdir)
    records = get_posts(app.env)
    stamp = dt.datetime.combine(build_date(), dt.time(), tzinfo=dt.UTC)

    feed = FeedGenerator()
    feed.id(base + "news/atom.xml")
    feed.title("SPP 2298 Theoretical Foundations of Deep Learning: news")
    feed.link(href=base + "docs/news/index.html", rel="alternate")
    feed.link(href=base + "news/atom.xml", rel="self")
    feed.language("en")
    news = published(records)
    latest = max((r.post.date for r in news), default=build_date())
    feed.updated(dt.datetime.combine(latest, dt.time(), tzinfo=dt.UTC))
    for r in reversed(news):  # feedgen prepends; add oldest first so the feed is newest first
        entry = feed.add_entry()
        url = base + r.docname + ".html"
        entry.id(url)
        entry.title(r.post.title)
        entry.link(href=url)
        when = dt.datetime.combine(r.post.date, dt.time(), tzinfo=dt.UTC)
        entry.published(when)
        entry.updated(when)
        entry.summary(r.post.summary or r.body_text.split("\n\n")[0])
    (out / "news").mkdir(exist_ok=True)
    feed.atom_file(str(out / "news" / "atom.xml"), pretty=True)

    def calendar() -> Calendar:
        cal = Calendar()
        cal.add("prodid", "-//SPP 2298//foundationsofdl.de//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", "SPP 2298 events")
        return cal

    def event(r: PostRecord) -> Event:
        ev = Event()
        ev.add("uid", f"{r.slug}@foundationsofdl.de")
        ev.add("summary", r.post.title)
        ev.add("dtstart", r.post.first_day)
        ev.add("dtend", r.post.last_day + dt.timedelta(days=1))  # all-day: DTEND is exclusive
        ev.add("dtstamp", stamp)
        ev.add("url", base + r.docname + ".html")
        if r.post.place or r.post.online:
            ev.add("location", r.post.place or "online")
        if r.post.summary:
            ev.add("description", r.post.summary)
        return ev

    (out / "events").mkdir(exist_ok=True)
    everything = calendar()
    for r in records:
        if r.post.kind != "event" or r.post.start is None:  # no stated date: nothing to put in a calendar
            continue
        everything.add_component(event(r))
        one = calendar()
        one.add_component(event(r))
        (out / "events" / f"{r.slug}.ics").write_bytes(one.to_ical())
    (out / "events" / "events.ics").write_bytes(everything.to_ical())


def _load(app: Sphinx) -> None:
    root = Path(app.srcdir)
    app.spp_posts = load_posts(root / app.config.spp_news_dir, root)


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    """Lists of posts depend on every post and on the build date."""
    stamp = repr((build_date(), [(r.docname, r.post.model_dump_json()) for r in get_posts(env)]))
    previous = getattr(env, "spp_posts_stamp", None)
    env.spp_posts_stamp = stamp
    if previous == stamp:
        return []
    return sorted(d for d in getattr(env, "spp_data_users", set()) if d in env.all_docs)


def setup_news(app: Sphinx) -> None:
    app.connect("env-get-outdated", _outdated)
    app.add_config_value("spp_news_dir", "docs/news", "env", types=[str])
    app.connect("builder-inited", _load, priority=150)
    app.connect("doctree-read", _decorate_post)
    app.connect("build-finished", write_feeds)
    app.add_directive("news-list", NewsList)
    app.add_directive("event-list", EventList)
