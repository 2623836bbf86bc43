"""Sphinx extension for the SPP 2298 website: data model, generated pages, bibliography, search.

Layers (each imports only from the ones above it):

- ``config`` and ``state``: the settings, the build's state, and the recorded way pages read data;
- ``loading``: every input read and checked in one place, for the build and for ``validate``;
- ``content/``: files -> one validated model (no pages);
- ``pages/`` and ``bibliography/``: what readers see, made from the model;
- ``search``: the Pagefind indexes of pages and publications;
- ``build/``: machinery that makes builds fast without changing their output;
- commands: ``validate``, ``scaffold``, ``intake`` (``python -m spp_site.<command>``).

All wiring is in :func:`setup` below: every event handler with its priority, and why where it
is not Sphinx's default (500).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from . import search
from .bibliography import (
    exports_in_background,
    finish_publications,
    pages_showing_changed_entries,
    pages_showing_changed_text,
    use_program_bib_for_prose_citations,
)
from .bibliography.pages import (
    CiteRole,
    PublicationsDirective,
    add_project_publications,
    add_publications_of_person,
    person_publications,
    prose_citations_follow_their_entries,
    publication_explorer,
    publication_list,
    visit_person_publications,
    visit_publication_explorer,
    visit_publication_list,
    year_pages,
)
from .build import collector, icons, parents, sidebar, theme
from .build.codeversion import ENV_VERSION
from .config import add_config_values, check_settings
from .loading import exclude_tool_folders, hold_back_scheduled_news, load_into_build
from .pages import (
    charts,
    downloads,
    graph,
    jsonld,
    legal,
    map,
    news,
    people,
    posters,
    projects,
    reference,
    sitemap,
    titles,
)
from .state import SppDomain, pages_reading_changed_data, pages_showing_changed_data

__version__ = "0.1.0"

# Our events: extension points for features that add to other features' pages.
PROJECT_PAGE = "spp-project-page"  # (app, record, section): add to a project's page
PERSON_ENTRY = "spp-person-entry"  # (app, person, entry): add to a person's entry on the people page


def _skip(translator, node) -> None:
    from docutils import nodes

    raise nodes.SkipNode


def setup(app: Sphinx) -> dict:
    add_config_values(app)
    app.add_domain(SppDomain)
    app.add_event(PROJECT_PAGE)
    app.add_event(PERSON_ENTRY)

    # -- directives, roles, nodes, transforms --------------------------------------------------
    for name, directive in (("project-catalogue", projects.ProjectCatalogue),
                            ("perspective-projects", projects.PerspectiveProjects),
                            ("people-list", people.PeopleList), ("institution-list", people.InstitutionList),
                            ("coordination-team", people.CoordinationTeam),
                            ("program-figures", people.ProgramFigures), ("project-map", map.ProjectMap),
                            ("news-list", news.NewsList), ("event-list", news.EventList),
                            ("legal-fields", legal.LegalFields), ("publications", PublicationsDirective),
                            ("spp-config-reference", reference.ConfigReference),
                            ("spp-error-reference", reference.ErrorReference),
                            ("site-files", downloads.SiteFiles), ("poster-collection", posters.PosterCollection),
                            ("output-chart", charts.OutputChart), ("collaboration-graph", graph.CollaborationGraph)):
        app.add_directive(name, directive)
    app.add_role("cite", CiteRole(), override=True)  # ours covers every .bib file (see bibliography/)
    for node, visit in ((publication_list, visit_publication_list),
                        (publication_explorer, visit_publication_explorer),
                        (person_publications, visit_person_publications),
                        (graph.link_reasons, graph.visit_link_reasons),
                        (projects.project_cards, projects.visit_project_cards)):
        app.add_node(node, html=(visit, None), latex=(_skip, None), text=(_skip, None))
    app.add_transform(titles.TitleFromData)
    app.add_css_file("spp.css")
    app.add_js_file("spp.js", loading_method="defer")

    # -- config-inited -------------------------------------------------------------------------
    app.connect("config-inited", check_settings, priority=100)  # first: everything reads them
    app.connect("config-inited", theme.add_template_and_static_paths)
    app.connect("config-inited", search.add_search_page)
    # Before sphinxcontrib-bibtex's own handler (500) reads bibtex_bibfiles.
    app.connect("config-inited", use_program_bib_for_prose_citations, priority=400)
    app.connect("config-inited", collector.tune_for_the_build)
    app.connect("config-inited", exclude_tool_folders)
    app.connect("config-inited", hold_back_scheduled_news, priority=200)  # needs the checked settings

    # -- builder-inited: load, check, then start background work -------------------------------
    app.connect("builder-inited", load_into_build, priority=100)  # first: every later step reads it
    app.connect("builder-inited", map.warn_about_markers_outside_germany, priority=300)
    app.connect("builder-inited", legal.report_missing_legal_fields)
    app.connect("builder-inited", search.switch_off_sphinx_search)
    app.connect("builder-inited", theme.prepare_templates)
    # After everything is loaded (100), before anything forks (750+): frozen data is not copied.
    app.connect("builder-inited", collector.freeze_loaded_data, priority=700)
    app.connect("builder-inited", exports_in_background, priority=750)
    app.connect("builder-inited", search.publication_indexes_in_background, priority=800)

    # -- reading -------------------------------------------------------------------------------
    app.connect("env-get-outdated", pages_reading_changed_data)
    app.connect("env-get-outdated", pages_showing_changed_entries)
    app.connect("env-get-updated", pages_showing_changed_text)
    app.connect("env-get-updated", pages_showing_changed_data)
    app.connect("env-get-updated", parents.pages_showing_a_changed_title)
    app.connect("doctree-read", projects.add_facts_and_sources)
    app.connect("doctree-read", news.add_dates_and_documents)
    app.connect("doctree-read", prose_citations_follow_their_entries)
    app.connect(PROJECT_PAGE, add_project_publications)
    app.connect(PROJECT_PAGE, charts.add_output_chart, priority=550)  # after the publications
    app.connect(PROJECT_PAGE, posters.add_poster, priority=600)  # after the chart
    app.connect(PERSON_ENTRY, add_publications_of_person)
    app.connect("env-before-read-docs", parents.remember_what_others_show, priority=900)  # the final list

    # -- writing -------------------------------------------------------------------------------
    app.connect("write-started", parents.write_parents_of_changed_pages_only)
    app.connect("html-collect-pages", year_pages)
    app.connect("html-page-context", jsonld.add_structured_data)
    app.connect("html-page-context", theme.no_empty_section_navigation, priority=550)  # needs the theme's (500)
    app.connect("html-page-context", sidebar.fast_sidebar, priority=600)  # after the theme's own (500)
    app.connect("html-page-context", theme.only_the_scripts_a_page_uses)
    app.connect("html-page-context", icons.font_face)

    # -- build-finished ------------------------------------------------------------------------
    app.connect("build-finished", finish_publications, priority=100)  # before the search waits on cores
    app.connect("build-finished", news.write_feeds)
    app.connect("build-finished", posters.write_files)
    app.connect("build-finished", icons.write_icon_font)
    app.connect("build-finished", sitemap.write_sitemap)
    app.connect("build-finished", search.index_pages_and_finish)
    app.connect("build-finished", sidebar.forget_sidebars)
    app.connect("build-finished", parents.restore_toctree_parents)
    app.connect("build-finished", collector.restore, priority=1000)  # last: after all other work
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True,
            # Any change to the extension's code or templates starts from a fresh environment.
            "env_version": ENV_VERSION}
