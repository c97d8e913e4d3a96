"""No page grows with the list. A record page: its authors' other readings are capped
in all, with a link to each author's page for the rest, so the same record gives the
same page in a small list and in one three times its size. A theme, tag or year page:
a long list goes on over pages of at most ``readings_per_page`` readings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.index import RELATED_COUNT, unique_slugs
from generator.pipeline import generate
from generator.render import MAX_COAUTHORS, MORE_BY_AUTHORS, split_into_pages
from generator.settings import load_settings
from tests.conftest import ROOT

AUTHORS = ("Jane Doe", "Ann Roe", "Bo Poe", "Cy Loe", "Di Moe", "Ed Noe")
PAIR = ["Pat Pair", "Quin Other"]


def corpus(folder: Path, readings_per_author: int) -> dict[str, str]:
    """One reading by all six authors, and ``readings_per_author`` more by each."""
    (folder / "seeds" / "records").mkdir(parents=True)
    for name in ("themes.yml", "tags.yml"):
        shutil.copyfile(ROOT / "seeds" / name, folder / "seeds" / name)
    add_record(folder, "joint-2021", "Peer support by all of us", list(AUTHORS), 2021)
    for a, name in enumerate(AUTHORS):
        family = name.split()[1].lower()
        for n in range(readings_per_author):
            year = 2020 - n  # a larger list adds older readings: the newest are shown
            add_record(folder, f"{family}-{year}", f"Peer support study {a}.{n}", [name], year)
    return generated(folder)


def add_record(
    folder: Path, record_id: str, title: str, authors: list[str], year: int | None, more: str = ""
) -> None:
    people = "".join(f"  - {name}\n" for name in authors)
    dated = f"year: {year}\n" if year is not None else ""
    (folder / "seeds" / "records" / f"{record_id}.yml").write_text(
        f"id: {record_id}\ntitle: {title}\nauthors:\n{people}{dated}{more}", encoding="utf-8"
    )


def generated(folder: Path, **settings_given: object) -> dict[str, str]:
    """The pages of the records in ``folder``/seeds."""
    records = folder / "seeds" / "records"
    settings = load_settings(
        ROOT, records_dir=records, vocabulary_dir=folder / "seeds", **settings_given
    )
    pages, problems = generate(settings)
    assert pages is not None, problems
    return pages


def related_section(page: str) -> str:
    return page.split("<h2>Related readings</h2>", 1)[1].split("\n<h2>", 1)[0]


def without_related(page: str) -> str:
    return page.replace(related_section(page), "")


def more_by_section(page: str) -> str:
    return page.split("<h2>More by these authors</h2>", 1)[1].split("\n<h2>", 1)[0]


def test_more_by_these_authors_is_capped_in_all_and_links_to_the_rest(tmp_path, fixed_year):
    pages = corpus(tmp_path, readings_per_author=10)
    section = more_by_section(pages["records/joint-2021.md"])
    listed = section.count("<li><a href=")
    assert listed == MORE_BY_AUTHORS  # dealt out in turn: 2, 2, 1, 1, 1, 1
    for name in AUTHORS:
        slug = name.lower().replace(" ", "-")
        assert f'<strong><a href="../../authors/{slug}/">{name}</a></strong>' in section
    assert (
        '… and 8 more readings on <a href="../../authors/jane-doe/">Jane Doe\'s page</a>' in section
    )
    assert '… and 9 more readings on <a href="../../authors/ed-noe/">Ed Noe\'s page</a>' in section


def test_a_record_page_is_the_same_in_a_list_three_times_larger(tmp_path, fixed_year):
    small = corpus(tmp_path / "small", readings_per_author=10)
    large = corpus(tmp_path / "large", readings_per_author=30)
    assert len(large) > 2 * len(small)
    grown = (
        without_related(small["records/joint-2021.md"])
        .replace("/small/", "/large/")  # the edit link names the record file
        .replace("8 more", "28 more")
        .replace("9 more", "29 more")
    )
    # Related readings depend on the other records; everything else is the same.
    assert without_related(large["records/joint-2021.md"]) == grown
    for pages in (small, large):
        related = related_section(pages["records/joint-2021.md"])
        assert 1 <= related.count("\n<li><a href=") <= RELATED_COUNT
    # And no record page of the larger list is larger than the largest of the smaller.
    records = [p for p in large if p.startswith("records/")]
    assert max(len(large[p]) for p in records) <= max(
        len(small[p]) for p in small if p.startswith("records/")
    ) + len("2") * 2 * len(AUTHORS)


def test_a_reading_two_of_the_authors_wrote_is_listed_once(tmp_path, fixed_year):
    corpus(tmp_path, readings_per_author=2)
    add_record(tmp_path, "pair-2022", "Written by two of us", ["Jane Doe", "Ann Roe"], 2022)
    section = more_by_section(generated(tmp_path)["records/joint-2021.md"])
    assert section.count('href="../pair-2022/"') == 1


def test_an_author_with_nothing_left_to_list_is_left_out(tmp_path, fixed_year):
    corpus(tmp_path, readings_per_author=1)
    for year in (2018, 2019):  # Pat and Quin wrote both; Quin nothing else
        add_record(tmp_path, f"pair-{year}", f"Written together in {year}", PAIR, year)
    section = more_by_section(generated(tmp_path)["records/pair-2018.md"])
    assert section.count('href="../pair-2019/"') == 1
    assert "Pat Pair</a></strong>" in section
    assert "Quin Other" not in section  # not a name with an empty list under it
    assert "<ul>\n</ul>" not in section


# -- theme, tag and year lists over pages ------------------------------------------------

PER_PAGE = 4
# Readings of the long lists: (year, how many). Eleven readings of one theme and tag,
# newest first: 2021 spans pages 1 and 2, 2020 pages 2 and 3, undated ones come last.
LONG_LIST = ((2021, 5), (2020, 4), (2019, 1), (None, 1))


def long_lists(folder: Path) -> None:
    (folder / "seeds" / "records").mkdir(parents=True)
    for name in ("themes.yml", "tags.yml"):
        shutil.copyfile(ROOT / "seeds" / name, folder / "seeds" / name)
    for year, count in LONG_LIST:
        for n in range(count):
            add_record(
                folder,
                f"long-{year or 'nd'}-{n}",
                f"Peer roles reading {n} of {year}",
                [f"Author {year} {n}"],
                year,
                "themes:\n  - peer-roles\ntags:\n  - qualitative\n",
            )
    add_record(folder, "short-2021", "A reading of its own", ["Solo Writer"], 2021)


def listed(page: str) -> list[str]:
    """The records a list page links to, in order."""
    return re.findall(r'<li><a href="[./]*records/([a-z0-9-]+)/">', page)


def headings(page: str) -> list[str]:
    return re.findall(r"<h2>(.*?)</h2>", page)


# The pager of the second of three pages: page 1 is ``stem.md``, page k ``stem/k.md``.
SECOND_OF_THREE = {"‹ Previous": "../", "1": "../", "3": "../3/", "Next ›": "../3/"}


def pager_links(page: str) -> dict[str, str]:
    """The pager's links above the list, by their text (``Previous``, ``2`` ...)."""
    nav = page.split('<nav class="rl-pager"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', nav)
    return {re.sub(r"<[^>]+>", "", text): href for href, text in links}


@pytest.mark.parametrize(
    ("stem", "group_headings"),
    [
        ("themes/peer-roles", ["2021", "2020", "2019", "Undated"]),
        ("tags/qualitative", ["2021", "2020", "2019", "Undated"]),
        ("years/2021", ["Peer workers&#39; roles and professional identity", "Still to be sorted"]),
    ],
)
def test_a_long_list_goes_on_over_pages_of_at_most_the_limit(
    tmp_path, fixed_year, stem, group_headings
):
    long_lists(tmp_path)
    whole = generated(tmp_path, readings_per_page=1000)
    split = generated(tmp_path, readings_per_page=PER_PAGE)
    everything = listed(whole[f"{stem}.md"])
    count = -(-len(everything) // PER_PAGE)
    paths = [f"{stem}.md"] + [f"{stem}/{k}.md" for k in range(2, count + 1)]
    assert sorted(p for p in split if p == f"{stem}.md" or p.startswith(f"{stem}/")) == sorted(
        paths
    )
    assert count >= 2
    # The same readings in the same order, at most PER_PAGE a page, the last page the rest.
    pages = [split[p] for p in paths]
    assert [len(listed(page)) for page in pages] == [PER_PAGE] * (count - 1) + [
        len(everything) - PER_PAGE * (count - 1)
    ]
    assert [i for page in pages for i in listed(page)] == everything
    # A group cut by a page break goes on under its heading, marked as continued.
    shown = [h.removesuffix(" (continued)") for page in pages for h in headings(page)]
    assert [h for k, h in enumerate(shown) if k == 0 or h != shown[k - 1]] == group_headings
    for page in pages[1:]:
        first_id = listed(page)[0]
        previous_page = pages[pages.index(page) - 1]
        continued = headings(page)[0].endswith(" (continued)")
        same_group = headings(previous_page)[-1].removesuffix(" (continued)") == headings(page)[
            0
        ].removesuffix(" (continued)")
        assert continued == same_group, first_id
    # Each page links the one before and after it at the address MkDocs serves them at.
    assert pager_links(pages[0])["Next ›"] == "2/"
    assert pager_links(pages[1])["‹ Previous"] == "../"
    if count > 2:
        assert pager_links(pages[1])["Next ›"] == "../3/"
    assert "Next ›" not in pager_links(pages[-1])
    assert pages[0].count('<nav class="rl-pager"') == 2  # above and below the list
    assert "page 2 of" in pages[1].split("---", 2)[1]  # its title says which page


def test_a_list_that_fits_on_one_page_has_no_pager(tmp_path, fixed_year):
    long_lists(tmp_path)
    pages = generated(tmp_path, readings_per_page=PER_PAGE)
    assert len(listed(pages["years/2020.md"])) == PER_PAGE
    assert "years/2020/2.md" not in pages
    assert "rl-pager" not in pages["years/2020.md"]
    assert "page 1 of" not in pages["years/2020.md"]
    # The limit in mkdocs.yml is 100: the small list's pages are not split.
    assert "themes/peer-roles/2.md" not in generated(tmp_path)


def test_needs_attention_goes_on_over_pages_too(tmp_path, fixed_year):
    long_lists(tmp_path)  # no reading has an abstract: all twelve need attention
    rows = re.compile(r'<td><a href="[./]*records/([a-z0-9-]+)/">')
    whole = rows.findall(generated(tmp_path, readings_per_page=1000)["needs-attention.md"])
    split = generated(tmp_path, readings_per_page=PER_PAGE)
    assert len(whole) == 12
    pages = [split["needs-attention.md"]] + [split[f"needs-attention/{k}.md"] for k in (2, 3)]
    assert "needs-attention/4.md" not in split
    assert [rows.findall(page) for page in pages] == [whole[0:4], whole[4:8], whole[8:12]]
    assert pager_links(pages[1]) == SECOND_OF_THREE
    assert "<strong>12 records</strong> need attention." in pages[0]


def test_a_page_holds_at_least_one_reading():
    with pytest.raises(ValueError, match="at least 1"):
        split_into_pages([("2020", ["a"])], 0)


def test_an_author_called_index_keeps_the_authors_index_in_place(tmp_path, fixed_year):
    assert unique_slugs(["INDEX", "Index", "Ann Roe"]) == {
        "INDEX": "index-2",
        "Index": "index-3",
        "Ann Roe": "ann-roe",
    }
    long_lists(tmp_path)
    add_record(tmp_path, "index-2020", "By an organisation", ["Index"], 2020)
    pages = generated(tmp_path)
    assert pages["authors/index.md"].startswith('---\ntitle: "Authors"\n')
    assert "By an organisation" in pages["authors/index-2.md"]
    # Listed as written: no family name was found in one word.
    assert '<li><a href="index-2/">Index</a> (1)</li>' in pages["authors/index.md"]


FAMILIES = ("Adams", "Abbot", "Baker", "Brown", "Byrne", "Cole", "Dunn", "Dyer", "Eden", "Ford")
FAMILIES += ("Gray", "Hart")


def test_a_long_index_of_authors_goes_on_over_pages_with_its_initials(tmp_path, fixed_year):
    (tmp_path / "seeds" / "records").mkdir(parents=True)
    for name in ("themes.yml", "tags.yml"):
        shutil.copyfile(ROOT / "seeds" / name, tmp_path / "seeds" / name)
    for family in FAMILIES:
        add_record(tmp_path, f"{family.lower()}-2020", f"By {family}", [f"Pat {family}"], 2020)
    names = re.compile(r'<li><a href="[^"]+">([^<]+)</a> \(1\)</li>')
    whole = generated(tmp_path)["authors/index.md"]
    # One reading a page makes AUTHORS_PER_READING (5) names a page.
    split = generated(tmp_path, readings_per_page=1)
    paths = ["authors/index.md", "authors/index/2.md", "authors/index/3.md"]
    assert "authors/index/4.md" not in split and "rl-initials" not in whole
    pages = [split[p] for p in paths]
    assert [names.findall(page) for page in pages] == [
        ["Abbot, Pat", "Adams, Pat", "Baker, Pat", "Brown, Pat", "Byrne, Pat"],
        ["Cole, Pat", "Dunn, Pat", "Dyer, Pat", "Eden, Pat", "Ford, Pat"],
        ["Gray, Pat", "Hart, Pat"],
    ]
    assert [n for page in pages for n in names.findall(page)] == names.findall(whole)
    assert headings(pages[1]) == ["C", "D", "E", "F"] and headings(pages[2]) == ["G", "H"]
    # Each initial links to the page it starts on, from every page.
    initials = pages[1].split('<nav class="rl-initials"', 1)[1].split("</nav>", 1)[0]
    links = dict(
        (letter, href) for href, letter in re.findall(r'<a href="([^"]+)"[^>]*>(\w)<', initials)
    )
    assert links == {
        "A": "../../",  # authors/index.md is served at authors/, page 2 at authors/index/2/
        "B": "../../",
        "C": "./",
        "D": "./",
        "E": "./",
        "F": "./",
        "G": "../3/",
        "H": "../3/",
    }
    assert initials.count('aria-current="page"') == 4  # C to F start on this page


# -- an author's page ----------------------------------------------------------------------

CO_AUTHORS = 35  # Jane Doe's co-authors: more than MAX_COAUTHORS


def prolific_author(folder: Path) -> None:
    """40 readings by Jane Doe, each with one co-author: the first five co-authors
    wrote two of them with her, the others one."""
    (folder / "seeds" / "records").mkdir(parents=True)
    for name in ("themes.yml", "tags.yml"):
        shutil.copyfile(ROOT / "seeds" / name, folder / "seeds" / name)
    for n in range(CO_AUTHORS + 5):
        other = f"Co Author{n % CO_AUTHORS:02d}"
        add_record(
            folder, f"doe-{n:02d}", f"Reading {n} with {other}", ["Jane Doe", other], 1980 + n
        )


def co_authors(page: str) -> list[str]:
    section = page.split("<h2>Co-authors in the list</h2>", 1)[1]
    return re.findall(r'<a href="[./]*co-author\d+/">([^<]+)</a>', section)


def test_an_author_page_goes_on_over_pages_of_at_most_the_limit(tmp_path, fixed_year):
    prolific_author(tmp_path)
    whole = generated(tmp_path, readings_per_page=1000)["authors/jane-doe.md"]
    split = generated(tmp_path, readings_per_page=16)
    paths = ["authors/jane-doe.md", "authors/jane-doe/2.md", "authors/jane-doe/3.md"]
    assert sorted(p for p in split if p.startswith("authors/jane-doe")) == paths
    pages = [split[p] for p in paths]
    everything = listed(whole)
    assert len(everything) == 40 and everything[0] == "doe-39"  # newest first
    assert [listed(page) for page in pages] == [everything[:16], everything[16:32], everything[32:]]
    assert "rl-pager" not in whole
    assert pager_links(pages[1]) == SECOND_OF_THREE
    assert 'title: "Jane Doe, page 2 of 3"' in pages[1]
    assert "<strong>40 readings</strong> in the list, newest first." in pages[0]
    # The co-authors are named once, on the first page, as on the page of the whole list.
    assert co_authors(pages[0]) == co_authors(whole)
    assert all("Co-authors in the list" not in page for page in pages[1:])


def test_an_author_page_names_the_co_authors_who_share_the_most_readings(tmp_path, fixed_year):
    prolific_author(tmp_path)
    page = generated(tmp_path)["authors/jane-doe.md"]
    # The five who wrote two readings with her, then the others in the index's order, up
    # to MAX_COAUTHORS; shown in the index's order.
    assert co_authors(page) == [f"Co Author{n:02d}" for n in range(MAX_COAUTHORS)]
    left_out = CO_AUTHORS - MAX_COAUTHORS
    assert f"These {MAX_COAUTHORS} share the most readings with Jane Doe; {left_out} more" in page
    # One who shares two readings is kept over one earlier in the index who shares one.
    add_record(tmp_path, "doe-extra", "One more with the last", ["Jane Doe", "Co Author34"], 2021)
    page = generated(tmp_path)["authors/jane-doe.md"]
    assert co_authors(page) == [f"Co Author{n:02d}" for n in (*range(MAX_COAUTHORS - 1), 34)]
    # A co-author's own page is not capped: Co Author00 has one co-author.
    assert co_authors_named(generated(tmp_path)["authors/co-author00.md"]) == ["Jane Doe"]


def co_authors_named(page: str) -> list[str]:
    section = page.split("<h2>Co-authors in the list</h2>", 1)[1].split("</p>", 1)[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', section)
