"""`check`: one exact `path:line: what is wrong; how to fix it` line per kind of problem.

Each broken fixture in fixtures/broken/ is copied alone into a `records/` folder and
checked there, so the expected lines read `records/<file>:<line>: ...`. Files that could
not be committed portably (over 1 MB, deeply nested, `con.yml`, names equal ignoring
case) are made by the tests.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from generator import cli
from generator.schema import ID_RE
from tests.conftest import BROKEN, run_cli

FIX_SYNTAX = "check the indentation and the ': ' after each field name; put a value holding ': ' or starting with a special character in quotes"
SAVE_AS_UTF8 = "save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)"
INVISIBLE = "delete it (retype the text around it if you cannot see it)"
KNOWN = "abstract, added, authors, doi, et_al, id, issue, journal, pages, source, tags, themes, title, url, volume, year"

# Fixture file -> the complete output of `check` on a folder holding only that file.
EXPECTED = {
    "yaml-syntax-2019.yml": [
        f"records/yaml-syntax-2019.yml:2: YAML syntax error: mapping values are not allowed in this context; {FIX_SYNTAX}"
    ],
    "titel-2019.yml": ["records/titel-2019.yml:2: unknown field 'titel'; did you mean 'title'?"],
    "author-2019.yml": [
        "records/author-2019.yml:3: unknown field 'author'; did you mean 'authors'?"
    ],
    "authors-string-2019.yml": [
        "records/authors-string-2019.yml:3: 'authors' should be a list; put each entry on its own line, starting with '- ', under 'authors:'"
    ],
    "year-list-2019.yml": [
        "records/year-list-2019.yml:5: 'year' should be a single value, not a list; write it on one line after 'year:'"
    ],
    "empty-id.yml": [
        "records/empty-id.yml:1: 'id' is empty; write 'id: empty-id' (the file name without .yml)"
    ],
    "missing-id-2019.yml": [
        "records/missing-id-2019.yml:1: the field 'id' is missing; add 'id: missing-id-2019' as the first line"
    ],
    "year-too-early-1899.yml": [
        "records/year-too-early-1899.yml:5: year 1899 is outside 1900..2027; check the year of publication"
    ],
    "year-too-late-2099.yml": [
        "records/year-too-late-2099.yml:5: year 2099 is outside 1900..2027; check the year of publication"
    ],
    "impossible-date-2020.yml": [
        "records/impossible-date-2020.yml:5: year '2020-02-30' is not a four-digit year; write only the year, like 2019, or leave it empty if unknown"
    ],
    "et-al-no-2019.yml": [
        "records/et-al-no-2019.yml:5: 'et_al' must be true or false, not 'NO'; write true or false"
    ],
    "id-mismatch-2019.yml": [
        "records/id-mismatch-2019.yml:1: id 'other-name-2019' does not match the file name 'id-mismatch-2019'; rename the file to other-name-2019.yml, or write 'id: id-mismatch-2019'"
    ],
    "index.yml": [
        "records/index.yml:1: id 'index' is a reserved name; add the year, like 'index-2019'"
    ],
    "escaped-control-character-2019.yml": [
        f"records/escaped-control-character-2019.yml:2: 'title' contains an invisible character U+0007 (control character); {INVISIBLE}"
    ],
    "bidi-override-2019.yml": [
        f"records/bidi-override-2019.yml:2: 'title' contains an invisible character U+202E (RIGHT-TO-LEFT OVERRIDE); {INVISIBLE}"
    ],
    "latin-1-2019.yml": [
        f"records/latin-1-2019.yml:2: the file is not UTF-8 (byte 0xE9 at column 11); {SAVE_AS_UTF8}"
    ],
    "utf-16-2019.yml": [
        f"records/utf-16-2019.yml:1: the file is saved as UTF-16, not UTF-8; {SAVE_AS_UTF8}"
    ],
    "empty-2019.yml": [
        "records/empty-2019.yml:1: the file is empty; add content or delete the file"
    ],
    "duplicate-keys-2019.yml": [
        "records/duplicate-keys-2019.yml:5: 'title' appears twice (first on line 2); keep one of them and delete the other"
    ],
    "python-tag-2019.yml": [
        "records/python-tag-2019.yml:2: 'title' has a YAML tag '!!python/object/apply:os.system'; remove the tag; record files hold plain text only"
    ],
    "no-title-no-authors-2019.yml": [
        "records/no-title-no-authors-2019.yml:1: the record has neither a title nor authors; add at least one of them, so readers can tell what it is"
    ],
}
# Fixtures whose problem is found, but with more lines than the one asserted (see the
# xfail test on fix suggestions below): fixture -> a line the output must hold.
EXPECTED_AMONG = {
    "unsafe-dotdot.yml": "records/unsafe-dotdot.yml:1: id '../unsafe-dotdot' is unsafe: it contains a path separator or '..'; use only a-z, 0-9 and '-', like tse-2019",
    "unsafe-separator.yml": "records/unsafe-separator.yml:1: id 'unsafe/separator' is unsafe: it contains a path separator or '..'; use only a-z, 0-9 and '-', like tse-2019",
}
# Fixtures with a known bug in their report; each has its own xfail test.
KNOWN_BUGS = {"control-character-2019.yml"}


def check(records: Path, capsys) -> tuple[int, list[str]]:
    """Run `check --records records` in this process: the exit status and stdout lines."""
    status = cli.main(["check", "--records", records.as_posix()])
    out = capsys.readouterr().out
    return status, out.splitlines()


def folder_with(tmp_path: Path, *names: str) -> Path:
    records = tmp_path / "records"
    records.mkdir()
    for name in names:
        shutil.copyfile(BROKEN / name, records / name)
    return records


@pytest.fixture
def in_tmp(tmp_path, monkeypatch, fixed_year):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_broken_fixture_has_an_expected_report():
    fixtures = {p.name for p in BROKEN.iterdir() if p.is_file()}
    assert fixtures == set(EXPECTED) | set(EXPECTED_AMONG) | KNOWN_BUGS | {"alias-bomb-2019.yml"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_reports_the_exact_line(name, in_tmp, capsys):
    folder_with(in_tmp, name)
    status, lines = check(Path("records"), capsys)
    assert lines == EXPECTED[name]
    assert status == 1


@pytest.mark.parametrize("name", sorted(EXPECTED_AMONG))
def test_check_reports_an_unsafe_id(name, in_tmp, capsys):
    folder_with(in_tmp, name)
    status, lines = check(Path("records"), capsys)
    assert EXPECTED_AMONG[name] in lines
    assert status == 1


def test_a_raw_control_character_is_reported_on_its_line(in_tmp, capsys):
    folder_with(in_tmp, "control-character-2019.yml")
    status, lines = check(Path("records"), capsys)
    assert lines == [
        f"records/control-character-2019.yml:2: 'title' contains an invisible character U+0007 (control character); {INVISIBLE}"
    ]
    assert status == 1


def test_a_raw_control_character_is_at_least_an_error(in_tmp, capsys):
    folder_with(in_tmp, "control-character-2019.yml")
    status, lines = check(Path("records"), capsys)
    assert status == 1
    assert lines[0].startswith("records/control-character-2019.yml:")


def test_reserved_device_name(in_tmp, capsys):
    records = in_tmp / "records"
    records.mkdir()
    (records / "con.yml").write_text("id: con\ntitle: Reserved device name\n", encoding="utf-8")
    status, lines = check(Path("records"), capsys)
    assert lines == [
        "records/con.yml:1: id 'con' is a reserved name; add the year, like 'con-2019'"
    ]
    assert status == 1


@pytest.mark.parametrize(("year", "ok"), [(1900, True), (2027, True), (2028, False), (1899, False)])
def test_the_year_range_ends_next_year_by_source_date_epoch(year, ok, in_tmp, capsys):
    records = in_tmp / "records"
    records.mkdir()
    (records / "y.yml").write_text(f"id: y\ntitle: T\nyear: {year}\n", encoding="utf-8")
    status, lines = check(Path("records"), capsys)
    expected = (
        []
        if ok
        else [f"records/y.yml:3: year {year} is outside 1900..2027; check the year of publication"]
    )
    assert (status, lines) == (0 if ok else 1, expected)


def test_ids_equal_ignoring_case_across_two_files(in_tmp, capsys):
    records = in_tmp / "records"
    records.mkdir()
    (records / "tse-2019.yml").write_text(
        "id: tse-2019\ntitle: One\nauthors:\n  - Samson Tse\n", encoding="utf-8"
    )
    (records / "Tse-2019.yml").write_text(
        "id: Tse-2019\ntitle: Two\nauthors:\n  - Samson Tse\n", encoding="utf-8"
    )
    if len(list(records.iterdir())) < 2:
        pytest.skip("this file system ignores case in file names")
    status, lines = check(Path("records"), capsys)
    assert lines == [
        "records/Tse-2019.yml:1: id 'Tse-2019' may only hold a-z, 0-9 and single '-' between words; write it as 'tse-2019'",
        "records/tse-2019.yml:1: the file name equals 'records/Tse-2019.yml' ignoring case and Unicode form; give one record another id and rename its file to match",
    ]
    assert status == 1


@pytest.mark.parametrize(
    ("folder", "expected"),
    [
        (
            "same-title",
            "records/second-2020.yml:1: looks like a duplicate of records/first-2019.yml (same title); delete one of the two files, or merge what they hold into one",
        ),
        (
            "same-authors-year-abstract",
            "records/doe-2019b.yml:1: looks like a duplicate of records/doe-2019.yml (same authors, year and abstract); delete one of the two files, or merge what they hold into one",
        ),
    ],
)
def test_likely_duplicate_records(folder, expected, in_tmp, capsys):
    shutil.copytree(BROKEN / folder, in_tmp / "records")
    status, lines = check(Path("records"), capsys)
    assert lines == [expected]
    assert status == 1


def test_yaml_1_1_lookalikes_pass_check_and_stay_as_typed(in_tmp, capsys):
    records = in_tmp / "records"
    records.mkdir()
    (records / "doe-2019.yml").write_text(
        "id: doe-2019\ntitle: NO\nauthors:\n  - Jane Doe\nyear: 2019\nvolume: 3.10\n"
        "issue: 010\npages: 1:20\n",
        encoding="utf-8",
    )
    status, lines = check(Path("records"), capsys)
    assert (status, lines) == (0, [])
    assert cli.main(["list", "--json", "--records", "records"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["title"], listed["volume"], listed["issue"], listed["pages"]) == (
        "NO",
        "3.10",
        "010",
        "1:20",
    )


def test_a_file_over_one_megabyte_is_refused_unread(in_tmp, capsys):
    records = in_tmp / "records"
    records.mkdir()
    (records / "big-2019.yml").write_text(
        "id: big-2019\ntitle: T\nabstract: " + "x" * (1024 * 1024), encoding="utf-8"
    )
    status, lines = check(Path("records"), capsys)
    assert lines == [
        "records/big-2019.yml:1: the file is 1.0 MB; a record file is a few KB; keep only the record's fields in the file"
    ]
    assert status == 1


def test_an_alias_bomb_is_refused_quickly(in_tmp, capsys):
    folder_with(in_tmp, "alias-bomb-2019.yml")
    started = time.perf_counter()
    status, lines = check(Path("records"), capsys)
    assert time.perf_counter() - started < 2
    assert status == 1
    path = "records/alias-bomb-2019.yml"
    for n, key in enumerate("abcdefghi", start=3):
        fix = "did you mean 'id'?" if key in ("d", "i") else f"known values: {KNOWN}"
        assert f"{path}:{n}: unknown field '{key}'; {fix}" in lines
    # The line is the anchor's, not the alias's: see test_record_files' xfail test.
    assert any(
        re.fullmatch(
            rf"{path}:\d+: 'authors' reuses a value with a YAML alias \(\*\); write the value out in full; anchors and aliases are not allowed",
            line,
        )
        for line in lines
    )


def test_moderately_nested_brackets_are_a_plain_problem(in_tmp, capsys):
    records = in_tmp / "records"
    records.mkdir()
    (records / "nested-2019.yml").write_text("[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    status, lines = check(Path("records"), capsys)
    assert lines == [
        "records/nested-2019.yml:1: the file is nested too deeply; remove the extra brackets or indentation"
    ]
    assert status == 1


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, "[" * 50_000 + "]" * 50_000, "id: deep-2019\ntitle: " + "{a: " * 50_000],
    ids=["open", "closed", "in-a-field"],
)
def test_deeply_nested_brackets_are_refused_without_a_crash(text, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    (records / "deep-2019.yml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--records", "records", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stdout.startswith("records/deep-2019.yml:")
    assert "nested too deeply" in result.stdout


# -- the report as a whole -----------------------------------------------------------------


def test_every_problem_of_every_file_is_reported_in_one_run(in_tmp, capsys):
    names = ["titel-2019.yml", "year-list-2019.yml", "latin-1-2019.yml"]
    folder_with(in_tmp, *names)
    status, lines = check(Path("records"), capsys)
    assert lines == [
        *EXPECTED["latin-1-2019.yml"],
        *EXPECTED["titel-2019.yml"],
        *EXPECTED["year-list-2019.yml"],
    ]
    assert status == 1


def test_several_problems_in_one_file_are_all_reported(in_tmp, capsys):
    records = in_tmp / "records"
    records.mkdir()
    (records / "many-2019.yml").write_text(
        "id: many-2019\ntitel: T\nauthors: Jane Doe\nyear: 20x9\net_al: NO\nvolume: [1]\n",
        encoding="utf-8",
    )
    status, lines = check(Path("records"), capsys)
    path = "records/many-2019.yml"
    assert lines == [
        f"{path}:1: the record has neither a title nor authors; add at least one of them, so readers can tell what it is",
        f"{path}:2: unknown field 'titel'; did you mean 'title'?",
        f"{path}:3: 'authors' should be a list; put each entry on its own line, starting with '- ', under 'authors:'",
        f"{path}:4: year '20x9' is not a four-digit year; write only the year, like 2019, or leave it empty if unknown",
        f"{path}:5: 'et_al' must be true or false, not 'NO'; write true or false",
        f"{path}:6: 'volume' should be a single value, not a list; write it on one line after 'volume:'",
    ]
    assert status == 1


def line_key(line: str) -> tuple[str, int, str]:
    path, number, rest = line.split(":", 2)
    return path, int(number), rest


@pytest.fixture(scope="module")
def broken_folder(tmp_path_factory) -> Path:
    """Every single-file broken fixture without a known crash or mangled report."""
    root = tmp_path_factory.mktemp("broken")
    records = root / "records"
    records.mkdir()
    for path in BROKEN.iterdir():
        if path.is_file() and path.name not in KNOWN_BUGS:
            shutil.copyfile(path, records / path.name)
    return root


def test_check_cli_on_all_broken_fixtures_reports_all_sorted_without_traceback(broken_folder):
    result = run_cli("check", "--records", "records", cwd=broken_folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    for name, expected in EXPECTED.items():
        assert set(expected) <= set(lines), name
    for expected in EXPECTED_AMONG.values():
        assert expected in lines
    assert all(re.fullmatch(r"records/[^:/]+\.yml:\d+: [^\n]+; [^\n]+", line) for line in lines)
    assert lines == sorted(lines, key=line_key)
    assert re.fullmatch(r"checked records: \d+ record\(s\) loaded, \d+ error\(s\)\n", result.stderr)
    errors = int(re.search(r"(\d+) error", result.stderr)[1])
    assert errors == len(lines)


def test_check_output_is_identical_across_runs_and_hash_seeds(broken_folder):
    first = run_cli("check", "--records", "records", cwd=broken_folder, env={"PYTHONHASHSEED": "1"})
    second = run_cli(
        "check", "--records", "records", cwd=broken_folder, env={"PYTHONHASHSEED": "2"}
    )
    assert (first.stdout, first.stderr) == (second.stdout, second.stderr)


def test_check_passes_on_the_committed_seed_records():
    result = run_cli("check")
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr == "checked seeds/records: 22 record(s) loaded, 0 error(s)\n"


def test_check_on_a_missing_folder_says_how_to_make_it(tmp_path):
    result = run_cli("check", "--records", "nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == (
        "nowhere: the records folder does not exist; run `python -m generator import seeds/*.txt` or pass --records DIR\n"
    )


# -- the suggested fixes must themselves be valid --------------------------------------------


def suggested_ids(line: str) -> list[str]:
    return re.findall(r"rename the file to (.+?)\.yml", line) + re.findall(
        r"write 'id: (.+?)'", line
    )


@pytest.mark.parametrize("name", ["unsafe-dotdot.yml", "unsafe-separator.yml", "empty-id.yml"])
def test_fix_suggestions_for_an_id_are_valid_ids(name, in_tmp, capsys):
    folder_with(in_tmp, name)
    _, lines = check(Path("records"), capsys)
    for line in lines:
        assert all(ID_RE.match(i) for i in suggested_ids(line)), line
        assert "delete the 'id' line" not in line


def test_the_id_fix_for_a_plain_mismatch_is_valid(in_tmp, capsys):
    folder_with(in_tmp, "id-mismatch-2019.yml")
    _, lines = check(Path("records"), capsys)
    assert suggested_ids(lines[0]) == ["other-name-2019", "id-mismatch-2019"]
