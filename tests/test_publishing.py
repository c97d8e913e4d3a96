"""What GitHub Pages serves: one real strict build of the seed records plus the hostile
ones, then a look at edit links, the 404 page, the sitemap and link previews."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from tests.site_project import build, make_project

pytestmark = pytest.mark.slow

SITE_URL = "https://peer-support-reading-list.github.io/reading-list/"
REPO_URL = "https://github.com/peer-support-reading-list/reading-list"
HOSTILE = ROOT / "tests" / "fixtures" / "hostile" / "records"
GENERATED_PAGES = ["", "themes", "years", "tags", "authors", "needs-attention", "years/2019"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    records = tmp_path_factory.mktemp("records") / "records"
    shutil.copytree(ROOT / "seeds" / "records", records)
    for path in HOSTILE.glob("*.yml"):
        shutil.copy2(path, records / path.name)
    project = make_project(tmp_path_factory.mktemp("publishing") / "project", records=records)
    build(project)
    return project / "site"


def page(site: Path, url_path: str) -> BeautifulSoup:
    path = site / url_path / "index.html" if not url_path.endswith(".html") else site / url_path
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def edit_links(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.select('a[rel="edit"]')]


def meta(soup: BeautifulSoup, key: str) -> list[str]:
    """Values of <meta property=key> or <meta name=key>, as a browser reads them."""
    return [m["content"] for m in soup.select("meta") if key in (m.get("property"), m.get("name"))]


def test_site_url_and_repository_are_configured():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["site_url"] == SITE_URL
    assert config["repo_url"] == REPO_URL
    assert config["edit_uri"] == "edit/main/docs/"


# -- edit links ---------------------------------------------------------------------------


def test_a_record_page_edit_link_opens_its_yaml_file(site):
    assert edit_links(page(site, "records/tse-2019")) == [
        f"{REPO_URL}/edit/main/seeds/records/tse-2019.yml"
    ]


def test_a_hand_written_page_edit_link_opens_its_markdown_source(site):
    assert edit_links(page(site, "contribute")) == [f"{REPO_URL}/edit/main/docs/contribute.md"]


@pytest.mark.parametrize("url_path", GENERATED_PAGES, ids=lambda p: p or "home")
def test_generated_index_pages_have_no_edit_link(site, url_path):
    # They are rebuilt from the records and the vocabulary on every build: an edit to
    # their Markdown would be lost. CONTRIBUTING.md says which file to change instead.
    assert edit_links(page(site, url_path)) == []


# -- 404 and sitemap ----------------------------------------------------------------------


def test_the_404_page_works_under_the_sites_base_path(site):
    soup = page(site, "404.html")
    assert soup.select_one("article h1").get_text() == "Page not found"
    assets = [link["href"] for link in soup.select("link[rel=stylesheet]")]
    assets += [script["src"] for script in soup.select("script[src]")]
    assert assets
    for address in assets:
        assert address.startswith("/reading-list/assets/"), address
    home = soup.select_one("article a")
    assert home["href"] == SITE_URL


def test_the_sitemap_lists_every_record_page_at_its_public_address(site):
    tree = ElementTree.parse(site / "sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in tree.getroot().findall("s:url/s:loc", namespace)]
    assert all(loc.startswith(SITE_URL) for loc in locations)
    records = sorted(p.parent.name for p in (site / "records").glob("*/index.html"))
    assert len(records) == 24
    for record_id in records:
        assert f"{SITE_URL}records/{record_id}/" in locations
    assert f"{SITE_URL}contribute/" in locations


# -- descriptions and link previews -------------------------------------------------------


def test_a_record_page_has_a_description_and_a_link_preview(site):
    soup = page(site, "records/plain-2019")
    assert meta(soup, "og:title") == ["An ordinary reading about peer support and stigma"]
    assert meta(soup, "og:url") == [f"{SITE_URL}records/plain-2019/"]
    assert soup.select_one('link[rel="canonical"]')["href"] == f"{SITE_URL}records/plain-2019/"
    (description,) = meta(soup, "description")
    assert description == "An ordinary reading about peer support and stigma"
    assert meta(soup, "og:description") == [description]
    assert meta(soup, "og:type") == ["website"]


def test_an_untitled_record_previews_with_its_citation_name(site):
    soup = page(site, "records/tse-2019")
    assert meta(soup, "og:title") == ["Tse et al. (2019)"]
    assert meta(soup, "og:description") == meta(soup, "description")


def test_a_hostile_title_shows_literally_in_the_preview_and_adds_no_markup(site):
    title = yaml.safe_load((HOSTILE / "hostile-2020.yml").read_text(encoding="utf-8"))["title"]
    soup = page(site, "records/hostile-2020")
    assert meta(soup, "og:title") == [title]
    assert meta(soup, "og:description") == [title]
    head = soup.head
    assert [el.name for el in head.find_all(["img", "iframe", "object", "embed"])] == []
    for script in head.find_all("script"):
        assert "alert" not in (script.string or "")
    for element in head.find_all(True):
        assert not any(attribute.lower().startswith("on") for attribute in element.attrs)
    assert len(head.find_all("title")) == 1


def test_hand_written_and_home_pages_have_previews_too(site):
    contribute = page(site, "contribute")
    assert meta(contribute, "og:title") == ["Contribute"]
    assert meta(contribute, "og:description") == meta(contribute, "description")
    home = page(site, "")
    assert meta(home, "og:url") == [SITE_URL]
    assert meta(home, "og:title") == ["Peer support in mental health – a reading list"]
