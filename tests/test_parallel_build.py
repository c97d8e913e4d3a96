"""The MkDocs build on several processes (generator/site_build.py): the same site, the
same strict checks, as one `mkdocs build`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.mkdocs_hook import share_of
from generator.site_build import PROCESSES
from tests.site_project import (
    ROOT,
    SOURCE_DATE_EPOCH,
    make_project,
    run_generator,
    tree_digest,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("parallel") / "project")
    done = run_generator(project, "generate")
    assert done.returncode == 0, done.stderr
    return project


def build_site(project: Path, site: str, processes: int) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "PYTHONPATH": str(ROOT),
        "NO_MKDOCS_2_WARNING": "1",
        PROCESSES: str(processes),
    }
    return subprocess.run(
        [sys.executable, "-m", "generator.site_build", site],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_three_processes_build_the_site_one_builds(generated):
    one = build_site(generated, "site-one", 1)
    three = build_site(generated, "site-three", 3)
    assert one.returncode == 0 and three.returncode == 0, (one.stderr, three.stderr)
    assert "with 3 MkDocs process(es), " in three.stdout
    # Shares 1 and 2 built pages that share 0 left to them.
    moved = [int(n) for n in re.findall(r"(\d+) pages from share", three.stdout)]
    assert len(moved) == 2 and min(moved) > 30, three.stdout
    site = tree_digest(generated / "site-one")
    pages = [p for p in site if p.endswith("index.html")]
    assert len(pages) == len(list((generated / "docs").rglob("*.md")))  # all 182 of them
    assert tree_digest(generated / "site-three") == site
    # Nothing is left beside the site, and MkDocs' note on every page another process
    # builds is not passed on.
    assert sorted(p.name for p in generated.iterdir() if p.name.startswith("site")) == [
        "site-one",
        "site-three",
    ]
    assert "Page skipped" not in three.stderr


def test_every_share_gets_html_pages_and_share_0_all_markdown():
    pages = [f"records/r{n}.md" for n in range(300)] + [f"authors/a{n}.md" for n in range(300)]
    for shares in (2, 3, 4):
        counts = [0] * shares
        for page in pages:
            counts[share_of(page, True, shares)] += 1
        # Share 0 also builds the Markdown pages: it gets fewer HTML pages.
        assert all(count > 0 for count in counts), counts
        assert counts[0] < min(counts[1:]) * 1.2, counts
        assert {share_of(page, False, shares) for page in pages} == {0}
    assert {share_of(page, True, 1) for page in pages} == {0}


def test_a_broken_link_on_a_page_another_process_builds_fails_the_build(generated, tmp_path):
    project = tmp_path / "project"
    subprocess.run(["cp", "-a", str(generated), str(project)], check=True)
    records = sorted((project / "docs" / "records").glob("*.md"))
    page = next(p for p in records if share_of(f"records/{p.name}", True, 3) == 2)
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</h1>", '</h1>\n<p><a href="../nowhere/">x</a></p>', 1))
    done = build_site(project, "site", 3)
    assert done.returncode == 1
    assert f"Doc file 'records/{page.name}' contains a link '../nowhere/'" in done.stderr
    assert not list(project.glob("site.share-*"))  # the other shares' folders are gone
