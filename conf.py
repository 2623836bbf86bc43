"""Sphinx settings for the SPP 2298 website. Logic lives in the ``spp_site`` extension."""

# -- Identity -----------------------------------------------------------------
project = "SPP 2298 Theoretical Foundations of Deep Learning"
author = "SPP 2298 coordination, LMU Munich"
copyright = "2020-2026, DFG Priority Program SPP 2298"
language = "en"
html_title = "SPP 2298 · Theoretical Foundations of Deep Learning"
html_baseurl = "https://www.foundationsofdl.de/"

# -- Extensions ---------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "sphinx-mathjax-offline",
    "sphinxext.opengraph",
    "spp_site",
]
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "attrs_inline", "fieldlist"]
myst_title_to_header = True
myst_heading_anchors = 3

root_doc = "index"
include_patterns = ["index.md", "docs/**", "projects/**"]
exclude_patterns = ["_build", "projects/_template.md"]
suppress_warnings = ["myst.header"]
smartquotes = False  # titles must read exactly as in the data, feeds and exports

# -- Program data (read and validated by spp_site) ----------------------------
spp_data_dir = "docs/data"
spp_projects_dir = "projects"
spp_bibliography_dir = "bibliography"
# Prose citations ({footcite:p}) on the perspective pages, through sphinxcontrib-bibtex; the site's
# own publication lists read every .bib file without it.
bibtex_bibfiles = ["bibliography/program.bib", "bibliography/reliable-classification.bib",
                   "bibliography/optimal-feedback-control.bib"]

# Legal pages: only the fields given here are shown. Never invent legal data; the build
# reports the missing fields.
spp_imprint = {}
spp_privacy_notice = {
    "hosting": "GitHub Pages (static files; no cookies, no analytics, no third-party requests)",
}

# -- Discoverability: sitemap.xml, robots.txt, OpenGraph/Twitter meta ------------
html_extra_path = ["docs/_extra"]  # robots.txt
ogp_site_url = html_baseurl
ogp_site_name = "SPP 2298 Theoretical Foundations of Deep Learning"
ogp_social_cards = {"enable": False}  # generated images need matplotlib and add nothing here
ogp_enable_meta_description = True

# -- Theme ----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_logo = "docs/_static/logo.svg"
html_favicon = "docs/_static/favicon.svg"
html_static_path = ["docs/_static"]
html_context = {"default_mode": "auto"}
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "logo": {"text": "SPP 2298", "alt_text": "SPP 2298 home"},
    "navbar_align": "left",
    "header_links_before_dropdown": 7,
    "navigation_depth": 2,
    "show_prev_next": False,
    "footer_start": ["copyright"],
    "footer_end": ["spp-funding"],
    "secondary_sidebar_items": ["page-toc"],
    "navbar_end": ["theme-switcher"],
    "search_bar_text": "Search the site",
}
