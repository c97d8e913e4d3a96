"""Import raw exports into record files: read all, decide all, then write all or nothing.

A record already present (same source line, same title, or same authors, year and
abstract) is reported and skipped, so re-running an import adds nothing, and an
existing file, edited or not, is never written over.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from generator import record_files
from generator.duplicates import DuplicateFinder
from generator.ids import fresh_ids
from generator.model import Record
from generator.problems import Problem, errors
from generator.progress import track
from generator.sources import bibtex, ris, seed_export
from generator.validate import display

READERS = {".txt": seed_export.read, ".ris": ris.read, ".bib": bibtex.read}


@dataclass(frozen=True)
class ImportResult:
    added: tuple[str, ...]  # paths of the record files written
    skipped: tuple[Problem, ...]  # records already present, as warnings
    problems: tuple[Problem, ...]  # what stopped the import; nothing was written then
    warnings: tuple[Problem, ...] = ()  # what a reader left out, e.g. an unsafe address


def read_exports(paths: list[Path]) -> tuple[list[Record], list[Problem]]:
    records: list[Record] = []
    problems: list[Problem] = []
    for path in paths:
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            known = ", ".join(sorted(READERS))
            problems.append(
                Problem(
                    display(path),
                    0,
                    f"unknown export format '{path.suffix}'",
                    f"import files ending in {known}",
                )
            )
            continue
        found, found_problems = reader(path, display(path))
        records += found
        problems += found_problems
    return records, problems


def import_exports(paths: list[Path], records_dir: Path, schema_file: Path) -> ImportResult:
    new_records, problems = read_exports(paths)
    if errors(problems):
        return ImportResult((), (), tuple(sorted(problems)))
    finder = DuplicateFinder()
    taken: list[str] = []
    unreadable: list[Problem] = []
    for path in record_files.record_paths(records_dir):
        taken.append(path.stem)
        loaded, found = record_files.load(path, display(path))
        if loaded is not None:
            finder.add(loaded.record, loaded.record.id or path.stem)
        else:
            # A record that cannot be read cannot be compared: importing now could add
            # it a second time.
            unreadable += found
    if unreadable:
        return ImportResult((), (), tuple(sorted(unreadable)))
    to_add: list[Record] = []
    skipped: list[Problem] = []
    for record in new_records:
        assert record.source is not None
        match = finder.match(record)
        if match is not None:
            earlier, reason = match
            skipped.append(
                Problem(
                    record.source.file,
                    record.source.line,
                    f"already present as {earlier} ({reason})",
                    "skipped; edit that record instead",
                    "warning",
                )
            )
            continue
        finder.add(record, f"{record.source.file}:{record.source.line}")
        to_add.append(record)
    ids = fresh_ids(to_add, taken)
    schema_ref = Path(os.path.relpath(schema_file, records_dir)).as_posix()
    added = record_files.today()  # from SOURCE_DATE_EPOCH when set, so imports reproduce
    files = {
        records_dir / f"{new_id}.yml": record_files.serialize(
            replace(r, id=new_id, added=r.added or added), schema_ref
        )
        for new_id, r in zip(ids, to_add, strict=True)
    }
    try:
        write_new_files(files)
    except OSError as error:
        problem = Problem(
            display(records_dir),
            0,
            f"could not write the record files ({error.strerror}); nothing was written",
            "check the folder exists, is writable and the disk has space",
        )
        return ImportResult((), tuple(skipped), (problem,))
    return ImportResult(
        tuple(display(p) for p in files), tuple(skipped), (), tuple(sorted(problems))
    )


def write_new_files(files: dict[Path, str]) -> None:
    """Create every file or none. Never replaces a file that exists.

    Each file is first written in full under a temporary name, then linked to its
    real name, which fails if that name exists; on any failure every file made so far
    is removed again.
    """
    made: list[Path] = []
    try:
        for path, text in track(files.items(), len(files), "writing record files"):
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            made.append(temporary)
            with open(temporary, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for path in files:
            os.link(path.with_name(f".{path.name}.tmp"), path)
            made.append(path)
    except OSError:
        for path in made:
            path.unlink(missing_ok=True)
        raise
    finally:
        for path in files:
            path.with_name(f".{path.name}.tmp").unlink(missing_ok=True)
