"""Atom feeds of newly added readings: read back by a real feed parser (feedparser),
with the elements RFC 4287 requires, in a stable order, with contributor text escaped;
and the ``added:`` date of record files that they are built from."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from generator import feeds
from generator.index import Library, build_library
from generator.model import Person, Record
from generator.pipeline import check
from generator.record_files import parse_record, serialize
from generator.render import label
from generator.settings import Settings, load_settings
from generator.vocabulary import load_vocabulary
from tests.conftest import ROOT
from tests.site_project import build, make_project

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://example.org/list/"


@pytest.fixture(scope="module")
def seed_library() -> Library:
    library = check(load_settings(ROOT)).library
    assert library is not None
    return library


def parse(text: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(text)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def assert_required_elements(text: str) -> None:
    """RFC 4287: a feed has id, title, updated and an author (or every entry has one);
    an entry has id, title, updated and, with no content, an alternate link."""
    root = ET.fromstring(text)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None


# -- the seed list's feeds -----------------------------------------------------------------


def test_every_feed_parses_and_holds_the_required_elements(seed_library):
    settings = load_settings(ROOT)
    made = feeds.feeds(seed_library, settings)
    themes = [t for t in seed_library.vocabulary.themes if t.id in seed_library.by_theme]
    assert sorted(made) == sorted([feeds.ALL, *(feeds.theme_feed(t.id) for t in themes)])
    for path, text in made.items():
        parsed = parse(text)
        assert_required_elements(text)
        assert parsed.feed.title and parsed.feed.id and parsed.feed.updated_parsed, path
        for entry in parsed.entries:
            assert entry.id and entry.title and entry.updated_parsed and entry.link, path


def test_the_whole_list_feed_has_one_entry_per_dated_record_newest_first(seed_library):
    settings = load_settings(ROOT)
    parsed = parse(feeds.feeds(seed_library, settings)[feeds.ALL])
    dated = [e for e in seed_library.entries.values() if e.record.added]
    assert len(dated) == len(seed_library.entries) == 22  # every seed record has its date
    assert len(parsed.entries) == len(dated)
    expected = sorted(dated, key=lambda e: e.id)
    expected.sort(key=lambda e: e.record.added, reverse=True)
    assert [e.link for e in parsed.entries] == [
        f"{settings.site_url}records/{e.id}/" for e in expected
    ]
    assert [e.title for e in parsed.entries] == [label(e.record) for e in expected]
    assert parsed.feed.updated == f"{max(e.record.added for e in dated)}T00:00:00Z"


def test_a_theme_feed_holds_the_themes_readings_and_links_its_page(seed_library):
    settings = load_settings(ROOT)
    made = feeds.feeds(seed_library, settings)
    for theme_id, ids in seed_library.by_theme.items():
        parsed = parse(made[feeds.theme_feed(theme_id)])
        assert sorted(e.link for e in parsed.entries) == sorted(
            f"{settings.site_url}records/{i}/" for i in ids
        )
        assert parsed.feed.link == f"{settings.site_url}themes/{theme_id}/"
        for entry in parsed.entries:
            assert theme_id in [t.term for t in entry.tags]


# -- feeds built from made-up records ------------------------------------------------------


def library_of(records: list[Record]) -> Library:
    vocabulary, problems = load_vocabulary(ROOT / "seeds")
    assert vocabulary is not None, problems
    return build_library([(r, f"seeds/records/{r.id}.yml") for r in records], vocabulary)


HOSTILE = (
    "Peer support & <script>alert('x')</script> \"quoted\" ]]> <![CDATA[ x ]]> &amp; "
    "\ufffe\uffff end"
)


def test_hostile_text_is_escaped_and_reads_back_as_written():
    record = Record(
        id="evil-2020",
        title=HOSTILE,
        authors=(Person("<b>Bold</b> O'Brien & Co"),),
        year=2020,
        abstract="Stigma </summary><entry><id>injected</id></entry> and peer support.",
        added="2026-01-02",
    )
    text = feeds.feeds(library_of([record]), Settings(site_url=SITE))[feeds.ALL]
    assert "<script>" not in text and "<b>" not in text
    assert_required_elements(text)
    parsed = parse(text)
    (entry,) = parsed.entries
    # The characters XML cannot hold are dropped; everything else arrives as written.
    assert entry.title == HOSTILE.replace("\ufffe", "").replace("\uffff", "")
    assert entry.author == "<b>Bold</b> O'Brien & Co"
    assert "</summary><entry>" in entry.summary
    assert len(ET.fromstring(text).findall(f"{ATOM}entry")) == 1


def test_records_without_an_added_date_are_left_out_and_ties_go_by_id():
    records = [
        Record(id="b-2020", title="B", added="2026-03-01"),
        Record(id="a-2020", title="A", added="2026-03-01"),
        Record(id="c-2020", title="C", added="2025-12-31"),
        Record(id="d-2020", title="D"),
    ]
    parsed = parse(feeds.feeds(library_of(records), Settings(site_url=SITE))[feeds.ALL])
    assert [e.title for e in parsed.entries] == ["A", "B", "C"]
    assert parsed.feed.updated == "2026-03-01T00:00:00Z"


def test_without_a_site_url_links_are_relative_and_ids_stay_unique():
    records = [Record(id="a-2020", title="A", added="2026-03-01")]
    text = feeds.feeds(library_of(records), Settings())[feeds.ALL]
    root = ET.fromstring(text)
    entry = root.find(f"{ATOM}entry")
    assert entry is not None
    assert entry.find(f"{ATOM}link").get("href") == "records/a-2020/"
    assert entry.findtext(f"{ATOM}id") == "urn:x-reading-list:records:a-2020"
    assert root.findtext(f"{ATOM}id") == "urn:x-reading-list:feed.xml"


def test_a_feed_with_no_dated_record_is_still_valid():
    text = feeds.feeds(library_of([Record(id="a-2020", title="A")]), Settings())[feeds.ALL]
    assert_required_elements(text)
    assert parse(text).entries == []


def test_the_same_records_give_the_same_bytes_whatever_their_order():
    records = [Record(id=f"r-{n}", title=f"T {n}", added=f"2026-01-{n:02}") for n in range(1, 9)]
    settings = Settings(site_url=SITE)
    first = feeds.feeds(library_of(records), settings)
    again = feeds.feeds(library_of(list(reversed(records))), settings)
    assert first == again


def test_a_feed_keeps_the_newest_entries_only():
    records = [
        Record(id=f"r-{n:03}", title=f"T {n}", added=f"2026-{1 + n // 28:02}-{1 + n % 28:02}")
        for n in range(feeds.MAX_ENTRIES + 20)
    ]
    parsed = parse(feeds.feeds(library_of(records), Settings())[feeds.ALL])
    assert len(parsed.entries) == feeds.MAX_ENTRIES
    assert parsed.entries[0].title == f"T {feeds.MAX_ENTRIES + 19}"


# -- the added date in record files --------------------------------------------------------


def read(added_line: str) -> list[str]:
    text = f"id: a-2019\ntitle: T\n{added_line}\n"
    _, problems = parse_record(text, "seeds/records/a-2019.yml", "a-2019", 2027)
    return [str(p) for p in problems]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("added: 2026-11-22", []),
        ("added:", []),
        (
            "added: 22/11/2026",
            [
                "seeds/records/a-2019.yml:3: added '22/11/2026' is not a date written YYYY-MM-DD; write it like 2026-01-31"
            ],
        ),
        (
            "added: 2026-02-30",
            [
                "seeds/records/a-2019.yml:3: added '2026-02-30' is not a real date; check the month and day"
            ],
        ),
        (
            "added: 2062-01-01",
            [
                "seeds/records/a-2019.yml:3: added 2062-01-01 is outside 1900..2027; write the day the reading was added to the list"
            ],
        ),
        (
            "date_added: 2026-01-01",
            ["seeds/records/a-2019.yml:3: unknown field 'date_added'; did you mean 'added'?"],
        ),
    ],
)
def test_the_added_date_is_checked(line, expected):
    assert read(line) == expected


def test_the_added_date_is_written_before_the_source_and_reads_back():
    record = Record(id="a-2019", title="T", added="2026-01-31")
    text = serialize(record, "record.schema.json")
    assert text.endswith("added: '2026-01-31'\n")
    loaded, problems = parse_record(text, "a.yml", "a-2019", 2027)
    assert problems == [] and loaded is not None
    assert loaded.record == record
    assert replace(record, added=None) != record


# -- the built site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Iterator[Path]:
    project = make_project(tmp_path_factory.mktemp("feeds-site") / "project")
    build(project)
    yield project / "site"


@pytest.mark.slow
def test_the_built_site_serves_the_feeds_and_links_them_from_home_and_theme_pages(built_site):
    assert parse((built_site / "feed.xml").read_text(encoding="utf-8")).entries
    home = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    (link,) = home.select('head link[rel="alternate"][type="application/atom+xml"]')
    assert link["href"] == "feed.xml"
    assert home.find("a", string="Subscribe (Atom feed)")["href"] == "feed.xml"
    theme = BeautifulSoup(
        (built_site / "themes" / "stigma" / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    (link,) = theme.select('head link[rel="alternate"][type="application/atom+xml"]')
    assert link["href"] == "../../feed-stigma.xml"
    assert "Stigma" in link["title"]
    assert parse((built_site / "feed-stigma.xml").read_text(encoding="utf-8")).entries
    visible = theme.find("a", string="Subscribe to new readings on this theme (Atom feed)")
    assert visible["href"] == "../../feed-stigma.xml"
    # A record page names no feed: Material would fetch a sitemap for it.
    record = (built_site / "records" / "tse-2019" / "index.html").read_text(encoding="utf-8")
    assert "application/atom+xml" not in record
