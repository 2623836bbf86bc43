"""News and events pages: lists, the home teaser, a page's dates and documents, Atom and
iCalendar feeds (the posts themselves are read by :mod:`spp_site.content.posts`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..content.links import doc_link, external_link, paragraph
from ..content.posts import Post, PostRecord, build_date, published
from ..state import SppDirective, build_state, read_page_record
from .posters import document_list


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


class NewsList(SppDirective):
    """News items, newest first, grouped by year. Option ``:limit:`` shows only the latest."""

    option_spec = {"limit": int, "kind": str}

    def render(self):
        kind = self.options.get("kind", "news")
        records = published(self.posts, kind)
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


class EventList(SppDirective):
    """Events split into upcoming (soonest first) and past (latest first) at the build date.
    Option ``:upcoming: N`` shows only the next N events (for the home page)."""

    option_spec = {"upcoming": int}

    def render(self):
        today = build_date()
        events = [r for r in self.posts if r.post.kind == "event"]
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


def add_dates_and_documents(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: a post's dates, place and tags after its title; its documents and links."""
    env = app.env
    record = read_page_record(env)
    section = next(iter(doctree.findall(nodes.section)), None)
    if not isinstance(record, PostRecord) or section is None:
        return
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
    if post.documents or post.links:
        box = nodes.section(ids=["documents"])
        box += nodes.title("", "Documents and links")
        if post.documents:
            box += document_list(env.docname, record)
        if post.links:
            items = nodes.bullet_list()
            for link in post.links:
                items += nodes.list_item("", paragraph(external_link(str(link.url), link.title)))
            box += items
        section += box


def write_feeds(app: Sphinx, exception) -> None:
    """build-finished: the Atom feed of news, and the calendar files of dated events."""
    if exception or app.builder.format != "html":
        return
    from feedgen.feed import FeedGenerator
    from icalendar import Calendar, Event

    base = app.config.html_baseurl.rstrip("/") + "/"
    out = Path(app.outdir)
    records = build_state(app).posts
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
