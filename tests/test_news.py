"""News and events: feeds parse with real parsers and match the posts; the upcoming/past
split and the home teaser follow the build date; bad posts fail with file and line."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import feedparser
import pytest
import warm
from bs4 import BeautifulSoup
from conftest import ROOT, read
from icalendar import Calendar

from spp_site.content.errors import SiteDataError
from spp_site.content.posts import load_posts

POSTS = load_posts(ROOT / "docs" / "news", ROOT)
NEWS = [p for p in POSTS if p.post.kind == "news"]
EVENTS = [p for p in POSTS if p.post.kind == "event"]


def test_atom_feed_lists_every_news_item_newest_first(site):
    feed = feedparser.parse(read(site / "news" / "atom.xml"))
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == [p.post.title for p in NEWS]
    for entry, record in zip(feed.entries, NEWS, strict=True):
        assert entry.link.endswith(record.docname + ".html")
        assert dt.date(*entry.published_parsed[:3]) == record.post.date
    head = BeautifulSoup(read(site / "index.html"), "html.parser").select_one('link[type="application/atom+xml"]')
    assert head["href"] == "news/atom.xml"


def test_calendar_files_hold_every_event_with_stated_dates(site):
    cal = Calendar.from_ical((site / "events" / "events.ics").read_bytes())
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    dated = [p for p in EVENTS if p.post.start]  # the others are known only from their announcement
    assert sorted(events) == sorted(p.post.title for p in dated)
    for record in dated:
        ev = events[record.post.title]
        assert ev.decoded("dtstart") == record.post.first_day
        assert ev.decoded("dtend") == record.post.last_day + dt.timedelta(days=1)
        one = Calendar.from_ical((site / "events" / f"{record.slug}.ics").read_bytes())
        assert [str(e["uid"]) for e in one.walk("VEVENT")] == [str(ev["uid"])]
        page = BeautifulSoup(read(site / f"{record.docname}.html"), "html.parser")
        link = page.select_one('a[href$=".ics"]')
        assert link["href"] == f"../../events/{record.slug}.ics"


def build_at(site_copy: Path, day: str) -> Path:
    out = site_copy / "_build" / "html"
    noon = dt.datetime.fromisoformat(day + "T12:00:00+00:00")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(noon.timestamp()))}
    cmd = [sys.executable, "-m", "sphinx", "-W", "-q", "--no-color", "-b", "html", str(site_copy), str(out)]
    result = warm.run(cmd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return out


def titles(page: BeautifulSoup, selector: str) -> list[str]:
    return [a.get_text() for a in page.select(f"{selector} li a")]


def test_upcoming_and_past_split_at_the_build_date(site_copy):
    out = build_at(site_copy, "2023-07-01")
    page = BeautifulSoup(read(out / "docs" / "events.html"), "html.parser")
    upcoming = titles(page, "#upcoming-events")
    past = titles(page, "#past-events")
    assert upcoming == ["Online information event on the phase 2 call", "Annual meeting 2023 at Lake Starnberg",
                        "Outreach talk: Lars Grüne", "PhD course"]
    assert past[0] == "Annual meeting 2022" and past[-1] == "Virtual kick-off meeting" and len(past) == 4
    home = BeautifulSoup(read(out / "index.html"), "html.parser")
    assert titles(home, "#next-events") == upcoming[:3]
    # News dated after the build date is scheduled, not shown yet.
    assert titles(home, "#latest-news") == [p.post.title for p in NEWS if p.post.date <= dt.date(2023, 7, 1)][:3]


def test_no_upcoming_events_is_said_plainly(site):
    # Built today (2026 or later): every event in the data is past.
    home = BeautifulSoup(read(site / "index.html"), "html.parser")
    assert "No upcoming events" in home.select_one("#next-events").get_text()


POST = "---\ntitle: A post\ndate: 2024-01-02\nkind: event\nstart: 2024-01-02\nend: 2024-01-03\n---\n\nText.\n"


@pytest.mark.parametrize(
    ("old", "new", "code", "line"),
    [
        ("date: 2024-01-02\n", "", "spp.post.missing_field", 2),  # front matter starts on line 2
        ("date: 2024-01-02", "date: 2024-13-45", "spp.post.invalid_value", 3),
        ("end: 2024-01-03", "end: 2023-12-31", "spp.post.end_before_start", 6),  # the line of end
        ("kind: event", "kind: seminar", "spp.post.invalid_value", 4),
    ],
)
def test_bad_posts_fail_with_file_and_line(tmp_path, old, new, code, line):
    (tmp_path / "docs" / "news").mkdir(parents=True)
    (tmp_path / "docs" / "news" / "bad.md").write_text(POST.replace(old, new), encoding="utf-8")
    with pytest.raises(SiteDataError) as info:
        load_posts(tmp_path / "docs" / "news", tmp_path)
    errors = info.value.errors
    assert [(e.code, str(e.path), e.line) for e in errors] == [(code, "docs/news/bad.md", line)]
