"""Shared paths and helpers for the tests of the records part (sources, record files, check)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
# What importing seeds/*.txt must give; seeds/records/ is live data people edit.
GOLDEN_RECORDS = ROOT / "tests" / "golden" / "records"
GOLDEN_VOCABULARY = ROOT / "tests" / "golden" / "vocabulary"
GOLDEN_DOCS = ROOT / "tests" / "golden" / "docs"
SCHEMA_FILE = ROOT / "schema" / "record.schema.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROKEN = FIXTURES / "broken"

# 2026-01-01T00:00:00Z: `check` then accepts years 1900..2027, whatever today is.
SOURCE_DATE_EPOCH = "1767225600"
LATEST_YEAR = 2027


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 60):
    """Run ``python -m generator ARGS`` in a fresh interpreter, as a contributor would."""
    full_env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "PYTHONPATH": str(ROOT),
        "PYTHONIOENCODING": "utf-8",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture
def fixed_year(monkeypatch):
    """Pin the latest accepted year of publication for in-process runs of the CLI."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    return LATEST_YEAR


# -- browser tests: one served seed site and one Chromium per module ---------------------
# Imported inside the fixtures, so tests without a browser never need Playwright.


@pytest.fixture(scope="module")
def site(request, tmp_path_factory):
    from tests.browser_site import served_seed_site

    with served_seed_site(
        tmp_path_factory.mktemp(f"{request.module.__name__.split('.')[-1]}-site")
    ) as served:
        yield served


@pytest.fixture(scope="module")
def browser(site):
    from tests.browser_site import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def pages(browser, site):
    """Pages opened in a test; at the end, no console error or failed request on any."""
    from tests.browser_site import Pages

    opened = Pages(browser, site)
    try:
        yield opened
        opened.check()
    finally:
        opened.close()
