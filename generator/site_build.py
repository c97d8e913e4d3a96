"""The MkDocs build of ``python -m generator build``, on several cores.

MkDocs builds one page after another on one core. Here as many MkDocs processes as
the machine has cores (at most ``MOST_PROCESSES``) build the same ``docs/`` at once,
each into a folder of its own, with ``READING_LIST_SHARE=k/n``: the hook
(generator/mkdocs_hook.py) has each process render its share of the generated HTML
pages and give every other page a template that renders nothing, for which MkDocs
writes no file. Share 0 also builds every Markdown page, copies the static files and
writes the sitemap and 404 page, into the folder that becomes the site; the files of
the other shares are then moved into it. Every process checks the links of the pages
it renders (``--strict``), so the site and its checks are those of one ``mkdocs
build``; ``tests/test_parallel_build.py`` builds the seed site both ways and compares.

``python -m generator.site_build SITE`` runs it alone, as the benchmark does.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from generator.mkdocs_hook import PAGES_WRITTEN, SHARE

PROCESSES = "READING_LIST_BUILD_PROCESSES"  # how many MkDocs processes; default: the cores
# Each process holds every page's metadata: at 10,000 records one took 557 MiB and two
# 775 MiB together (BENCHMARKS.md). Two keep a list that size under 1 GB; more cores
# can be asked for with READING_LIST_BUILD_PROCESSES.
MOST_PROCESSES = 2


@dataclass(frozen=True)
class Built:
    returncode: int  # the first failed process's, else 0
    stderr: str  # what the processes said, share by share
    processes: int
    peak_mib: float  # the processes' peaks added up: they never held more at once
    moved: tuple[int, ...] = ()  # files each share but the first added to the site


def processes() -> int:
    given = os.environ.get(PROCESSES, "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, min(os.cpu_count() or 1, MOST_PROCESSES))


def build(site: Path, env: dict[str, str] | None = None, verbose: bool = False) -> Built:
    """Build ``docs/`` (already generated) into ``site``, replacing what is there. The
    other shares' folders are gone afterwards, whatever happened; on a failure ``site``
    holds a part of the site, which the caller throws away.
    With ``verbose``, MkDocs' messages go straight to standard error."""
    count = processes()
    folders = [site] + [site.with_name(f"{site.name}.share-{k}") for k in range(1, count)]
    base = {**(env or os.environ), PAGES_WRITTEN: "1"}
    running: list[tuple[subprocess.Popen, IO[str] | None]] = []
    returncode, peak_kib, said, moved = 0, 0, [], []
    try:
        with tempfile.TemporaryDirectory(prefix="mkdocs-messages-") as messages:
            for k, folder in enumerate(folders):
                shutil.rmtree(folder, ignore_errors=True)
                log = None
                if not verbose:  # a file, not a pipe: a full pipe would stall the process
                    log = open(Path(messages) / f"{k}.txt", "w+", encoding="utf-8")  # noqa: SIM115
                running.append((_start(folder, {**base, SHARE: f"{k}/{count}"}, log), log))
            for process, log in running:
                if hasattr(os, "wait4"):  # each process's own peak memory, to add them up
                    _, status, usage = os.wait4(process.pid, 0)
                    process.returncode = os.waitstatus_to_exitcode(status)
                    peak_kib += usage.ru_maxrss
                else:  # Windows: no memory figure
                    process.wait()
                returncode = returncode or process.returncode
                if log is not None:
                    log.seek(0)
                    said.append(log.read())
                    log.close()
        if returncode == 0:
            moved = [_move_in(folder, site) for folder in folders[1:]]
    finally:
        for process, _ in running:
            if process.returncode is None:  # interrupted: stop the others too
                process.kill()
                process.wait()
        for folder in folders[1:]:
            shutil.rmtree(folder, ignore_errors=True)
    return Built(returncode, "".join(said), count, peak_kib / 1024, tuple(moved))


def _start(folder: Path, env: dict[str, str], log: IO[str] | None) -> subprocess.Popen:
    # Never --quiet: MkDocs 1.6 then drops warnings before --strict counts them, and a
    # broken link passes.
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def _move_in(share: Path, site: Path) -> int:
    """Move a share's pages into the site: every file share 0 did not write (share 0's
    sitemap and 404 page stand; the others' copies of them are left behind). Returns
    how many were moved."""
    moved = 0
    for folder, _, names in os.walk(share):
        for name in names:
            source = Path(folder, name)
            target = site / source.relative_to(share)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
                moved += 1
    return moved


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m generator.site_build SITE", file=sys.stderr)
        return 2
    built = build(Path(args[0]))
    sys.stderr.write(built.stderr)
    others = "".join(f", {n} pages from share {k}" for k, n in enumerate(built.moved, 1))
    print(
        f"built {args[0]} with {built.processes} MkDocs process(es){others}; "
        f"{built.peak_mib:.0f} MiB at most together"
    )
    return built.returncode


if __name__ == "__main__":
    sys.exit(main())
