"""Readers for the formats records arrive in. Each returns records and problems, never raises."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.model import Record
from generator.problems import Problem
from generator.textfile import decode

Parse = Callable[[str, str], tuple[list[Record], list[Problem]]]


def read_export(
    path: Path, display_path: str, parse: Parse, nothing_found: tuple[str, str]
) -> tuple[list[Record], list[Problem]]:
    """Read, decode (UTF-8 or UTF-16 with a byte-order mark) and parse one export file.

    ``nothing_found`` is the message and fix for a file that holds no record.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        return [], [
            Problem(display_path, 0, f"cannot read the file ({error.strerror})", "check the path")
        ]
    text, problems = decode(data, display_path, allow_utf16=True)
    if text is None:
        return [], problems
    records, found = parse(text, display_path)
    problems += found
    if not records and not problems:
        problems.append(Problem(display_path, 1, *nothing_found))
    return records, problems
