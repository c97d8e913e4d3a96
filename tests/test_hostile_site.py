"""Contributor text is untrusted: a hostile record, built into a real site, adds no
element, attribute, link, script or template evaluation, and shows as literal text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.site_project import build, make_project

pytestmark = pytest.mark.slow
HOSTILE = Path(__file__).parent / "fixtures" / "hostile" / "records"
MARKERS = ("alert", "evil.example", "passwd")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("hostile") / "project", records=HOSTILE)
    build(project)
    return project / "site"


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_no_script_iframe_handler_or_script_url_comes_from_record_text(hostile_site):
    pages = html_pages(hostile_site)
    assert len(pages) > 10
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for element in page.find_all(True):
            assert element.name not in ("iframe", "object", "embed"), path
            if element.name == "script":
                assert not any(m in (element.string or "") for m in MARKERS), path
            for attribute, value in element.attrs.items():
                values = value if isinstance(value, list) else [value]
                assert not attribute.lower().startswith("on"), (path, element.name, attribute)
                for v in values:
                    assert not str(v).strip().lower().startswith(("javascript:", "data:")), (
                        path,
                        attribute,
                        v,
                    )
                    # Text in an anchor slug or a description is inert; a link or source
                    # pointing outside the site would not be.
                    if attribute in ("href", "src", "action", "formaction"):
                        assert "evil.example" not in str(v), (path, element.name, attribute, v)


def test_hostile_text_shows_literally(hostile_site):
    page = BeautifulSoup(
        (hostile_site / "records/hostile-2020/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    heading = page.select_one("article h1").get_text()
    assert "<script>alert('title')</script>" in heading
    assert "{{ 7*7 }}" in heading and "&lt;b&gt;" in heading
    assert "<script>alert('title')</script>" in page.title.get_text()
    text = page.select_one("article").get_text()
    for literal in (
        '<iframe src="https://evil.example"></iframe>',
        "[a link](javascript:alert(6))",
        '{: onclick="alert(8)" }',
        '--8<-- "/etc/passwd"',
        ":smile:",
        "$e=mc^2$",
        "| col | col |",
        "---",
        "# Not a heading",
        "<!-- comment -->",
        "&#60;script&#62;",
    ):
        assert literal in text, literal
    assert "49" not in text  # {{ 7*7 }} was not evaluated
    assert "root:" not in text  # no file was included
    authors = [
        a.get_text()
        for a in page.select("article a[href*='/authors/'], article a[href^='../../authors/']")
    ]
    assert "<b onmouseover=alert(2)>Eve</b> Mallory" in authors


def test_hostile_text_adds_no_structure(hostile_site):
    article = BeautifulSoup(
        (hostile_site / "records/hostile-2020/index.html").read_text(encoding="utf-8"),
        "html.parser",
    ).select_one("article")
    assert not article.find("table")
    assert not article.find("img")
    assert not article.find("hr")
    assert not article.find("pre")
    assert not article.find("ol")
    assert [h.get_text() for h in article.find_all("h1")] and len(article.find_all("h1")) == 1
    for a in article.find_all("a", href=True):
        assert not a["href"].startswith(("javascript:", "data:", "https://evil"))


def test_author_page_of_hostile_name_is_safe(hostile_site):
    authors = sorted((hostile_site / "authors").glob("*/index.html"))
    assert authors
    for path in authors:
        assert ".." not in path.parent.name and "/" not in path.parent.name


def test_the_browse_data_holds_hostile_text_as_strings(hostile_site):
    """The list Browse filters (generator/browse.py) is one assignment of JSON, ASCII
    only: a label cannot end the string or the statement, whatever it holds."""
    script = (hostile_site / "browse" / "readings.js").read_text(encoding="utf-8")
    assigned = re.fullmatch(r"window\.rlBrowseReadings = (\{.*\});\n", script, re.DOTALL)
    assert assigned and script.isascii()
    readings = {reading[0]: reading for reading in json.loads(assigned[1])["readings"]}
    assert set(readings) == {"../records/hostile-2020/", "../records/plain-2019/"}
    hostile = readings["../records/hostile-2020/"]
    assert "<script>alert('title')</script>" in hostile[1] and "{{ 7*7 }}" in hostile[1]
