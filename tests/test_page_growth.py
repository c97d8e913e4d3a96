"""A record page does not grow with the list: its authors' other readings are capped
in all, with a link to each author's page for the rest, so the same record gives the
same page in a small list and in one three times its size."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.index import RELATED_COUNT
from generator.pipeline import generate
from generator.render import MORE_BY_AUTHORS
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


def add_record(folder: Path, record_id: str, title: str, authors: list[str], year: int) -> None:
    people = "".join(f"  - {name}\n" for name in authors)
    (folder / "seeds" / "records" / f"{record_id}.yml").write_text(
        f"id: {record_id}\ntitle: {title}\nauthors:\n{people}year: {year}\n", encoding="utf-8"
    )


def generated(folder: Path) -> dict[str, str]:
    """The pages of the records in ``folder``/seeds."""
    records = folder / "seeds" / "records"
    settings = load_settings(ROOT, records_dir=records, vocabulary_dir=folder / "seeds")
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
