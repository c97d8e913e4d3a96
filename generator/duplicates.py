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
        self._last: tuple[Record, list[tuple[str, tuple]]] | None = None

    def _keys(self, record: Record) -> list[tuple[str, tuple]]:
        # A record is usually matched and then added: its keys (a pass over the whole
        # abstract) are worked out once for both.
        if self._last is None or self._last[0] is not record:
            self._last = (record, identity_keys(record))
        return self._last[1]

    def match(self, record: Record) -> tuple[str, str] | None:
        """``(earlier id or label, reason)`` when ``record`` repeats one already added."""
        for reason, key in self._keys(record):
            if (reason, key) in self._seen:
                return self._seen[(reason, key)], reason
        return None

    def add(self, record: Record, label: str) -> None:
        for key in self._keys(record):
            self._seen.setdefault(key, label)
