"""`mkdocs serve` picks up an edited record without a restart or a rebuild loop, and two
builds of the same records are byte-identical whatever the hash seed, locale, time zone
or file order."""

from __future__ import annotations

import random
import shutil
import time
import urllib.request
from urllib.parse import urlparse

import pytest
import yaml

from generator.settings import ConfigLoader
from tests.site_project import ROOT, build, make_project, mkdocs_serving, tree_digest

pytestmark = pytest.mark.slow


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def test_mkdocs_serve_shows_an_edited_record_without_restart_or_loop(tmp_path):
    project = make_project(tmp_path / "project")
    with mkdocs_serving(project, tmp_path / "serve.log") as port:
        # mkdocs serve mounts the site under the path of site_url (/reading-list/).
        config = yaml.load(
            (project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=ConfigLoader
        )
        base = urlparse(config.get("site_url") or "/").path.rstrip("/")
        url = f"http://127.0.0.1:{port}{base}/records/tse-2019/"
        first = wait_for(lambda: fetch(url), 60, "the first build")
        assert "Tse et al" in first
        # The page is HTML, passed on unconverted with its headings anchored
        # (generator/mkdocs_hook.py); Markdown would leave HTML headings without ids.
        assert '<h2 id="abstract">Abstract<a class="headerlink"' in first
        record = project / "seeds" / "records" / "tse-2019.yml"
        text = record.read_text(encoding="utf-8")
        record.write_text(
            text.replace("title:  #", "title: A title added while serving  #", 1), encoding="utf-8"
        )
        wait_for(lambda: "A title added while serving" in fetch(url), 60, "the edited record")
        time.sleep(4)  # a loop would keep rebuilding; give it time to show
        builds = (tmp_path / "serve.log").read_text().count("Building documentation")
        assert builds == 2, (tmp_path / "serve.log").read_text()
        # Pages were handed to MkDocs in memory: nothing generated was written to docs/.
        assert sorted(p.name for p in (project / "docs").iterdir()) == ["assets", "contribute.md"]


def test_two_builds_are_byte_identical_whatever_the_environment(tmp_path):
    first = make_project(tmp_path / "first")
    build(first, env={"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    # The second copy lists its record files in another order on disk and runs with
    # another hash seed, time zone and locale.
    second = tmp_path / "second"
    records = tmp_path / "shuffled"
    records.mkdir()
    names = sorted(p.name for p in (ROOT / "seeds" / "records").glob("*.yml"))
    random.Random(7).shuffle(names)
    for name in names:
        shutil.copy2(ROOT / "seeds" / "records" / name, records / name)
    make_project(second, records=records)
    shutil.copytree(ROOT / "seeds" / "paths", second / "seeds" / "paths")
    build(
        second, env={"PYTHONHASHSEED": "4242", "TZ": "Pacific/Chatham", "LC_ALL": "C", "LANG": "C"}
    )
    for folder in ("docs", "site"):
        a, b = tree_digest(first / folder), tree_digest(second / folder)
        assert sorted(a) == sorted(b)
        differing = [path for path in a if a[path] != b[path]]
        print(f"\ndeterminism: {folder}/: {len(a)} files compared, {len(differing)} differ")
        assert not differing, f"{folder}: {differing[:5]}"
