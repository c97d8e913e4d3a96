"""Faults: a run killed halfway, a full disk, a read-only output folder, deleted and
renamed records, and symbolic links in the output folders.

After any of them the previous ``docs/`` and ``site/`` are intact (or, for a run killed
after it committed its switch, the next run finishes it), no truncated or temporary
file is left where MkDocs or a reader would see it, the next run leaves exactly the
tree an uninterrupted run makes, and nothing is ever written through a link.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from generator import cli, record_files
from generator.model import Person
from generator.sitecheck import check_links
from generator.write import (
    JOURNAL,
    MANIFEST,
    STAGING,
    WriteError,
    manifest_text,
    read_manifest,
    recover_site,
    write_pages,
)
from tests.conftest import SOURCE_DATE_EPOCH, run_cli
from tests.site_project import ROOT, build, make_project

SEEDS = ROOT / "seeds" / "records"


def digest(folder: Path, *, hidden: bool = True) -> dict[str, str]:
    """path -> sha256 (or 'link -> target') of every file under ``folder``, links not
    followed; ``hidden=False`` leaves out the writer's staging folder."""
    found = {}
    for top, dirs, files in os.walk(folder):
        if not hidden and Path(top) == folder and STAGING in dirs:
            dirs.remove(STAGING)
        for name in files + [d for d in dirs if (Path(top) / d).is_symlink()]:
            path = Path(top) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[key] = f"link -> {os.readlink(path)}"
            else:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def expected_tree(pages: dict[str, str], hand_written: dict[str, str]) -> dict[str, str]:
    tree = {p: hashlib.sha256(t.encode()).hexdigest() for p, t in pages.items()}
    tree[MANIFEST] = hashlib.sha256(manifest_text(list(pages)).encode()).hexdigest()
    return {**tree, **hand_written}


# -- a run killed at every step of the writer ----------------------------------------------

HAND = {"contribute.md": "hand-written\n", "assets/extra.css": "body {}\n"}
OLD = {
    "index.md": "home, 12 readings\n",
    **{f"records/r{i}-2019.md": f"reading {i}\n" for i in range(10)},
    **{f"authors/a{i}.md": f"author {i}\n" for i in range(4)},
    "gone/only.md": "a folder the new set no longer has\n",
}
NEW = {
    "index.md": "home, 11 readings\n",  # changed
    **{f"records/r{i}-2019.md": f"reading {i}\n" for i in range(5)},  # unchanged
    **{f"records/r{i}-2019.md": f"reading {i}, edited\n" for i in range(5, 8)},  # changed
    **{f"records/n{i}-2020.md": f"new reading {i}\n" for i in range(3)},  # new
    **{f"authors/a{i}.md": f"author {i}\n" for i in range(4)},
    "fresh/first.md": "a new folder\n",
}  # records r8, r9 and the folder gone/ are removed
MUTATING = {"open", "os.rename", "os.mkdir", "os.remove", "os.rmdir"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT


def in_child(step: int, action, fault: str, under: Path) -> dict:
    """Run ``action`` in a forked child that meets ``fault`` at its ``step``-th change to
    the files under ``under``: 'kill' (SIGKILL, as `kill -9`) or 'enospc' (that change
    fails as on a full disk). Returns what the child reported: the changes it saw, the
    error it raised, and whether it was killed."""
    prefix = os.fspath(under) + os.sep
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read)
        seen = 0
        report: dict = {}

        def hook(event: str, args: tuple) -> None:
            nonlocal seen
            if event not in MUTATING:
                return
            if event == "open" and not (args[2] or 0) & WRITE_FLAGS:
                return
            if not isinstance(args[0], (str, bytes, os.PathLike)):
                return
            path = os.path.abspath(os.fsdecode(args[0]))
            relative_to_fd = event in ("os.remove", "os.rmdir") and args[-1] not in (None, -1)
            if not (path + os.sep).startswith(prefix) and not relative_to_fd:
                return
            seen += 1
            if seen == step:
                if fault == "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)

        try:
            sys.addaudithook(hook)
            action()
        except WriteError as error:
            report["error"] = {"committed": error.committed, "path": str(error.path)}
        except BaseException as error:
            report["unexpected"] = repr(error)
        report["steps"] = seen
        os.write(write, json.dumps(report).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    report = json.loads(data) if data else {}
    report["killed"] = os.WIFSIGNALED(status)
    return report


@pytest.fixture
def old_docs(tmp_path) -> Path:
    docs = tmp_path / "docs"
    for path, text in HAND.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text)
    write_pages(OLD, docs)
    return docs


def hand_digest() -> dict[str, str]:
    return {p: hashlib.sha256(t.encode()).hexdigest() for p, t in HAND.items()}


def committed(docs: Path) -> bool:
    return (docs / STAGING / JOURNAL).is_file()


def assert_old_or_committed(docs: Path, old: dict[str, str], new: dict[str, str]) -> None:
    """Visible docs/ is the old tree or the new one exactly, unless the switch was
    committed and is not finished; then each visible file is the old or the new version
    of itself, never a partial one, and the next run finishes the switch."""
    visible = digest(docs, hidden=False)
    if not committed(docs):  # not yet committed, or finished but for deleting the journal
        assert visible in (old, new)
        return
    for path, value in visible.items():
        assert value in (old.get(path), new.get(path)), path


def restore(docs: Path, saved: Path) -> None:
    shutil.rmtree(docs)
    shutil.copytree(saved, docs, symlinks=True)


def writer_steps(docs: Path, saved: Path) -> int:
    """How many changes to the files a whole run of the writer makes (then undone)."""
    total = in_child(10**9, lambda: write_pages(NEW, docs), "kill", docs)["steps"]
    restore(docs, saved)
    return total


def test_a_run_killed_at_any_step_leaves_the_old_tree_or_one_the_next_run_finishes(
    old_docs, tmp_path
):
    saved = tmp_path / "saved"
    shutil.copytree(old_docs, saved, symlinks=True)
    old = digest(old_docs)
    new = expected_tree(NEW, hand_digest())
    total = writer_steps(old_docs, saved)
    assert total > 30
    outcomes = {"before the commit": 0, "after the commit": 0}
    for step in range(1, total + 1):
        restore(old_docs, saved)
        report = in_child(step, lambda: write_pages(NEW, old_docs), "kill", old_docs)
        assert report["killed"], step
        assert_old_or_committed(old_docs, old, new)
        outcomes["after the commit" if committed(old_docs) else "before the commit"] += 1
        write_pages(NEW, old_docs)  # the next run
        assert digest(old_docs) == new, step  # no staging folder, no temporary file
    print(f"\nkilled the writer at each of its {total} steps: {outcomes}")
    assert outcomes["before the commit"] > 10 and outcomes["after the commit"] > 10


def test_a_run_killed_while_finishing_a_killed_run_is_finished_by_the_next(old_docs, tmp_path):
    saved = tmp_path / "saved"
    shutil.copytree(old_docs, saved, symlinks=True)
    new = expected_tree(NEW, hand_digest())
    total = writer_steps(old_docs, saved)
    for step in range(1, total + 1):  # the first step after the commit
        restore(old_docs, saved)
        in_child(step, lambda: write_pages(NEW, old_docs), "kill", old_docs)
        if committed(old_docs):
            break
    assert committed(old_docs)
    interrupted = tmp_path / "interrupted"
    shutil.copytree(old_docs, interrupted, symlinks=True)
    second_total = writer_steps(old_docs, interrupted)
    assert second_total > 10
    for second in range(1, second_total + 1):
        restore(old_docs, interrupted)
        assert in_child(second, lambda: write_pages(NEW, old_docs), "kill", old_docs)["killed"]
        write_pages(NEW, old_docs)
        assert digest(old_docs) == new, second


def test_a_full_disk_at_any_step_leaves_the_old_tree_and_says_so(old_docs, tmp_path):
    saved = tmp_path / "saved"
    shutil.copytree(old_docs, saved, symlinks=True)
    old = digest(old_docs)
    new = expected_tree(NEW, hand_digest())
    total = writer_steps(old_docs, saved)
    for step in range(1, total + 1):
        restore(old_docs, saved)
        report = in_child(step, lambda: write_pages(NEW, old_docs), "enospc", old_docs)
        assert "unexpected" not in report and not report["killed"], report
        if "error" not in report:
            # Only the removal of an emptied folder failed, which is not an error: an
            # empty folder is left, and every page is switched.
            assert digest(old_docs, hidden=False) == new, step
        elif not report["error"]["committed"]:
            assert digest(old_docs) == old, step  # exactly as before: no staging folder
        else:
            assert_old_or_committed(old_docs, old, new)
        write_pages(NEW, old_docs)
        assert digest(old_docs) == new, step


def test_generate_on_a_full_disk_fails_with_a_clear_message(tmp_path):
    """The command line's report of a full disk (in a child, so no audit hook stays)."""
    project = make_project(tmp_path / "project")
    assert run_cli("generate", cwd=project).returncode == 0
    old = digest(project / "docs")
    edit_a_record(project)
    out = tmp_path / "out.txt"

    def generate() -> None:
        os.chdir(project)
        os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
        with contextlib.redirect_stdout(io.StringIO()) as stdout:
            status = cli.main(["generate"])
        out.write_text(f"{status}\n{stdout.getvalue()}", encoding="utf-8")

    in_child(1, generate, "enospc", project / "docs")  # the run's first change fails
    status, line = out.read_text(encoding="utf-8").splitlines()[:2]
    assert status == "1"
    assert line.endswith(
        ": could not write (No space left on device); docs/ is unchanged; free some disk space, then run it again"
    ), line
    assert digest(project / "docs") == old


# -- the real command line, killed -------------------------------------------------------


def synthetic_records(folder: Path, count: int, edition: str = "") -> None:
    """``count`` distinct records made from the seed records (own ids, titles, authors)."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = [record_files.load(p, p.name)[0].record for p in sorted(SEEDS.glob("*.yml"))]
    for i in range(count):
        seed = seeds[i % len(seeds)]
        record = dataclasses.replace(
            seed,
            id=f"copy{i}-{seed.year or 2000}",
            title=f"Copy {i}: {seed.title or 'a reading on peer support'}",
            authors=(Person(f"Alex Copy{i}"), Person(f"Sam Other{i % 37}")),
            abstract=f"{seed.abstract or ''} Copy {i}.{edition}",
            source=None,
        )
        path = folder / f"{record.id}.yml"
        path.write_text(record_files.serialize(record, "../../schema/record.schema.json"))


@pytest.fixture(scope="module")
def big_project(tmp_path_factory) -> Path:
    """120 records generated; then the records change: every abstract edited, 15 records
    deleted and 15 added, so the next run rewrites and removes hundreds of pages."""
    root = tmp_path_factory.mktemp("big")
    synthetic_records(root / "old", 120)
    project = make_project(root / "project", records=root / "old")
    done = run_cli("generate", cwd=project, timeout=300)
    assert done.returncode == 0, done.stderr
    records = project / "seeds" / "records"
    shutil.rmtree(records)
    synthetic_records(root / "new", 135, edition=" Edited.")
    for path in sorted((root / "new").glob("*.yml"))[:15]:
        path.unlink()
    shutil.copytree(root / "new", records)
    shutil.copytree(project / "docs", root / "old-docs", symlinks=True)
    return project


def wait_for(condition, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.001)
    return False


@pytest.mark.slow
def test_generate_killed_halfway_leaves_docs_intact_and_the_next_run_completes_it(big_project):
    project = big_project
    old_docs = project.parent / "old-docs"
    old = digest(old_docs)
    reference = project.parent / "reference"
    shutil.copytree(project, reference, symlinks=True)
    done = run_cli("generate", cwd=reference, timeout=300)  # uninterrupted, for comparison
    assert done.returncode == 0, done.stderr
    new = digest(reference / "docs")
    assert len(new) > 300
    staging = project / "docs" / STAGING

    def appears(path: Path, process: subprocess.Popen) -> bool:
        """Wait until ``path`` exists (or the run ended before it could be seen)."""
        return wait_for(lambda: path.exists() or process.poll() is not None, 120)

    kills = {
        "as the staging folder appears": lambda p: appears(staging, p),
        "10 ms into staging": lambda p: appears(staging, p) and not time.sleep(0.01),
        "as the switch is committed": lambda p: appears(staging / JOURNAL, p),
    }
    landed = {}
    for name, moment in kills.items():
        shutil.rmtree(project / "docs")
        shutil.copytree(old_docs, project / "docs", symlinks=True)
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "generate"],
            cwd=project,
            env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        moment(process)
        process.kill()
        process.wait(timeout=60)
        state = "committed" if committed(project / "docs") else "not committed"
        landed[name] = state if process.returncode == -signal.SIGKILL else "finished first"
        assert_old_or_committed(project / "docs", old, new)
        again = run_cli("generate", cwd=project, timeout=300)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Traceback" not in again.stderr
        assert digest(project / "docs") == new, name
    print(f"\nkilled `generate` ({len(new)} files): {landed}")


@pytest.mark.slow
def test_build_killed_halfway_leaves_site_intact_and_the_next_build_cleans_up(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    site = digest(project / "site")
    edit_a_record(project)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build"],
        cwd=project,
        env={
            **os.environ,
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "PYTHONPATH": str(ROOT),
            # A killed build cannot delete its temporary folder of MkDocs' messages.
            "TMPDIR": str(tmp_path),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # MkDocs runs in a child process: kill them both
    )
    building = project / ".site.building"
    assert wait_for(lambda: building.exists() or process.poll() is not None, 120)
    assert process.poll() is None, "the build ended before it could be killed"
    time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert digest(project / "site") == site
    again = run_cli("build", cwd=project, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "site/: removed what an interrupted build left behind" in again.stderr
    assert not building.exists() and not (project / ".site.old").exists()
    assert "A changed title" in (project / "site/records/tse-2019/index.html").read_text()


def test_a_build_killed_between_its_two_renames_gets_its_site_back(tmp_path):
    site, retired = tmp_path / "site", tmp_path / ".site.old"
    retired.mkdir()
    (retired / "index.html").write_text("the previous site")
    (tmp_path / ".site.building").mkdir()
    (tmp_path / ".site.building" / "half.html").write_text("half a build")
    assert (
        recover_site(site)
        == f"{site.as_posix()}/: put back the site an interrupted build had moved aside"
    )
    assert (site / "index.html").read_text() == "the previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# -- the seed project, built once; each test works on a copy ------------------------------


@pytest.fixture(scope="module")
def seed_built(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("seed") / "project")
    build(project)
    return project


def copy_project(project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(project, copy, symlinks=True)
    return copy


def edit_a_record(project: Path) -> None:
    record = project / "seeds" / "records" / "tse-2019.yml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("title:  #", "title: A changed title  #", 1), encoding="utf-8")


def test_a_failed_mkdocs_build_leaves_site_unchanged_and_no_staging(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    site = digest(project / "site")
    (project / "docs" / "broken.md").write_text("[a link to nowhere](nowhere.md)\n")
    done = run_cli("build", cwd=project, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == "mkdocs build failed; site/ is unchanged"
    # The warning that failed the strict build is shown (MkDocs' --quiet would drop it,
    # and the build would pass); MkDocs' INFO lines are not.
    assert "contains a link 'nowhere.md', but the target is not found" in done.stderr
    assert "INFO" not in done.stderr
    assert digest(project / "site") == site
    assert not (project / ".site.building").exists()


@pytest.mark.slow
def test_a_failed_search_index_leaves_site_unchanged_and_says_why(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    site = digest(project / "site")
    assert (project / "site" / "pagefind" / "pagefind.js").is_file()
    (project / "pagefind.yml").write_text("exclude_selectors: 5\n", encoding="utf-8")
    edit_a_record(project)  # a build that would change the site
    done = run_cli("build", cwd=project, timeout=300)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == "search index failed; site/ is unchanged"
    # Pagefind's own words: which setting, and what it expected.
    assert "pagefind: Error loading Pagefind config:" in done.stderr
    assert "expected a sequence" in done.stderr
    assert digest(project / "site") == site
    assert not (project / ".site.building").exists()


def test_a_missing_pagefind_binary_is_reported_with_the_fix(monkeypatch, tmp_path):
    from generator import search_index

    def missing():
        raise FileNotFoundError("no pagefind here")

    monkeypatch.setattr("pagefind_bin.get_executable", missing)
    with pytest.raises(search_index.SearchIndexError, match="pip install --force-reinstall"):
        search_index.index_site(tmp_path, tmp_path)


@pytest.mark.slow
def test_deleting_or_renaming_a_record_leaves_no_orphan_page(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    records = project / "seeds" / "records"
    gone = records / "wang-2020.yml"
    authors = [p.name for p in record_files.load(gone, gone.name)[0].record.authors]
    gone.unlink()
    renamed = records / "mak-2021.yml"
    renamed.rename(records / "mak-renamed-2021.yml")
    text = (records / "mak-renamed-2021.yml").read_text(encoding="utf-8")
    (records / "mak-renamed-2021.yml").write_text(
        text.replace("id: mak-2021", "id: mak-renamed-2021"), encoding="utf-8"
    )
    done = run_cli("build", cwd=project, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    docs, site = project / "docs", project / "site"
    for record_id in ("wang-2020", "mak-2021"):
        assert not (docs / "records" / f"{record_id}.md").exists()
        assert not (site / "records" / record_id).exists()
        assert f"/records/{record_id}/" not in (site / "sitemap.xml").read_text()
    assert (site / "records" / "mak-renamed-2021" / "index.html").is_file()
    listed = set(read_manifest(docs))
    on_disk = {
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*")
        if p.is_file()
        and p.relative_to(docs).as_posix() not in ("contribute.md", MANIFEST)
        and not p.relative_to(docs).as_posix().startswith("assets/")
    }
    assert on_disk == listed  # every generated file is listed, every listed file exists
    # Mei Wang, Wei Jiang and Pu Cheng wrote only the deleted record: no page names them.
    author_pages = [*(docs / "authors").glob("*.md"), *(site / "authors").rglob("*.html")]
    for name in authors:
        assert not [p for p in author_pages if name in p.read_text(encoding="utf-8")], name
    report = check_links(site, "https://peer-support-reading-list.github.io/reading-list/")
    assert not report.broken, report.broken[:5]


# -- symbolic links are never followed out of the output folders ---------------------------


def outside_folder(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.md").write_text("not the generator's\n")
    (outside / "tse-2019.md").write_text("not the generator's either\n")
    return outside, digest(outside)


def test_a_linked_generated_folder_is_refused_and_never_written_through(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    outside, before = outside_folder(tmp_path)
    shutil.rmtree(project / "docs" / "records")
    (project / "docs" / "records").symlink_to(outside, target_is_directory=True)
    edit_a_record(project)
    done = run_cli("generate", cwd=project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert (
        "docs/records/tse-2019.md: the path goes through a symbolic link; remove the link; generated pages are plain files"
        in done.stdout.splitlines()
    )
    assert done.stderr == "not generated: docs/ is unchanged\n"
    assert digest(outside) == before


def test_a_linked_page_is_refused_and_its_target_kept(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    outside, before = outside_folder(tmp_path)
    page = project / "docs" / "records" / "tse-2019.md"
    page.unlink()
    page.symlink_to(outside / "tse-2019.md")
    edit_a_record(project)
    done = run_cli("generate", cwd=project)
    assert done.returncode == 1
    assert done.stdout == (
        "docs/records/tse-2019.md: the path goes through a symbolic link; remove the link; generated pages are plain files\n"
    )
    assert digest(outside) == before


def test_an_orphan_behind_a_link_is_not_removed(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    outside, before = outside_folder(tmp_path)
    docs = project / "docs"
    manifest = json.loads((docs / MANIFEST).read_text())
    manifest["files"].append("gone/keep.md")  # a page of the last run, in a folder now linked
    (docs / MANIFEST).write_text(json.dumps(manifest))
    (docs / "gone").symlink_to(outside, target_is_directory=True)
    done = run_cli("generate", cwd=project)
    assert done.returncode == 1
    assert done.stdout == (
        "docs/gone/keep.md: the path goes through a symbolic link; remove the link; generated pages are plain files\n"
    )
    assert digest(outside) == before


def test_a_linked_staging_folder_is_refused(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    outside, before = outside_folder(tmp_path)
    (project / "docs" / STAGING).symlink_to(outside, target_is_directory=True)
    edit_a_record(project)
    done = run_cli("generate", cwd=project)
    assert done.returncode == 1
    assert done.stdout == (
        f"docs/{STAGING}: the path goes through a symbolic link; remove the link; generated pages are plain files\n"
    )
    assert digest(outside) == before


def test_a_linked_site_folder_is_refused(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    outside, before = outside_folder(tmp_path)
    shutil.rmtree(project / "site")
    (project / "site").symlink_to(outside, target_is_directory=True)
    docs = digest(project / "docs")
    done = run_cli("build", cwd=project)
    assert done.returncode == 1
    assert done.stdout == (
        "site: the output folder is a symbolic link; remove the link; the site is built into a plain folder (copy it elsewhere after the build)\n"
    )
    assert done.stderr == "not built: site/ is unchanged\n"
    assert digest(outside) == before
    assert digest(project / "docs") == docs


@pytest.mark.slow
def test_links_inside_site_and_a_linked_leftover_are_never_followed(seed_built, tmp_path):
    project = copy_project(seed_built, tmp_path)
    outside, before = outside_folder(tmp_path)
    shutil.rmtree(project / "site" / "records")
    (project / "site" / "records").symlink_to(outside, target_is_directory=True)
    (project / ".site.building").symlink_to(outside, target_is_directory=True)
    done = run_cli("build", cwd=project, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert digest(outside) == before
    assert not (project / "site" / "records").is_symlink()
    assert (project / "site" / "records" / "tse-2019" / "index.html").is_file()
    assert not os.path.lexists(project / ".site.building")


# -- read-only output folders (a user who may not write there) ----------------------------


def as_nobody() -> list[str]:
    """A command prefix that runs as an unprivileged user (root ignores permissions)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("running as root without setpriv: cannot drop privileges")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def shared_project(seed_built):
    """A copy of the built seed project that another user can read (tmp_path is private)."""
    base = Path(tempfile.mkdtemp(prefix="reading-list-ro-"))
    base.chmod(0o755)
    project = base / "project"
    shutil.copytree(seed_built, project, symlinks=True)
    if os.geteuid() == 0:
        for top, dirs, files in os.walk(project):
            for name in [top, *(os.path.join(top, n) for n in dirs + files)]:
                os.lchown(name, 65534, 65534)
    try:
        yield project
    finally:
        for top, dirs, _ in os.walk(base):
            for name in dirs:
                os.chmod(os.path.join(top, name), 0o755)
        shutil.rmtree(base)


def run_as_nobody(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*as_nobody(), sys.executable, "-m", "generator", *args],
        cwd=project,
        env={
            **os.environ,
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
            "HOME": str(project),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_read_only_docs_folder_fails_clearly_and_loses_nothing(shared_project):
    project = shared_project
    edit_a_record(project)
    (project / "docs" / "records").chmod(0o555)
    before = digest(project / "docs")
    done = run_as_nobody(project, "generate")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == (
        "docs/records: could not write (Permission denied); docs/ is unchanged; make docs/ and its folders writable, then run it again\n"
    )
    assert digest(project / "docs") == before


def test_a_read_only_site_folder_fails_clearly_and_loses_nothing(shared_project):
    project = shared_project
    (project / "site").chmod(0o555)
    before = digest(project / "site")
    done = run_as_nobody(project, "build")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout == (
        "site: cannot replace the site (Permission denied); make site/ and the folder it is in writable, then build again\n"
    )
    assert done.stderr == "not built: site/ is unchanged\n"
    assert digest(project / "site") == before


# -- a real full disk (a small tmpfs), where this machine lets a test mount one -------------


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here; the full disk is simulated in the tests above")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, leave: int) -> Path:
    filler = disk / "filler"
    # Unbuffered: a buffered file would try its last partial block again on close.
    with open(filler, "wb", buffering=0) as stream, contextlib.suppress(OSError):
        while True:
            stream.write(b"\0" * 65536)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


@pytest.mark.slow
def test_a_full_disk_leaves_docs_and_site_intact(seed_built, small_disk):
    project = small_disk / "project"
    shutil.copytree(seed_built, project, symlinks=True)
    docs, site = digest(project / "docs"), digest(project / "site")
    filler = fill(small_disk, leave=8192)

    unchanged = run_cli("build", cwd=project, timeout=300)  # nothing to generate; MkDocs fails
    assert unchanged.returncode == 1
    assert "Traceback" not in unchanged.stderr
    assert unchanged.stderr.splitlines()[-1] == "mkdocs build failed; site/ is unchanged"
    assert "No space left on device" in unchanged.stderr
    edit_a_record(project)
    changed = run_cli("generate", cwd=project, timeout=300)
    assert changed.returncode == 1
    assert "Traceback" not in changed.stderr
    assert changed.stdout.endswith(
        ": could not write (No space left on device); docs/ is unchanged; free some disk space, then run it again\n"
    ), changed.stdout
    assert digest(project / "docs") == docs
    assert digest(project / "site") == site
    # Nothing half-written: at most whole cache files that fit (references, record files,
    # what indexing and rendering worked out).
    left = sorted(p.name for p in project.iterdir() if p.name.startswith("."))
    assert left in ([], [".cache"]), left
    if left:
        cached = sorted(p.name for p in (project / ".cache").iterdir())
        assert set(cached) <= {
            "apa-references.json",
            "record-files.json",
            "record-index.json",
            "rendered-pages.json",
        }, cached
        for name in cached:
            json.loads((project / ".cache" / name).read_text(encoding="utf-8"))

    filler.unlink()
    done = run_cli("build", cwd=project, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "A changed title" in (project / "site/records/tse-2019/index.html").read_text()
    assert not (project / "docs" / STAGING).exists()


# -- a fresh clone ----------------------------------------------------------------------


def test_no_generated_page_is_committed_so_a_fresh_clone_can_generate(fixed_year):
    """A committed copy of a generated page has no manifest entry in a fresh clone, so
    `generate` takes it for a hand-written file and refuses to write over it."""
    from generator.pipeline import generate
    from generator.settings import load_settings

    listed = subprocess.run(
        ["git", "ls-files", "-z", "docs"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    pages, problems = generate(load_settings(ROOT))
    assert pages is not None, problems
    committed = sorted(p for p in listed.stdout.split("\0") if p.removeprefix("docs/") in pages)
    folders = sorted({"/".join(p.split("/")[:2]) for p in committed})  # docs/cite, ...
    assert not committed, (
        f"{len(committed)} generated pages are committed; untrack them with "
        f"`git rm -r --cached {' '.join(folders)}` and list them in .gitignore"
    )
