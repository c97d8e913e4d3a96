"""Paths as the repository names them (edit links), many at a time; the generator's own
settings in mkdocs.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.settings import READINGS_PER_PAGE, SettingsError, load_settings
from tests.conftest import ROOT, run_cli


def test_repo_paths_name_each_file_as_repo_path_does(tmp_path, monkeypatch):
    root = tmp_path / "project"
    records = root / "seeds" / "records"
    records.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "kept.yml").write_text("id: kept\n")
    (records / "a.yml").write_text("id: a\n")
    (records / "linked.yml").symlink_to(elsewhere / "kept.yml")  # outside: kept as given
    (root / "top.yml").write_text("id: top\n")
    (records / "inner.yml").symlink_to(root / "top.yml")  # inside: named as its target
    settings = load_settings(root)
    for cwd in (tmp_path, root, records):
        monkeypatch.chdir(cwd)
        files = [
            Path(p)
            for p in (
                f"{root}/seeds/records/a.yml",
                f"{root}/seeds/records/linked.yml",
                f"{root}/seeds/records/inner.yml",
                f"{root}/top.yml",
                f"{elsewhere}/kept.yml",
            )
        ]
        assert settings.repo_paths(files) == [settings.repo_path(p) for p in files]
        assert settings.repo_paths(files)[:4] == [
            "seeds/records/a.yml",
            f"{root}/seeds/records/linked.yml",
            "top.yml",
            "top.yml",
        ]


@pytest.mark.parametrize("value", ["0", "-5", "many", "true", "2.5", "[100]"])
def test_a_readings_per_page_that_is_not_a_whole_number_names_its_line(tmp_path, value):
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    line = config.splitlines().index("    readings_per_page: 100") + 1
    # A comment that names the setting comes first: the message names the setting's line.
    config = config.replace("extra:\n", "# readings_per_page: see below\nextra:\n", 1)
    line = config.splitlines().index("    readings_per_page: 100") + 1
    (tmp_path / "mkdocs.yml").write_text(
        config.replace("readings_per_page: 100", f"readings_per_page: {value}"), encoding="utf-8"
    )
    with pytest.raises(SettingsError) as raised:
        load_settings(tmp_path)
    assert str(raised.value).startswith(f"{tmp_path.as_posix()}/mkdocs.yml:{line}: ")
    assert "not a whole number of at least 1" in str(raised.value)
    done = run_cli("generate", cwd=tmp_path)
    assert done.returncode == 1 and "internal error" not in done.stderr
    assert f"mkdocs.yml:{line}: readings_per_page is" in done.stderr


def test_readings_per_page_comes_from_mkdocs_yml_or_defaults_to_100(tmp_path):
    assert load_settings(ROOT).readings_per_page == READINGS_PER_PAGE == 100
    (tmp_path / "mkdocs.yml").write_text("extra:\n  reading_list:\n    readings_per_page: 25\n")
    assert load_settings(tmp_path).readings_per_page == 25
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nextra:\n  analytics: none\n")
    assert load_settings(tmp_path).readings_per_page == 100
