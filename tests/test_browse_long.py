"""The Browse page of a list longer than a page (generator/browse.py, assets/browse.js),
in a real browser: the page holds only the newest readings, the script lists the whole
list from its data file a page at a time, and contributor text stays text. The seed
records, a hostile one among them, built with five readings a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.browse import orders
from generator.index import reading_order
from generator.pipeline import check
from generator.render import label, short_authors
from generator.settings import load_settings
from tests.browser_site import SeedSite, chromium_executable, serve
from tests.site_project import build, make_project, set_readings_per_page
from tests.test_browse import box, count_text, visible_ids

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PER_PAGE = 5
MARKUP_AUTHOR = "Eve <i>Mallory</i>"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile" / "records" / "hostile-2020.yml"


@pytest.fixture(scope="module")
def site(tmp_path_factory):  # conftest's browser and pages use this site
    chromium_executable()  # skip before spending a build on a machine without a browser
    project = make_project(tmp_path_factory.mktemp("browse-long") / "project")
    # Its first author's family name is markup too, so the byline (family names) is.
    hostile = HOSTILE.read_text(encoding="utf-8")
    assert '"<b onmouseover=alert(2)>Eve</b> Mallory"' in hostile
    hostile = hostile.replace('"<b onmouseover=alert(2)>Eve</b> Mallory"', f'"{MARKUP_AUTHOR}"')
    (project / "seeds" / "records" / HOSTILE.name).write_text(hostile, encoding="utf-8")
    set_readings_per_page(project, PER_PAGE)
    build(project)
    library = check(load_settings(project)).library
    assert library is not None and len(library.entries) > 4 * PER_PAGE
    with serve(project / "site") as base_url:
        yield SeedSite(base_url, library, project / "site")


def newest_first(site: SeedSite, ids=None) -> list[str]:
    entries = site.library.entries
    return sorted(ids or entries, key=lambda i: reading_order(entries[i]))


def more_button(page):
    return page.locator(".rl-browse-more button")


def test_without_javascript_the_page_lists_the_newest_and_leads_to_the_rest(site, pages):
    total = len(site.library.entries)
    page = pages.new(java_script_enabled=False)
    page.goto(site.url("browse/"))
    assert visible_ids(page) == newest_first(site)[:PER_PAGE]
    note = page.locator(".rl-browse-nojs")
    assert f"the newest {PER_PAGE} of {total} readings are listed below" in note.inner_text()
    assert note.locator("a").count() == 3  # theme, tag, year
    assert more_button(page).is_hidden()


def test_the_list_goes_on_a_page_at_a_time_and_a_choice_starts_it_again(site, pages):
    library = site.library
    total = len(library.entries)
    page = pages.new()
    page.goto(site.url("browse/"))
    assert count_text(page) == f"{total} readings."
    assert visible_ids(page) == newest_first(site)[:PER_PAGE]
    assert (
        more_button(page).inner_text() == f"Show {PER_PAGE} more ({total - PER_PAGE} not shown yet)"
    )
    shown = PER_PAGE
    while shown < total:
        more_button(page).focus()
        page.keyboard.press("Enter")
        # The focus goes on to the first reading just listed.
        focused = page.evaluate("() => document.activeElement.getAttribute('href')")
        assert focused.endswith(f"/{newest_first(site)[shown]}/"), focused
        shown = min(total, shown + PER_PAGE)
        assert visible_ids(page) == newest_first(site)[:shown]
    assert more_button(page).is_hidden()

    # A choice lists its readings from the first again, sorted as chosen.
    theme = max(library.by_theme, key=lambda t: len(library.by_theme[t]))
    in_theme = library.by_theme[theme]
    assert len(in_theme) > PER_PAGE
    box(page, "theme", theme).check()
    assert count_text(page) == f"Showing {len(in_theme)} of {total} readings."
    assert visible_ids(page) == newest_first(site, in_theme)[:PER_PAGE]
    more_button(page).click()
    assert len(visible_ids(page)) == min(2 * PER_PAGE, len(in_theme))
    page.locator("#rl-sort").select_option("author")
    by_author = orders(list(library.entries.values()))["author"]
    assert visible_ids(page) == sorted(in_theme, key=by_author.__getitem__)[:PER_PAGE]
    left = len(in_theme) - PER_PAGE
    assert (
        more_button(page).inner_text() == f"Show {min(PER_PAGE, left)} more ({left} not shown yet)"
    )


def test_a_hostile_label_in_the_list_is_text(site, pages):
    record = site.library.entries["hostile-2020"].record
    page = pages.new()
    page.goto(site.url(f"browse/?theme={site.library.entries['hostile-2020'].themes[0]}"))
    while "hostile-2020" not in visible_ids(page):
        more_button(page).click()
    line = page.locator('#rl-browse-list li:has(a[href$="/hostile-2020/"])')
    assert line.locator("a").inner_text() == label(record)
    assert "<script>" in label(record)
    assert line.inner_text() == f"{label(record)} · {short_authors(record)}"
    assert "<i>" in short_authors(record)
    # Only the link the script made: nothing in the label became an element.
    assert line.evaluate("li => li.querySelectorAll('*').length") == 1
    assert page.evaluate("() => document.querySelectorAll('#rl-browse-list script').length") == 0
