"""The command line, run as a contributor runs it: `python -m generator COMMAND`."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import build_parser
from tests.conftest import BROKEN, GOLDEN_RECORDS, ROOT, SEEDS, run_cli

COMMAND_OPTIONS = {
    "import": ["FILE", "--records"],
    "check": ["--records"],
    "list": ["--json", "--records"],
    "schema": ["--output", "--check"],
}


def subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_the_records_commands_exist():
    assert set(COMMAND_OPTIONS) <= set(subcommands())


@pytest.mark.parametrize("command", sorted(COMMAND_OPTIONS))
def test_every_records_command_has_help_naming_its_options(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.startswith(f"usage: python -m generator {command} ")
    for option in COMMAND_OPTIONS[command]:
        assert option in result.stdout


@pytest.mark.parametrize("command", subcommands())
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([command, "--help"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: python -m generator {command}")


def test_top_level_help_lists_the_commands():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in COMMAND_OPTIONS:
        assert command in result.stdout
    assert "--debug" in result.stdout


@pytest.mark.parametrize(
    "args",
    [[], ["frobnicate"], ["list"], ["import"], ["check", "--records"]],
    ids=["none", "unknown", "list-without-json", "import-without-files", "records-without-dir"],
)
def test_usage_errors_exit_2_with_a_usage_line_and_no_traceback(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: python -m generator")
    assert "Traceback" not in result.stderr


# -- import --------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    """A folder like the project's root holding only the seed exports."""
    (tmp_path / "seeds").mkdir()
    for seed in SEEDS:
        shutil.copyfile(seed, tmp_path / "seeds" / seed.name)
    return tmp_path


def test_import_cli_writes_the_committed_records_and_then_nothing(project):
    seeds = [f"seeds/{p.name}" for p in SEEDS]
    first = run_cli("import", *seeds, cwd=project)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "added 22 record(s) to seeds/records; 0 already present\n"
    records = project / "seeds" / "records"
    assert {p.name: p.read_bytes() for p in records.iterdir()} == {
        p.name: p.read_bytes() for p in GOLDEN_RECORDS.iterdir()
    }
    again = run_cli("import", *seeds, cwd=project)
    assert again.returncode == 0
    lines = again.stdout.splitlines()
    assert len(lines) == 23
    assert all(": warning: already present as " in line for line in lines[:22])
    assert lines[22] == "added 0 record(s) to seeds/records; 22 already present"


def test_import_cli_with_a_broken_file_fails_and_writes_nothing(project):
    (project / "seeds" / "broken.txt").write_bytes(b"2019\nAuthor(s):\nCaf\xe9 Au Lait\n")
    result = run_cli("import", "seeds/broken.txt", *[f"seeds/{p.name}" for p in SEEDS], cwd=project)
    assert result.returncode == 1
    assert result.stdout == (
        "seeds/broken.txt:3: the file is not UTF-8 (byte 0xE9 at column 4); "
        "save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)\n"
    )
    assert result.stderr == "import failed: 1 problem(s); no file was written\n"
    assert not (project / "seeds" / "records").exists()


def test_import_cli_with_a_missing_file(project):
    result = run_cli("import", "seeds/missing.txt", "--records", "out", cwd=project)
    assert result.returncode == 1
    assert result.stdout == (
        "seeds/missing.txt: cannot read the file (No such file or directory); check the path\n"
    )
    assert "Traceback" not in result.stderr
    assert not (project / "out").exists()


# -- list ----------------------------------------------------------------------------------


def test_list_json_prints_every_field_of_every_seed_record():
    result = run_cli("list", "--json")
    assert result.returncode == 0
    records = json.loads(result.stdout)
    assert len(records) == 22
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    assert all(
        list(r)
        == [
            "id",
            "title",
            "year",
            "journal",
            "volume",
            "issue",
            "pages",
            "doi",
            "url",
            "authors",
            "et_al",
            "abstract",
            "themes",
            "tags",
            "source",
        ]
        for r in records
    )


def test_list_json_leaves_out_records_with_errors_and_reports_them(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    shutil.copyfile(GOLDEN_RECORDS / "tse-2019.yml", records / "tse-2019.yml")
    shutil.copyfile(BROKEN / "titel-2019.yml", records / "titel-2019.yml")
    result = run_cli("list", "--json", "--records", "records", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr == "records/titel-2019.yml:2: unknown field 'titel'; did you mean 'title'?\n"
    )
    assert [r["id"] for r in json.loads(result.stdout)] == ["tse-2019"]


def test_list_json_of_an_empty_folder_is_an_empty_array(tmp_path):
    (tmp_path / "records").mkdir()
    result = run_cli("list", "--json", "--records", "records", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "[]\n", "")


# -- schema --------------------------------------------------------------------------------


def test_schema_check_passes_on_the_committed_schema():
    result = run_cli("schema", "--check")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_schema_check_fails_on_a_stale_schema(tmp_path):
    stale = tmp_path / "record.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    result = run_cli("schema", "--check", "--output", str(stale))
    assert result.returncode == 1
    assert result.stderr == f"{stale.as_posix()}: out of date; run `python -m generator schema`\n"


def test_schema_writes_the_committed_schema(tmp_path):
    result = run_cli("schema", "--output", "schema/record.schema.json", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "wrote schema/record.schema.json\n"
    written = (tmp_path / "schema" / "record.schema.json").read_bytes()
    assert written == (ROOT / "schema" / "record.schema.json").read_bytes()


def test_python_m_generator_collects_garbage_rarely(monkeypatch):
    """`python -m generator` (and the `reading-list` script: both call cli.run) raises
    the cycle collector's thresholds for its run (cli.GC_THRESHOLDS: its walks over
    every live object slow a run at 10,000 records); main() leaves a caller's alone."""
    import gc
    import runpy

    from generator import cli

    calls: list[str] = []
    monkeypatch.setattr(gc, "set_threshold", lambda *t: calls.append(f"gc {t}"))
    monkeypatch.setattr(cli, "main", lambda: calls.append("main") or 0)
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("generator", run_name="__main__")
    assert exited.value.code == 0
    assert calls == [f"gc {cli.GC_THRESHOLDS}", "main"]
    assert cli.GC_THRESHOLDS[0] > 700  # Python's default: a collection every 700 objects
