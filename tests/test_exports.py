"""Exports for reference managers: exact output, round trips, independent parsers, hostile values.

"Independent" readers are other projects' parsers: pybtex (BibTeX), rispy (RIS) and
citeproc-py (CSL-JSON); bibtexparser is checked too, though the BibTeX reader uses it.
"""

from __future__ import annotations

import json
import random
from dataclasses import fields, replace
from pathlib import Path

import bibtexparser
import pybtex.database
import pytest
import rispy
from citeproc.source.json import CiteProcJSON
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import exports
from generator.exports import (
    ET_AL_NOTE,
    bibtex,
    csl_item,
    csl_json,
    latex_escape,
    one_line,
    paragraphs,
    ris,
)
from generator.model import Person, Record
from generator.record_files import load, record_paths
from generator.sources import bibtex as bibtex_reader
from generator.sources import ris as ris_reader
from tests.conftest import GOLDEN_RECORDS


def golden_records() -> list[Record]:
    records = []
    for path in record_paths(GOLDEN_RECORDS):
        loaded, problems = load(path, path.name)
        assert loaded is not None and problems == []
        records.append(loaded.record)
    return records


SEEDS = golden_records()
BY_ID = {r.id: r for r in SEEDS}
# Not bibliographic: the record id, where it was read, the site's themes and tags, the day
# it joined the list. Exports leave them out.
COMPARED = [
    f.name for f in fields(Record) if f.name not in ("id", "source", "themes", "tags", "added")
]


def differences(expected: Record, actual: Record) -> dict[str, tuple]:
    return {
        name: (getattr(expected, name), getattr(actual, name))
        for name in COMPARED
        if getattr(expected, name) != getattr(actual, name)
    }


# -- exact output -----------------------------------------------------------------------


def test_bibtex_of_a_record_with_a_cut_author_list_and_an_article_number():
    assert bibtex([BY_ID["mak-2021"]]) == (
        "@article{mak-2021,\n"
        "  author = {Mak, Winnie W. S. and Fu, Amanda C. M. and Auyeung, Larry and "
        "Cheng, Winnie W. L. and Chan, Randolph C. H. and others},\n"
        "  title = {Nine-Month Longitudinal Impact of Peer Support Workers’ Recovery "
        "Attributes on Service Users’ Recovery in Hong Kong},\n"
        "  year = {2021},\n"
        "  pages = {appi.ps.2020000},\n"
        "}\n"
    )


def test_ris_of_a_record_with_pages_and_of_one_without_a_year():
    hodges, leemeijer = BY_ID["hodges-2007"], BY_ID["leemeijer-nd"]
    text = ris([leemeijer, hodges])
    assert text.startswith(
        "TY  - JOUR\n"
        "AU  - Hodges, John Q.\n"
        "TI  - Peer Support Among Consumers of Professional Mental Health Services\n"
        "PY  - 2007\n"
        "VL  - 14\n"
        "IS  - 3\n"
        "SP  - 81\n"
        "EP  - 92\n"
        "ER  - \n"
        "\n"
        "TY  - GEN\n"
        "AU  - Leemeijer, Aukje\n"
        "AU  - Noordegraaf, Mirko\n"
        "AB  - In many Western countries"
    )
    assert text.endswith("must be organised.\nER  - \n")


def test_csl_item_maps_an_article_number_to_number_and_a_range_to_page():
    assert csl_item(BY_ID["mak-2021"]) == {
        "id": "mak-2021",
        "type": "article-journal",
        "title": BY_ID["mak-2021"].title,
        "author": [
            {"family": "Mak", "given": "Winnie W. S."},
            {"family": "Fu", "given": "Amanda C. M."},
            {"family": "Auyeung", "given": "Larry"},
            {"family": "Cheng", "given": "Winnie W. L."},
            {"family": "Chan", "given": "Randolph C. H."},
        ],
        "issued": {"date-parts": [[2021]]},
        "number": "appi.ps.2020000",
        "note": ET_AL_NOTE,
    }
    assert csl_item(BY_ID["hodges-2007"])["page"] == "81-92"
    assert csl_item(BY_ID["leemeijer-nd"])["type"] == "document"
    assert "author" not in csl_item(BY_ID["mental-health-professionals-2001"])


@pytest.mark.parametrize(
    ("pages", "article_number"),
    [
        ("146-162", False),
        ("s26-s31", False),
        ("81–92", False),
        ("414", False),
        ("S12", False),
        ("appi.ps.2020000", True),
        ("e0209222", True),
        ("102345", True),
    ],
)
def test_article_numbers_are_told_from_pages(pages, article_number):
    assert exports.is_article_number(pages) is article_number


@pytest.mark.parametrize(
    ("name", "bibtex_form", "ris_form"),
    [
        ("Winnie W. S. Mak", "Mak, Winnie W. S.", "Mak, Winnie W. S."),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig", "van Beethoven, Ludwig"),
        ("Martin Luther King Jr.", "King, Jr., Martin Luther", "King, Martin Luther, Jr."),
        ("Plato", "{Plato}", "Plato"),
        ("Tse, Samson", "{Tse, Samson}", "Tse, Samson"),
        ("Jane Smith and Co", "{Smith and Co}, Jane", "Smith and Co, Jane"),
        ('John "Jack" Smith', '{John "Jack" Smith}', 'John "Jack" Smith'),
    ],
)
def test_names_travel_as_family_given_only_when_that_gives_the_name_back(
    name, bibtex_form, ris_form
):
    person = Person(name)
    assert exports.bibtex_name(person) == bibtex_form
    assert exports.ris_name(person) == ris_form


def test_highwire_tags_say_only_what_the_record_holds():
    assert exports.highwire_tags(BY_ID["hodges-2007"]) == [
        ("citation_title", "Peer Support Among Consumers of Professional Mental Health Services"),
        ("citation_author", "Hodges, John Q."),
        ("citation_publication_date", "2007"),
        ("citation_volume", "14"),
        ("citation_issue", "3"),
        ("citation_firstpage", "81"),
        ("citation_lastpage", "92"),
    ]
    assert exports.highwire_tags(BY_ID["leemeijer-nd"]) == [
        ("citation_author", "Leemeijer, Aukje"),
        ("citation_author", "Noordegraaf, Mirko"),
    ]
    assert ("citation_firstpage", "appi.ps.2020000") in exports.highwire_tags(BY_ID["mak-2021"])


def test_exports_are_in_id_order_whatever_order_the_records_come_in():
    shuffled = SEEDS[:]
    random.Random(4).shuffle(shuffled)
    for write in (bibtex, ris, csl_json):
        assert write(shuffled) == write(SEEDS)
    keys = [item["id"] for item in json.loads(csl_json(shuffled))]
    assert keys == sorted(keys)


def test_export_files_names_one_file_per_format():
    files = exports.export_files("themes/stigma", SEEDS[:2])
    assert sorted(files) == ["themes/stigma.bib", "themes/stigma.json", "themes/stigma.ris"]
    assert files["themes/stigma.ris"] == ris(SEEDS[:2])


def test_a_doi_or_url_with_braces_is_percent_encoded_in_bibtex():
    record = Record(id="x-2019", title="T", url="https://example.org/a{b}\\c", doi="10.1000/{x}")
    text = bibtex([record])
    assert "url = {https://example.org/a%7Bb%7D%5Cc}" in text
    assert "doi = {10.1000/%7Bx%7D}" in text


# -- round trips through our own readers ------------------------------------------------


@pytest.mark.parametrize(
    ("write", "parse"),
    [(ris, ris_reader.parse), (bibtex, bibtex_reader.parse)],
    ids=["ris", "bibtex"],
)
def test_exporting_the_seed_records_and_importing_them_gives_the_same_records(write, parse):
    back, problems = parse(write(SEEDS), "export")
    assert problems == []
    assert len(back) == len(SEEDS) == 22
    for expected, actual in zip(exports.ordered(SEEDS), back, strict=True):
        assert differences(expected, actual) == {}, expected.id


# -- independent parsers ----------------------------------------------------------------


def test_pybtex_reads_the_seed_export_with_the_same_entries_and_fields():
    data = pybtex.database.parse_string(bibtex(SEEDS), "bibtex")
    assert list(data.entries) == [r.id for r in exports.ordered(SEEDS)]

    def latex(value: str | None) -> str | None:
        return latex_escape(value) if value else None

    for record in SEEDS:
        entry = data.entries[record.id]
        assert entry.type == ("misc" if exports.reference_type(record) == "document" else "article")
        people = [str(p) for p in entry.persons.get("author", [])]
        expected_people = [exports.bibtex_name(p) for p in record.authors]
        assert people == expected_people + (["others"] if record.et_al else [])
        assert entry.fields.get("title") == latex(record.title)
        assert entry.fields.get("year") == (str(record.year) if record.year else None)
        assert entry.fields.get("volume") == latex(record.volume)
        assert entry.fields.get("number") == latex(record.issue)
        assert entry.fields.get("pages") == latex(record.pages)
        # pybtex turns every run of whitespace (thin spaces included) into one space.
        abstract = entry.fields.get("abstract", "")
        assert abstract.split() == (latex(record.abstract) or "").split()


def test_bibtexparser_reads_the_seed_export_with_the_same_entries():
    library = bibtexparser.parse_string(bibtex(SEEDS))
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == [r.id for r in exports.ordered(SEEDS)]


def test_rispy_reads_the_seed_export_with_the_same_records_and_fields():
    entries = rispy.loads(ris(SEEDS))
    assert len(entries) == 22
    for record, entry in zip(exports.ordered(SEEDS), entries, strict=True):
        assert entry.get("authors", []) == [exports.ris_name(p) for p in record.authors]
        assert entry.get("title") == record.title
        assert entry.get("year") == (str(record.year) if record.year else None)
        assert entry.get("volume") == record.volume
        assert entry.get("number") == record.issue
        pages = "-".join(filter(None, (entry.get("start_page"), entry.get("end_page"))))
        assert (pages or None) == record.pages
        assert entry.get("abstract") == record.abstract
        assert (ET_AL_NOTE in entry.get("notes", [])) is record.et_al


def test_citeproc_reads_the_csl_json_export_with_the_same_items_and_fields():
    source = CiteProcJSON(json.loads(csl_json(SEEDS)))
    assert list(source) == [r.id for r in exports.ordered(SEEDS)]
    for record in SEEDS:
        reference = source[record.id]
        names = [(n.get("family"), n.get("given")) for n in reference.get("author", [])]
        assert names == [(p.family, p.given) for p in record.authors]
        assert (str(reference["title"]) if "title" in reference else None) == record.title
        issued = reference.get("issued")
        assert (issued["year"] if issued else None) == record.year


# -- hostile values ---------------------------------------------------------------------

HOSTILE = [
    "{",
    "}",
    "\\",
    "\\\\",
    "{}",
    "\n",
    "\n\n",
    "\t",
    "  ",
    "ER  - ",
    "\nER  - \n",
    "TY  - JOUR",
    "\nTY  - JOUR\n",
    "@article{",
    "@comment{x,",
    "}\n@misc{y,",
    "%",
    "&",
    "$",
    "#",
    "_",
    "~",
    "^",
    "--",
    "---",
    "``",
    "''",
    "!`",
    "?`",
    "\\&",
    '{\\"u}',
    "\\textbf{x}",
    " and ",
    "AND",
    ",",
    '"',
    "@",
    "=",
    "\u2009",
    "\u00a0",
    "\u2028",
    "ü",
    "—",
    "<i>",
    "&amp;",
    "$x$",
]
# Letters and marks, no control characters (record files refuse them) or surrogates.
PLAIN = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co")), min_size=1, max_size=4
)
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), PLAIN), min_size=1, max_size=8).map(
    "".join
)
# Names never hold a line break (a record file's name is one line); a hostile one may hold
# anything else. Commas and "others" are left to the RIS convention test below.
hostile_name = hostile_text.map(one_line).filter(bool)
optional = st.none() | hostile_text
doi = st.none() | st.from_regex(r"10\.\d{4,9}/[A-Za-z0-9._;()<>:%#&~?=-]{1,20}", fullmatch=True)
url = st.none() | st.from_regex(
    r"https://example\.org/[A-Za-z0-9._%#&~?=/;:-]{0,20}", fullmatch=True
)


@st.composite
def hostile_records(draw, *, ris_names: bool = False) -> list[Record]:
    count = draw(st.integers(min_value=1, max_value=4))
    records = []
    for index in range(count):
        names = draw(st.lists(hostile_name, max_size=3))
        if ris_names:  # RIS has no quoting: a comma in a name means "Family, Given"
            names = [
                n
                for n in names
                if "," not in n and n.lower() not in {"others", "et al.", "et al", "...", "…"}
            ]
        title = draw(optional)
        if not (title and one_line(title)) and not names:
            title = draw(hostile_text.filter(lambda t: one_line(t) != ""))
        records.append(
            Record(
                id=f"record-{index}",
                title=title,
                authors=tuple(Person(n) for n in names),
                et_al=draw(st.booleans()),
                year=draw(st.none() | st.integers(min_value=1900, max_value=2100)),
                journal=draw(optional),
                volume=draw(optional),
                issue=draw(optional),
                pages=draw(optional),
                doi=draw(doi),
                url=draw(url),
                abstract=draw(optional),
            )
        )
    return records


def read_back_value(value: str | None, keep_paragraphs: bool = False) -> str | None:
    """What a value reads back as: line breaks collapsed (see exports' docstring)."""
    if value is None:
        return None
    return (paragraphs(value) if keep_paragraphs else one_line(value)) or None


def expected_after(record: Record, *, keep_paragraphs: bool) -> Record:
    return replace(
        record,
        title=read_back_value(record.title),
        authors=tuple(Person(one_line(p.name)) for p in record.authors),
        journal=read_back_value(record.journal),
        volume=read_back_value(record.volume),
        issue=read_back_value(record.issue),
        pages=read_back_value(record.pages),
        abstract=read_back_value(record.abstract, keep_paragraphs),
    )


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(hostile_records())
def test_hostile_values_survive_a_bibtex_round_trip(records):
    back, problems = bibtex_reader.parse(bibtex(records), "hostile.bib")
    assert problems == []
    assert len(back) == len(records)
    for record, actual in zip(records, back, strict=True):
        assert differences(expected_after(record, keep_paragraphs=True), actual) == {}


@PROPERTY
@given(hostile_records(ris_names=True))
def test_hostile_values_survive_an_ris_round_trip(records):
    back, problems = ris_reader.parse(ris(records), "hostile.ris")
    assert problems == []
    assert len(back) == len(records)
    for record, actual in zip(records, back, strict=True):
        assert differences(expected_after(record, keep_paragraphs=False), actual) == {}


@PROPERTY
@given(hostile_records())
def test_independent_parsers_find_exactly_the_records_exported(records):
    text = bibtex(records)
    data = pybtex.database.parse_string(text, "bibtex")
    assert list(data.entries) == [r.id for r in records]
    for record in records:
        # pybtex sees each value as written (its whitespace collapsed): no field ran into
        # another, no entry was cut short.
        if record.title and one_line(record.title):
            title = data.entries[record.id].fields["title"]
            assert title.split() == latex_escape(one_line(record.title)).split()
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == [r.id for r in records]

    entries = rispy.loads(ris(records))
    assert len(entries) == len(records)
    for record, entry in zip(records, entries, strict=True):
        assert entry.get("title") == read_back_value(record.title)
        assert entry.get("abstract") == read_back_value(record.abstract)

    items = json.loads(csl_json(records))
    assert items == [csl_item(r) for r in records]
    assert list(CiteProcJSON(items)) == [r.id for r in records]


@settings(max_examples=500, deadline=None)
@given(hostile_text)
def test_latex_escape_reads_back_as_the_same_text(text):
    assert bibtex_reader.latex_to_text(latex_escape(one_line(text))) == one_line(text)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("\\{}&%$#_~^-`'!? ab"), max_size=12) | hostile_text)
def test_latex_escape_skips_only_work_that_would_change_nothing(text):
    """latex_escape looks for specials and ligatures before replacing them; the result
    is what replacing everything gives."""
    from generator.exports import _LATEX_SPECIALS, _LIGATURE

    assert latex_escape(text) == _LIGATURE.sub("{}", text.translate(_LATEX_SPECIALS))


@settings(max_examples=300, deadline=None)
@given(hostile_text.filter(lambda t: not bibtex_reader.LATEX_ACTIVE.search(t)))
def test_text_the_reader_does_not_parse_as_latex_is_text_latex_leaves_alone(text):
    # The BibTeX reader skips pylatexenc for such values (it is slow); that must not
    # change what is read.
    assert bibtex_reader._latex().latex_to_text(text) == text


def test_a_name_with_a_comma_reads_back_from_ris_as_family_given():
    record = Record(id="x-2019", title="T", authors=(Person("Tse, Samson"),))
    back, _ = ris_reader.parse(ris([record]), "x.ris")
    assert back[0].authors == (Person("Samson Tse"),)
    back, _ = bibtex_reader.parse(bibtex([record]), "x.bib")
    assert back[0].authors == (Person("Tse, Samson"),)  # braces keep it whole in BibTeX


def test_an_abstract_that_looks_like_a_missing_comma_is_read_as_text():
    record = Record(id="x-2019", title="T", abstract='He said "no"\n\ntitle = {x}')
    back, problems = bibtex_reader.parse(bibtex([record]), "x.bib")
    assert problems == [] and back[0].abstract == record.abstract


def test_a_value_starting_with_protected_capitals_is_not_mistaken_for_a_missing_comma():
    text = '@article{a,\n  title = {T},\n  abstract = {{COVID}-19 and "peer" support\nN = 32 took part},\n}\n'
    back, problems = bibtex_reader.parse(text, "x.bib")
    assert problems == [] and back[0].abstract == 'COVID-19 and "peer" support N = 32 took part'


def test_a_title_holding_an_ris_end_tag_or_a_bibtex_entry_injects_nothing(tmp_path: Path):
    record = Record(
        id="evil-2019",
        title="Before\nER  - \n\nTY  - JOUR\nTI  - Injected",
        authors=(Person("Ann Author"),),
        abstract="}\n@article{injected,\n  title = {Injected},\n}\n",
    )
    back, problems = ris_reader.parse(ris([record]), "x.ris")
    assert problems == [] and len(back) == 1
    assert back[0].title == "Before ER  - TY  - JOUR TI  - Injected"
    back, problems = bibtex_reader.parse(bibtex([record]), "x.bib")
    assert problems == [] and len(back) == 1
    assert back[0].abstract == "} @article{injected, title = {Injected}, }"


@PROPERTY
@given(hostile_records())
def test_a_file_of_several_records_is_their_own_files_put_together(records):
    for suffix, (write, _) in exports.FORMATS.items():
        own = [write([r]).encode() for r in exports.ordered(records)]
        assert exports.combined(suffix, own) == write(records).encode(), suffix
        assert exports.combined(suffix, own[:0]) == write([]).encode(), suffix
