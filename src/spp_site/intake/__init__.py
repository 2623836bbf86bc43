"""Publication intake: a DOI, an arXiv id or a reference manager's export -> house-style BibTeX,
with duplicates merged instead of added (run it as ``nox -s add_publication``)."""
