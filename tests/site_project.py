"""Build a throwaway copy of the project (config, templates, hand-written docs, records)
so site tests never write into the working tree's docs/ or site/."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Fixed so two builds compare byte for byte (sitemap dates, copyright years).
SOURCE_DATE_EPOCH = "1767225600"


def make_project(target: Path, records: Path | None = None) -> Path:
    """A project folder at ``target`` with the repository's site inputs.

    ``records`` replaces seeds/records/ when given.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "pagefind.yml"):
        shutil.copy2(ROOT / name, target / name)
    for folder in ("templates", "schema", "overrides"):
        shutil.copytree(ROOT / folder, target / folder)
    (target / "generator").symlink_to(ROOT / "generator")  # the hook is loaded by path
    docs = target / "docs"
    docs.mkdir()
    for name in ("contribute.md", "assets"):
        source = ROOT / "docs" / name
        if source.is_dir():
            shutil.copytree(source, docs / name)
        else:
            shutil.copy2(source, docs / name)
    seeds = target / "seeds"
    seeds.mkdir()
    for vocabulary in ("themes.yml", "tags.yml"):
        shutil.copy2(ROOT / "seeds" / vocabulary, seeds / vocabulary)
    shutil.copytree(records or ROOT / "seeds" / "records", seeds / "records")
    if records is None:  # the reading paths name seed records
        shutil.copytree(ROOT / "seeds" / "paths", seeds / "paths")
    return target


def set_readings_per_page(project: Path, count: int) -> None:
    """Lists of more than ``count`` readings go on over pages (mkdocs.yml)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "readings_per_page: 100\n" in text
    config.write_text(text.replace("readings_per_page: 100\n", f"readings_per_page: {count}\n"))


def run_generator(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    full_env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def build(project: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    done = run_generator(project, "build", env=env)
    assert done.returncode == 0, f"build failed:\n{done.stdout}\n{done.stderr}"
    return done


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder``: path -> SHA-256, to compare two builds byte for byte."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@contextlib.contextmanager
def mkdocs_serving(project: Path, log_path: Path, *options: str) -> Iterator[int]:
    """``mkdocs serve`` of ``project`` on a free port, which it yields; output to ``log_path``.

    It is stopped with Ctrl-C (SIGINT), as a person stops it: MkDocs then deletes the
    temporary folder it served the site from. SIGTERM would end it before that and
    leave a ``mkdocs_*`` folder of the whole site behind on every run, which filled
    the disk of a machine that runs the tests often. The temporary folder is the
    test's own, and is checked to be empty afterwards.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    temporary = log_path.parent / "mkdocs-serve-tmp"
    temporary.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "NO_MKDOCS_2_WARNING": "1",
        "TMPDIR": str(temporary),
    }
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield port
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    left = sorted(p.name for p in temporary.iterdir())
    assert not left, f"mkdocs serve left {left} in its temporary folder"
