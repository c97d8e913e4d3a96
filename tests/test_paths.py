"""Reading paths: the strict reader of seeds/paths/*.yml, `check`'s messages with file
and line, the example path, and the pages (path, paths index, record pages)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import paths as reading_paths
from generator.paths import load_paths, parse_path, reference_problems
from generator.pipeline import check, generate
from generator.settings import load_settings
from tests.conftest import ROOT, run_cli

EXAMPLE = ROOT / "seeds" / "paths" / "first-course.yml"
SEED_IDS = sorted(p.stem for p in (ROOT / "seeds" / "records").glob("*.yml"))

GOOD = """\
title: A path
audience: New peer workers
introduction: |-
  Why these readings.

  A second paragraph.
readings:
  - record: tse-2019
    note: How to use it.
    questions:
      - One question?
      - Another?
  - record: adame-2008
    note: Start here.
"""


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the records, the vocabulary and the paths, as a contributor's branch."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copytree(ROOT / "seeds" / "records", seeds / "records")
    shutil.copytree(ROOT / "seeds" / "paths", seeds / "paths")
    for name in ("themes.yml", "tags.yml"):
        shutil.copy2(ROOT / "seeds" / name, seeds / name)
    return tmp_path


def settings_of(project: Path):
    return load_settings(project, templates_dir=ROOT / "templates")


def messages(text: str, name: str = "first-course") -> list[str]:
    path, problems = parse_path(text, f"seeds/paths/{name}.yml", name)
    problems += reference_problems([path] if path else [], SEED_IDS)
    return [str(p) for p in sorted(problems)]


# -- reading path files ------------------------------------------------------------------


def test_a_good_path_reads_in_order_with_notes_questions_and_lines():
    path, problems = parse_path(GOOD, "seeds/paths/a.yml", "a")
    assert problems == []
    assert path is not None
    assert (path.id, path.title, path.audience) == ("a", "A path", "New peer workers")
    assert path.paragraphs() == ["Why these readings.", "A second paragraph."]
    assert [(r.record, r.line) for r in path.readings] == [("tse-2019", 8), ("adame-2008", 13)]
    assert path.readings[0].questions == ("One question?", "Another?")
    assert path.readings[1].questions == ()


def test_an_unknown_record_is_named_with_its_file_line_and_the_closest_id():
    text = GOOD.replace("record: tse-2019", "record: tse-2091")
    assert messages(text) == [
        "seeds/paths/first-course.yml:8: unknown record 'tse-2091'; did you mean 'tse-2019'?"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD.replace("title: A path\n", ""),
            [
                "seeds/paths/first-course.yml:1: the field 'title' is missing; add 'title:' with the path's title, as trainers will see it"
            ],
        ),
        (
            GOOD.replace("audience: New peer workers", "audience:"),
            [
                "seeds/paths/first-course.yml:2: 'audience' is empty; write who the path is for, in a few words"
            ],
        ),
        (
            GOOD.replace("    note: Start here.\n", ""),
            [
                "seeds/paths/first-course.yml:13: the reading 'adame-2008' has no 'note'; add 'note:' with a few sentences on how to use the reading in a session"
            ],
        ),
        (
            GOOD.replace("record: adame-2008", "record: tse-2019"),
            [
                "seeds/paths/first-course.yml:13: record 'tse-2019' is already in this path (line 8); keep it once, where it fits the order best"
            ],
        ),
        (
            GOOD.replace("    note: How to use it.", "    notes: How to use it."),
            [
                "seeds/paths/first-course.yml:8: the reading 'tse-2019' has no 'note'; add 'note:' with a few sentences on how to use the reading in a session",
                "seeds/paths/first-course.yml:9: unknown field 'notes' in a reading; did you mean 'note'?",
            ],
        ),
        (
            GOOD.replace("readings:", "reading:"),
            [
                "seeds/paths/first-course.yml:1: the field 'readings' is missing; add 'readings:' and under it one '- record: id' group per reading",
                "seeds/paths/first-course.yml:7: unknown field 'reading' in path; did you mean 'readings'?",
            ],
        ),
        (
            GOOD.replace("record: adame-2008", "record: Adame 2008"),
            [
                "seeds/paths/first-course.yml:13: 'Adame 2008' is not a record id; write the record file's name without .yml, like 'adame-2008'"
            ],
        ),
        (
            GOOD.replace("  - record: adame-2008\n    note: Start here.\n", "  - adame-2008\n"),
            [
                "seeds/paths/first-course.yml:13: each reading should be a group of fields starting with '- record:'; write '- record: id', then 'note:' and 'questions:' indented under it"
            ],
        ),
        (
            "title: [unclosed\n",
            [
                "seeds/paths/first-course.yml:2: YAML syntax error: did not find expected ',' or ']'; check the indentation and the ': ' after each field name; put a value holding ': ' or starting with a special character in quotes"
            ],
        ),
    ],
    ids=[
        "missing-title",
        "empty-audience",
        "no-note",
        "twice",
        "misspelt-field",
        "misspelt-readings",
        "not-an-id",
        "reading-not-a-group",
        "syntax",
    ],
)
def test_mistakes_are_reported_with_their_line_and_a_fix(text, expected):
    assert messages(text) == expected


def test_every_problem_of_a_file_is_reported_at_once():
    text = (
        GOOD.replace("title: A path\n", "")
        .replace("record: tse-2019", "record: tse-2091")
        .replace("record: adame-2008", "record: adame-2080")
    )
    found = messages(text)
    assert len(found) == 3, found
    assert "unknown record 'tse-2091'" in found[1] and "unknown record 'adame-2080'" in found[2]


def test_a_file_name_that_cannot_name_a_page_is_refused():
    assert messages(GOOD, "index")[0].startswith(
        "seeds/paths/index.yml:1: the file name 'index' cannot name a page"
    )


# -- the example path and `check` ---------------------------------------------------------


def test_the_example_path_is_a_first_course_built_from_seed_records():
    paths, problems = load_paths(EXAMPLE.parent)
    assert problems == []
    (path,) = [p for p in paths if p.id == "first-course"]
    assert "first course" in path.title.lower()
    assert 5 <= len(path.readings) <= 7
    assert {r.record for r in path.readings} <= set(SEED_IDS)
    for reading in path.readings:
        assert len(reading.note.split()) >= 25, reading.record
        assert 1 <= len(reading.questions) <= 3, reading.record
    assert path.readings[0].record == "adame-2008"  # where peer support comes from


def test_check_names_an_unknown_record_in_a_path_with_its_file_and_line(project):
    file = project / "seeds" / "paths" / "first-course.yml"
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line == "  - record: tse-2019\n")
    lines[number] = "  - record: tse-2091\n"
    file.write_text("".join(lines), encoding="utf-8")
    done = run_cli("check", cwd=project)
    assert done.returncode == 1
    assert done.stdout == (
        f"seeds/paths/first-course.yml:{number + 1}: unknown record 'tse-2091'; did you mean 'tse-2019'?\n"
    )
    assert done.stderr == "checked seeds/records: 22 record(s) loaded, 1 error(s)\n"


def test_a_records_folder_checked_on_its_own_ignores_the_projects_paths(project, tmp_path):
    # Paths live beside their records folder: another folder has none.
    other = tmp_path / "elsewhere" / "records"
    other.parent.mkdir()
    shutil.copytree(project / "seeds" / "records", other)
    (other / "tse-2019.yml").unlink()
    done = run_cli("check", "--records", str(other), cwd=project)
    assert (done.returncode, done.stdout) == (0, "")


# -- pages ---------------------------------------------------------------------------------


def test_pages_show_the_path_in_order_and_record_pages_list_their_paths(project):
    settings = settings_of(project)
    pages, problems = generate(settings)
    assert pages is not None, problems
    checked = check(settings)
    (path,) = checked.paths
    page = pages["paths/first-course.md"]
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert len(headings) == len(path.readings)
    assert [h.split(". ", 1)[0] for h in headings] == [
        f"## {n}" for n in range(1, len(path.readings) + 1)
    ]
    for number, reading in enumerate(path.readings, start=1):
        assert f"(../records/{reading.record}.md)" in page
        record_page = pages[f"records/{reading.record}.md"]
        assert "<h2>In reading paths</h2>" in record_page
        assert (
            f'<a href="../../paths/first-course/">A first course on peer support work</a>, '
            f"reading {number} of {len(path.readings)}"
        ) in record_page
    assert "<h2>In reading paths</h2>" not in pages["records/gilburt-2010.md"]
    assert "[A first course on peer support work](first-course.md)" in pages["paths/index.md"]


def test_contributor_text_in_a_path_is_escaped(project):
    hostile = (
        GOOD.replace("title: A path", "title: '<script>alert(1)</script> [x](javascript:y)'")
        .replace("How to use it.", "'{{ 7*7 }} <img src=x onerror=alert(1)> **bold**'")
        .replace("One question?", "'# heading? | table |'")
    )
    (project / "seeds" / "paths" / "first-course.yml").write_text(hostile, encoding="utf-8")
    pages, problems = generate(settings_of(project))
    assert pages is not None, problems
    page = pages["paths/first-course.md"]
    for raw in ("<script", "<img", "[x](", "{{", "**bold**", "# heading", "| table"):
        assert raw not in page.split("---", 2)[2], raw
    assert "&#60;script&#62;" in page


def test_no_paths_folder_gives_an_index_that_says_so(project):
    shutil.rmtree(project / "seeds" / "paths")
    pages, _ = generate(settings_of(project))
    assert pages is not None
    assert "No reading path yet." in pages["paths/index.md"]
    assert not [p for p in pages if p.startswith("paths/") and p != "paths/index.md"]
    assert reading_paths.folder(settings_of(project)) == project / "seeds" / "paths"
