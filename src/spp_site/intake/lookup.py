"""Metadata for a DOI (content negotiation, CSL JSON) or an arXiv id (the arXiv API, Atom).

Only the intake command looks things up; builds and CI never touch the network. Every reply is
kept on disk, one file per id, so a repeated run asks nothing. Requests run a few at a time and
back off when a service answers 429 or 503. The services' addresses can be changed
(``SPP_DOI_BASE``, ``SPP_ARXIV_BASE``), which is how the tests serve recorded replies.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from pybtex.database import Person

from .housestyle import Record, name, person_name, tidy

DOI_BASE = "https://doi.org/"
ARXIV_BASE = "https://export.arxiv.org/api/query"
ARXIV_ID = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z\-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)$", re.IGNORECASE)
DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
ATOM = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
CSL_TYPES = {"journal-article": "article", "article-journal": "article", "proceedings-article": "inproceedings",
             "paper-conference": "inproceedings", "book-chapter": "incollection", "chapter": "incollection",
             "book": "book", "monograph": "book", "report": "techreport", "dissertation": "phdthesis",
             "thesis": "phdthesis", "posted-content": "misc", "article": "misc", "dataset": "misc",
             "software": "software"}
CONTAINER = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}
USER_AGENT = "spp2298-intake/1.0 (https://www.foundationsofdl.de; publication intake)"


class LookupError_(Exception):
    """A look-up that cannot give a record; the message says why, in the contributor's words."""


@dataclass
class Settings:
    cache: Path
    doi_base: str = DOI_BASE
    arxiv_base: str = ARXIV_BASE
    timeout: float = 15.0
    attempts: int = 4
    backoff: float = 1.0  # seconds before the first retry; doubled each time

    @classmethod
    def from_env(cls, cache: Path) -> Settings:
        return cls(cache=cache, doi_base=os.environ.get("SPP_DOI_BASE", DOI_BASE),
                   arxiv_base=os.environ.get("SPP_ARXIV_BASE", ARXIV_BASE),
                   timeout=float(os.environ.get("SPP_LOOKUP_TIMEOUT", "15")),
                   backoff=float(os.environ.get("SPP_LOOKUP_BACKOFF", "1")))


def classify(text: str) -> tuple[str, str] | None:
    """('doi', 10.x/y) or ('arxiv', id) for an identifier, else None."""
    text = text.strip()
    match = DOI.match(text)
    if match:
        return "doi", match.group(1)
    match = ARXIV_ID.match(text)
    if match:
        return "arxiv", match.group(1)
    return None


def _cache_file(settings: Settings, kind: str, ident: str) -> Path:
    safe = urllib.parse.quote(ident.lower(), safe="")
    return settings.cache / kind / (safe + (".json" if kind == "doi" else ".xml"))


def _get(settings: Settings, url: str, accept: str, what: str) -> bytes:
    """GET with retries on 429/503 (honouring Retry-After) and one clear error otherwise."""
    delay = settings.backoff
    for attempt in range(1, settings.attempts + 1):
        request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=settings.timeout) as reply:  # noqa: S310 - http(s) only
                return reply.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise LookupError_(f"{what} does not exist ({_host(url)} answered 404 Not Found)") from None
            if exc.code in (429, 503) and attempt < settings.attempts:
                retry_after = exc.headers.get("Retry-After", "")
                time.sleep(float(retry_after) if retry_after.isdigit() else delay)
                delay *= 2
                continue
            raise LookupError_(f"{_host(url)} refused the look-up of {what} (HTTP {exc.code}); "
                               "try again later") from None
        except TimeoutError:
            raise LookupError_(f"{_host(url)} did not answer within {settings.timeout:g} s for {what}; "
                               "try again later") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError | socket.timeout):
                raise LookupError_(f"{_host(url)} did not answer within {settings.timeout:g} s for {what}; "
                                   "try again later") from None
            raise LookupError_(f"cannot reach {_host(url)} to look up {what}: this machine seems to be "
                               "offline. Connect and run the command again, or add the entry from a "
                               ".bib export instead") from None
    raise LookupError_(f"{_host(url)} kept answering 'too many requests' for {what}; try again later")


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def fetch(settings: Settings, kind: str, ident: str) -> tuple[bytes, bool]:
    """The reply for an id (from the cache when there), and whether it came from the cache."""
    path = _cache_file(settings, kind, ident)
    if path.exists():
        return path.read_bytes(), True
    if kind == "doi":
        url = settings.doi_base.rstrip("/") + "/" + urllib.parse.quote(ident, safe="/:;()")
        body = _get(settings, url, "application/vnd.citationstyles.csl+json", f"DOI {ident}")
        record_from_csl(body, ident)  # refuse to cache a reply we cannot read
    else:
        url = settings.arxiv_base + "?" + urllib.parse.urlencode({"id_list": ident, "max_results": "1"})
        body = _get(settings, url, "application/atom+xml", f"arXiv id {ident}")
        record_from_atom(body, ident)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return body, False


def record_for(settings: Settings, kind: str, ident: str) -> tuple[Record, bool]:
    body, cached = fetch(settings, kind, ident)
    return (record_from_csl(body, ident) if kind == "doi" else record_from_atom(body, ident)), cached


def record_from_csl(body: bytes, doi: str) -> Record:
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not data.get("title"):
            raise ValueError("no title")
    except ValueError:
        raise LookupError_(f"the reply for DOI {doi} is not CSL JSON metadata; try again later, or add the "
                           "entry from a .bib export") from None
    etype = CSL_TYPES.get(data.get("type", ""), "misc")
    title = data["title"][0] if isinstance(data["title"], list) else data["title"]
    fields = {"title": str(title)}
    container = data.get("container-title")
    container = container[0] if isinstance(container, list) and container else container
    if container and etype in CONTAINER:
        fields[CONTAINER[etype]] = str(container)
    elif container and etype == "misc":
        fields["howpublished"] = str(container)
    if data.get("publisher") and etype in ("book", "incollection", "techreport"):
        fields["publisher" if etype != "techreport" else "institution"] = str(data["publisher"])
    for csl, bib in (("volume", "volume"), ("issue", "number"), ("page", "pages")):
        if data.get(csl):
            fields[bib] = str(data[csl])
    for date_field in ("issued", "published-print", "published-online", "created"):
        parts = (data.get(date_field) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and parts[0][0]:
            fields["year"] = str(parts[0][0])
            break
    fields["doi"] = str(data.get("DOI") or doi)
    authors = []
    for author in data.get("author", []):
        if "family" in author:
            authors.append(name(author["family"], author.get("given", ""), author.get("non-dropping-particle", ""),
                                author.get("suffix", "")))
        elif "literal" in author:
            authors.append(person_name(Person(author["literal"])))
    return tidy(Record(type=etype, key="", fields=fields, authors=authors))


def record_from_atom(body: bytes, ident: str) -> Record:
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise LookupError_(f"the reply for arXiv id {ident} is not arXiv's Atom feed; try again later") from None
    entry = root.find("a:entry", ATOM)
    if entry is None or entry.find("a:title", ATOM) is None or "api/errors" in (entry.findtext("a:id", "", ATOM)):
        raise LookupError_(f"arXiv id {ident} does not exist (the arXiv API found no paper)")
    title = " ".join((entry.findtext("a:title", "", ATOM)).split())
    published = entry.findtext("a:published", "", ATOM)
    fields = {"title": title, "year": published[:4], "eprint": ident, "archiveprefix": "arXiv"}
    doi = entry.findtext("arxiv:doi", "", ATOM).strip()
    if doi:
        fields["doi"] = doi
    authors = [person_name(Person(" ".join(a.findtext("a:name", "", ATOM).split())))
               for a in entry.findall("a:author", ATOM)]
    return tidy(Record(type="misc", key="", fields=fields, authors=authors))
