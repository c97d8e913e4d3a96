"""The README cannot drift from the code: its set-up commands exist, and every command
of the command line is listed."""

from __future__ import annotations

import argparse
import re

from generator.cli import build_parser
from generator.settings import load_settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def subcommands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_the_first_section_gives_the_two_set_up_commands_and_make_has_them():
    first_section = README.split("\n## ", 2)[1]
    assert first_section.startswith("Set up")
    assert "make site" in first_section and "make test" in first_section
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^site:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_every_command_is_in_the_readme():
    missing = [c for c in subcommands() if f"python -m generator {c}" not in README]
    assert not missing, f"add these commands to README.md: {missing}"


def test_the_ci_script_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_gives_the_readings_per_page_mkdocs_yml_sets():
    per_page = load_settings(ROOT).readings_per_page
    assert f"lists at most {per_page} readings" in " ".join(README.split())
