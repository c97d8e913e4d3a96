"""A new record file from a few answers: ``python -m generator new``.

The values come from command-line flags, or from questions asked one by one in a
terminal. Each value is checked the way ``check`` will check it, the id is chosen like
the importer's (``tse-2019`` is taken, so ``tse-2019b``), the text is written by
``record_files.serialize``, and an existing file is never replaced. What is created
passes ``python -m generator check``; the abstract, themes and tags are left for the
contributor (themes and tags are assigned by the vocabulary's rules unless set).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from generator import record_files, schema
from generator.duplicates import DuplicateFinder
from generator.ids import fresh_ids
from generator.importer import write_new_files
from generator.model import Person, Record
from generator.problems import Problem
from generator.validate import display

# The single-line fields a new record can be given, in file order; authors are a list.
LINE_FIELDS = ("title", "year", "journal", "volume", "issue", "pages", "doi", "url")
DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)

# What the new file says after a field left empty: what to write there. (The
# importer's hints say the source lacked the value, which is not the case here.)
EMPTY_FIELD_HINTS = {
    "title": "the title, as published",
    "authors": "one '- Given Family' line per author, in published order",
    "year": "four digits, like 2021",
    "journal": "the journal or book it appeared in",
    "abstract": "write |- here and paste the abstract on the lines below, indented by two spaces",
}

QUESTIONS: dict[str, str] = {
    "title": "Title, as published",
    "year": "Year of publication (four digits)",
    "journal": "Journal or book",
    "volume": "Volume",
    "issue": "Issue",
    "pages": "Pages (like 146-162) or article number",
    "doi": "DOI (like 10.1176/appi.ps.202000441)",
    "url": "Web address (starting with https://)",
}


@dataclass(frozen=True)
class Answers:
    """What a contributor gave: text as typed, ``None`` for not given. Frozen: checked once."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    year: str | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None

    @classmethod
    def of(cls, values: Mapping[str, object]) -> Answers:
        def text(name: str) -> str | None:
            value = values.get(name)
            return str(value).strip() or None if value is not None else None

        authors = tuple(a.strip() for a in values.get("authors") or () if a and a.strip())
        return cls(authors=authors, **{name: text(name) for name in LINE_FIELDS})

    def is_empty(self) -> bool:
        return not self.authors and all(getattr(self, n) is None for n in LINE_FIELDS)


@dataclass(frozen=True)
class Created:
    path: Path
    record: Record


def normalize_doi(value: str) -> str:
    """A DOI as record files hold it: without https://doi.org/ or doi: in front."""
    return DOI_PREFIXES.sub("", value.strip())


def record_text(answers: Answers, record_id: str, schema_ref: str) -> str:
    """The text of the new record file."""
    record = Record(
        id=record_id,
        title=answers.title,
        authors=tuple(Person(name) for name in answers.authors),
        year=None,  # written as typed below, so a bad year reaches the check as typed
        journal=answers.journal,
        volume=answers.volume,
        issue=answers.issue,
        pages=answers.pages,
        doi=normalize_doi(answers.doi) if answers.doi else None,
        url=answers.url,
    )
    lines = record_files.serialize(record, schema_ref).splitlines(keepends=True)
    out: list[str] = []
    for line in lines:
        field = line.split(":", 1)[0]
        if field == "year" and answers.year is not None:
            line = f"year: {record_files.yaml_text(answers.year)}\n"
        elif field in EMPTY_FIELD_HINTS and re.match(rf"^{field}:(\s+#.*)?\n$", line):
            line = f"{field}:  # {EMPTY_FIELD_HINTS[field]}\n"
        out.append(line)
    return "".join(out)


def field_of_line(text: str, line: int) -> str:
    """The field a line of a record file belongs to (a list item belongs to its list)."""
    name = "record"
    for number, content in enumerate(text.splitlines(), start=1):
        if number > line:
            break
        match = re.match(r"^([a-z_]+):", content)
        if match:
            name = match[1]
    return name


def check_answers(
    answers: Answers, records_dir: Path, latest_year: int | None = None
) -> tuple[Record | None, list[tuple[str, str]]]:
    """The record the answers make, or ``(field, 'what is wrong; how to fix it')`` pairs.

    The answers are checked by the same reader as record files, on the very text
    that would be written, so nothing written can fail ``check``.
    """
    latest_year = record_files.this_year() + 1 if latest_year is None else latest_year
    if not answers.title and not answers.authors:
        return None, [
            ("title", "a new record needs a title or at least one author; give --title or --author")
        ]
    text = record_text(answers, "new-record", "record.schema.json")
    loaded, problems = record_files.parse_record(text, "new", "new-record", latest_year)
    if problems or loaded is None:
        return None, [
            (field_of_line(text, p.line), f"{p.message}; {p.fix}") for p in sorted(problems)
        ]
    record = loaded.record
    finder = DuplicateFinder()
    for path in record_files.record_paths(records_dir):
        existing, _ = record_files.load(path, display(path), latest_year)
        if existing is not None:
            finder.add(existing.record, display(path))
    earlier = finder.match(record)
    if earlier is not None:
        other, reason = earlier
        return None, [
            ("record", f"{other} holds this reading already ({reason}); edit that file instead")
        ]
    return record, []


def create(
    answers: Answers, records_dir: Path, schema_file: Path, latest_year: int | None = None
) -> tuple[Created | None, list[Problem]]:
    """Write the new record file; problems (and nothing written) when the answers are bad."""
    record, wrong = check_answers(answers, records_dir, latest_year)
    if record is None:
        where = display(records_dir)
        return None, [Problem(where, 0, f"--{field}: {text}", "nothing was written") for field, text in wrong]
    taken = [p.stem for p in record_files.record_paths(records_dir)]
    (record_id,) = fresh_ids([record], taken)
    schema_ref = Path(os.path.relpath(schema_file, records_dir)).as_posix()
    path = records_dir / f"{record_id}.yml"
    try:
        write_new_files({path: record_text(answers, record_id, schema_ref)})
    except OSError as error:
        reason = error.strerror or str(error)
        return None, [
            Problem(
                display(path),
                0,
                f"could not create the file ({reason})",
                "check the folder exists and is writable; nothing was written",
            )
        ]
    return Created(path, replace(record, id=record_id)), []


def ask_answers(ask: Callable[[str], str], say: Callable[[str], None]) -> Answers:
    """Ask for each value in turn; a value ``check`` would refuse is asked again."""
    say("A new reading. Press Enter to leave out what you do not know.")
    values: dict[str, object] = {}
    for name in ("title", "authors", *LINE_FIELDS[1:]):
        if name == "authors":
            say("Authors in published order, one per line as 'Given Family'; an empty line ends the list.")
            authors: list[str] = []
            while answer := ask(f"  Author {len(authors) + 1}: ").strip():
                authors.append(answer)
            values["authors"] = authors
            continue
        while True:
            values[name] = ask(f"{QUESTIONS[name]}: ")
            wrong = _problem_with(name, values[name])
            if wrong is None:
                break
            say(f"  {wrong}")
    return Answers.of(values)


def _problem_with(name: str, value: object) -> str | None:
    """What ``check`` would say about one answer alone (``None``: nothing)."""
    if not str(value).strip():
        return None
    answers = Answers.of({"title": "-", name: value})
    text = record_text(answers, "new-record", "record.schema.json")
    _, problems = record_files.parse_record(
        text, "new", "new-record", record_files.this_year() + 1
    )
    for problem in sorted(problems):
        if field_of_line(text, problem.line) == name:
            return f"{problem.message}; {problem.fix}"
    return None


def field_names() -> tuple[str, ...]:
    """The record fields a new record can be given (all are in ``schema.FIELDS``)."""
    names = ("title", "authors", *LINE_FIELDS[1:])
    assert set(names) <= set(schema.FIELD_NAMES)
    return names
