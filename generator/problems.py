"""Problems found in input, reported as ``path:line: what is wrong; how to fix it``.

Readers and checks never raise on bad input: they return problems, and the command
line prints every one of them, sorted, so that the same input gives the same report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file."""

    path: str
    line: int
    message: str
    fix: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}; {self.fix}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def report(problems: list[Problem]) -> str:
    """All problems as lines, in a stable order (path, line, message)."""
    return "".join(f"{p}\n" for p in sorted(set(problems)))
