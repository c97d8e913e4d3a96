"""Write rendered pages into ``docs/``: only what changed, and nothing left over.

A manifest (``docs/.generated-manifest.json``) lists the files the generator made, so
a record that was deleted or renamed loses its page, and a hand-written page is never
touched: the writer refuses to replace a file it did not make.

Each page is written to a temporary file and renamed into place, so a reader (or an
interrupted run) sees the old page or the new one, never half of one. The manifest is
written last, and lists the union of old and new files until the new set is complete.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator.problems import Problem

MANIFEST = ".generated-manifest.json"


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def read_manifest(docs_dir: Path) -> list[str]:
    try:
        data = json.loads((docs_dir / MANIFEST).read_text(encoding="utf-8"))
        return [p for p in data.get("files", []) if isinstance(p, str)]
    except (OSError, ValueError, AttributeError):
        return []


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_manifest(docs_dir: Path, files: list[str]) -> None:
    text = json.dumps({"generator": "reading-list", "files": sorted(set(files))}, indent=1) + "\n"
    _atomic_write(docs_dir / MANIFEST, text.encode())


def conflicts(pages: dict[str, str], docs_dir: Path) -> list[Problem]:
    """Pages that would replace a hand-written file, or be written through a link."""
    ours = set(read_manifest(docs_dir))
    found = []
    for page in pages:
        target = docs_dir / page
        if any(
            parent.is_symlink()
            for parent in [target, *target.parents]
            if parent != docs_dir and docs_dir in parent.parents
        ):
            found.append(
                Problem(
                    f"{docs_dir.as_posix()}/{page}",
                    0,
                    "the path goes through a symbolic link",
                    "remove the link; generated pages are plain files",
                )
            )
        elif target.exists() and page not in ours:
            found.append(
                Problem(
                    f"{docs_dir.as_posix()}/{page}",
                    0,
                    "a hand-written file is where a generated page goes",
                    "move or rename the hand-written file",
                )
            )
    return found


def write_pages(pages: dict[str, str], docs_dir: Path) -> WriteResult:
    """Bring ``docs/`` in line with ``pages``. Call ``conflicts`` first."""
    previous = read_manifest(docs_dir)
    _write_manifest(docs_dir, [*previous, *pages])
    written, unchanged = [], 0
    for page, text in pages.items():
        target = docs_dir / page
        data = text.encode("utf-8")
        try:
            if target.read_bytes() == data:
                unchanged += 1
                continue
        except OSError:
            pass
        _atomic_write(target, data)
        written.append(page)
    removed = []
    for page in sorted(set(previous) - set(pages)):
        target = docs_dir / page
        if target.is_file() and not target.is_symlink():
            target.unlink()
            removed.append(page)
            _remove_empty_parents(target.parent, docs_dir)
    _write_manifest(docs_dir, list(pages))
    return WriteResult(tuple(written), tuple(removed), unchanged)


def _remove_empty_parents(folder: Path, docs_dir: Path) -> None:
    while folder != docs_dir and docs_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
