"""The cache of record files read by earlier runs gives exactly what reading them gives,
and never an answer for a file whose bytes, name or place changed."""

from __future__ import annotations

import json
import shutil

from generator import record_files
from generator.parse_cache import FILE_NAME, ParseCache
from generator.validate import check_folder
from tests.conftest import ROOT

BROKEN = "id: broken-2020\ntitle: [unclosed\nyear: 2091\n"


def checked(records, cache_dir):
    """``check_folder`` with the cache, saved as a clean check saves it."""
    cache = ParseCache(cache_dir)
    result = check_folder(records, cache=cache)
    cache.save()
    return result


def seeded_folder(tmp_path):
    records = tmp_path / "records"
    shutil.copytree(ROOT / "seeds" / "records", records)
    (records / "broken-2020.yml").write_text(BROKEN, encoding="utf-8")
    return records


def as_data(checked):
    """Everything a check gives, sources and field lines included."""
    return (
        [(r.record, r.record.source, r.path, r.lines) for r in checked.loaded],
        checked.problems,
    )


def test_a_second_check_gives_the_same_from_the_cache_without_reading_yaml(
    tmp_path, fixed_year, monkeypatch
):
    records, cache = seeded_folder(tmp_path), tmp_path / ".cache"
    fresh = as_data(check_folder(records))
    assert fresh[1], "the broken file gives problems"
    assert as_data(checked(records, cache)) == fresh
    assert (cache / FILE_NAME).is_file()

    def no_parsing(*args, **kwargs):
        raise AssertionError("a file was read again instead of taken from the cache")

    monkeypatch.setattr(record_files, "parse_record", no_parsing)
    assert as_data(checked(records, cache)) == fresh


def test_an_edited_or_renamed_file_is_read_again(tmp_path, fixed_year):
    records, cache = seeded_folder(tmp_path), tmp_path / ".cache"
    checked(records, cache)
    tse = records / "tse-2019.yml"
    tse.write_text(
        tse.read_text(encoding="utf-8").replace("year: 2019", "year: 2018"), encoding="utf-8"
    )
    (records / "broken-2020.yml").rename(records / "broken-2021.yml")
    cached = as_data(checked(records, cache))
    assert cached == as_data(check_folder(records))
    assert next(r for r, *_ in cached[0] if r.id == "tse-2019").year == 2018
    assert any(p.path.endswith("broken-2021.yml") for p in cached[1])


def test_a_cache_from_other_code_or_with_foreign_entries_is_not_used(tmp_path, fixed_year):
    records, cache = seeded_folder(tmp_path), tmp_path / ".cache"
    fresh = as_data(check_folder(records))
    checked(records, cache)
    data = json.loads((cache / FILE_NAME).read_text(encoding="utf-8"))
    doctored = {key: {"loaded": {"record": {"id": "x"}}, "problems": []} for key in data["files"]}
    for version, files in (("other code", data["files"]), (data["version"], doctored)):
        (cache / FILE_NAME).write_text(
            json.dumps({"version": version, "files": files}), encoding="utf-8"
        )
        assert as_data(checked(records, cache)) == fresh, version


def test_entries_of_files_that_are_gone_are_dropped(tmp_path, fixed_year):
    records, cache = seeded_folder(tmp_path), tmp_path / ".cache"
    checked(records, cache)
    (records / "broken-2020.yml").unlink()
    checked(records, cache)
    assert len(ParseCache(cache).entries) == len(list(records.glob("*.yml")))
