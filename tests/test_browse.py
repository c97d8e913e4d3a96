"""The Browse page in a real browser (Debian's Chromium, Playwright) on the built seed
site: two filters at once, the count and the records listed, the shared address giving
the same view, keyboard use, faceted counts, sorting, a year range, and the page
without JavaScript. Every test also fails on a console error or a failed request."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from generator.browse import orders
from generator.index import Library
from tests.browser_site import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VISIBLE_IDS = """() => [...document.querySelectorAll('#rl-browse-list li:not([hidden]) a')]
    .map(a => a.getAttribute('href').split('/').filter(Boolean).pop())"""


def theme_and_tag(library: Library) -> tuple[str, str, list[str]]:
    """A theme and a tag whose readings overlap in part: ticking both narrows each."""
    pairs = []
    for theme, in_theme in library.by_theme.items():
        for tag, in_tag in library.by_tag.items():
            both = [i for i in in_theme if i in in_tag]
            if 2 <= len(both) < min(len(in_theme), len(in_tag)):
                pairs.append((-len(in_theme), theme, tag, both))
    assert pairs, "the seed list should have a theme and a tag that overlap in part"
    _, theme, tag, both = min(pairs)
    return theme, tag, both


def box(page, name: str, value: str):
    return page.locator(f'#rl-browse input[name="{name}"][value="{value}"]')


def number_beside(page, name: str, value: str) -> str:
    label = f'#rl-browse label:has(input[name="{name}"][value="{value}"])'
    return page.locator(f"{label} .rl-n").inner_text()


def count_text(page) -> str:
    return page.locator("#rl-browse-count").inner_text().strip()


def visible_ids(page) -> list[str]:
    return page.evaluate(VISIBLE_IDS)


def test_two_filters_give_the_expected_readings_and_the_shared_address_the_same_view(site, pages):
    library = site.library
    theme, tag, expected = theme_and_tag(library)
    total = len(library.entries)

    page = pages.new()
    page.goto(site.url("browse/"))
    assert count_text(page) == f"{total} readings."
    box(page, "theme", theme).check()
    assert count_text(page) == f"Showing {len(library.by_theme[theme])} of {total} readings."
    box(page, "tag", tag).check()
    assert count_text(page) == f"Showing {len(expected)} of {total} readings."
    assert visible_ids(page) == expected  # newest first, as on the theme page

    shared = page.url
    query = parse_qs(urlsplit(shared).query)
    assert query == {"theme": [theme], "tag": [tag]}

    again = pages.new()  # a colleague opens the link: own context, nothing remembered
    again.goto(shared)
    assert box(again, "theme", theme).is_checked()
    assert box(again, "tag", tag).is_checked()
    assert count_text(again) == f"Showing {len(expected)} of {total} readings."
    assert visible_ids(again) == expected
    again.reload()
    assert visible_ids(again) == expected and again.url == shared


def test_keyboard_only_tab_to_a_choice_press_space_and_the_list_updates(site, pages):
    library = site.library
    first_theme = next(t.id for t in library.vocabulary.themes if t.id in library.by_theme)
    page = pages.new()
    page.goto(site.url("browse/"))
    page.locator("#rl-browse .rl-clear").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
    assert focused == ["theme", first_theme]
    page.keyboard.press("Space")
    assert box(page, "theme", first_theme).is_checked()
    expected = list(library.by_theme[first_theme])
    assert visible_ids(page) == expected
    status = page.locator("#rl-browse-count")
    assert (status.get_attribute("role"), status.get_attribute("aria-live")) == (
        "status",
        "polite",
    )
    assert count_text(page) == f"Showing {len(expected)} of {len(library.entries)} readings."
    page.keyboard.press("Space")
    assert count_text(page) == f"{len(library.entries)} readings."
    assert urlsplit(page.url).query == ""


def test_the_number_beside_a_choice_is_what_ticking_it_would_list(site, pages):
    library = site.library
    theme, _, _ = theme_and_tag(library)
    page = pages.new()
    page.goto(site.url(f"browse/?theme={theme}"))
    in_theme = set(library.by_theme[theme])
    for tag, ids in library.by_tag.items():
        expected = len(in_theme & set(ids))
        assert number_beside(page, "tag", tag) == f"({expected})", tag
    for other, ids in library.by_theme.items():  # same group: a choice adds to the list
        assert number_beside(page, "theme", other) == f"({len(ids)})", other


def test_sorting_a_year_range_and_the_abstract_filter(site, pages):
    library = site.library
    page = pages.new()
    page.goto(site.url("browse/"))
    page.locator("#rl-sort").select_option("author")
    by_author = orders(list(library.entries.values()))["author"]
    assert visible_ids(page) == sorted(library.entries, key=by_author.__getitem__)
    assert parse_qs(urlsplit(page.url).query) == {"sort": ["author"]}

    page.locator("#rl-from").select_option("2015")
    page.locator("#rl-to").select_option("2019")
    box(page, "abstract", "1").check()
    expected = {
        i
        for i, e in library.entries.items()
        if e.record.year is not None and 2015 <= e.record.year <= 2019 and e.record.abstract
    }
    assert set(visible_ids(page)) == expected
    assert parse_qs(urlsplit(page.url).query) == {
        "abstract": ["1"],
        "from": ["2015"],
        "to": ["2019"],
        "sort": ["author"],
    }
    page.locator("#rl-browse .rl-clear").click()
    assert len(visible_ids(page)) == len(library.entries)
    assert parse_qs(urlsplit(page.url).query) == {"sort": ["author"]}


def test_unknown_values_in_the_address_are_ignored(site, pages):
    page = pages.new()
    page.goto(site.url("browse/?theme=no-such-theme&sort=sideways&from=1066"))
    assert count_text(page) == f"{len(site.library.entries)} readings."
    assert page.locator("#rl-sort").input_value() == "newest"


def test_without_javascript_every_reading_is_listed_and_the_form_stays_hidden(site, pages):
    page = pages.new(java_script_enabled=False)
    page.goto(site.url("browse/?theme=stigma"))
    assert page.locator("#rl-browse").is_hidden()
    assert page.locator(".rl-browse-nojs").is_visible()
    assert len(visible_ids(page)) == len(site.library.entries)


def test_on_a_phone_the_filters_come_before_the_list_and_fit_the_screen(site, pages):
    page = pages.new(viewport=PHONE)
    page.goto(site.url("browse/"))
    form = page.locator("#rl-browse").bounding_box()
    results = page.locator("#rl-browse-count").bounding_box()
    assert form and results and form["y"] < results["y"]
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
