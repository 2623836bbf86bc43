"""A small site for behaviour tests: stated and inferred facts, dated and undated events, intake."""

project = "Small test site"
language = "en"
html_baseurl = "https://example.org/"
extensions = ["myst_parser", "sphinx_design", "sphinxcontrib.bibtex", "spp_site"]
myst_enable_extensions = ["colon_fence", "fieldlist"]
myst_title_to_header = True
root_doc = "index"
exclude_patterns = ["_build"]
suppress_warnings = ["myst.header"]
smartquotes = False
html_theme = "pydata_sphinx_theme"
spp_imprint = {"provider": "Test"}
spp_privacy_notice = {"controller": "Test"}
