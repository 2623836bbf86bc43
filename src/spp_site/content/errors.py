"""Every mistake a contributor can make in the data, as one enum, and the error that carries it.

Each error names the file and line, says what is wrong and what to write instead, and carries
a stable code (``spp.<kind>.<mistake>``). The enum is the catalogue: each member has an
explanation and an example of the mistake, rendered on the page "Every error and how to fix
it" (``{spp-error-reference}``), so a new check cannot be added without its documentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sphinx.errors import SphinxError


class ErrorCode(StrEnum):
    """The codes of data errors. Value: the code as printed; ``doc``: what it means and how to
    fix it; ``example``: a line or entry that gives it."""

    def __new__(cls, value: str, doc: str, example: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.doc = doc
        member.example = example
        return member

    doc: str
    example: str

    # -- files and YAML ----------------------------------------------------------------------
    data_missing_file = ("spp.data.missing_file",
                         "A registry (people.yaml or institutions.yaml) is missing. Restore it from git.",
                         "docs/data/people.yaml deleted")
    data_bad_layout = ("spp.data.bad_layout",
                       "A registry must be one top-level list, ``people:`` or ``institutions:``.",
                       "- id: ada-lovelace   (without 'people:' above it)")
    file_not_utf8 = ("spp.file.not_utf8",
                     "A file is not UTF-8 text (often Latin-1 from an old editor or export). Save it as UTF-8.",
                     "a .bib file saved as Windows-1252")
    yaml_duplicate_key = ("spp.yaml.duplicate_key",
                          "A field appears twice in the same YAML mapping; only one can be meant.",
                          "title: A\ntitle: B")
    yaml_alias = ("spp.yaml.alias",
                  "YAML anchors and aliases (&name, *name) are not allowed in data files: write the value out.",
                  "pis: *team")
    yaml_malformed = ("spp.yaml.malformed",
                      "The YAML cannot be read: usually indentation, a tab, or a value with ':' or '#' that "
                      "needs quotes.", "title: Deep learning: a theory   (write title: 'Deep learning: a theory')")

    # -- projects ------------------------------------------------------------------------------
    project_no_front_matter = ("spp.project.no_front_matter",
                               "A project page starts with its data between two '---' lines.",
                               "projects/x.md starting with '# Title'")
    project_missing_field = ("spp.project.missing_field", "A required field of a project is missing.",
                             "a project without 'pis:'")
    project_unknown_field = ("spp.project.unknown_field",
                             "A field name is not one the site knows (often a typo); the message suggests the "
                             "closest one.", "titel: My project")
    project_invalid_value = ("spp.project.invalid_value", "A field has a value of the wrong kind or range.",
                             "phases: [3]")
    project_unknown_perspective = ("spp.project.unknown_perspective",
                                   "Perspectives are statistical, application or methodological.",
                                   "perspectives: [statistics]")
    project_unknown_person = ("spp.project.unknown_person",
                              "A project names a person id that is not in docs/data/people.yaml. Add the person "
                              "there first, or fix the id.", "pis: [ada-lovelase]")
    project_unknown_institution = ("spp.project.unknown_institution",
                                   "A project names an institution id that is not in docs/data/institutions.yaml.",
                                   "institutions: [tu-nowhere]")
    project_unsourced_fact = ("spp.project.unsourced_fact",
                              "A fact shown on the page (PIs, former applicants, members, institutions, start or "
                              "end) has no source that states it. Add the field to 'states:' of the source that "
                              "gives it, or list it under 'inferred:' (then it is not shown).",
                              "pis: [ada-lovelace] with a source that has no 'states: [pis]'")
    project_unreachable = ("spp.project.unreachable",
                           "Project pages sit directly in projects/; one in a subfolder would not be listed.",
                           "projects/old/x.md")
    project_duplicate_slug = ("spp.project.duplicate_slug",
                              "Two project files have the same name apart from upper and lower case.",
                              "projects/GeoMAR.md beside projects/geomar.md")
    project_bad_slug = ("spp.project.bad_slug",
                        "A project file name is lower-case letters, digits and hyphens.", "projects/Deep_Inverse.md")

    project_reserved_slug = ("spp.project.reserved_slug",
                             "The file name is taken by a page or download the site makes itself.",
                             "projects/publications.md")
    project_end_before_start = ("spp.project.end_before_start", "The end year is before the start year.",
                                "start: 2024\nend: 2021")

    project_bad_poster = ("spp.project.bad_poster",
                          "poster names a PDF file in the repository (for example docs/_static/posters/<slug>.pdf); "
                          "the file is missing, outside the repository or not a PDF.",
                          "poster: posters/geomar.pdf   (the file is not there)")

    # -- pages -----------------------------------------------------------------------------------
    page_raw_html = ("spp.page.raw_html",
                     "Pages are Markdown: raw HTML (a block or an inline tag) could run script in readers' "
                     "browsers, so it is refused. Write Markdown; the site's directives make special HTML.",
                     "<script>...</script>  or  <img src=x onerror=...>")
    page_forbidden_directive = ("spp.page.forbidden_directive",
                                "Directives that read files or write raw HTML (raw, include, literalinclude, a "
                                ":file: or :url: option) are not allowed in pages.",
                                "```{literalinclude} /etc/passwd")
    page_outside_file = ("spp.page.outside_file",
                         "An image, figure, download or link points at a file outside the repository, which the "
                         "build would publish.", "![x](../../../etc/hostname)")
    page_meta_refresh = ("spp.page.meta_refresh",
                         "html_meta with http-equiv (a refresh or redirect) is not allowed: it sends readers "
                         "elsewhere.", 'myst: {html_meta: {"http-equiv=refresh": "0; url=https://..."}}')

    # -- people and institutions -------------------------------------------------------------
    person_missing_field = ("spp.person.missing_field", "A required field of a person is missing.",
                            "a person without 'name:'")
    person_unknown_field = ("spp.person.unknown_field", "A field name of a person is not one the site knows.",
                            "affiliaton: [tum]")
    person_invalid_value = ("spp.person.invalid_value", "A field of a person has a value of the wrong kind.",
                            "roles: [chair]")
    person_invalid_orcid = ("spp.person.invalid_orcid",
                            "An ORCID iD has the form 0000-0002-1825-0097 and its last digit is a checksum; a typo "
                            "almost always breaks it. Copy it from the person's orcid.org page.",
                            "orcid: 0000-0002-1825-0098")
    person_duplicate_id = ("spp.person.duplicate_id", "Two people have the same id; merge them or rename one.",
                           "two entries '- id: ada-lovelace'")
    person_unknown_institution = ("spp.person.unknown_institution",
                                  "An affiliation names an institution id that is not in institutions.yaml.",
                                  "- institution: tu-nowhere")
    person_unsourced = ("spp.person.unsourced",
                        "Every person needs 'sources:', public pages that name them in connection with the "
                        "program.", "a person without 'sources:'")
    person_unsourced_affiliation = ("spp.person.unsourced_affiliation",
                                    "An affiliation is shown only with the page that states it: write it as "
                                    "'- institution: <id>' with 'source: <address>' below.",
                                    "affiliations: [tum]")
    institution_missing_field = ("spp.institution.missing_field",
                                 "A required field of an institution is missing (name, city, latitude, "
                                 "longitude).", "an institution without 'city:'")
    institution_unknown_field = ("spp.institution.unknown_field",
                                 "A field name of an institution is not one the site knows.", "town: Bonn")
    institution_invalid_value = ("spp.institution.invalid_value",
                                 "A field of an institution has a value of the wrong kind.", "kind: college")
    institution_bad_coordinates = ("spp.institution.bad_coordinates",
                                   "Latitude is -90..90 and longitude -180..180, in decimal degrees (city level "
                                   "is enough).", "latitude: 152.45")
    institution_duplicate_id = ("spp.institution.duplicate_id", "Two institutions have the same id.",
                                "two entries '- id: tum'")
    institution_unsourced = ("spp.institution.unsourced",
                             "Every institution needs 'sources:', pages that link it to the program.",
                             "an institution without 'sources:'")

    # -- news and events -----------------------------------------------------------------------
    post_no_front_matter = ("spp.post.no_front_matter",
                            "A news item or event starts with title, date and kind between two '---' lines.",
                            "docs/news/x.md starting with '# Title'")
    post_missing_field = ("spp.post.missing_field", "A required field of a post (title, date, kind) is missing.",
                          "a post without 'date:'")
    post_unknown_field = ("spp.post.unknown_field", "A field name of a post is not one the site knows.",
                          "venue: Bonn   (write place: Bonn)")
    post_reserved_slug = ("spp.post.reserved_slug",
                          "The file name is taken by a file the site makes itself (events.ics, the feed).",
                          "docs/news/events.md")
    post_end_before_start = ("spp.post.end_before_start", "An event's end is before its start, or it has an end "
                             "but no start.", "start: 2024-05-28\nend: 2024-05-27")
    post_bad_document = ("spp.post.bad_document",
                         "A document of a post (slides, a call) is a file in the repository, such as "
                         "docs/_static/slides/x.pdf; this one is missing or outside the repository.",
                         "documents: [{title: Slides, file: ../slides.pdf}]")
    post_invalid_value = ("spp.post.invalid_value",
                          "A field of a post has a value of the wrong kind: dates are written 2024-05-27, kind is "
                          "news or event, and an event's end is not before its start.", "date: 27.05.2024")

    # -- settings --------------------------------------------------------------------------------
    legal_missing_field = ("spp.legal.missing_field",
                           "A publishing build needs every field of the imprint and the privacy notice in conf.py; "
                           "ordinary builds only report the gap.", "spp_imprint = {} with spp_publish = 1")

    # -- publications --------------------------------------------------------------------------
    bib_unknown_project = ("spp.bib.unknown_project",
                           "A .bib file is named after a project page (or is program.bib), and 'projects =' "
                           "names project slugs.", "bibliography/geomar-2.bib")
    bib_syntax = ("spp.bib.syntax",
                  "An entry cannot be read: unbalanced braces, a missing comma after the key, or no key.",
                  "@article{key, title = {Unclosed}")
    bib_duplicate_key = ("spp.bib.duplicate_key",
                         "Two entries have the same key (keys are unique across all files).",
                         "@article{smith2024deep, ...} in two files")
    bib_duplicate_paper = ("spp.bib.duplicate_paper",
                           "Two entries are the same paper (same DOI, arXiv id, or title within a year). Keep "
                           "one and list both projects in it: projects = {a, b}.",
                           "a preprint in one project's file and its published version in another's")
    bib_missing_field = ("spp.bib.missing_field",
                         "An entry lacks a field its type needs (for example journal for @article; a url, "
                         "eprint or doi for @misc).", "@article{k, author = {A}, title = {T}, year = {2024}}")
    bib_bad_year = ("spp.bib.bad_year",
                    "The year is four digits, not in the future beyond next year (a paper in press gets the "
                    "year it will appear, or stays a preprint).", "year = {in press}")
    bib_bad_date = ("spp.bib.bad_date", "A date is written year-month-day, as 2025-04-24 (or give year only).",
                    "date = {24.04.2025}")
    bib_unknown_crossref = ("spp.bib.unknown_crossref",
                            "crossref names an entry that is not in the same file; copy the fields in instead.",
                            "crossref = {neurips2024}")
    bib_unknown_key = ("spp.bib.unknown_key",
                       "A page cites ({cite}`key`) a key that no .bib file has.", "{cite}`smith2024deeep`")
    bib_bad_doi = ("spp.bib.bad_doi", "A DOI looks like 10.1137/20M1234567.", "doi = {1137/20M1234567}")
    bib_bad_eprint = ("spp.bib.bad_eprint", "An arXiv id looks like 2306.12941 or math/0601001.",
                      "eprint = {arXiv 2306}")
    bib_bad_url = ("spp.bib.bad_url", "Links (url, pdf, code) are http(s) addresses.",
                   "code = {javascript:alert(1)}")

    @classmethod
    def of(cls, kind: str, mistake: str) -> ErrorCode:
        """The code for a mistake found by the shared schema checks (kind: project, person ...)."""
        return cls(f"spp.{kind}.{mistake}")


@dataclass(frozen=True)
class DataError:
    """A single problem in a source file."""

    path: Path
    line: int | None
    code: ErrorCode
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        text = f"{where}: {self.message} [{self.code}]"
        return f"{text}\n    -> {self.hint}" if self.hint else text


class SiteDataError(SphinxError):
    """Raised once per build with every data error found, so one run shows them all."""

    category = "SPP 2298 site data error"

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
        super().__init__(f"{count} in the site data:\n" + "\n".join(str(e) for e in errors))


class ErrorCollector:
    """Collects errors during loading; raises them together at the end."""

    def __init__(self, root: Path | None = None) -> None:
        self.errors: list[DataError] = []
        self.root = root

    def add(self, path: Path | str, line: int | None, code: ErrorCode, message: str, hint: str = "") -> None:
        path = Path(path)
        if self.root and path.is_absolute() and path.is_relative_to(self.root):
            path = path.relative_to(self.root)  # messages name files as the contributor sees them
        self.errors.append(DataError(path, line, ErrorCode(code), message, hint))

    def __len__(self) -> int:
        return len(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise SiteDataError(self.errors)
