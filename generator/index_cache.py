"""What indexing worked out for each record in earlier runs: ``.cache/record-index.json``.

Half of indexing a long list is work that depends on one record alone: placing it in
themes and tags by the vocabulary's rules, and reading its authors' names (at 10,000
records, 2.4 s of 5.2 s). Between two runs almost every record is unchanged, so that
work is kept here, each result under the SHA-256 of exactly what it was worked out
from. What the records share (groups, order, related readings) is worked out again
every run. (Splitting texts into words for related readings is not kept: reading the
kept words back took as long as splitting them again.)

The whole cache is dropped when the indexing code, the vocabulary files or the name
parser change. It is JSON (never pickle) and only a cache: deleting it loses nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from generator import model
from generator.cache_files import read_cache_file, write_cache_file
from generator.model import Record
from generator.vocabulary import Classification, Vocabulary, classify

FILE_NAME = "record-index.json"
# The modules whose code decides what indexing one record gives.
_INDEXING_CODE = ("index.py", "vocabulary.py", "model.py")


def version(vocabulary_files: Iterable[Path]) -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"nameparser={metadata.version('nameparser')}\0".encode())
    for path in [*(here / name for name in _INDEXING_CODE), *vocabulary_files]:
        digest.update(f"{path.name}\0".encode())
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return digest.hexdigest()[:16]


def _is_name_facts(facts: object) -> bool:
    return (
        isinstance(facts, list)
        and len(facts) == 4
        and all(isinstance(part, str) for part in facts[:3])
        and isinstance(facts[3], bool)
    )


def _key(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


class IndexCache:
    """Each record's themes and tags (by its title, abstract, themes and tags), and what
    nameparser read in each author's name."""

    def __init__(self, cache_dir: Path, version: str) -> None:
        self.path = cache_dir / FILE_NAME
        self.version = version
        before = read_cache_file(self.path, version, "index") or {}
        self.before = {part: before.get(part) or {} for part in ("places", "names")}
        self.now: dict[str, dict] = {"places": {}, "names": {}}
        model.remember_names(
            {
                name: (facts[0], facts[1], facts[2], facts[3])
                for name, facts in self.before["names"].items()
                if _is_name_facts(facts)
            }
        )

    def classify(self, record: Record, vocabulary: Vocabulary) -> Classification:
        """``vocabulary.classify``, as an earlier run worked it out when it can."""
        key = _key(record.title, record.abstract, record.themes, record.tags)
        known = self.before["places"].get(key)
        try:
            found = Classification(
                tuple(known[0]), tuple(known[1]), tuple((a, b) for a, b in known[2])
            )
        except (TypeError, ValueError, IndexError):
            found = classify(record, vocabulary)
        self.now["places"][key] = [
            list(found.themes),
            list(found.tags),
            [list(reason) for reason in found.reasons],
        ]
        return found

    def save(self, names: Iterable[str]) -> None:
        """Keep this run's records and ``names`` (atomically); a failure keeps the old."""
        self.now["names"] = {name: list(model.name_facts(name)) for name in sorted(names)}
        now = {part: dict(sorted(table.items())) for part, table in self.now.items()}
        if now != self.before:
            write_cache_file(self.path, self.version, "index", now)
