"""The plain-data view of records that ``list --json`` prints and tools rely on."""

from __future__ import annotations

from generator.model import Record
from generator.vocabulary import Vocabulary, classify


def record_dict(record: Record, vocabulary: Vocabulary | None = None) -> dict:
    """A record as plain data. With a vocabulary, ``themes`` and ``tags`` are the ones
    the site shows (set by hand, or assigned by the rules); without, as in the file."""
    themes, tags = record.themes, record.tags
    if vocabulary is not None:
        classified = classify(record, vocabulary)
        themes, tags = classified.themes, classified.tags
    return {
        "id": record.id,
        "title": record.title,
        "year": record.year,
        "journal": record.journal,
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.pages,
        "doi": record.doi,
        "url": record.url,
        "authors": [p.name for p in record.authors],
        "et_al": record.et_al,
        "abstract": record.abstract,
        "themes": list(themes) if themes is not None else None,
        "tags": list(tags) if tags is not None else None,
        "source": {"file": record.source.file, "line": record.source.line}
        if record.source
        else None,
    }


def record_dicts(records: list[Record], vocabulary: Vocabulary | None = None) -> list[dict]:
    return [record_dict(r, vocabulary) for r in sorted(records, key=lambda r: r.id)]
