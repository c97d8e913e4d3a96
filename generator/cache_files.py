"""Files under ``.cache/``: JSON with a version, read leniently and written atomically.

A cache only saves time, so reading one that is missing, unreadable or made by other
code gives nothing (the work is done again), and failing to write one (a full disk, a
read-only checkout) leaves what was there and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

# A table of more entries than this is written an entry at a time (``_json_chunks``).
_STREAMED = 1000


def read_cache_file(path: Path, version: str, key: str) -> dict | None:
    """The ``key`` table of a cache file written with ``version``, or None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != version:
        return None
    table = data.get(key)
    return table if isinstance(table, dict) else None


def write_cache_file(path: Path, version: str, key: str, table: dict) -> bool:
    """Replace ``path`` with ``{"version": version, key: table}`` in one step; whether
    it was written."""
    made_folder = not path.parent.exists()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.writelines(_json_chunks({"version": version, key: table}))
            stream.write("\n")
        os.replace(temporary, path)
        return True
    except OSError:
        temporary.unlink(missing_ok=True)
        if made_folder:
            with contextlib.suppress(OSError):
                path.parent.rmdir()
        return False


def _json_chunks(value: object) -> Iterator[str]:
    """Compact JSON, a large table (a dict of over ``_STREAMED`` entries, or one holding
    such a table) an entry at a time: the text of a whole cache (tens of megabytes on a
    long list) is never held at once, and each entry still goes through json's C
    encoder (``json.dump`` streams through its Python one, ten times slower)."""
    if not isinstance(value, dict) or not _holds_large_table(value):
        yield json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return
    yield "{"
    for n, (name, inner) in enumerate(value.items()):
        yield ("," if n else "") + json.dumps(name, ensure_ascii=False) + ":"
        yield from _json_chunks(inner)
    yield "}"


def _holds_large_table(value: dict, depth: int = 0) -> bool:
    return len(value) > _STREAMED or (
        depth < 2
        and any(isinstance(v, dict) and _holds_large_table(v, depth + 1) for v in value.values())
    )
