"""Accessibility: axe-core (bundled by axe-playwright-python) on one page of each kind,
in light and in dark mode, in Debian's Chromium. No violation may be serious or
critical; a table of every violation by impact is printed at the end of the module.
The site lists three readings a page, so theme and year pages carry their pagers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from tests.browser_site import PageWatch, SeedSite, chromium, served_seed_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = {"critical", "serious"}
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material palette
TITLED, UNTITLED, AUTHOR = "mak-2021", "tse-2019", "samson-tse"
PER_PAGE = 3
PAGES = (
    "home",
    "theme",
    "theme, page 2",
    "year",
    "record with a title",
    "record without a title",
    "tag index",
    "author",
    "browse, filtered",
    "reading path",
    "needs attention, page 2",
    "authors, page 2",
)


def page_path(kind: str, site: SeedSite) -> str:
    library = site.library
    titled = library.entries[TITLED]
    return {
        "home": "",
        "theme": f"themes/{titled.themes[0]}/",
        "theme, page 2": f"themes/{titled.themes[0]}/2/",
        "year": f"years/{titled.record.year}/",
        "record with a title": f"records/{TITLED}/",
        "record without a title": f"records/{UNTITLED}/",
        "tag index": "tags/",
        "author": f"authors/{AUTHOR}/",
        "browse, filtered": f"browse/?theme={titled.themes[0]}&abstract=1",
        "reading path": "paths/first-course/",
        "needs attention, page 2": "needs-attention/2/",
        "authors, page 2": "authors/index/2/",
    }[kind]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[SeedSite]:
    with served_seed_site(tmp_path_factory.mktemp("a11y-site"), PER_PAGE) as served:
        library = served.library
        assert library.entries[TITLED].record.title
        assert not library.entries[UNTITLED].record.title
        assert library.author_slugs.get("Samson Tse") == AUTHOR
        assert len(library.by_theme[library.entries[TITLED].themes[0]]) > PER_PAGE
        yield served


@pytest.fixture(scope="module")
def browser(site):
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def summary(request) -> Iterator[dict[tuple[str, str], list[dict]]]:
    """Violations per page and scheme; printed as a table when the module is done."""
    table: dict[tuple[str, str], list[dict]] = {}
    yield table
    if not table:
        return
    lines = [
        f"{'page':<24} {'mode':<6} "
        + " ".join(f"{impact:>8}" for impact in IMPACTS)
        + "  rules (elements)",
    ]
    for (kind, scheme), violations in table.items():
        counts = Counter(v["impact"] for v in violations)
        rules = ", ".join(f"{v['id']} ({len(v['nodes'])})" for v in violations) or "-"
        lines.append(
            f"{kind:<24} {scheme:<6} "
            + " ".join(f"{counts[impact]:>8}" for impact in IMPACTS)
            + f"  {rules}"
        )
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():  # shown with or without -s
        reporter.write_line("")
        reporter.write_sep("-", "axe: violations by impact (rules in the last column)")
        for line in lines:
            reporter.write_line(line)


@pytest.fixture(scope="module")
def schemes(browser, site) -> Iterator[dict[str, tuple[object, PageWatch]]]:
    """One page per colour scheme, reused for every page of the site checked in it."""
    opened = {}
    contexts = []
    for scheme in SCHEMES:
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        watch = PageWatch(site.base_url)
        watch.attach(context)
        contexts.append(context)
        opened[scheme] = (context.new_page(), watch)
    yield opened
    for context in contexts:
        context.close()


def describe(violation: dict) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
    more = len(violation["nodes"]) - 5
    return (
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"[{targets}{f' and {more} more' if more > 0 else ''}] {violation['helpUrl']}"
    )


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", PAGES)
def test_no_serious_or_critical_axe_violations(site, schemes, axe, summary, kind, scheme):
    page, watch = schemes[scheme]
    page.goto(site.url(page_path(kind, site)))
    assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme]

    violations = axe.run(page).response["violations"]
    summary[kind, scheme] = violations

    blocking = [describe(v) for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{kind} ({scheme}):\n" + "\n".join(blocking)
    problems = watch.take_problems()
    assert not problems, "\n".join(problems)
