"""End to end: the real `python -m generator build` (strict MkDocs) on the seed records,
then a look inside site/ at what a reader gets."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup

from generator.index import reading_order
from generator.pipeline import check
from generator.render import label
from generator.search_index import indexed_pages
from generator.settings import load_settings
from generator.sitecheck import check_links
from generator.write import read_manifest
from tests.site_checks import classify, html_errors
from tests.site_project import ROOT, build, make_project, set_readings_per_page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("seed-site") / "project")
    build(project)
    library = check(load_settings(project)).library
    assert library is not None
    return project, library


def soup(site: Path, url_path: str) -> BeautifulSoup:
    return BeautifulSoup(
        (site / url_path / "index.html").read_text(encoding="utf-8"), "html.parser"
    )


def linked_records(page: BeautifulSoup, page_url: str) -> list[str]:
    """Ids of the record pages a page links to from its content, in order, once each."""
    found = []
    for a in page.select("article a[href]"):
        target = urljoin(f"https://site/{page_url}/", a["href"])
        match = re.fullmatch(r"https://site/records/([a-z0-9-]+)/", target)
        if match and match[1] not in found:
            found.append(match[1])
    return found


def test_every_record_has_a_page(seed_site):
    project, library = seed_site
    pages = sorted(p.parent.name for p in (project / "site" / "records").glob("*/index.html"))
    assert pages == sorted(library.entries)
    assert len(pages) == 22


def test_search_index_holds_a_phrase_from_an_abstract(seed_site):
    project, library = seed_site
    site = project / "site"
    pages = indexed_pages(site)
    assert "watershed moments" in pages["/records/poremski-nd/"]["content"]
    # Titles are the record's label; authors are a field of their own, which
    # assets/search.js weights like the title, above abstract text.
    tse = pages["/records/tse-2019/"]
    assert tse["meta"]["title"] == label(library.entries["tse-2019"].record)
    assert "Samson Tse" in tse["meta"]["authors"].split("; ")
    assert "Samson Tse" not in tse["content"].split(".")[0]  # not as hidden body text
    # Pagefind's index, not Material's lunr index, which every reader would download.
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / "search").exists()


def test_search_indexes_content_pages_not_lists_or_chrome(seed_site):
    project, library = seed_site
    pages = indexed_pages(project / "site")
    records = {url for url in pages if url.startswith("/records/")}
    assert records == {f"/records/{record_id}/" for record_id in library.entries}
    for kind in ("themes", "tags", "authors", "years"):
        assert any(url.startswith(f"/{kind}/") for url in pages), kind
    assert "/contribute/" in pages
    # Pages that only list readings are left out: the readings have their own pages.
    for url in ("/", "/themes/", "/tags/", "/authors/", "/years/", "/browse/"):
        assert url not in pages, url
    # A record page without its lists of other readings; no header, navigation or footer.
    conchar = pages["/records/conchar-2014/"]["content"]
    assert "wounded healer" in conchar
    assert "Related readings" not in conchar and "Leemeijer" not in conchar
    assert "Peer support in mental health – a reading list" not in conchar
    assert "¶" not in conchar
    # An author page: the name and the count, not the gists of the readings it lists.
    author = pages[f"/authors/{library.author_slugs['Samson Tse']}/"]
    assert author["meta"]["title"] == "Samson Tse"
    assert "Gist" not in author["content"] and len(author["content"]) < 100


@pytest.mark.parametrize("kind", ["themes", "years", "tags", "authors"])
def test_index_pages_link_the_right_records(seed_site, kind):
    project, library = seed_site
    site = project / "site"
    groups = {
        "themes": library.by_theme,
        "years": {
            str(y) if y is not None else "undated": ids for y, ids in library.by_year.items()
        },
        "tags": library.by_tag,
        "authors": {library.author_slugs[name]: ids for name, ids in library.by_author.items()},
    }[kind]
    assert groups
    for slug, ids in groups.items():
        page = soup(site, f"{kind}/{slug}")
        assert sorted(linked_records(page, f"{kind}/{slug}")) == sorted(ids), f"{kind}/{slug}"


def test_theme_page_lists_newest_first_and_undated_last(seed_site):
    project, library = seed_site
    for theme, ids in library.by_theme.items():
        years = [library.entries[i].record.year for i in ids]
        dated = [y for y in years if y is not None]
        assert dated == sorted(dated, reverse=True), theme
        assert years == dated + [None] * (len(years) - len(dated)), theme
        headings = [
            h.get_text(" ", strip=True).rstrip("¶").strip()
            for h in soup(project / "site", f"themes/{theme}").select("article h2")
        ]
        expected = [str(y) for y in dict.fromkeys(dated)] + (["Undated"] if None in years else [])
        assert headings == expected


def test_people_who_share_a_family_name_stay_apart(seed_site):
    project, library = seed_site
    assert library.by_author["Pu Cheng"] == ("wang-2020",)
    assert library.by_author["P. W. Cheng"] == ("lau-2007",)
    assert library.author_slugs["Pu Cheng"] != library.author_slugs["P. W. Cheng"]
    assert sorted(library.by_author["Samson Tse"]) == ["chung-2018", "tse-2019"]
    assert sorted(library.by_author["Julie Repper"]) == ["conchar-2014", "puschner-2019"]
    page = soup(project / "site", "authors/samson-tse")
    assert sorted(linked_records(page, "authors/samson-tse")) == ["chung-2018", "tse-2019"]


def test_records_are_out_of_the_nav_but_within_two_clicks_of_home(seed_site):
    project, library = seed_site
    site = project / "site"
    home = soup(site, ".")
    nav_links = [a["href"] for a in home.select("nav.md-nav a[href]")]
    assert not [href for href in nav_links if "records/" in href]
    reached: set[str] = set()
    frontier = {""}
    for _ in range(2):
        next_frontier = set()
        for url_path in frontier:
            page = soup(site, url_path) if url_path else home
            for a in page.select("article a[href]"):
                target = urljoin(
                    f"https://site/{url_path}/" if url_path else "https://site/", a["href"]
                ).split("#")[0]
                if target.startswith("https://site/"):
                    path = unquote(target.removeprefix("https://site/")).strip("/")
                    if (site / path / "index.html").exists():
                        next_frontier.add(path)
        reached |= next_frontier
        frontier = next_frontier
    assert {f"records/{i}" for i in library.entries} <= reached


def test_record_page_links_its_yaml_file_for_editing(seed_site):
    project, _ = seed_site
    page = soup(project / "site", "records/tse-2019")
    edits = {a["href"] for a in page.select("a[href]") if "/edit/" in a["href"]}
    assert edits == {
        "https://github.com/peer-support-reading-list/reading-list/edit/main/seeds/records/tse-2019.yml"
    }


def test_untitled_record_shows_a_gist_marked_as_not_the_title(seed_site):
    project, _ = seed_site
    page = soup(project / "site", "records/tse-2019")
    assert page.select_one("article h1").get_text(strip=True).rstrip("¶") == "Tse et al. (2019)"
    note = page.select_one(".admonition").get_text(" ", strip=True)
    assert "not the title" in note
    assert "this study aims to examine how individuals with BD" in note
    assert page.title.get_text().startswith("Tse et al. (2019)")


def test_structured_abstract_sections_become_headings(seed_site):
    project, _ = seed_site
    page = soup(project / "site", "records/gilburt-2010")
    headings = [h.get_text(strip=True).rstrip("¶") for h in page.select("article h3")]
    assert headings == ["Background", "Aims", "Method", "Results", "Conclusions"]
    assert "Little is known about the preferences" in page.get_text()


def test_related_readings_and_same_authors_are_linked(seed_site):
    project, library = seed_site
    for record_id, related in library.related.items():
        page = soup(project / "site", f"records/{record_id}")
        section = page.find(id="related-readings")
        assert section is not None
        links = linked_records(page, f"records/{record_id}")
        for rel in related:
            assert rel.id in links
    chung = linked_records(soup(project / "site", "records/chung-2018"), "records/chung-2018")
    assert "tse-2019" in chung


def test_generated_folders_are_not_hand_written(seed_site):
    project, _ = seed_site
    manifest = json.loads((project / "docs" / ".generated-manifest.json").read_text())
    assert "contribute.md" not in manifest["files"]
    assert "records/tse-2019.md" in manifest["files"]


# -- the seed site with lists over pages of three readings ---------------------------------


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory):
    """The seed site built with ``readings_per_page: 3`` in mkdocs.yml, and two more
    readings by Samson Tse, so that his page goes on over two pages."""
    project = make_project(tmp_path_factory.mktemp("paged-site") / "project")
    set_readings_per_page(project, 3)
    for year in (2021, 2022):
        (project / "seeds" / "records" / f"tse-{year}.yml").write_text(
            f"id: tse-{year}\ntitle: Peer support work, {year}\nauthors:\n  - Samson Tse\n"
            f"year: {year}\n",
            encoding="utf-8",
        )
    build(project)
    library = check(load_settings(project)).library
    assert library is not None and load_settings(project).readings_per_page == 3
    return project, library


def list_pages(site: Path, stem: str) -> list[str]:
    """The addresses of a list's pages in the built site: ``stem``, ``stem/2`` ..."""
    found = [stem]
    while (site / f"{stem}/{len(found) + 1}" / "index.html").is_file():
        found.append(f"{stem}/{len(found) + 1}")
    return found


def test_long_lists_go_on_over_pages_the_reader_can_walk(paged_site):
    project, library = paged_site
    site = project / "site"
    lists = {f"themes/{t}": ids for t, ids in library.by_theme.items()}
    lists |= {f"tags/{t}": ids for t, ids in library.by_tag.items()}
    lists |= {
        f"years/{y if y is not None else 'undated'}": ids for y, ids in library.by_year.items()
    }
    lists |= {f"authors/{library.author_slugs[a]}": ids for a, ids in library.by_author.items()}
    paged = 0
    for stem, ids in lists.items():
        addresses = list_pages(site, stem)
        found = [linked_records(soup(site, a), a) for a in addresses]
        listed = [len(soup(site, a).select("article li > a[href*='records/']")) for a in addresses]
        assert all(1 <= n <= 3 for n in listed), (stem, listed)  # a reading under two themes: 2
        if stem.startswith("years/"):  # grouped by theme: a reading under each of its themes
            assert {i for on_page in found for i in on_page} == set(ids), stem
        else:
            assert [i for on_page in found for i in on_page] == list(ids), stem
        if len(addresses) > 1:
            paged += 1
            for k, address in enumerate(addresses):
                rel = {a["rel"][0]: a["href"] for a in soup(site, address).select("a[rel]")}
                if k > 0:
                    assert urljoin(f"/{address}/", rel["prev"]) == f"/{addresses[k - 1]}/"
                if k < len(addresses) - 1:
                    assert urljoin(f"/{address}/", rel["next"]) == f"/{addresses[k + 1]}/"
    assert paged >= 9, "the seed list has at least nine lists of more than three"
    assert len(list_pages(site, "authors/samson-tse")) == 2


def test_browse_holds_the_newest_readings_and_its_list_holds_them_all(paged_site):
    project, library = paged_site
    site = project / "site"
    newest = sorted(library.entries, key=lambda i: reading_order(library.entries[i]))
    assert linked_records(soup(site, "browse"), "browse") == newest[:3]
    data = (site / "browse" / "readings.js").read_text(encoding="utf-8")
    readings = json.loads(data.removeprefix("window.rlBrowseReadings = ").removesuffix(";\n"))
    assert [r[0] for r in readings["readings"]] == [f"../records/{i}/" for i in newest]


def test_git_and_make_clean_know_every_file_the_generator_writes(paged_site):
    """Generated files are ignored by git and removed by `make clean`, pages 2, 3 ...
    and Browse's list included: a file left behind reads as a hand-written page where a
    generated one goes, and stops the next build."""
    project, _ = paged_site
    written = read_manifest(project / "docs")
    assert "needs-attention/2.md" in written and "browse/readings.js" in written
    ignored = [
        line.removeprefix("/docs/").rstrip("/")
        for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
        if line.startswith("/docs/")
    ]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    cleaned = re.search(r"^clean:\n\trm -rf (.*)$", makefile, re.MULTILINE)[1].split()
    cleaned = [word.removeprefix("docs/") for word in cleaned if word.startswith("docs/")]
    for kind, patterns in (("in .gitignore", ignored), ("in `make clean`", cleaned)):
        for path in written:
            covered = any(
                fnmatch.fnmatch(path, pattern) or path.startswith(f"{pattern}/")
                for pattern in patterns
            )
            assert covered, f"docs/{path} is not {kind}"


def test_pages_after_the_first_are_left_out_of_search(paged_site):
    project, library = paged_site
    pages = indexed_pages(project / "site")
    theme = max(library.by_theme, key=lambda t: len(library.by_theme[t]))
    assert f"/themes/{theme}/" in pages
    assert "Next" not in pages[f"/themes/{theme}/"]["content"]  # the pager is not text
    assert (project / "site" / "authors" / "samson-tse" / "2" / "index.html").is_file()
    assert not [
        url for url in pages if re.fullmatch(r"/(themes|tags|years|authors)/[^/]+/\d+/", url)
    ]
    assert (project / "site" / "needs-attention" / "2" / "index.html").is_file()
    assert not [url for url in pages if url.startswith("/needs-attention/")]
    assert (project / "site" / "authors" / "index" / "2" / "index.html").is_file()
    assert not [url for url in pages if url.startswith("/authors/index/")]
    assert any(url.startswith("/authors/") for url in pages)  # author pages still are


def test_every_link_of_the_paged_site_leads_somewhere(paged_site):
    project, _ = paged_site
    report = check_links(project / "site", load_settings(project).site_url)
    assert report.links > 5000 and not report.broken, report.broken[:5]


def test_the_pages_of_a_long_list_are_valid_html(paged_site):
    project, library = paged_site
    site = project / "site"
    theme = max(library.by_theme, key=lambda t: len(library.by_theme[t]))
    pages = [site / "themes" / theme / "index.html", site / "themes" / theme / "2" / "index.html"]
    pages += [site / "authors" / "index" / "2" / "index.html", site / "authors" / "index.html"]
    pages += [site / "authors" / "samson-tse" / "2" / "index.html"]
    result = classify(html_errors(site, pages))
    assert not result.ours, [str(e) for e in result.ours]
    assert not result.over_budget, result.over_budget


def test_without_directory_urls_every_link_leads_somewhere(tmp_path):
    """`use_directory_urls: false` (pages at records/x.html, for reading the site from
    disk): the links MkDocs does not rewrite, in raw HTML (Browse, the year chart) and
    in the pages written as HTML (pagers included), point at those files too."""
    project = make_project(tmp_path / "project")
    set_readings_per_page(project, 3)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n")
    build(project)
    site = project / "site"
    assert (site / "themes" / "peer-roles" / "2.html").is_file()
    report = check_links(site, load_settings(project).site_url)
    assert report.links > 5000 and not report.broken, report.broken[:5]
    browse = (site / "browse.html").read_text(encoding="utf-8")
    assert 'href="records/mak-2021.html"' in browse and 'href="themes/index.html"' in browse
    # The whole list, for the page's script: addresses from the page, as its links are.
    data = (site / "browse" / "readings.js").read_text(encoding="utf-8")
    assert '["records/tse-2019.html",' in data and 'data-readings="browse/readings.js?v=' in browse
    # The feeds' links (absolute: mkdocs.yml has site_url) lead to pages too.
    site_url = load_settings(project).site_url
    hrefs = re.findall(r'<link [^>]*href="([^"]+)"', (site / "feed-peer-roles.xml").read_text())
    assert hrefs and all(h.startswith(site_url) for h in hrefs)
    for href in hrefs:
        assert (site / href.removeprefix(site_url)).is_file(), href
