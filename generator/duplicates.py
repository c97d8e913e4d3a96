"""Finding the same reading twice: on import (skip it) and in check (report it)."""

from __future__ import annotations

from generator.model import Record, fold, normalized_words


def identity_keys(record: Record) -> list[tuple[str, tuple]]:
    """Keys two records share when they are likely the same reading, with the reason."""
    keys: list[tuple[str, tuple]] = []
    authors = tuple(fold(p.name) for p in record.authors)
    if record.source is not None:
        keys.append(
            ("imported from the same source line", (record.source.file, record.source.line))
        )
    if record.title:
        keys.append(("same title", (normalized_words(record.title),)))
    if authors and record.abstract:
        keys.append(
            (
                "same authors, year and abstract",
                (authors, record.year, normalized_words(record.abstract)),
            )
        )
    elif authors and (record.volume or record.pages):
        keys.append(
            (
                "same authors, year, volume and pages",
                (authors, record.year, record.volume, record.issue, record.pages),
            )
        )
    return keys


class DuplicateFinder:
    """Remembers records by their identity keys and tells which earlier one a record repeats."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, tuple], str] = {}

    def match(self, record: Record) -> tuple[str, str] | None:
        """``(earlier id or label, reason)`` when ``record`` repeats one already added."""
        for reason, key in identity_keys(record):
            if (reason, key) in self._seen:
                return self._seen[(reason, key)], reason
        return None

    def add(self, record: Record, label: str) -> None:
        for key in identity_keys(record):
            self._seen.setdefault(key, label)
