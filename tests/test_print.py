"""Handouts: a reading path, a theme and a record printed to PDF by headless Chromium
(Playwright's page.pdf, which uses the print stylesheet), then read back with pypdf:
the citations, notes and abstracts are there, the navigation is not, outside links show
their address, and the page count stays sensible.

Set READING_LIST_PRINT_DIR to keep the PDFs (to look at them: `pdftoppm -png`)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from generator.paths import load_paths
from generator.render import citation, label
from tests.browser_site import Pages, SeedSite
from tests.conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What the screen shows around the content, and a printed handout must not.
NAVIGATION = (
    "Needs attention",
    "Table of contents",
    "Copy citation",
    "Edit this",
    "Made with Material",
    "Search",
    "Back to top",
    "Related readings",
    "In the same theme",
)


def printed(pages: Pages, site: SeedSite, path: str, name: str) -> tuple[int, str]:
    """The page printed on A4: its number of pages and its text, spaces normalised."""
    from pypdf import PdfReader

    page = pages.new()
    page.goto(site.url(path))
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4", print_background=True)
    keep = os.environ.get("READING_LIST_PRINT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / f"{name}.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    return len(reader.pages), " ".join(text.split())


def words(text: str) -> str:
    return " ".join(text.split())


def assert_no_navigation(text: str) -> None:
    for words_ in NAVIGATION:
        assert words_ not in text, words_


def test_a_reading_path_prints_as_a_handout(site, pages):
    library = site.library
    paths, problems = load_paths(ROOT / "seeds" / "paths")
    assert not problems
    (path,) = [p for p in paths if p.id == "first-course"]
    count, text = printed(pages, site, "paths/first-course/", "path")
    assert 2 <= count <= 2 + len(path.readings), count
    assert path.title in text
    settings_url = "https://peer-support-reading-list.github.io/reading-list/"
    for number, reading in enumerate(path.readings, start=1):
        record = library.entries[reading.record].record
        assert f"{number}. {label(record)}" in text
        assert words(citation(record)) in text
        assert words(reading.note)[:120] in text
        for question in reading.questions:
            assert words(question) in text
        # The reading's page, written out: a link on paper is only its address.
        assert f"{settings_url}records/{record.id}/" in text.replace(" ", "")
    assert "Abstract and details of this reading" not in text
    assert_no_navigation(text)


def test_a_theme_prints_its_readings_without_navigation(site, pages):
    library = site.library
    theme = max(library.by_theme, key=lambda t: len(library.by_theme[t]))
    count, text = printed(pages, site, f"themes/{theme}/", "theme")
    assert 1 <= count <= 1 + len(library.by_theme[theme]) // 8, count
    assert library.vocabulary.theme(theme).name in text
    for record_id in library.by_theme[theme]:
        assert words(label(library.entries[record_id].record)) in text
    assert "Subscribe" not in text
    assert_no_navigation(text)


def test_a_record_prints_its_citation_and_abstract_and_nothing_after(site, pages):
    record = site.library.entries["tse-2019"].record
    count, text = printed(pages, site, "records/tse-2019/", "record")
    assert 1 <= count <= 3, count
    assert words(citation(record)) in text
    assert record.abstract is not None
    assert words(record.abstract)[-120:] in text
    assert "In reading paths" not in text
    assert_no_navigation(text)


def test_outside_links_print_their_address(site, pages):
    _, text = printed(pages, site, "contribute/", "contribute")
    squeezed = text.replace(" ", "")
    assert re.search(
        r"\(https://github\.com/peer-support-reading-list/reading-list[^)]*\)", squeezed
    )
