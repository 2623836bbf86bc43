"""Reading any BibTeX file (ours, or a reference manager's export) into house-style records,
and writing our files back. Reading never drops an entry silently: what cannot be read is
reported with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexError

from ..bibliography.loader import NON_ENTRIES, _split_entries
from .housestyle import Record, from_pybtex


@dataclass
class BibFile:
    header: list[str]  # the '%' comment lines at the top
    records: list[Record]
    problems: list[str] = field(default_factory=list)  # "line N: why", for entries that cannot be read
    notes: list[str] = field(default_factory=list)

    def format(self) -> str:
        parts = ["\n".join(self.header)] if self.header else []
        parts += [r.format() for r in self.records]
        return "\n\n".join(parts) + "\n"


def decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Text of a file; exports are not always UTF-8 (a note says when they were not)."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "the file is not UTF-8; it was read as Windows-1252"


def read_bib(text: str) -> BibFile:
    text = text.lstrip("\ufeff")
    blocks = _split_entries(text)
    first = blocks[0][3] if blocks else ""
    head = text[: text.index(first)] if first else text
    header = [line.rstrip() for line in head.splitlines() if line.strip().startswith("%")]
    macros_parser = Parser()
    result = BibFile(header=header, records=[])
    for line, etype, _key, block in blocks:
        if etype == "string":
            try:
                macros_parser.parse_string(_trailing_comments(block)[0])
            except PybtexError as exc:
                result.problems.append(f"line {line}: @string cannot be read ({exc}); fix it and run again")
    macros = dict(macros_parser.macros)
    if any(b[1] == "string" for b in blocks):
        result.notes.append("@string abbreviations were written out in full")
    pending_comments: list[str] = []
    for line, etype, key, block in blocks:
        body, trailing = _trailing_comments(block)
        comments, pending_comments = pending_comments, trailing
        if etype in NON_ENTRIES:
            continue
        try:
            parsed = Parser(macros=dict(macros)).parse_string(body).entries
        except PybtexError as exc:
            result.problems.append(f"line {line}: entry '{key}' cannot be read ({exc}); fix it and run again")
            continue
        if len(parsed) != 1:
            result.problems.append(f"line {line}: entry '{key}' cannot be read; check its braces and commas")
            continue
        [(parsed_key, entry)] = parsed.items()
        record = from_pybtex(entry, parsed_key)
        record.comments = comments
        result.records.append(record)
    return result


def _trailing_comments(block: str) -> tuple[str, list[str]]:
    """Split '%' lines after an entry's closing brace off (they belong to the next entry)."""
    lines = block.rstrip().splitlines()
    trailing: list[str] = []
    while lines and (lines[-1].strip().startswith("%") or not lines[-1].strip()):
        line = lines.pop()
        if line.strip():
            trailing.insert(0, line.rstrip())
    return "\n".join(lines), trailing


def bib_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and re.search(r"\.bib$", p.name, re.IGNORECASE))
