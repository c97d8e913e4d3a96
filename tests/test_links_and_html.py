"""Whole-site checks on the built seed site: no broken internal link or anchor, and no
error of ours in the HTML (the Nu HTML checker); Material's own errors are listed in
tests/site_checks.py and may not grow. The hostile site gets the same checks in
test_hostile_inputs.py."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.settings import ConfigLoader
from generator.sitecheck import check_links
from tests.site_checks import KNOWN_MATERIAL_ERRORS, classify, html_errors
from tests.site_project import build, make_project

pytestmark = pytest.mark.slow


def site_url(project: Path) -> str | None:
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=ConfigLoader)
    return config.get("site_url")


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("seed") / "project")
    build(project)
    return project


def test_no_broken_internal_link_or_anchor_in_the_seed_site(seed_project):
    report = check_links(seed_project / "site", site_url(seed_project))
    print(
        f"\nseed site: {report.pages} pages, {report.links} internal links checked "
        f"({report.anchors} with an anchor), {report.external} external not followed, "
        f"{len(report.broken)} broken"
    )
    assert report.pages > 100 and report.links > 1000 and report.anchors > 100
    assert not report.broken, "\n".join(map(str, report.broken[:40]))


def test_the_link_checker_finds_missing_pages_and_anchors(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<h1 id="top">A</h1><a name="old"></a>')
    (site / "style.css").write_text("")
    (site / "index.html").write_text(
        "\n".join(
            [
                '<a href="a/">ok</a> <a href="a/#top">ok</a> <a href="a/index.html#old">ok</a>',
                '<link href="style.css"> <a href="/base/a/">ok</a>',
                '<a href="https://example.org/base/a/#top">ok, absolute</a>',
                '<a href="https://elsewhere.example/">external</a> <a href="mailto:x@y">mail</a>',
                '<a href="b/">missing page</a>',
                '<a href="a/#nowhere">missing anchor</a>',
                '<img src="/other/x.png">',
                '<svg><a xlink:href="a/#gone">svg link</a></svg>',
            ]
        )
    )
    report = check_links(site, "https://example.org/base/")
    assert [str(b) for b in report.broken] == [
        "index.html:5: b/: no such file: b",
        "index.html:6: a/#nowhere: no id 'nowhere' in a/index.html",
        "index.html:7: /other/x.png: outside the site's path",
        "index.html:8: a/#gone: no id 'gone' in a/index.html",
    ]
    assert (report.links, report.anchors, report.external) == (9, 5, 2)


@pytest.fixture(scope="module")
def seed_html(seed_project, tmp_path_factory):
    """The checker's errors for every page of the seed site, and for one planted page
    with mistakes of the kind a template could make (in the same run of the checker)."""
    site = seed_project / "site"
    planted = tmp_path_factory.mktemp("planted") / "planted.html"
    planted.write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body>'
        '<p id="x">one</p><p id="x">two</p><a href="#x"><div>block in inline</div></a>'
        '<label for="nothing">label</label></body></html>',
        encoding="utf-8",
    )
    pages = sorted(site.rglob("*.html"))
    return site, pages, html_errors(site, [*pages, planted])


def test_the_html_checker_finds_no_error_of_ours(seed_html):
    site, pages, errors = seed_html
    seed_errors = [e for e in errors if not e.page.endswith("planted.html")]
    result = classify(seed_errors)
    by_entry = {entry.message[:40]: result.material[entry] for entry in KNOWN_MATERIAL_ERRORS}
    print(
        f"\nHTML checker on {len(pages)} seed pages: {len(result.ours)} errors of ours, "
        f"{sum(result.material.values())} of Material's ({by_entry})"
    )
    assert not result.ours, "\n".join(map(str, result.ours[:20]))
    assert not result.over_budget, "\n".join(result.over_budget[:20])
    unseen = [e.message for e in KNOWN_MATERIAL_ERRORS if not result.material[e]]
    assert not unseen, f"Material no longer makes these errors; drop them from the list: {unseen}"
    # Every page is checked, including the 404 page and the home page.
    assert {"404.html", "index.html"} <= {p.relative_to(site).as_posix() for p in pages}


def test_the_html_checker_would_catch_a_template_mistake(seed_html):
    _, _, errors = seed_html
    planted = classify([e for e in errors if e.page.endswith("planted.html")])
    messages = " | ".join(e.message for e in planted.ours)
    assert "Duplicate ID “x”" in messages
    assert "“label” element must be the ID of a non-hidden form control" in messages
    assert not planted.material  # `for="nothing"` is ours, not Material's __toc label
