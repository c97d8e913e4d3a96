"""Checks of a whole records folder: every file, then what only shows across files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import record_files
from generator.duplicates import DuplicateFinder
from generator.model import fold
from generator.parse_cache import ParseCache
from generator.problems import Problem
from generator.progress import track
from generator.settings import named_by_folder


@dataclass(frozen=True)
class Checked:
    """The records that loaded, and every problem found; build only when no errors."""

    loaded: tuple[record_files.LoadedRecord, ...]
    problems: tuple[Problem, ...]


def display(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def check_folder(
    records_dir: Path, latest_year: int | None = None, cache: ParseCache | None = None
) -> Checked:
    """Every record file of a folder, read and checked; with a ``cache``, files an
    earlier run read unchanged are taken from it (generator/parse_cache.py). Saving the
    cache is the caller's choice."""
    problems: list[Problem] = []
    loaded: list[record_files.LoadedRecord] = []
    paths = record_files.record_paths(records_dir)
    if not records_dir.is_dir():
        problems.append(
            Problem(
                display(records_dir),
                0,
                "the records folder does not exist",
                "run `python -m generator import seeds/*.txt` or pass --records DIR",
            )
        )
    shown = named_by_folder(paths, display)
    for path, name in track(zip(paths, shown, strict=True), len(paths), "reading records"):
        record, found = record_files.load(path, name, latest_year, cache)
        problems += found
        if record is not None:
            loaded.append(record)
    problems += across_files(loaded, shown)
    return Checked(tuple(loaded), tuple(sorted(set(problems))))


def across_files(loaded: list[record_files.LoadedRecord], paths: list[str]) -> list[Problem]:
    """Ids equal ignoring case or Unicode form, and likely duplicate records."""
    problems: list[Problem] = []
    first_by_folded: dict[str, str] = {}
    for path in sorted(paths):
        stem = Path(path).stem
        other = first_by_folded.setdefault(fold(stem), path)
        if other != path:
            problems.append(
                Problem(
                    path,
                    1,
                    f"the file name equals '{other}' ignoring case and Unicode form",
                    "give one record another id and rename its file to match",
                )
            )
    finder = DuplicateFinder()
    for item in sorted(loaded, key=lambda r: r.path):
        earlier = finder.match(item.record)
        if earlier is not None:
            other_path, reason = earlier
            problems.append(
                Problem(
                    item.path,
                    1,
                    f"looks like a duplicate of {other_path} ({reason})",
                    "delete one of the two files, or merge what they hold into one",
                )
            )
        finder.add(item.record, item.path)
    return problems
