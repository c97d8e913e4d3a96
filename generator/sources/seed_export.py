"""Reader for the citation database's plain-text export (the files in ``seeds/*.txt``).

A record is a run of lines, each part optional, in this order::

    Title line (first record of a file only)
    2019 ◽
    Vol 19 (1) ◽
    pp. 146-162 ◽
    Author(s):
    Samson Tse ◽
    ...                      (the list was cut: et al.)

    The abstract, as one long line.

Lines end in ``◽`` and a no-break space; records are not always separated by blank
lines. A part that comes no later in that order than what the current record already
has starts the next record, so a year line right after the last author begins one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from generator.model import Person, Record, Source
from generator.problems import Problem
from generator.sources import read_export

# The order parts appear in within a record.
TITLE, YEAR, VOLUME, PAGES, AUTHORS, ABSTRACT = range(6)

YEAR_LINE = re.compile(r"(?P<year>\d{4})")
# "Vol 19 (1)", "Vol. 197 (S53)", "Vol 29 (9-10)"; a volume holds a digit, so a title
# "Volunteering (…)" or an author "Volkan" is not read as one.
VOLUME_LINE = re.compile(
    r"Vol(?:\.\s*|\s+)(?P<volume>[^\s()]*\d[^\s()]*)\s*(?:\((?P<issue>[^()]*)\))?"
)
PAGES_LINE = re.compile(r"pp?\.\s*(?P<pages>\S.*)")
AUTHORS_LINE = re.compile(r"Author\(s\)\s*:?")
CUT_AUTHOR_LIST = {"...", "…"}
PAGE_FURNITURE = {"Sign in / Sign up", "Export Citation Format", "Share Document"}
# A leading "Abstract" label, with or without a space ("AbstractThe current study").
ABSTRACT_LABEL = re.compile(r"Abstract\s*[:.\u2013\u2014-]?\s*(?=[A-Z0-9])")
LINE_END_MARKS = "\u25fd\u00a0 \t"
LONGEST_AUTHOR_LINE = 100


@dataclass
class _Draft:
    """A record being read; becomes a frozen ``Record`` when the next one starts."""

    line: int
    last_part: int = -1
    title: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    authors: list[str] = field(default_factory=list)
    et_al: bool = False
    abstract: str | None = None

    def to_record(self, source_file: str) -> Record:
        return Record(
            id="",
            title=self.title,
            authors=tuple(Person(name) for name in self.authors),
            et_al=self.et_al,
            year=self.year,
            volume=self.volume,
            issue=self.issue,
            pages=self.pages,
            abstract=strip_abstract_label(self.abstract) if self.abstract else None,
            source=Source(source_file, self.line),
        )


def strip_abstract_label(text: str) -> str:
    """Remove a leading ``Abstract`` label; the rest of the text stays verbatim."""
    return ABSTRACT_LABEL.sub("", text, count=1) if ABSTRACT_LABEL.match(text) else text


def clean_line(raw: str) -> str:
    return raw.strip().rstrip(LINE_END_MARKS).strip()


def classify(line: str) -> tuple[int | None, re.Match[str] | None]:
    """The record part a line holds (YEAR, VOLUME, PAGES, AUTHORS) or ``None`` for text."""
    for part, pattern in ((YEAR, YEAR_LINE), (VOLUME, VOLUME_LINE), (PAGES, PAGES_LINE)):
        match = pattern.fullmatch(line)
        if match:
            return part, match
    if AUTHORS_LINE.fullmatch(line):
        return AUTHORS, None
    return None, None


def parse(text: str, source_file: str) -> list[Record]:
    """Every record in an export's text, in order. Never raises."""
    lines = [clean_line(raw) for raw in text.split("\n")]
    records: list[Record] = []
    draft: _Draft | None = None
    in_author_list = False

    def finish() -> None:
        nonlocal draft
        if draft is not None:
            records.append(draft.to_record(source_file))
        draft = None

    def next_part_after(index: int) -> int | None:
        for line in lines[index + 1 :]:
            if line and line not in PAGE_FURNITURE:
                return classify(line)[0] if classify(line)[0] is not None else ABSTRACT
        return None

    for index, line in enumerate(lines):
        number = index + 1
        if not line:
            in_author_list = False
            continue
        if line in PAGE_FURNITURE:
            in_author_list = False
            continue
        part, match = classify(line)
        if part is not None:
            in_author_list = False
            if draft is None or draft.last_part >= part:
                finish()
                draft = _Draft(line=number)
            draft.last_part = part
            if part == YEAR:
                draft.year = int(match["year"])
            elif part == VOLUME:
                draft.volume = match["volume"]
                draft.issue = (match["issue"] or "").strip() or None
            elif part == PAGES:
                draft.pages = match["pages"].strip()
            else:
                in_author_list = True
            continue
        if in_author_list and draft is not None and len(line) <= LONGEST_AUTHOR_LINE:
            if line in CUT_AUTHOR_LIST:
                draft.et_al = True
            else:
                draft.authors.append(line)
            continue
        in_author_list = False
        # A text line: a title, a title's continuation, an abstract or its next paragraph.
        if draft is not None and draft.last_part == TITLE:
            draft.title = f"{draft.title} {line}"
        elif draft is not None and TITLE < draft.last_part < ABSTRACT:
            draft.abstract = line
            draft.last_part = ABSTRACT
        elif (
            draft is not None
            and draft.last_part == ABSTRACT
            and next_part_after(index)
            in (
                None,
                ABSTRACT,
            )
        ):
            draft.abstract = f"{draft.abstract}\n\n{line}"
        else:
            finish()
            draft = _Draft(line=number, title=line, last_part=TITLE)
    finish()
    return records


def read(path: Path, display_path: str) -> tuple[list[Record], list[Problem]]:
    """Records of one export file, or the problems that stopped it being read."""
    return read_export(
        path,
        display_path,
        lambda text, shown: (parse(text, shown), []),
        (
            "no records found",
            "is this an export from the citation database? Records start with a year, "
            "'Vol', 'pp.' or 'Author(s):' line",
        ),
    )
