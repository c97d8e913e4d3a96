"""Paths as the repository names them (edit links), many at a time."""

from __future__ import annotations

from pathlib import Path

from generator.settings import load_settings


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
