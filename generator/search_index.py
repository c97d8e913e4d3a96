"""The site search: run Pagefind on a built site, before the site replaces ``site/``.

Pagefind (https://pagefind.app) reads the built HTML and writes a search index split
into small files under ``pagefind/`` in the site, so a reader's first search fetches a
few hundred kilobytes instead of the whole index. The ``pagefind-bin`` package carries
the binary; nothing is downloaded at build time. ``pagefind.yml`` in the project root
holds its settings; ``overrides/main.html`` marks what it indexes and
``docs/assets/search.js`` is the search box.

One index for the whole site, though Pagefind holds every indexed page in memory
until it writes (about 180 kB per record page: 1.8 GB at 10,000 records, and no
setting lowers it; Pagefind/pagefind#842). Indexing the site in parts that the
browser merges (Pagefind's ``mergeIndex``) would bound that, but Pagefind answers a
word missing from an index with the longest prefix it does hold, so every part
without the word adds unrelated results: "watershed" found 11 pages instead of 1 on
the seed site split in five. The branch ``experiment/search-in-parts`` has that
attempt and its browser test.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "pagefind.yml"
OUTPUT_SUBDIR = "pagefind"


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why, in Pagefind's words."""


@dataclass(frozen=True)
class Indexed:
    """What Pagefind reported: pages and words indexed."""

    pages: int
    words: int


def executable() -> Path:
    """The Pagefind binary that the ``pagefind-bin`` package installed."""
    try:
        from pagefind_bin import get_executable
    except ImportError as error:
        raise SearchIndexError(
            "Pagefind is not installed: run `pip install -e .` (it comes with the "
            "pagefind-bin package), or `make site`, which installs it"
        ) from error
    try:
        return get_executable()
    except FileNotFoundError as error:
        raise SearchIndexError(
            f"the pagefind-bin package has no binary for this machine ({error}); "
            "reinstall it with `pip install --force-reinstall pagefind-bin`"
        ) from error


def _count(pattern: str, output: str) -> int:
    found = re.search(pattern, output)
    return int(found[1]) if found else 0


def messages(stdout: str, stderr: str) -> str:
    """What Pagefind said went wrong: all it wrote to stderr (its errors, with their
    details on the lines after), and the warning lines of its progress report."""
    kept = [line.strip() for line in stderr.splitlines() if line.strip()]
    kept += [
        line.strip()
        for line in stdout.splitlines()
        if re.search(r"\b(error|warn|warning|failed|panicked)\b", line, re.IGNORECASE)
    ]
    return "".join(f"pagefind: {line}\n" for line in dict.fromkeys(kept))


def index_site(site: Path, root: Path, env: dict[str, str] | None = None) -> Indexed:
    """Index the built ``site`` into ``site/pagefind/``, reading ``root/pagefind.yml``.

    Raises ``SearchIndexError`` with Pagefind's own messages when it fails or indexes
    no page (which would leave the search box empty on every page).
    """
    command = [
        str(executable()),
        "--site",
        str(site.resolve()),
        # assets/search.js and overrides/partials/search.html look for it there.
        "--output-subdir",
        OUTPUT_SUBDIR,
    ]
    try:
        done = subprocess.run(
            command,
            cwd=root,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as error:
        raise SearchIndexError(f"could not run {command[0]}: {error.strerror}") from error
    output = f"{done.stdout}\n{done.stderr}"
    if done.returncode != 0:
        shown = messages(done.stdout, done.stderr) or "".join(
            f"pagefind: {line}\n" for line in output.strip().splitlines()[-5:]
        )
        raise SearchIndexError(f"pagefind exited with status {done.returncode}:\n{shown}")
    indexed = Indexed(
        pages=_count(r"Indexed (\d+) pages?", output),
        words=_count(r"Indexed (\d+) words?", output),
    )
    if indexed.pages == 0:
        raise SearchIndexError(
            "pagefind indexed no page: no page of the built site has a "
            "data-pagefind-body element (overrides/main.html adds it)\n"
            + messages(done.stdout, done.stderr)
        )
    return indexed


def indexed_pages(site: Path) -> dict[str, dict]:
    """What Pagefind stored for each indexed page, by address: its text (``content``),
    ``meta`` (title, authors) and headings. Read from the index's fragment files, which
    are gzipped JSON behind a ``pagefind_dcd`` signature; for tests and the benchmark."""
    import gzip
    import json

    signature = b"pagefind_dcd"
    pages: dict[str, dict] = {}
    for path in sorted((site / OUTPUT_SUBDIR / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        if data.startswith(signature):
            fragment = json.loads(data[len(signature) :].decode("utf-8"))
            pages[fragment["url"]] = fragment
    return pages
