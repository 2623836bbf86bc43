"""Imported once by the fork server of tests/warm.py: the parts of Sphinx and docutils a build
uses, module by module (their packages import most of them lazily, per build)."""

import contextlib
import importlib
import pkgutil

for package in ("sphinx.builders", "sphinx.domains", "sphinx.environment", "sphinx.transforms",
                "sphinx.writers", "sphinx.directives", "sphinx.util", "sphinx.search", "docutils.parsers.rst",
                "docutils.transforms", "docutils.writers.html5_polyglot", "myst_parser", "sphinx_design",
                "sphinxcontrib.bibtex", "pybtex.style", "a11y_pygments"):
    with contextlib.suppress(Exception):
        module = importlib.import_module(package)
        for found in pkgutil.walk_packages(getattr(module, "__path__", []), package + "."):
            with contextlib.suppress(Exception):  # optional parts (a search language without its library)
                importlib.import_module(found.name)
# And what the extension's pages import: the graph's layout (networkx, numpy), the poster
# thumbnails (pypdfium2, Pillow), the search indexer (pagefind).
for name in ("pydantic.main", "pydantic.fields", "pydantic.functional_validators", "pydantic.networks",
             "pydantic.type_adapter", "latexcodec", "sphinx.ext.mathjax", "sphinx.ext.githubpages",
             "networkx", "numpy.random", "pypdfium2", "PIL.Image",
             "pagefind.service", "pagefind.index", "asyncio"):
    with contextlib.suppress(Exception):
        importlib.import_module(name)
