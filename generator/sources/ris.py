"""Reader for RIS files, as Zotero, Mendeley, EndNote and publishers export them.

A record is a run of tag lines from ``TY  - `` to ``ER  - ``::

    TY  - JOUR
    AU  - Tse, Samson
    TI  - Knowledge sharing ...
    ER  -

What exports do differently, and how it is read:

* UTF-8 with or without a byte-order mark, UTF-16 with one, CRLF or LF line ends
  (``textfile.decode``). The last record may lack its ``ER`` line; a ``TY`` line also
  ends a record left open.
* Authors in ``AU`` or ``A1``, written ``Family, Given`` (Zotero, Mendeley) or
  ``Family, G.`` (EndNote): read as ``Given Family``, the form record files use.
  ``Family, Given, Suffix`` becomes ``Given Family Suffix``. An author ``et al.``,
  ``others`` or ``...``, or the note ``exports.ET_AL_NOTE``, means the list was cut.
* The year is the first four digits of ``PY``, else ``Y1``, else ``DA``
  (``2019``, ``2019///``, ``2019/05/01/``).
* Title ``TI``, else ``T1``, else ``CT`` (else ``BT`` for a book); journal ``JF``,
  ``T2``, ``JO``, ``BT``, then the abbreviations ``JA`` and ``J2``; pages ``SP``-``EP``
  (EndNote writes the whole range in ``SP``); issue ``IS`` or ``CP``; abstract ``AB`` or
  ``N2``; DOI ``DO`` (a ``https://doi.org/`` or ``doi:`` prefix is removed; EndNote's
  ``M3`` when it holds a DOI); address: the first ``http(s)`` one of ``UR``.
* A line that is not a tag continues the value above it; in an abstract it starts a
  new paragraph. Text before the first record (publishers' ``Provider:`` headers) and
  between records is ignored; a tag line outside a record is an error.

Values are read as one line each (``exports.one_line``); the abstract keeps paragraphs.
An address that is not a web address (EndNote's ``internal-pdf://``) is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.exports import ET_AL_NOTE, display_name, one_line
from generator.model import Person, Record, Source
from generator.problems import Problem, errors
from generator.schema import DOI_PATTERN, UNSAFE_ADDRESS, URL_PATTERN
from generator.sources import read_export

# "TY  - JOUR"; also one space before the hyphen, and "ER  -" with nothing after it.
TAG_LINE = re.compile(r"(?P<tag>[A-Z][A-Z0-9]) {1,2}-(?: (?P<value>.*))?")
CUT_LIST_AUTHORS = {"et al.", "et al", "others", "...", "…"}
NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
FOUR_DIGIT_YEAR = re.compile(r"\s*(\d{4})(?!\d)")
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
BOOK_TYPES = {"BOOK", "EBOOK", "EDBOOK", "CHAP", "ECHAP"}
START_RECORD = "start each record with a 'TY  - ' line (for example 'TY  - JOUR')"


@dataclass
class _Entry:
    """The tag lines of one record, in order: ``tag -> [(value, line), ...]``."""

    line: int
    kind: str
    tags: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    last_tag: str | None = None

    def add(self, tag: str, value: str, line: int) -> None:
        self.tags.setdefault(tag, []).append((value, line))
        self.last_tag = tag

    def extend(self, text: str) -> None:
        """A line that is not a tag: the value above it goes on."""
        assert self.last_tag is not None
        values = self.tags[self.last_tag]
        value, line = values[-1]
        joiner = "\n\n" if self.last_tag in ("AB", "N2") else " "
        values[-1] = (f"{value}{joiner}{text}" if value else text, line)

    def first(self, *tags: str) -> tuple[str, int] | None:
        """The first non-empty value of the first tag present, with its line."""
        for tag in tags:
            for value, line in self.tags.get(tag, ()):
                if value.strip():
                    return value, line
        return None

    def all(self, *tags: str) -> list[tuple[str, int]]:
        """Every value of these tags, in the order of the file."""
        found = [pair for tag in tags for pair in self.tags.get(tag, ())]
        return sorted(found, key=lambda pair: pair[1])


def parse(text: str, display_path: str) -> tuple[list[Record], list[Problem]]:
    """Every record of an RIS text, and the problems of those that cannot be read."""
    records: list[Record] = []
    problems: list[Problem] = []
    entry: _Entry | None = None
    stray = False  # in a run of tag lines outside a record, already reported

    def finish() -> None:
        nonlocal entry
        if entry is not None:
            record, found = to_record(entry, display_path)
            problems.extend(found)
            if record is not None:
                records.append(record)
        entry = None

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = TAG_LINE.fullmatch(line)
        if match is None:
            if entry is not None and entry.last_tag is not None:
                entry.extend(line.strip())
            continue  # a header or a note between records
        tag, value = match["tag"], (match["value"] or "").strip()
        if tag == "TY":
            finish()
            entry, stray = _Entry(number, value.upper()), False
        elif tag == "ER":
            finish()
        elif entry is not None:
            entry.add(tag, value, number)
        elif not stray:
            stray = True
            problems.append(
                Problem(
                    display_path,
                    number,
                    f"'{tag}  - ' line outside a record (no 'TY  - ' line before it)",
                    START_RECORD,
                )
            )
    finish()
    return records, problems


def read_name(value: str) -> str:
    """``Family, Given`` as ``Given Family``; a name without a comma as written."""
    parts = [p.strip() for p in one_line(value).split(",")]
    if len(parts) == 2 and parts[1].lower() in NAME_SUFFIXES:
        return ", ".join(parts)  # "Martin Luther King, Jr." is written whole
    if len(parts) == 2:
        return display_name(parts[0], parts[1])
    if len(parts) == 3:
        return display_name(parts[0], parts[1], parts[2])
    return one_line(value)


def clean_doi(value: str) -> str:
    return DOI_PREFIX.sub("", one_line(value))


def to_record(entry: _Entry, path: str) -> tuple[Record | None, list[Problem]]:
    problems: list[Problem] = []

    def text(*tags: str) -> str | None:
        found = entry.first(*tags)
        return one_line(found[0]) if found else None

    title = text("TI", "T1", "CT")
    journal_tags = ["JF", "T2", "JO", "BT", "JA", "J2"]
    if title is None and entry.kind in BOOK_TYPES:
        title = text("BT")
        journal_tags.remove("BT")
    authors: list[str] = []
    et_al = any(one_line(v) == ET_AL_NOTE for v, _ in entry.all("N1"))
    for value, _ in entry.all("AU", "A1"):
        name = read_name(value)
        if name.lower() in CUT_LIST_AUTHORS:
            et_al = True
        elif name:
            authors.append(name)
    year = None
    for tag in ("PY", "Y1", "DA"):
        found = entry.first(tag)
        if found is None:
            continue
        match = FOUR_DIGIT_YEAR.match(found[0])
        if match:
            year = int(match[1])
            break
        if tag != "DA":  # EndNote's DA may hold only a month
            problems.append(
                Problem(
                    path,
                    found[1],
                    f"'{tag}  - {one_line(found[0])[:40]}' holds no four-digit year",
                    f"write the year, like '{tag}  - 2019', or delete the line if it is unknown",
                )
            )
            break
    start, end = text("SP"), text("EP")
    pages = f"{start}-{end}" if start and end and "-" not in start else start or None
    doi = None
    found = entry.first("DO")
    candidates = [found] if found else [pair for pair in entry.all("M3") if "10." in pair[0]]
    if candidates:
        value, line = candidates[0]
        doi = clean_doi(value)
        if not re.match(DOI_PATTERN, doi):
            if found:
                problems.append(
                    Problem(
                        path,
                        line,
                        f"'DO  - {doi[:60]}' is not a DOI",
                        "write it as 'DO  - 10.xxxx/yyyy', or delete the line",
                    )
                )
            doi = None
    url = next(
        (
            word
            for value, _ in entry.all("UR")
            for word in value.split()
            if re.match(URL_PATTERN, word)
        ),
        None,
    )
    for value, line in entry.all("UR"):
        for word in value.split():
            if UNSAFE_ADDRESS.match(word):
                problems.append(
                    Problem(
                        path,
                        line,
                        f"'UR  - {word[:40]}' is not a web address and was left out",
                        "check the record's address (it must start with https://)",
                        "warning",
                    )
                )
    abstract_found = entry.first("AB", "N2")
    abstract = _paragraphs(abstract_found[0]) if abstract_found else None
    if not title and not authors:
        problems.append(
            Problem(
                path,
                entry.line,
                "the record has neither a title (TI) nor authors (AU)",
                "add a 'TI  - ' or an 'AU  - ' line to it, or delete the record",
            )
        )
    if errors(problems):
        return None, problems
    record = Record(
        id="",
        title=title,
        authors=tuple(Person(a) for a in authors),
        et_al=et_al,
        year=year,
        journal=text(*journal_tags),
        volume=text("VL"),
        issue=text("IS", "CP"),
        pages=pages,
        doi=doi,
        url=url,
        abstract=abstract or None,
        source=Source(path, entry.line),
    )
    return record, problems  # warnings only


def _paragraphs(value: str) -> str:
    return "\n\n".join(one_line(p) for p in value.split("\n\n") if one_line(p))


def read(path: Path, display_path: str) -> tuple[list[Record], list[Problem]]:
    """Records of one RIS file and the problems found in it. Never raises."""
    return read_export(
        path,
        display_path,
        parse,
        ("no records found", "is this an RIS export? Each record starts with a 'TY  - ' line"),
    )
