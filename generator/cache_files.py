"""Files under ``.cache/``: JSON with a version, read leniently and written atomically.

A cache only saves time, so reading one that is missing, unreadable or made by other
code gives nothing (the work is done again), and failing to write one (a full disk, a
read-only checkout) leaves what was there and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path


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
    # Compact: with an indent, json uses its pure-Python encoder, 10 times slower on the
    # tens of megabytes a long list's caches hold.
    text = json.dumps({"version": version, key: table}, ensure_ascii=False, separators=(",", ":"))
    made_folder = not path.parent.exists()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text + "\n", encoding="utf-8")
        os.replace(temporary, path)
        return True
    except OSError:
        temporary.unlink(missing_ok=True)
        if made_folder:
            with contextlib.suppress(OSError):
                path.parent.rmdir()
        return False
