"""`import` of RIS and BibTeX files as Zotero, Mendeley and EndNote export them.

The fixtures in tests/fixtures/exports/ are small hand-written copies of each tool's
export, with its habits: Zotero's RIS in CRLF with DA/J2/KW noise and a continued
abstract; Mendeley's RIS with a byte-order mark, A1/T1/JF/Y1/N2 tags and no final
``ER``; EndNote's with a BOM, CRLF, ``Family, G.`` names, the page range in SP, the DOI
in M3 and internal-pdf links; Zotero's BibTeX (tabs, protected capitals, ``month =
dec``), Mendeley's (header text, double braces, LaTeX accents, ``\\_`` in URLs, ``and
others``) and EndNote's (CRLF, BOM, upper-case field names, an entry without a key).
"""

from __future__ import annotations

import codecs
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator import exports
from generator.importer import READERS, import_exports
from generator.model import Person, Record, Source
from generator.problems import Problem
from generator.record_files import load, record_paths
from generator.sources import bibtex, ris
from generator.validate import display
from tests.conftest import FIXTURES, GOLDEN_RECORDS, SCHEMA_FILE, run_cli
from tests.test_exports import differences

EXPORTS = FIXTURES / "exports"

TSE = Record(
    id="",
    title="Knowledge sharing in peer support services for people with bipolar disorder: "
    "a qualitative study",
    authors=tuple(
        Person(n)
        for n in ("Samson Tse", "Winnie W. Y. Yuen", "Greg Murray", "Larry Davidson", "Queenie Lai")
    ),
    year=2019,
    journal="BMC Psychiatry",
    volume="19",
    issue="1",
    pages="414",
    doi="10.1000/bmc-psy.2019.414",
    url="https://doi.org/10.1000/bmc-psy.2019.414",
    abstract="Background Knowledge construction is a form of communication in which people "
    "can work individually or collaboratively.\n\n"
    "Methods A total of 32 clients of mental health services were recruited.",
)
BOHL_PENROD = Record(
    id="",
    title="Peer support in mental health services: “experts by experience” & their 50% share",
    authors=(Person("Nancy K. Bohl-Penrod"), Person("Dwight W. Clark")),
    year=2020,
    journal="Journal of Peer Work",
    volume="3",
    pages="e0209222",
)
WATSON = Record(
    id="",
    title="Peer Support in Mental Health",
    authors=(Person("Emma Watson"), Person("Sara Meddings")),
    year=2019,
)
LEEMEIJER = Record(
    id="",
    title="Peer support workers and mental health professionals in the Netherlands",
    authors=(Person("Aukje Leemeijer"), Person("Mirko Noordegraaf")),
    year=2019,
    journal="Professions and Professionalism",
    volume="9",
    issue="2",
    pages="33-47",
    url="https://example.org/articles/leemeijer-2019",
    abstract="In many Western countries mental health care institutions employ ‘peer support "
    "workers’ in professional teams.",
)
MULLER = Record(
    id="",
    title="Stigma and self-stigma among peer workers",
    authors=(Person("Jörg Müller"),),
    et_al=True,
    year=2018,
    journal="Psychiatric Rehabilitation Journal",
    pages="64-72",
    abstract="A study of stigma.",
)
HODGES = Record(
    id="",
    title="Peer support among consumers of community mental health services",
    authors=(Person("J. Q. Hodges"),),
    year=2008,
    journal="Psychiatric Rehabilitation Journal",
    volume="31",
    issue="3",
    pages="146-162",
    doi="10.1000/prj.2008.31.3.146",
)
CHAPTER = Record(
    id="",
    title="Hybrid professionalism in mental health care",
    authors=(Person("A. Leemeijer"), Person("M. Noordegraaf")),
    year=2020,
    journal="Organizing Professionalism",
    pages="101-118",
    doi="10.1000/op.2020.101",
)

EXPECTED = {
    "zotero.ris": [(TSE, 1), (BOHL_PENROD, 26), (WATSON, 37)],
    "mendeley.ris": [(LEEMEIJER, 1), (MULLER, 17)],
    "endnote.ris": [(HODGES, 1), (replace(CHAPTER, url="https://example.org/op/2020/101"), 17)],
    "zotero.bib": [(TSE, 2), (BOHL_PENROD, 24), (WATSON, 33)],
    "mendeley.bib": [
        (
            replace(
                LEEMEIJER,
                url="https://example.org/articles/leemeijer_2019",
                abstract=LEEMEIJER.abstract.replace("workers’", "workers'"),
            ),
            6,
        ),
        (
            replace(
                MULLER,
                title="Stigma and self-stigma among peer workers & trainers",
                authors=(Person("Jörg Müller"), Person("José García")),
                abstract=None,
            ),
            18,
        ),
    ],
    "endnote.bib": [
        (replace(HODGES, url="https://example.org/prj/2008/146"), 1),
        (CHAPTER, 15),
    ],
}


def read(path: Path, display_path: str | None = None):
    return READERS[path.suffix](path, display_path or path.name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exports_of_reference_managers_are_read_field_by_field(name):
    records, problems = read(EXPORTS / name)
    assert problems == []
    assert len(records) == len(EXPECTED[name])
    for record, (expected, line) in zip(records, EXPECTED[name], strict=True):
        assert differences(expected, record) == {}
        assert record.source == Source(name, line)


def test_the_fixtures_keep_the_byte_habits_they_stand_for():
    def raw(name: str) -> bytes:
        return (EXPORTS / name).read_bytes()

    assert b"\r\n" in raw("zotero.ris") and not raw("zotero.ris").startswith(codecs.BOM_UTF8)
    assert raw("mendeley.ris").startswith(codecs.BOM_UTF8) and b"\r\n" not in raw("mendeley.ris")
    assert not raw("mendeley.ris").rstrip().endswith(b"ER  -")
    assert raw("endnote.ris").startswith(codecs.BOM_UTF8) and b"\r\n" in raw("endnote.ris")
    assert raw("endnote.bib").startswith(codecs.BOM_UTF8) and b"\r\n" in raw("endnote.bib")


def variants(text: str) -> dict[str, bytes]:
    """The same export as other tools and settings write it."""
    lf = text.replace("\r\n", "\n")
    return {
        "utf-8, LF": lf.encode(),
        "utf-8, CRLF": lf.replace("\n", "\r\n").encode(),
        "BOM, LF": codecs.BOM_UTF8 + lf.encode(),
        "BOM, CRLF": codecs.BOM_UTF8 + lf.replace("\n", "\r\n").encode(),
        "UTF-16 with BOM": lf.encode("utf-16"),
    }


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_encoding_and_line_ends_do_not_change_what_is_read(tmp_path, name):
    text = (EXPORTS / name).read_bytes().decode("utf-8-sig")
    expected, _ = read(EXPORTS / name)
    for label, data in variants(text).items():
        path = tmp_path / name
        path.write_bytes(data)
        records, problems = read(path, name)
        assert problems == [], label
        assert records == expected, label
        assert [r.source for r in records] == [r.source for r in expected], label


def test_an_ris_file_whose_last_record_has_no_er_line_loses_nothing(tmp_path):
    text = (EXPORTS / "zotero.ris").read_text(encoding="utf-8").replace("\r\n", "\n")
    assert text.endswith("ER  - \n")
    path = tmp_path / "cut.ris"
    path.write_text(text.removesuffix("ER  - \n"), encoding="utf-8")
    records, problems = ris.read(path, "cut.ris")
    assert problems == []
    assert [r.title for r in records] == [TSE.title, BOHL_PENROD.title, WATSON.title]


# -- broken entries: path:line, what is wrong, how to fix it -----------------------------


def problems_of(reader, text: str) -> tuple[list[str | None], list[str]]:
    records, problems = reader.parse(text, "refs" + (".ris" if reader is ris else ".bib"))
    return [r.title for r in records], [str(p) for p in problems]


def test_ris_tag_lines_outside_a_record_are_reported_once_and_the_rest_is_read():
    text = (
        "TY  - JOUR\nTI  - One\nER  - \n\n"
        "TI  - Two\nAU  - Doe, Jane\nER  - \n\n"
        "TY  - JOUR\nTI  - Three\nER  - \n"
    )
    assert problems_of(ris, text) == (
        ["One", "Three"],
        [
            "refs.ris:5: 'TI  - ' line outside a record (no 'TY  - ' line before it); "
            "start each record with a 'TY  - ' line (for example 'TY  - JOUR')"
        ],
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "TY  - JOUR\nTI  - One\nPY  - in press\nER  - \n",
            "refs.ris:3: 'PY  - in press' holds no four-digit year; "
            "write the year, like 'PY  - 2019', or delete the line if it is unknown",
        ),
        (
            "TY  - JOUR\nTI  - One\nDO  - not-a-doi\nER  - \n",
            "refs.ris:3: 'DO  - not-a-doi' is not a DOI; "
            "write it as 'DO  - 10.xxxx/yyyy', or delete the line",
        ),
        (
            "TY  - JOUR\nPY  - 2019\nER  - \n",
            "refs.ris:1: the record has neither a title (TI) nor authors (AU); "
            "add a 'TI  - ' or an 'AU  - ' line to it, or delete the record",
        ),
    ],
    ids=["year", "doi", "empty"],
)
def test_an_ris_record_that_cannot_be_read_is_reported_at_its_line(text, message):
    text += "\nTY  - JOUR\nTI  - Next\nER  - \n"
    assert problems_of(ris, text) == (["Next"], [message])


FIX_ENTRY = (
    "write each field as name = {value}, close every '{' with '}', and end the entry with '}'"
)
BEFORE, AFTER = "@article{b, title = {Before}}\n", "@article{z, title = {After}}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "@article{a,\n  title = {T,\n  year = {2001}\n}\n\n",
            "refs.bib:2: cannot read this @article entry: the entry is not closed before "
            f"the next '@' on line 7; {FIX_ENTRY}",
        ),
        (
            "@article{a,\n  title {T},\n}\n",
            "refs.bib:2: cannot read this @article entry: a field has no '=' between its "
            f"name and its value; {FIX_ENTRY}",
        ),
        (
            "@article{title = {T}}\n",
            "refs.bib:2: cannot read this @article entry: the entry has no key: its first "
            f"line should be '@article{{key,'; {FIX_ENTRY}",
        ),
        (
            "@article{a,\n  title = {T}\n  year = {2001}\n}\n",
            "refs.bib:3: a comma is missing after the value of 'title' (before 'year'); "
            "end each field with ','",
        ),
        (
            "@article{b, title = {x}}\n",
            "refs.bib:2: the key 'b' is used by an earlier entry too; give each entry its own key",
        ),
        (
            "@article{a,\n  title = {T},\n  title = {U},\n}\n",
            "refs.bib:2: this @article entry has 'title' twice; "
            "keep one of them and delete the other",
        ),
        (
            "@article{a,\n  title = {T},\n  year = {in press},\n}\n",
            "refs.bib:4: year = {in press} holds no four-digit year; "
            "write the year, like year = {2019}, or delete the field if it is unknown",
        ),
        (
            "@article{a,\n  title = {T},\n  doi = {not-a-doi},\n}\n",
            "refs.bib:4: doi = {not-a-doi} is not a DOI; "
            "write it as doi = {10.xxxx/yyyy}, or delete the field",
        ),
        (
            "@misc{a,\n  year = {2001},\n}\n",
            "refs.bib:2: the entry 'a' has neither a title nor authors; "
            "add a title = {...} or author = {...} field, or delete the entry",
        ),
    ],
    ids=[
        "unclosed-value",
        "no-equals",
        "no-key",
        "missing-comma",
        "duplicate-key",
        "duplicate-field",
        "year",
        "doi",
        "empty",
    ],
)
def test_a_bibtex_entry_that_cannot_be_read_is_reported_and_the_next_one_is_read(text, message):
    assert problems_of(bibtex, BEFORE + text + AFTER) == (["Before", "After"], [message])


def test_an_entry_that_is_not_closed_before_the_end_of_the_file():
    text = BEFORE + "@article{a,\n  title = {T},\n"
    assert problems_of(bibtex, text) == (
        ["Before"],
        [
            "refs.bib:2: cannot read this @article entry: the entry is not closed before "
            f"the end of the file; {FIX_ENTRY}"
        ],
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "notes.ris",
            "Provider: somewhere\n",
            "notes.ris:1: no records found; is this an RIS export? "
            "Each record starts with a 'TY  - ' line",
        ),
        (
            "notes.bib",
            "just some text\n",
            "notes.bib:1: no entries found; is this a BibTeX export? "
            "Each entry starts like '@article{key,'",
        ),
        ("empty.ris", "\n\n", "empty.ris:1: the file is empty; add content or delete the file"),
    ],
)
def test_a_file_without_records_says_so(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    records, problems = read(path, name)
    assert records == [] and [str(p) for p in problems] == [message]


def test_a_file_in_a_legacy_code_page_is_refused_with_the_place_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "endnote.ris"
    path.write_bytes("TY  - JOUR\r\nAU  - Müller, Jörg\r\nER  - \r\n".encode("cp1252"))
    _, problems = ris.read(path, "endnote.ris")
    assert [str(p) for p in problems] == [
        "endnote.ris:2: the file is not UTF-8 (byte 0xFC at column 8); "
        "save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)"
    ]


# -- the import command -----------------------------------------------------------------


def records_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "records"
    shutil.copytree(GOLDEN_RECORDS, folder)
    return folder


def test_importing_an_ris_record_already_present_skips_it_and_adds_the_new_one(tmp_path):
    folder = records_folder(tmp_path)
    export = tmp_path / "library.ris"
    export.write_text(
        "TY  - JOUR\n"
        "AU  - Hodges, John Q.\n"
        "TI  - Peer Support Among Consumers of Professional Mental Health Services\n"
        "PY  - 2007\n"
        "ER  - \n"
        "\n"
        "TY  - JOUR\n"
        "AU  - Watson, Emma\n"
        "TI  - Peer Support in Mental Health\n"
        "PY  - 2019\n"
        "ER  - \n",
        encoding="utf-8",
    )
    result = import_exports([export], folder, SCHEMA_FILE)
    assert result.problems == ()
    assert result.skipped == (
        Problem(
            export.as_posix(),
            1,
            "already present as hodges-2007 (same title)",
            "skipped; edit that record instead",
            "warning",
        ),
    )
    assert [Path(p).name for p in result.added] == ["watson-2019.yml"]
    again = import_exports([export], folder, SCHEMA_FILE)
    assert again.added == () and len(again.skipped) == 2


def test_imported_records_are_written_as_record_files_that_check_cleanly(tmp_path):
    folder = tmp_path / "records"
    paths = [EXPORTS / "zotero.ris", EXPORTS / "mendeley.bib", EXPORTS / "endnote.bib"]
    result = import_exports(paths, folder, SCHEMA_FILE)
    assert result.problems == ()
    # The same readings reach the list from Zotero's RIS and EndNote's BibTeX only once.
    assert sorted(Path(p).name for p in result.added) == [
        "bohl-penrod-2020.yml",
        "hodges-2008.yml",
        "leemeijer-2019.yml",
        "leemeijer-2020.yml",
        "muller-2018.yml",
        "tse-2019.yml",
        "watson-2019.yml",
    ]
    for path in record_paths(folder):
        loaded, problems = load(path, path.name, latest_year=2027)
        assert problems == [], path.name
        assert loaded is not None and loaded.record.source is not None
    tse, _ = load(folder / "tse-2019.yml", "tse-2019.yml")
    assert tse is not None
    assert differences(TSE, tse.record) == {}
    assert tse.record.source == Source(display(EXPORTS / "zotero.ris"), 1)


def test_the_command_line_imports_reference_manager_files(tmp_path, fixed_year):
    folder = records_folder(tmp_path)
    result = run_cli(
        "import",
        "tests/fixtures/exports/zotero.ris",
        "tests/fixtures/exports/endnote.ris",
        "--records",
        str(folder),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"added 5 record(s) to {folder.as_posix()}; 0 already present\n"


def test_the_command_line_reports_a_broken_entry_and_writes_nothing(tmp_path, fixed_year):
    folder = records_folder(tmp_path)
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{a,\n  title = {T,\n}\n", encoding="utf-8")
    result = run_cli("import", str(broken), "--records", str(folder))
    assert result.returncode == 1
    assert result.stdout == (
        f"{broken.as_posix()}:1: cannot read this @article entry: the entry is not closed "
        f"before the end of the file; {FIX_ENTRY}\n"
    )
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in GOLDEN_RECORDS.iterdir()
    )


@pytest.mark.parametrize("suffix", [".ris", ".bib"])
def test_importing_the_export_of_the_seed_records_gives_them_back_ids_included(tmp_path, suffix):
    seeds = [load(p, p.name)[0].record for p in record_paths(GOLDEN_RECORDS)]
    export = tmp_path / f"reading-list{suffix}"
    export.write_text(exports.FORMATS[suffix][0](seeds), encoding="utf-8")
    folder = tmp_path / "records"
    result = import_exports([export], folder, SCHEMA_FILE)
    assert result.problems == () and result.skipped == ()
    back = {p.stem: load(p, p.name)[0].record for p in record_paths(folder)}
    assert sorted(back) == sorted(r.id for r in seeds)
    for record in seeds:
        assert differences(record, back[record.id]) == {}, record.id
