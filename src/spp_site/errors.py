"""One error type for every mistake a contributor can make in the data.

Each error names the file and line, says what is wrong and what to write instead,
and carries a stable code (``spp.<kind>.<mistake>``) so tests and readers can tell
the mistakes apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sphinx.errors import SphinxError


@dataclass(frozen=True)
class DataError:
    """A single problem in a source file."""

    path: Path
    line: int | None
    code: str
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

    def add(self, path: Path, line: int | None, code: str, message: str, hint: str = "") -> None:
        path = Path(path)
        if self.root and path.is_absolute() and path.is_relative_to(self.root):
            path = path.relative_to(self.root)  # messages name files as the contributor sees them
        self.errors.append(DataError(path, line, code, message, hint))

    def __len__(self) -> int:
        return len(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise SiteDataError(self.errors)
