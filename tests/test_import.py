"""`import`: seeds to record files, golden output, and never losing what a person wrote."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.importer import import_exports, write_new_files
from generator.problems import Problem
from generator.record_files import load, record_paths
from tests.conftest import GOLDEN_RECORDS, LATEST_YEAR, ROOT, SEEDS, SOURCE_DATE_EPOCH
from tests.test_seed_export import SEED_FILES, SEED_TABLE

SEED_PATHS = [Path(p) for p in SEED_FILES.values()]  # relative: run with cwd = ROOT


@pytest.fixture(autouse=True)
def import_date(monkeypatch):
    """Imported records are dated (``added:``) from SOURCE_DATE_EPOCH, as the golden
    files were: 2026-01-01."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def import_seeds(tmp_path: Path, paths=SEED_PATHS):
    """Import into tmp/seeds/records, with the schema where the committed files point."""
    records = tmp_path / "seeds" / "records"
    result = import_exports(list(paths), records, tmp_path / "schema" / "record.schema.json")
    return records, result


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # provenance paths then read seeds/...


# -- golden ---------------------------------------------------------------------------------


def test_importing_the_seeds_gives_exactly_the_committed_record_files(tmp_path, at_root):
    records, result = import_seeds(tmp_path)
    assert result.problems == () and result.skipped == ()
    assert len(result.added) == 22
    expected = files_of(GOLDEN_RECORDS)
    actual = files_of(records)
    assert sorted(actual) == sorted(expected)
    for name in expected:
        assert actual[name] == expected[name], f"{name} differs; run `make golden` if intended"


def test_the_committed_records_are_the_seed_table_ids():
    assert sorted(p.stem for p in record_paths(GOLDEN_RECORDS)) == sorted(
        row[0] for row in SEED_TABLE
    )


def test_import_order_of_files_does_not_change_the_result(tmp_path, at_root):
    records, _ = import_seeds(tmp_path, reversed(SEED_PATHS))
    assert files_of(records) == files_of(GOLDEN_RECORDS)


def make_project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "seeds" / "records").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copyfile(seed, project / "seeds" / seed.name)
    for name in ("themes.yml", "tags.yml"):
        shutil.copyfile(ROOT / "seeds" / name, project / "seeds" / name)
    for folder in ("templates", "schema"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copyfile(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def refresh_golden(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tests.refresh_golden", "--root", str(project)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refresh_golden_rebuilds_the_golden_files_and_removes_stale_ones(tmp_path):
    project = make_project_copy(tmp_path)
    stale = project / "tests" / "golden" / "records" / "stale-2019.yml"
    stale.parent.mkdir(parents=True)
    stale.write_text("id: stale-2019\n", encoding="utf-8")
    live = project / "seeds" / "records" / "edited-2019.yml"
    live.write_text("id: edited-2019\n", encoding="utf-8")
    result = refresh_golden(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote 22 record file(s) and ")
    assert not stale.exists()
    assert files_of(project / "tests" / "golden" / "records") == files_of(GOLDEN_RECORDS)
    assert (project / "tests" / "golden" / "docs" / "records" / "tse-2019.md").is_file()
    assert live.read_text(encoding="utf-8") == "id: edited-2019\n"  # live records untouched
    assert sorted(p.name for p in (project / "seeds").iterdir() if not p.is_file()) == ["records"]


def test_refresh_golden_leaves_the_golden_files_alone_when_a_seed_is_broken(tmp_path):
    project = make_project_copy(tmp_path)
    kept = project / "tests" / "golden" / "records" / "kept-2019.yml"
    kept.parent.mkdir(parents=True)
    kept.write_text("id: kept-2019\n", encoding="utf-8")
    (project / "seeds" / "zzz-broken.txt").write_bytes(b"2019\nAuthor(s):\nCaf\xe9\n")
    result = refresh_golden(project)
    assert result.returncode == 1
    assert "seeds/zzz-broken.txt:3: the file is not UTF-8" in result.stdout
    assert [p.name for p in kept.parent.iterdir()] == ["kept-2019.yml"]


# -- re-import and edits ----------------------------------------------------------------------


def already_present(row) -> str:
    record_id, key, line = row[:3]
    return (
        f"{SEED_FILES[key]}:{line}: warning: already present as {record_id} "
        "(imported from the same source line); skipped; edit that record instead"
    )


def test_reimport_adds_nothing_and_reports_every_record_as_present(tmp_path, at_root):
    records, _ = import_seeds(tmp_path)
    before = files_of(records)
    _, again = import_seeds(tmp_path)
    assert again.added == () and again.problems == ()
    assert [str(p) for p in again.skipped] == [already_present(row) for row in SEED_TABLE]
    assert all(p.severity == "warning" for p in again.skipped)
    assert files_of(records) == before


def test_an_edited_record_is_never_overwritten_and_still_recognised(tmp_path, at_root):
    records, _ = import_seeds(tmp_path)
    path = records / "tse-2019.yml"
    edited = (
        path.read_text(encoding="utf-8")
        .replace(
            "title:  # not in the source: add the real title if you know it",
            "title: Knowledge construction in peer support  # found by a trainer",
        )
        .replace("year: 2019\n", "# Checked against the journal's website.\nyear: 2019\n")
    )
    path.write_bytes(edited.encode("utf-8"))
    _, again = import_seeds(tmp_path)
    assert path.read_bytes() == edited.encode("utf-8")
    assert again.added == ()
    assert already_present(SEED_TABLE[1]) in [str(p) for p in again.skipped]
    loaded, problems = load(path, "tse-2019.yml", LATEST_YEAR)
    assert problems == []
    assert loaded.record.title == "Knowledge construction in peer support"  # comments ignored


def test_an_edited_record_without_its_source_is_still_recognised_by_its_content(tmp_path, at_root):
    records, _ = import_seeds(tmp_path)
    path = records / "adame-2008.yml"
    text = path.read_text(encoding="utf-8")
    edited = text[: text.index("\nsource:") + 1].replace(
        "title:  #", "title: A title added by hand  #"
    )
    path.write_text(edited, encoding="utf-8")
    _, again = import_seeds(tmp_path)
    assert again.added == ()
    assert (
        "seeds/000_c2d67a9d9c98ac40.txt:18: warning: already present as adame-2008 "
        "(same authors, year and abstract); skipped; edit that record instead"
    ) in [str(p) for p in again.skipped]
    assert path.read_text(encoding="utf-8") == edited


def test_a_record_being_edited_with_a_syntax_error_is_not_imported_twice(tmp_path, at_root):
    records, _ = import_seeds(tmp_path)
    path = records / "tse-2019.yml"
    text = path.read_text(encoding="utf-8").replace(
        "title:  # not in the source: add the real title if you know it",
        "title: Peer support: knowledge construction",
    )
    path.write_text(text, encoding="utf-8")
    _, again = import_seeds(tmp_path)
    assert not (records / "tse-2019b.yml").exists()
    assert again.added == ()


# -- all or nothing ---------------------------------------------------------------------------


def test_an_import_with_one_undecodable_file_writes_nothing(tmp_path, at_root):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"2019 \xe2\x97\xbd\xc2\xa0\nAuthor(s):\nJos\xe9 Garc\xeda\n")
    records, result = import_seeds(tmp_path, [*SEED_PATHS, broken])
    assert result.added == () and result.skipped == ()
    assert [str(p) for p in result.problems] == [
        f"{broken.as_posix()}:3: the file is not UTF-8 (byte 0xE9 at column 4); "
        "save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)"
    ]
    assert not records.exists()


def test_an_import_of_an_unknown_format_writes_nothing(tmp_path, at_root):
    endnote = tmp_path / "endnote.enw"
    endnote.write_text("%0 Journal Article\n", encoding="utf-8")
    records, result = import_seeds(tmp_path, [*SEED_PATHS, endnote])
    assert result.problems == (
        Problem(
            endnote.as_posix(),
            0,
            "unknown export format '.enw'",
            "import files ending in .bib, .ris, .txt",
        ),
    )
    assert not records.exists()


def test_write_new_files_never_replaces_a_file_and_writes_all_or_nothing(tmp_path):
    existing = tmp_path / "b-2019.yml"
    existing.write_text("id: b-2019\n# a person's notes\n", encoding="utf-8")
    files = {
        tmp_path / "a-2019.yml": "id: a-2019\n",
        existing: "id: b-2019\n",
        tmp_path / "c-2019.yml": "id: c-2019\n",
    }
    with pytest.raises(FileExistsError):
        write_new_files(files)
    assert [p.name for p in tmp_path.iterdir()] == ["b-2019.yml"]
    assert existing.read_text(encoding="utf-8") == "id: b-2019\n# a person's notes\n"


# -- duplicates and ids -----------------------------------------------------------------------


def test_duplicates_inside_one_import_are_added_once(tmp_path, at_root):
    copy = tmp_path / "copy-of-000.txt"
    shutil.copyfile(ROOT / SEED_FILES["000"], copy)
    records, result = import_seeds(tmp_path, [SEED_PATHS[0], copy])
    assert result.problems == ()
    assert sorted(p.name for p in records.iterdir()) == [
        "adame-2008.yml",
        "bohl-penrod-nd.yml",
        "leemeijer-nd.yml",
        "mental-health-professionals-2001.yml",
        "tse-2019.yml",
        "wang-2020.yml",
    ]
    original = SEED_FILES["000"]
    reasons = ["same title"] + ["same authors, year and abstract"] * 5
    assert [str(p) for p in result.skipped] == [
        f"{copy.as_posix()}:{line}: warning: already present as {original}:{line} ({reason}); "
        "skipped; edit that record instead"
        for line, reason in zip([1, 5, 18, 28, 35, 44], reasons, strict=True)
    ]


def test_records_repeated_without_an_abstract_are_matched_by_volume_and_pages(tmp_path, at_root):
    export = tmp_path / "twice.txt"
    record = "2012 \u25fd\u00a0\nVol 59 (2) \u25fd\u00a0\npp. 176-187 \u25fd\u00a0\nAuthor(s):\u00a0\nRoger M. K. Ng\n"
    export.write_text(record + "\n" + record, encoding="utf-8")
    records, result = import_seeds(tmp_path, [export])
    assert [p.name for p in records.iterdir()] == ["ng-2012.yml"]
    assert [p.message for p in result.skipped] == [
        f"already present as {export.as_posix()}:1 (same authors, year, volume and pages)"
    ]


def test_an_id_clash_with_an_existing_record_gets_the_next_letter(tmp_path, at_root):
    records, _ = import_seeds(tmp_path)
    export = tmp_path / "more.txt"
    export.write_text(
        "2019 \u25fd\u00a0\nAuthor(s):\u00a0\nSamson Tse \u25fd\u00a0\nPeter Walker\n\n"
        "A different paper by the same first author in the same year.\n\n"
        "2019 \u25fd\u00a0\nAuthor(s):\u00a0\nSamson Tse\n\nAnd a third one.\n",
        encoding="utf-8",
    )
    before = files_of(records)
    _, result = import_seeds(tmp_path, [export])
    assert [Path(p).name for p in result.added] == ["tse-2019b.yml", "tse-2019c.yml"]
    assert files_of(records) == {
        **before,
        "tse-2019b.yml": (records / "tse-2019b.yml").read_bytes(),
        "tse-2019c.yml": (records / "tse-2019c.yml").read_bytes(),
    }
    loaded, problems = load(records / "tse-2019b.yml", "tse-2019b.yml", LATEST_YEAR)
    assert problems == []
    assert loaded.record.id == "tse-2019b"
    assert loaded.record.abstract == "A different paper by the same first author in the same year."


def test_an_id_clash_ignores_case_of_existing_file_names(tmp_path, at_root):
    records = tmp_path / "seeds" / "records"
    records.mkdir(parents=True)
    (records / "Wang-2020.yml").write_text("id: Wang-2020\n", encoding="utf-8")
    _, result = import_seeds(tmp_path, [SEED_PATHS[0]])
    assert "wang-2020b.yml" in [Path(p).name for p in result.added]
