"""YAML reading that remembers line numbers, so errors can point at the right line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ErrorCode


class LineDict(dict):
    """A mapping that knows the (1-based) line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    line: int = 0
    item_lines: list[int]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: 10x faster, same marks
    """SafeLoader that records where every mapping, key and list item starts."""

    line_offset = 0

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: dict[str, int] = {}
        for key, _ in node.value:
            line = key.start_mark.line + 1 + self.line_offset
            if str(key.value) in seen:
                raise YamlSyntaxError(line, f"'{key.value}' appears twice (also on line {seen[str(key.value)]}); "
                                      "only one can be meant", ErrorCode.yaml_duplicate_key)
            seen[str(key.value)] = line
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1 + self.line_offset
        mapping.key_lines = {
            str(k.value): k.start_mark.line + 1 + self.line_offset for k, _ in node.value
        }
        return mapping

    def construct_sequence(self, node, deep=False):  # type: ignore[override]
        seq = LineList(super().construct_sequence(node, deep=True))
        seq.line = node.start_mark.line + 1 + self.line_offset
        seq.item_lines = [item.start_mark.line + 1 + self.line_offset for item in node.value]
        return seq


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence)
# Dates stay strings: the model parses them, so a bad date gets our message, not YAML's.
_LineLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(Exception):
    def __init__(self, line: int | None, problem: str, code: ErrorCode = ErrorCode.yaml_malformed):
        super().__init__(problem)
        self.line = line
        self.problem = problem
        self.code = code


def load_yaml(text: str, line_offset: int = 0) -> Any:
    """Parse YAML text; ``line_offset`` shifts reported lines (front matter inside a file)."""

    class Loader(_LineLoader):
        pass

    Loader.line_offset = line_offset
    try:
        # Aliases are refused before anything is built: reported where they are used, and an
        # "alias bomb" is never expanded.
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                raise YamlSyntaxError(event.start_mark.line + 1 + line_offset,
                                      f"the alias '*{event.anchor}' is not allowed in data files; write the value "
                                      "out", ErrorCode.yaml_alias)
        return yaml.load(text, Loader=Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        raise YamlSyntaxError(line, f"{exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(None, str(exc)) from exc


def split_front_matter(text: str) -> tuple[str | None, int, str]:
    """Return (front matter YAML or None, line where the YAML starts, body)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, 0, text
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[1:i]), 1, "".join(lines[i + 1 :])
    return "".join(lines[1:]), 1, ""


def line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    """Best line for a pydantic error location inside data loaded by :func:`load_yaml`."""
    line = getattr(data, "line", None) or None
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str):
            line = node.key_lines.get(part, line)
            node = node.get(part)
        elif isinstance(node, LineList) and isinstance(part, int) and part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def read_text(path: Path) -> str:
    return Path(path).read_text(encoding="utf-8")
