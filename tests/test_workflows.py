"""The GitHub Actions workflows: linted by actionlint and zizmor, and held to the rules
the project chose (least privilege, pinned actions, a deployment never cut off).

Each linter is also shown a seeded mistake, so a linter that silently checks nothing
cannot pass these tests.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
CHECK = WORKFLOWS / "check.yml"
DEPLOY = WORKFLOWS / "deploy.yml"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"uses: \S+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def tool(name: str) -> str:
    """A linter installed with the test extra (next to this Python, or on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} is missing: run `pip install -e '.[test]'` (or `make test`)"
    return found


def actionlint(folder: Path, *files: Path) -> subprocess.CompletedProcess:
    # shellcheck and pyflakes are optional plug-ins of actionlint; leaving them out
    # makes the result the same on every machine.
    return subprocess.run(
        [
            tool("actionlint"),
            "-no-color",
            "-oneline",
            "-shellcheck=",
            "-pyflakes=",
            *map(str, files),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def zizmor(*files: Path) -> subprocess.CompletedProcess:
    # --offline: no audit that asks GitHub; --persona auditor: every finding, even the
    # ones zizmor is unsure about.
    return subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--no-config",
            "--persona",
            "auditor",
            "--color",
            "never",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.y*ml"))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def seeded(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    """A copy of a workflow with one mistake put in."""
    text = source.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} is not in {source.name}"
    target = tmp_path / ".github" / "workflows" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


# -- linters ------------------------------------------------------------------------------


def test_there_is_a_check_and_a_deploy_workflow():
    assert [p.name for p in workflow_files()] == ["check.yml", "deploy.yml"]


def test_actionlint_finds_nothing_in_the_workflows():
    done = actionlint(ROOT, *workflow_files())
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_actionlint_catches_a_job_that_needs_a_missing_job(tmp_path):
    broken = seeded(tmp_path, DEPLOY, "needs: build", "needs: biuld")
    done = actionlint(tmp_path, broken)
    assert done.returncode == 1
    line = DEPLOY.read_text(encoding="utf-8").splitlines().index("  deploy:") + 1
    assert done.stdout == (
        f'.github/workflows/deploy.yml:{line}:3: job "deploy" needs job "biuld" '
        "which does not exist in this workflow [job-needs]\n"
    )


def test_actionlint_catches_a_broken_expression(tmp_path):
    broken = seeded(tmp_path, CHECK, "runs-on: ubuntu-24.04", "runs-on: ${{ matrix.os }")
    done = actionlint(tmp_path, broken)
    assert done.returncode == 1
    assert "[expression]" in done.stdout and "[runner-label]" in done.stdout


def test_zizmor_finds_nothing_in_the_workflows():
    done = zizmor(*workflow_files())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


@pytest.mark.parametrize(
    ("old", "new", "audit"),
    [
        ("  pull_request:\n", "  pull_request_target:\n", "dangerous-triggers"),
        (
            "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2",
            "actions/checkout@v4",
            "unpinned-uses",
        ),
        ("persist-credentials: false", "persist-credentials: true", "artipacked"),
    ],
    ids=["pull-request-target", "unpinned-action", "persisted-credentials"],
)
def test_zizmor_catches_a_seeded_security_mistake(tmp_path, old, new, audit):
    broken = seeded(tmp_path, CHECK, old, new)
    done = zizmor(broken)
    assert done.returncode != 0
    assert f"[{audit}]" in done.stdout


# -- the project's rules, read from the YAML ----------------------------------------------


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_named(path):
    text = path.read_text(encoding="utf-8")
    for step in steps(load(path)):
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
    uses_lines = [line.strip() for line in text.splitlines() if "uses:" in line]
    assert uses_lines
    for line in uses_lines:
        assert VERSION_COMMENT.search(line), line


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_every_checkout_drops_its_credentials(path):
    checkouts = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_no_workflow_runs_on_pull_request_target_or_can_write_contents(path):
    workflow = load(path)
    assert "pull_request_target" not in workflow["on"]
    assert "workflow_run" not in workflow["on"]
    grants = [workflow.get("permissions")] + [
        job.get("permissions") for job in workflow["jobs"].values()
    ]
    for grant in grants:
        assert grant is None or isinstance(grant, dict), grant  # never read-all / write-all
        assert "write" not in (grant or {}).get("contents", "")


def test_the_check_runs_on_pull_requests_with_a_read_only_token():
    workflow = load(CHECK)
    assert "pull_request" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    runs = [s["run"] for s in steps(workflow) if "run" in s]
    assert "make check" in runs and "make test" in runs and "make site" in runs
    assert runs.index("make check") < runs.index("make test") < runs.index("make site")


def test_the_check_sets_up_python_with_a_pip_cache():
    setup = [s for s in steps(load(CHECK)) if s.get("uses", "").startswith("actions/setup-python@")]
    assert len(setup) == 1
    assert setup[0]["with"] == {
        "python-version": "3.11",
        "cache": "pip",
        "cache-dependency-path": "pyproject.toml",
    }


def test_the_problem_matcher_reads_a_check_message():
    matcher = (ROOT / ".github" / "record-problems.json").read_text(encoding="utf-8")
    pattern = json.loads(matcher)["problemMatcher"][0]["pattern"][0]
    found = re.match(
        pattern["regexp"],
        "seeds/records/tse-2019.yml:24: unknown theme 'stigmas'; did you mean 'stigma'?",
    )
    assert found is not None
    assert found.group(pattern["file"]) == "seeds/records/tse-2019.yml"
    assert found.group(pattern["line"]) == "24"
    assert found.group(pattern["message"]) == "unknown theme 'stigmas'; did you mean 'stigma'?"
    assert ".github/record-problems.json" in CHECK.read_text(encoding="utf-8")


def test_deploy_publishes_main_by_hand_or_on_push():
    workflow = load(DEPLOY)
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in workflow["on"]
    assert "pull_request" not in workflow["on"]


def test_deploy_grants_pages_rights_only_to_the_deploy_job():
    workflow = load(DEPLOY)
    assert workflow["permissions"] == {}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"


def test_deploy_uses_the_official_pages_actions_after_a_strict_build():
    workflow = load(DEPLOY)
    build = [s.get("uses", s.get("run", "")) for s in workflow["jobs"]["build"]["steps"]]
    assert build[2] == "make site"
    assert build[3].startswith("actions/upload-pages-artifact@")
    assert workflow["jobs"]["build"]["steps"][3]["with"] == {"path": "site"}
    deploy = [s["uses"] for s in workflow["jobs"]["deploy"]["steps"]]
    assert len(deploy) == 1 and deploy[0].startswith("actions/deploy-pages@")


def test_a_deployment_in_progress_is_never_cancelled():
    assert load(DEPLOY)["concurrency"] == {"group": "pages", "cancel-in-progress": False}
