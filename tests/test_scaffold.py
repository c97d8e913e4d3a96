"""`python -m generator new`: a record file from options or questions, exact output."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli, scaffold
from tests.conftest import ROOT, SOURCE_DATE_EPOCH, run_cli

HELP = """\
usage: python -m generator new [-h] [--title TEXT] [--author NAME]
                               [--year YYYY] [--journal TEXT] [--volume TEXT]
                               [--issue TEXT] [--pages TEXT] [--doi DOI]
                               [--url URL] [--records DIR]

Create a record file for a new reading, with a fresh id (tse-2019, or
tse-2019b when that is taken). Give the details as options, or none in a
terminal to be asked for each. Nothing is written if a value would fail
`check`, and an existing file is never replaced.

options:
  -h, --help      show this help message and exit
  --title TEXT    the title, as published
  --author NAME   an author as 'Given Family'; repeat for each author, in
                  published order
  --year YYYY     year of publication
  --journal TEXT  journal or book it appeared in
  --volume TEXT   volume, as printed
  --issue TEXT    issue, as printed
  --pages TEXT    page range or article number, as printed
  --doi DOI       like 10.1176/appi.ps.202000441
  --url URL       web address, starting with https://
  --records DIR   folder of record files (default: seeds/records)
"""

HEADER = """\
# yaml-language-server: $schema=../../schema/record.schema.json
# One reading of the list. Edit the values after the colons; leave a value empty
# if it is unknown. Every field is explained in CONTRIBUTING.md, and
# `python -m generator check` (run on every pull request) points at any mistake.
"""
ABSTRACT_HINT = (
    "abstract:  # write |- after the colon and paste the abstract on the lines below, "
    "indented by two spaces\n"
)
# The day the record joins the list: today, here SOURCE_DATE_EPOCH (2026-01-01).
ADDED = "added: '2026-01-01'\n"
FULL = [
    "--title",
    "Peer support: what trainers need",
    "--author",
    "Samson Tse",
    "--author",
    "Ana Ruiz-Pérez",
    "--year",
    "2019",
    "--journal",
    "BMC Psychiatry",
    "--volume",
    "19",
    "--issue",
    "1",
    "--pages",
    "146-162",
    "--doi",
    "https://doi.org/10.1186/s12888-019-2133-1",
    "--url",
    "https://example.org/reading",
]
NEXT = "Next: open it, paste the abstract, and run `python -m generator check`.\n"


@pytest.fixture
def project(tmp_path) -> Path:
    """A folder like the repository root: seed records, vocabulary and schema."""
    (tmp_path / "seeds").mkdir()
    shutil.copytree(ROOT / "seeds" / "records", tmp_path / "seeds" / "records")
    for name in ("themes.yml", "tags.yml"):
        shutil.copy2(ROOT / "seeds" / name, tmp_path / "seeds" / name)
    (tmp_path / "schema").mkdir()
    shutil.copy2(ROOT / "schema" / "record.schema.json", tmp_path / "schema")
    return tmp_path


def records(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "seeds" / "records").iterdir())


def test_help_names_every_option():
    done = run_cli("new", "--help", env={"COLUMNS": "80"})
    assert (done.returncode, done.stdout, done.stderr) == (0, HELP, "")


def test_new_from_options_takes_the_next_free_id_and_passes_check(project):
    before = records(project)
    done = run_cli("new", *FULL, cwd=project)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "created seeds/records/tse-2019b.yml (id tse-2019b)\n" + NEXT
    assert records(project) == sorted([*before, "tse-2019b.yml"])
    assert (project / "seeds" / "records" / "tse-2019b.yml").read_text(
        encoding="utf-8"
    ) == HEADER + (
        "id: tse-2019b\n"
        "title: 'Peer support: what trainers need'\n"
        "authors:\n"
        "  - Samson Tse\n"
        "  - Ana Ruiz-Pérez\n"
        "year: 2019\n"
        "journal: BMC Psychiatry\n"
        "volume: '19'\n"
        "issue: '1'\n"
        "pages: 146-162\n"
        "doi: 10.1186/s12888-019-2133-1\n"
        "url: https://example.org/reading\n" + ABSTRACT_HINT + ADDED
    )
    checked = run_cli("check", cwd=project)
    assert (checked.returncode, checked.stdout) == (0, "")
    assert checked.stderr == "checked seeds/records: 23 record(s) loaded, 0 error(s)\n"


def test_new_with_only_an_author_leaves_hints_in_the_empty_fields(project):
    done = run_cli("new", "--author", "Ann Lee", cwd=project)
    assert done.returncode == 0
    assert done.stdout == "created seeds/records/lee-nd.yml (id lee-nd)\n" + NEXT
    assert (project / "seeds" / "records" / "lee-nd.yml").read_text(encoding="utf-8") == (
        HEADER + "id: lee-nd\n"
        "title:  # the title, as published\n"
        "authors:\n"
        "  - Ann Lee\n"
        "year:  # four digits, like 2021\n"
        "journal:  # the journal or book it appeared in\n" + ABSTRACT_HINT + ADDED
    )
    assert run_cli("check", cwd=project).returncode == 0


def test_new_with_only_a_title_takes_its_id_from_the_title(project):
    done = run_cli("new", "--title", "The role of the peer worker", "--year", "2024", cwd=project)
    assert done.returncode == 0
    assert done.stdout.startswith("created seeds/records/role-peer-worker-2024.yml ")
    assert run_cli("check", cwd=project).returncode == 0


def test_bad_values_are_named_by_their_option_and_nothing_is_written(project):
    before = records(project)
    done = run_cli(
        "new",
        *("--title", "A reading", "--year", "2091", "--doi", "nope", "--url", "ftp://x"),
        cwd=project,
    )
    assert done.returncode == 1
    assert done.stdout == (
        "--year: year 2091 is outside 1900..2027; check the year of publication\n"
        "--doi: 'nope' is not a DOI; write it as 10.xxxx/yyyy, without https://doi.org/ in front\n"
        "--url: url 'ftp://x' is not a web address; write a full address starting with https://\n"
    )
    assert done.stderr == "no record file was written\n"
    assert records(project) == before


def test_a_year_that_is_not_a_year_is_refused(project):
    done = run_cli("new", "--author", "Ann Lee", "--year", "19", cwd=project)
    assert done.returncode == 1
    assert done.stdout == (
        "--year: year '19' is not a four-digit year; "
        "write only the year, like 2019, or leave it empty if unknown\n"
    )


def test_a_reading_already_in_the_list_is_refused(project):
    assert run_cli("new", *FULL, cwd=project).returncode == 0
    again = run_cli("new", "--title", "Peer support: what trainers need", cwd=project)
    assert again.returncode == 1
    assert again.stdout == (
        "seeds/records/tse-2019b.yml holds this reading already (same title); "
        "edit that file instead\n"
    )


def test_neither_title_nor_author_is_refused(project):
    done = run_cli("new", "--year", "2020", cwd=project)
    assert done.returncode == 1
    assert done.stdout == "give --title or --author: a record needs at least one of them\n"


def test_without_options_or_a_terminal_it_says_what_to_do(project):
    done = subprocess.run(
        [sys.executable, "-m", "generator", "new"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "python -m generator new: give the reading's details as options (see --help), "
        "or run it in a terminal to be asked for each\n"
    )


def test_an_existing_file_is_never_replaced(project, monkeypatch):
    target = project / "seeds" / "records" / "tse-2019.yml"
    original = target.read_bytes()
    monkeypatch.chdir(project)
    monkeypatch.setattr(scaffold, "fresh_ids", lambda records, taken: ["tse-2019"])
    outcome = scaffold.create(
        scaffold.Answers.of({"title": "Something new", "authors": ["Samson Tse"]}),
        Path("seeds/records"),
        Path("schema/record.schema.json"),
        latest_year=2027,
    )
    assert outcome.path is None
    assert outcome.problems == (
        "cannot create seeds/records/tse-2019.yml (File exists); check the folder is writable",
    )
    assert target.read_bytes() == original


# -- questions in a terminal --------------------------------------------------------------


class Terminal(io.StringIO):
    """Typed answers, one per line, on a standard input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def run_in_terminal(project, monkeypatch, capsys, typed: str) -> tuple[int, str, str]:
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    monkeypatch.setattr(sys, "stdin", Terminal(typed))
    status = cli.main(["new"])
    out, err = capsys.readouterr()
    return status, out, err


def test_questions_in_a_terminal_ask_again_for_a_bad_year(project, monkeypatch, capsys):
    typed = "\n".join(
        [
            "Peer support in practice",  # title
            "Jane Smith",
            "Amir Khan",
            "",  # end of authors
            "2091",  # a year in the future: asked again
            "2021",
            "Psychiatric Rehabilitation Journal",
            "44",
            "2",
            "101-110",
            "",  # no DOI
            "",  # no web address
        ]
    )
    status, out, err = run_in_terminal(project, monkeypatch, capsys, typed + "\n")
    assert (status, err) == (0, "")
    assert out == (
        "A new reading. Press Enter to leave out what you do not know.\n"
        "Title, as published: "
        "Authors in published order, one per line as 'Given Family'; an empty line ends the list.\n"
        "  Author 1:   Author 2:   Author 3: "
        "Year of publication (four digits): "
        "  year 2091 is outside 1900..2027; check the year of publication\n"
        "Year of publication (four digits): "
        "Journal or book: Volume: Issue: Pages (like 146-162) or article number: "
        "DOI (like 10.1176/appi.ps.202000441): Web address (starting with https://): "
        "created seeds/records/smith-2021.yml (id smith-2021)\n" + NEXT
    )
    text = (project / "seeds" / "records" / "smith-2021.yml").read_text(encoding="utf-8")
    assert "authors:\n  - Jane Smith\n  - Amir Khan\nyear: 2021\n" in text
    assert "doi:" not in text and "url:" not in text
    assert run_cli("check", cwd=project).returncode == 0


def test_stopping_the_questions_writes_nothing(project, monkeypatch, capsys):
    before = records(project)
    status, _, err = run_in_terminal(project, monkeypatch, capsys, "A title only\n")
    assert status == 1
    assert err == "\nstopped; no record file was written\n"
    assert records(project) == before
