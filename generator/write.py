"""Write rendered pages into ``docs/``: only what changed, nothing left over, all or nothing.

A manifest (``docs/.generated-manifest.json``) lists the files the generator made, so
a record that was deleted or renamed loses its page, and a hand-written page is never
touched: the writer refuses to replace a file it did not make.

A run switches ``docs/`` from the previous set of pages to the new one in three steps:

1. **Stage.** Every page whose text changed, and the new manifest, are written in full
   under ``docs/.generating/`` (a hidden folder, which MkDocs never reads). Nothing
   outside it is touched yet, so a run that is killed, or that hits a full disk or a
   read-only folder, here leaves the previous ``docs/`` exactly as it was.
2. **Commit.** A journal naming the pages to move in and the pages to remove is
   renamed into place in the staging folder: one atomic step. Before it the switch has
   not happened; after it, it has.
3. **Apply.** Each staged page is renamed over its old version (a reader sees the
   old page or the new one, never half of one), orphans are removed, the manifest is
   renamed last, and the staging folder is deleted.

Every run first calls ``recover``: a staging folder with a journal is the switch a
killed run had committed, and is finished; one without is a killed run's unfinished
work, and is deleted. So after any interruption the next run leaves the same tree as
an uninterrupted one, with no temporary file left. (This protects against a killed
process; it does not ``fsync``, so a power cut may still lose the last pages written.)

Nothing is ever written or removed through a symbolic link: ``conflicts`` reports one
on the way to any page, and the writer checks again before it touches a path.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.problems import Problem

MANIFEST = ".generated-manifest.json"
STAGING = ".generating"
JOURNAL = "switch.json"
_FORMAT = "reading-list"
_LINK_IN_THE_WAY = OSError(errno.ELOOP, "a symbolic link is in the way")


@dataclass(frozen=True)
class WriteResult:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


class WriteError(Exception):
    """A page could not be written or removed; ``committed`` says which side ``docs/`` is on.

    Not committed: ``docs/`` is exactly as before. Committed: the switch was decided
    but not finished, and the next run finishes it.
    """

    def __init__(self, path: Path, error: OSError, committed: bool) -> None:
        super().__init__(f"{path}: {error.strerror or error}")
        self.path = path
        self.error = error
        self.committed = committed

    def problem(self, docs_dir: Path) -> Problem:
        code = self.error.errno
        if code in (errno.ENOSPC, errno.EDQUOT):
            fix = "free some disk space, then run it again"
        elif code in (errno.EACCES, errno.EPERM, errno.EROFS):
            fix = f"make {docs_dir.as_posix()}/ and its folders writable, then run it again"
        else:
            fix = "fix that, then run it again"
        state = (
            f"{docs_dir.as_posix()}/ is partly switched; the next run finishes it"
            if self.committed
            else f"{docs_dir.as_posix()}/ is unchanged"
        )
        reason = self.error.strerror or type(self.error).__name__
        return Problem(self.path.as_posix(), 0, f"could not write ({reason}); {state}", fix)


def is_safe(relative: str) -> bool:
    """A plain relative path inside the output folder: no '..', no absolute path."""
    return (
        bool(relative)
        and "\\" not in relative
        and all(part not in ("", ".", "..") for part in relative.split("/"))
    )


def read_manifest(docs_dir: Path) -> list[str]:
    """The pages the generator made last time (unsafe entries are ignored, never removed)."""
    try:
        data = json.loads((docs_dir / MANIFEST).read_text(encoding="utf-8"))
        return [p for p in data.get("files", []) if isinstance(p, str) and is_safe(p)]
    except (OSError, ValueError, AttributeError):
        return []


def manifest_text(files: list[str]) -> str:
    return json.dumps({"generator": _FORMAT, "files": sorted(set(files))}, indent=1) + "\n"


class _Links:
    """Answers "does this path go through a symbolic link below docs/?", each folder once."""

    def __init__(self, docs_dir: Path) -> None:
        self.root = os.fspath(docs_dir)
        self.known: dict[str, bool] = {}

    def first_link(self, relative: str, *, folders_only: bool = False) -> str | None:
        """The first link on the way to ``relative`` (itself too, unless ``folders_only``)."""
        parts = relative.split("/")
        path = self.root
        for part in parts[:-1] if folders_only else parts:
            path = os.path.join(path, part)
            linked = self.known.get(path)
            if linked is None:
                linked = self.known[path] = os.path.islink(path)
            if linked:
                return path
        return None


def conflicts(pages: Mapping[str, str], docs_dir: Path) -> list[Problem]:
    """Pages that would replace a hand-written file, or be written or removed through a link."""
    ours = set(read_manifest(docs_dir))
    links = _Links(docs_dir)
    found: list[Problem] = []

    def linked(relative: str) -> None:
        found.append(
            Problem(
                f"{docs_dir.as_posix()}/{relative}",
                0,
                "the path goes through a symbolic link",
                "remove the link; generated pages are plain files",
            )
        )

    if (docs_dir / STAGING).is_symlink():
        linked(STAGING)
    for page in pages:
        if links.first_link(page) is not None:
            linked(page)
        elif page not in ours and os.path.lexists(os.path.join(links.root, page)):
            found.append(
                Problem(
                    f"{docs_dir.as_posix()}/{page}",
                    0,
                    "a hand-written file is where a generated page goes",
                    "move or rename the hand-written file",
                )
            )
    # Pages of deleted records are removed: never through a linked folder either.
    for page in sorted(ours - set(pages)):
        if links.first_link(page, folders_only=True) is not None:
            linked(page)
    return found


def read_if_plain(path: str) -> bytes | None:
    """The bytes of a regular file, never following a link; ``None`` if there is none."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(handle, "rb") as stream:
        return stream.read()


def _writable(folder: Path, docs_dir: Path) -> OSError | None:
    """Why files cannot be added to (or removed from) ``folder``, if they cannot."""
    while not folder.exists() and folder != docs_dir and folder != folder.parent:
        folder = folder.parent  # it will be made inside the nearest folder that exists
    if os.access(folder, os.W_OK | os.X_OK):
        return None
    code = errno.EROFS if _read_only_filesystem(folder) else errno.EACCES
    return OSError(code, os.strerror(code), str(folder))


def _read_only_filesystem(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _folders(pages: list[str]) -> list[str]:
    """The folders (relative, '' for the top) holding ``pages``, parents first."""
    return sorted({page.rpartition("/")[0] for page in pages})


def recover(docs_dir: Path) -> str | None:
    """Finish or discard what an interrupted run left in ``docs/``; say what was done."""
    staging = docs_dir / STAGING
    if staging.is_symlink() or not staging.is_dir():
        return None  # a link is reported by ``conflicts`` and never followed
    try:
        journal = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
        moves = [p for p in journal["write"] if isinstance(p, str) and is_safe(p)]
        removals = [p for p in journal["remove"] if isinstance(p, str) and is_safe(p)]
    except (OSError, ValueError, KeyError, TypeError):
        try:
            shutil.rmtree(staging)
        except OSError as error:
            raise WriteError(staging, error, committed=False) from error
        return f"{docs_dir.as_posix()}/: removed the unfinished work of an interrupted run; the pages are as they were before it"
    _apply(docs_dir, moves, removals)
    return f"{docs_dir.as_posix()}/: finished the switch to new pages that an interrupted run had committed"


def write_pages(pages: Mapping[str, str], docs_dir: Path) -> WriteResult:
    """Bring ``docs/`` in line with ``pages``, all or nothing. Call ``conflicts`` first.

    Raises ``WriteError`` when the disk is full, a folder is read-only, or a path goes
    through a symbolic link; ``docs/`` is then as it was (or, past the commit, finished
    by the next run).
    """
    for page in pages:
        if not is_safe(page) or page == MANIFEST or page.split("/")[0] == STAGING:
            raise ValueError(f"not a page path: {page!r}")
    try:
        if not docs_dir.is_dir():
            docs_dir.mkdir(parents=True)
    except OSError as error:
        raise WriteError(docs_dir, error, committed=False) from error
    recover(docs_dir)
    previous = read_manifest(docs_dir)
    links = _Links(docs_dir)
    root = links.root
    # Names only, each page's bytes taken again when it is staged (``_utf8``), so a first
    # run over a large list does not hold every page twice.
    changed: list[str] = []
    unchanged = 0
    # Pages the render cache read from this very folder a moment ago (render.Pages).
    as_read = getattr(pages, "as_read", set()) if _same_folder(pages, docs_dir) else set()
    for page in pages:
        if links.first_link(page, folders_only=True) is not None:
            raise WriteError(docs_dir / page, _LINK_IN_THE_WAY, committed=False)
        # A link at the page itself reads as no file: the page replaces the link.
        if page in as_read or read_if_plain(os.path.join(root, page)) == _utf8(pages, page):
            unchanged += 1
        else:
            changed.append(page)
    removals = []
    for page in sorted(set(previous) - set(pages)):
        if links.first_link(page, folders_only=True) is not None:
            raise WriteError(docs_dir / page, _LINK_IN_THE_WAY, committed=False)
        target = os.path.join(root, page)
        if os.path.isfile(target) and not os.path.islink(target):
            removals.append(page)
    manifest = manifest_text(list(pages))
    if (
        not changed
        and not removals
        and read_if_plain(os.path.join(root, MANIFEST)) == manifest.encode()
    ):
        return WriteResult((), (), unchanged)
    _stage(docs_dir, pages, changed, removals, manifest)
    _apply(docs_dir, changed, removals)
    return WriteResult(tuple(changed), tuple(removals), unchanged)


def _same_folder(pages: Mapping[str, str], docs_dir: Path) -> bool:
    folder = getattr(pages, "read_from", None)
    try:
        return folder is not None and os.path.samefile(folder, docs_dir)
    except OSError:
        return False


def _utf8(pages: Mapping[str, str], page: str) -> bytes:
    """A page's bytes: as ``render.Pages`` keeps them, or encoded here."""
    encoded = getattr(pages, "encoded", None)
    return encoded(page) if encoded is not None else pages[page].encode("utf-8")


def _stage(
    docs_dir: Path,
    pages: Mapping[str, str],
    changed: list[str],
    removals: list[str],
    manifest: str,
) -> None:
    """Steps 1 and 2: every new file under docs/.generating/, then the journal (the commit)."""
    staging = docs_dir / STAGING
    root = os.fspath(staging)
    current = docs_dir
    try:
        for folder in _folders([*changed, *removals]):
            current = docs_dir / folder
            problem = _writable(current, docs_dir)
            if problem is not None:
                raise problem
        current = docs_dir
        staging.mkdir()
        for folder in _folders(changed):
            if folder:
                os.makedirs(os.path.join(root, folder), exist_ok=True)
        for page in changed:
            current = docs_dir / page
            with open(os.path.join(root, page), "xb") as stream:
                stream.write(_utf8(pages, page))
        current = docs_dir / MANIFEST
        (staging / MANIFEST).write_text(manifest, encoding="utf-8")
        current = staging / JOURNAL
        journal = json.dumps({"write": changed, "remove": removals}, indent=0)
        (staging / f".{JOURNAL}.tmp").write_text(journal, encoding="utf-8")
        os.replace(staging / f".{JOURNAL}.tmp", staging / JOURNAL)
    except BaseException as error:
        if staging.is_dir() and not staging.is_symlink():
            shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError):
            raise WriteError(current, error, committed=False) from error
        raise


def _apply(docs_dir: Path, moves: list[str], removals: list[str]) -> None:
    """Step 3, which may be repeated: move staged pages in, remove orphans, then the manifest."""
    staging = docs_dir / STAGING
    links = _Links(docs_dir)
    root, staged = links.root, os.fspath(staging)
    current = docs_dir
    try:
        for folder in _folders(moves):
            current = docs_dir / folder
            if folder and links.first_link(folder) is None:
                os.makedirs(current, exist_ok=True)
        for page in moves:
            current = docs_dir / page
            if links.first_link(page, folders_only=True) is not None:
                continue  # never through a link (``write_pages`` refused one already)
            try:
                os.replace(os.path.join(staged, page), os.path.join(root, page))
            except FileNotFoundError:
                if os.path.exists(os.path.join(staged, page)):
                    raise
                # moved in already, by the run this one finishes
        for page in removals:
            current = docs_dir / page
            target = os.path.join(root, page)
            if links.first_link(page) is None and os.path.isfile(target):
                os.unlink(target)
                _remove_empty_parents(current.parent, docs_dir)
        current = docs_dir / MANIFEST
        if (staging / MANIFEST).is_file():
            os.replace(staging / MANIFEST, current)
        current = staging
        (staging / JOURNAL).unlink(missing_ok=True)
        shutil.rmtree(staging)
    except OSError as error:
        raise WriteError(current, error, committed=True) from error


def _remove_empty_parents(folder: Path, docs_dir: Path) -> None:
    while folder != docs_dir and docs_dir in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


# -- the built site --------------------------------------------------------------------
#
# MkDocs builds into a hidden sibling of site/ (``.site.building``); only a build that
# succeeded replaces site/, in one step where Linux allows it (renameat2 with
# RENAME_EXCHANGE swaps the two folders, so site/ is never missing), else in two
# renames through ``.site.old``, which ``recover_site`` puts back if a run is killed
# between them. The previous site/ is deleted without following any link inside it.


def site_staging(site: Path) -> Path:
    return site.with_name(f".{site.name}.building")


def _site_retired(site: Path) -> Path:
    return site.with_name(f".{site.name}.old")


def _remove(path: Path) -> None:
    """Delete a leftover file, folder or link (a link itself, never what it points to)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def recover_site(site: Path) -> str | None:
    """Undo what an interrupted build left beside site/; say what was done."""
    retired, staging = _site_retired(site), site_staging(site)
    note = None
    if retired.is_dir() and not retired.is_symlink() and not os.path.lexists(site):
        retired.rename(site)  # killed between the two renames: the old site goes back
        note = f"{site.as_posix()}/: put back the site an interrupted build had moved aside"
    for leftover in (staging, retired):
        if os.path.lexists(leftover):
            _remove(leftover)
            note = note or f"{site.as_posix()}/: removed what an interrupted build left behind"
    return note


def site_problems(site: Path) -> list[Problem]:
    """Why site/ cannot be replaced by a new build (checked before building)."""
    where = site.as_posix()
    if site.is_symlink():
        return [
            Problem(
                where,
                0,
                "the output folder is a symbolic link",
                "remove the link; the site is built into a plain folder (copy it elsewhere after the build)",
            )
        ]
    if os.path.lexists(site) and not site.is_dir():
        return [Problem(where, 0, "the output folder is a file", "move or delete the file")]
    folders = [site.parent]
    if site.is_dir():
        folders += [Path(top) for top, _, _ in os.walk(site)]
    for folder in folders:
        problem = _writable(folder, folder)
        if problem is not None:
            return [
                Problem(
                    folder.as_posix(),
                    0,
                    f"cannot replace the site ({problem.strerror})",
                    f"make {where}/ and the folder it is in writable, then build again",
                )
            ]
    return []


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux); ``False`` where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def install_site(built: Path, site: Path) -> str | None:
    """Make the finished build in ``built`` the site, then delete the previous one.

    Raises ``OSError`` with site/ unchanged; returns a warning if only the deletion of
    the previous site failed (the next build retries it).
    """
    if not os.path.lexists(site):
        built.rename(site)
        return None
    if _exchange(built, site):
        previous = built
    else:
        previous = _site_retired(site)
        site.rename(previous)
        try:
            built.rename(site)
        except OSError:
            previous.rename(site)
            raise
    try:
        shutil.rmtree(previous)
    except OSError as error:
        return f"{previous.as_posix()}: could not delete the previous site ({error.strerror}); the next build deletes it"
    return None
