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
             "pagefind.service", "pagefind.index", "asyncio", "fontTools.subset", "fontTools.ttLib.woff2",
             "PIL.PngImagePlugin", "PIL.JpegImagePlugin", "PIL.WebPImagePlugin"):
    with contextlib.suppress(Exception):
        importlib.import_module(name)
# soupsieve compiles its selector grammar on first use, a tenth of a second of every build (the
# theme selects in each page's HTML): a selector with every kind of token compiles all of it.
with contextlib.suppress(Exception):
    import soupsieve

    soupsieve.compile("html|*#i.c > a[href^='x' i]:not(.d) + b ~ c:is(p, q):nth-child(2n+1 of .e):nth-of-type(1)"
                      ":lang(en):dir(ltr):-soup-contains('x'):checked:link::before, *|* &",
                      namespaces={"html": "http://www.w3.org/1999/xhtml"})

# What the server loaded lives as long as every command forked from it: a build's full
# collection (build/collector.py) need not walk it again in each one (0.1 s per command).
import gc  # noqa: E402

gc.collect()
gc.freeze()
