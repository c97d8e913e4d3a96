"""A reader in a real browser: Debian's Chromium, driven by Playwright, on the built seed
site served from 127.0.0.1. Every test also fails on a console error, a failed request,
an HTTP error or a request that leaves the site, on any page it visited."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from generator.render import label
from tests.browser_site import (
    PHONE,
    heading,
    link_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A word of one abstract only; the test checks that it still is.
SEARCH_WORD = "watershed"
# Material's default web fonts come from here; the site must not ask for them.
FONT_HOSTS = {"fonts.googleapis.com", "fonts.gstatic.com"}


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_search_for_a_word_of_one_abstract_lands_on_that_record(site, pages):
    library = site.library
    holders = [
        record_id
        for record_id, entry in library.entries.items()
        if re.search(
            rf"\b{SEARCH_WORD}",
            f"{entry.record.title or ''} {entry.record.abstract or ''}",
            re.IGNORECASE,
        )
    ]
    assert len(holders) == 1, f"{SEARCH_WORD!r} should be in one record only, is in {holders}"
    (record_id,) = holders

    page = pages.new()
    page.goto(site.url())
    query = page.locator("input.md-search__input")
    query.click()
    query.press_sequentially(SEARCH_WORD)  # assets/search.js searches as one types
    first = page.locator(".md-search-result__item a.md-search-result__link").first
    first.wait_for()
    first.click()
    page.wait_for_url(f"**/records/{record_id}/**")
    assert path_of(page.url) == f"/records/{record_id}/"
    assert heading(page) == label(library.entries[record_id].record)


def test_walk_home_theme_record_author_and_another_record_of_theirs(site, pages):
    library = site.library
    # The first author (by name) with two readings; start from the first of them.
    author = next(name for name in sorted(library.by_author) if len(library.by_author[name]) > 1)
    first_id, other_id = library.by_author[author][:2]
    theme = library.entries[first_id].themes[0]
    author_slug = library.author_slugs[author]

    page = pages.new()
    page.goto(site.url())
    steps = [
        (f"themes/{theme}/", library.vocabulary.theme(theme).name),
        (f"records/{first_id}/", label(library.entries[first_id].record)),
        (f"authors/{author_slug}/", author),
        (f"records/{other_id}/", label(library.entries[other_id].record)),
    ]
    for target, title in steps:
        link_to(page, target).click()
        page.wait_for_url(f"**/{target}")
        assert path_of(page.url) == f"/{target}"
        assert title in heading(page), f"{target}: {heading(page)!r}"


def test_a_record_leads_to_a_related_reading(site, pages):
    library = site.library
    record_id = next(i for i in library.entries if library.related[i])
    related_id = library.related[record_id][0].id

    page = pages.new()
    page.goto(site.url(f"records/{record_id}/"))
    link = page.locator('//h2[@id="related-readings"]/following-sibling::ul[1]//a').first
    assert link.evaluate("a => a.href").endswith(f"/records/{related_id}/")
    link_text = link.inner_text().strip()
    link.click()
    page.wait_for_url(f"**/records/{related_id}/")
    assert heading(page) == link_text == label(library.entries[related_id].record)


@pytest.mark.parametrize("record_id", ["mak-2021", "tse-2019"])
def test_copy_button_puts_the_citation_on_the_clipboard(site, pages, record_id):
    page = pages.new(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site.url(f"records/{record_id}/"))
    citation = " ".join(page.locator("p.rl-citation").inner_text().split())
    assert citation

    button = page.get_by_role("button", name="Copy citation")
    assert button.count() == 1
    assert button.get_attribute("type") == "button"
    button.click()
    status = page.get_by_role("status")
    status.filter(has_text="Copied").wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert page.evaluate("navigator.clipboard.readText()") == citation


def test_light_dark_switch_is_remembered_across_pages(site, pages):
    page = pages.new(color_scheme="light")
    scheme = "document.body.dataset.mdColorScheme"
    page.goto(site.url())
    assert page.evaluate(scheme) == "default"

    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function(f"{scheme} === 'slate'")
    page.goto(site.url("records/tse-2019/"))
    assert page.evaluate(scheme) == "slate"

    page.get_by_title("Switch to light mode").click()
    page.wait_for_function(f"{scheme} === 'default'")


def widest_records(library) -> list[str]:
    """Records most likely to be too wide for a phone: one with a title and one without,
    the one with the longest word, the most authors and the longest abstract."""

    def text(record_id: str) -> str:
        record = library.entries[record_id].record
        return f"{record.title or ''} {record.abstract or ''}"

    ids = list(library.entries)
    picks = [
        "mak-2021",
        "tse-2019",
        max(ids, key=lambda i: max(map(len, text(i).split()), default=0)),
        max(ids, key=lambda i: len(library.entries[i].record.authors)),
        max(ids, key=lambda i: len(text(i))),
    ]
    return list(dict.fromkeys(picks))


def test_phone_screen_needs_no_sideways_scrolling(site, pages):
    library = site.library
    theme = next(iter(library.by_theme))
    tag = next(iter(library.by_tag))
    author = library.author_slugs[next(iter(library.by_author))]
    paths = [
        "",
        "themes/",
        f"themes/{theme}/",
        "years/",
        f"years/{next(y for y in library.years() if y is not None)}/",
        "tags/",
        f"tags/{tag}/",
        "authors/",
        f"authors/{author}/",
        "needs-attention/",
        "contribute/",
        *(f"records/{record_id}/" for record_id in widest_records(library)),
    ]
    page = pages.new(viewport=PHONE, is_mobile=True, has_touch=True)
    too_wide = {}
    for path in paths:
        page.goto(site.url(path))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path or "/"] = width
    assert not too_wide, f"wider than {PHONE['width']} px, so the page scrolls sideways: {too_wide}"


def test_no_web_fonts_or_other_third_party_requests(site, pages):
    page = pages.new()
    for path in ("", "records/mak-2021/"):
        page.goto(site.url(path))
        page.wait_for_load_state("networkidle")
    requests = pages.requests()
    assert any(url.endswith(".css") for url in requests)  # the watch saw the page load
    fonts = [url for url in requests if urlsplit(url).hostname in FONT_HOSTS]
    assert not fonts
    # Anything else off the site is reported by the watch, as in every test.
