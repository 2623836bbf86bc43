"""Load the site's data once per build: the program (registries and project pages) and the
news posts, from the folders conf.py names."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from ..config import SiteConfig
from ..state import build_state
from .errors import SiteDataError
from .loader import load_program
from .posts import build_date, load_posts


def folders(root: Path, config: SiteConfig) -> dict[str, Path]:
    """The data folders of a site (the same for the build and for ``validate``)."""
    return {"data": root / config.data_dir, "projects": root / config.projects_dir,
            "bibliography": root / config.bibliography_dir, "news": root / config.news_dir}


def hold_back_scheduled_news(app: Sphinx, config) -> None:
    """config-inited: news dated after the build date is not published yet, so it is not a page
    either (as a page it would appear in every sidebar). Its data is still checked."""
    root = Path(app.srcdir)
    news = root / build_state(app).config.news_dir
    try:
        posts = load_posts(news, root)
    except SiteDataError:
        return  # reported with file and line when the data is loaded
    today = build_date()
    config.exclude_patterns = [*config.exclude_patterns,
                               *(f"{r.docname}.md" for r in posts if r.post.kind == "news" and r.post.date > today)]


def load_site_data(app: Sphinx) -> None:
    """builder-inited: files -> the validated program and posts (raises SiteDataError)."""
    state = build_state(app)
    root = Path(app.srcdir)
    where = folders(root, state.config)
    state.program = load_program(where["data"], where["projects"], root)
    state.posts = load_posts(where["news"], root)
