"""Record files read by earlier runs, kept by content in ``.cache/record-files.json``.

Reading a record file (composing its YAML and checking every field) is most of what
``check`` and ``generate`` spend on a long list, and between two runs almost every
file is unchanged. An entry is found by the SHA-256 of the file's bytes together with
its displayed path, its name and the latest accepted year, so an edited, renamed or
moved file is read again; the whole cache is dropped when the reading code changes.
It is JSON (never pickle) and only a cache: deleting it loses nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from generator.cache_files import read_cache_file, write_cache_file
from generator.model import Person, Record, Source
from generator.problems import Problem

FILE_NAME = "record-files.json"
# The modules whose code decides what reading a file gives.
_READING_CODE = ("record_files.py", "schema.py", "model.py", "problems.py", "textfile.py")


def _code_version() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for name in _READING_CODE:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def file_key(data: bytes, display_path: str, stem: str, latest_year: int) -> str:
    digest = hashlib.sha256(data)
    digest.update(f"\0{display_path}\0{stem}\0{latest_year}".encode())
    return digest.hexdigest()


def _record_to_json(record: Record) -> dict:
    out = {}
    for field in dataclasses.fields(Record):
        value = getattr(record, field.name)
        if field.name == "authors":
            value = [person.name for person in value]
        elif field.name == "source":
            value = None if value is None else [value.file, value.line]
        elif isinstance(value, tuple):
            value = list(value)
        out[field.name] = value
    return out


def _record_from_json(data: dict) -> Record:
    values = dict(data)
    values["authors"] = tuple(Person(name) for name in values["authors"])
    values["source"] = None if values["source"] is None else Source(*values["source"])
    for name in ("themes", "tags"):
        if values[name] is not None:
            values[name] = tuple(values[name])
    return Record(**values)


class ParseCache:
    """What reading each record file gave, by ``file_key``; saved only if it changed."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self.version = _code_version()
        # No cache yet, or not one this code wrote: every file is read.
        self.entries: dict[str, dict] = read_cache_file(self.path, self.version, "files") or {}
        self.used: set[str] = set()
        self.changed = False

    def get(self, key: str):
        """``(LoadedRecord | None, problems)`` as an earlier run read them, or None."""
        from generator.record_files import LoadedRecord

        entry = self.entries.get(key)
        if entry is None:
            return None
        try:
            problems = [Problem(*p) for p in entry["problems"]]
            loaded = entry["loaded"]
            result = (
                None
                if loaded is None
                else LoadedRecord(
                    _record_from_json(loaded["record"]),
                    loaded["path"],
                    tuple((field, line) for field, line in loaded["lines"]),
                )
            )
        except (KeyError, TypeError, ValueError):
            return None  # an entry we did not write: read the file again
        self.used.add(key)
        return result, problems

    def put(self, key: str, loaded, problems: list[Problem]) -> None:
        self.entries[key] = {
            "loaded": None
            if loaded is None
            else {
                "record": _record_to_json(loaded.record),
                "path": loaded.path,
                "lines": [list(pair) for pair in loaded.lines],
            },
            "problems": [dataclasses.astuple(p) for p in problems],
        }
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Keep the entries of this run's files (atomically); a read-only or full disk
        leaves the cache as it was."""
        if not self.changed and self.used == set(self.entries):
            return
        kept = {key: self.entries[key] for key in sorted(self.used)}
        write_cache_file(self.path, self.version, "files", kept)
