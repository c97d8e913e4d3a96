"""The contributor's path: the guides, the issue form, the pull request template, and a
simulated edit in the web editor that the check catches, then passes once fixed.

The guides quote the record template and a real check message; these tests keep the
quotes true, so the guides cannot drift from what the tools do.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from generator import schema
from generator.vocabulary import load_vocabulary
from tests.conftest import ROOT, run_cli

CONTRIBUTING = ROOT / "CONTRIBUTING.md"
SITE_PAGE = ROOT / "docs" / "contribute.md"
GUIDES = [CONTRIBUTING, SITE_PAGE]
ISSUE_FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-a-reading.yml"
PR_TEMPLATE = ROOT / ".github" / "pull_request_template.md"
REPO = "https://github.com/peer-support-reading-list/reading-list"

# What a contributor sees for the edit below (latest accepted year 2027: conftest pins
# SOURCE_DATE_EPOCH to 2026).
EXPECTED_MESSAGES = (
    "seeds/records/tse-2019.yml:14: year 2091 is outside 1900..2027; check the year of publication\n"
    "seeds/records/tse-2019.yml:25: unknown theme 'stigmas'; did you mean 'stigma'?\n"
)


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, flags=re.MULTILINE | re.DOTALL)


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the repository's records and vocabulary, as a contributor's branch."""
    (tmp_path / "seeds").mkdir()
    shutil.copytree(ROOT / "seeds" / "records", tmp_path / "seeds" / "records")
    for name in ("themes.yml", "tags.yml"):
        shutil.copy2(ROOT / "seeds" / name, tmp_path / "seeds" / name)
    return tmp_path


# -- a contributor's edit, as the check on the pull request sees it -----------------------


def test_a_bad_edit_fails_the_check_with_what_to_write_and_the_fixed_edit_passes(project):
    record = project / "seeds" / "records" / "tse-2019.yml"
    original = text(record)
    assert "\nyear: 2019\n" in original
    # In the web editor: the year mistyped, and a theme added under a wrong name.
    record.write_text(
        original.replace("\nyear: 2019\n", "\nyear: 2091\n") + "themes:\n  - stigmas\n",
        encoding="utf-8",
    )
    failed = run_cli("check", "--records", "seeds/records", cwd=project)
    assert failed.returncode == 1
    assert failed.stdout == EXPECTED_MESSAGES
    assert failed.stderr == "checked seeds/records: 22 record(s) loaded, 2 error(s)\n"

    # The contributor follows the two messages, on the lines they name.
    lines = text(record).splitlines(keepends=True)
    assert (lines[13], lines[24]) == ("year: 2091\n", "  - stigmas\n")
    lines[13], lines[24] = "year: 2019\n", "  - stigma\n"
    record.write_text("".join(lines), encoding="utf-8")
    passed = run_cli("check", "--records", "seeds/records", cwd=project)
    assert (passed.returncode, passed.stdout) == (0, "")
    assert passed.stderr == "checked seeds/records: 22 record(s) loaded, 0 error(s)\n"


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_guides_quote_the_check_messages_exactly(guide):
    assert EXPECTED_MESSAGES in blocks(text(guide), "text")


# -- the record template ------------------------------------------------------------------


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_new_file_link_opens_the_editor_with_the_guides_template(guide):
    markdown = text(guide)
    (template,) = blocks(markdown, "yaml")
    prefix = re.escape(f"{REPO}/new/main/seeds/records?")
    links = re.findall(rf"\(({prefix}[^)\s]+)\)", markdown)
    assert len(links) == 1
    query = parse_qs(urlsplit(links[0]).query, keep_blank_values=True)
    assert query == {"filename": ["smith-2021.yml"], "value": [template]}


def test_the_record_template_passes_the_check_as_it_is(project):
    (template,) = blocks(text(CONTRIBUTING), "yaml")
    (project / "seeds" / "records" / "smith-2021.yml").write_text(template, encoding="utf-8")
    done = run_cli("check", "--records", "seeds/records", cwd=project)
    assert (done.returncode, done.stdout) == (0, "")


def test_both_guides_give_the_same_template_and_field_table():
    contributing, site_page = text(CONTRIBUTING), text(SITE_PAGE)
    assert blocks(contributing, "yaml") == blocks(site_page, "yaml")
    table = re.findall(r"^\| .*\|$", site_page, flags=re.MULTILINE)
    assert len(table) == 2 + 11
    for row in table:
        assert row in contributing


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_field_table_explains_every_field(guide):
    rows = re.findall(r"^\| (.*?) \|", text(guide), flags=re.MULTILINE)
    explained = {name for row in rows for name in re.findall(r"`([a-z_]+)`", row)}
    assert explained == set(schema.FIELD_NAMES)


# -- CONTRIBUTING.md ----------------------------------------------------------------------


def test_contributing_starts_with_the_one_command_that_runs_every_check():
    first_line = text(CONTRIBUTING).splitlines()[0]
    assert first_line.startswith("`make test` runs every check")
    makefile = text(ROOT / "Makefile")
    assert re.search(r"^test: .*\n(\t.*\n)*\t\$\(BIN\)/python -m pytest\n", makefile, re.MULTILINE)


def test_contributing_covers_the_non_programmers_path_then_the_developers():
    headings = re.findall(r"^#{2,3} (.+)$", text(CONTRIBUTING), flags=re.MULTILINE)
    assert headings[:6] == [
        "For trainers and librarians",
        "Suggest a reading",
        "Add a reading in GitHub's web editor",
        "Fix a record through its Edit link",
        "When the check fails",
        "For developers",
    ]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_guides_link_the_issue_form(guide):
    assert f"{REPO}/issues/new?template={ISSUE_FORM.name}" in text(guide)


# -- the issue form and the pull request template -----------------------------------------


def test_the_issue_form_asks_what_a_maintainer_needs():
    form = yaml.safe_load(text(ISSUE_FORM))
    assert form["name"] == "Suggest a reading" and form["description"]
    fields = {item["id"]: item for item in form["body"] if item["type"] != "markdown"}
    assert list(fields) == ["title", "authors", "year", "journal", "link", "why", "themes"]
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown"}
        assert item["attributes"].get("label") or item["type"] == "markdown"
    required = {key for key, item in fields.items() if item.get("validations", {}).get("required")}
    assert required == {"title", "why"}


def test_the_issue_forms_themes_are_the_vocabularys():
    vocabulary, problems = load_vocabulary(ROOT / "seeds")
    assert vocabulary is not None, problems
    form = yaml.safe_load(text(ISSUE_FORM))
    (themes,) = [item for item in form["body"] if item.get("id") == "themes"]
    assert themes["type"] == "dropdown" and themes["attributes"]["multiple"] is True
    assert themes["attributes"]["options"] == [
        t.name for t in vocabulary.themes if t.id != vocabulary.fallback_theme
    ]


def test_the_pull_request_template_points_at_the_failing_check_help():
    template = text(PR_TEMPLATE)
    assert "Check the records" in template and "CONTRIBUTING.md" in template
    assert "- [ ]" in template
