"""The plain-data view of records that ``list --json`` prints and tools rely on."""

from __future__ import annotations

from generator.model import Record


def record_dict(record: Record) -> dict:
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
        "themes": list(record.themes) if record.themes is not None else None,
        "tags": list(record.tags) if record.tags is not None else None,
        "source": {"file": record.source.file, "line": record.source.line}
        if record.source
        else None,
    }


def record_dicts(records: list[Record]) -> list[dict]:
    return [record_dict(r) for r in sorted(records, key=lambda r: r.id)]
