"""A new record file from a few answers: ``python -m generator new``.

The values come from command-line flags, or from questions asked one by one in a
terminal. Each value is checked by the same reader ``check`` uses, on the very text that
will be written; the id is chosen like the importer's (``tse-2019`` is taken, so
``tse-2019b``); the text comes from ``record_files.serialize``; an existing file is
never replaced. So what is created passes ``python -m generator check``. The abstract
is left for the contributor to paste; themes and tags are assigned by the vocabulary's
rules unless the contributor sets them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import record_files
from generator.duplicates import DuplicateFinder
from generator.ids import fresh_ids
from generator.importer import write_new_files
from generator.model import Person, Record
from generator.validate import display

# The fields a new record can be given, in file order. All but authors are one line.
FIELDS = ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "url")
LINE_FIELDS = tuple(f for f in FIELDS if f != "authors")
FLAGS = {name: "--author" if name == "authors" else f"--{name}" for name in FIELDS}
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
PLACEHOLDER_ID = "new-record"

# The comment after a field left empty: what to write there. (serialize's own hints
# say the imported source lacked the value, which is not so for a new record.)
EMPTY_FIELD_HINTS = {
    "title": "the title, as published",
    "authors": "one '- Given Family' line per author, in published order",
    "year": "four digits, like 2021",
    "journal": "the journal or book it appeared in",
    "abstract": "write |- after the colon and paste the abstract on the lines below, indented by two spaces",
}

QUESTIONS = {
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
    """What a contributor gave, as typed; ``None`` when not given. Frozen: checked once."""

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
        """Answers from flags or prompts: blanks dropped, a DOI without its https://doi.org/."""

        def text(name: str) -> str | None:
            value = values.get(name)
            return (str(value).strip() or None) if value is not None else None

        given = {name: text(name) for name in LINE_FIELDS}
        if given["doi"]:
            given["doi"] = DOI_PREFIX.sub("", given["doi"]) or None
        listed = values.get("authors")
        names = [str(a).strip() for a in listed] if isinstance(listed, list | tuple) else []
        return cls(authors=tuple(n for n in names if n), **given)

    def is_empty(self) -> bool:
        return not self.authors and all(getattr(self, name) is None for name in LINE_FIELDS)


@dataclass(frozen=True)
class Outcome:
    """The file written, or why nothing was: ``--flag: what is wrong; how to fix it``."""

    path: Path | None
    record_id: str | None
    problems: tuple[str, ...]


def record_text(answers: Answers, record_id: str, schema_ref: str) -> str:
    """The text of the new record file, as ``serialize`` writes it."""
    record = Record(
        id=record_id,
        title=answers.title,
        authors=tuple(Person(name) for name in answers.authors),
        # The year goes in as typed (below), so a bad one reaches the reader as typed.
        year=None,
        journal=answers.journal,
        volume=answers.volume,
        issue=answers.issue,
        pages=answers.pages,
        doi=answers.doi,
        url=answers.url,
        added=record_files.today(),
    )
    out: list[str] = []
    for line in record_files.serialize(record, schema_ref).splitlines(keepends=True):
        field = line.split(":", 1)[0]
        if field == "year" and answers.year is not None:
            year = answers.year
            line = f"year: {year if year.isascii() and year.isdigit() else record_files.yaml_text(year)}\n"
        elif field in EMPTY_FIELD_HINTS and not getattr(answers, field, None):
            line = f"{field}:  # {EMPTY_FIELD_HINTS[field]}\n"
        out.append(line)
    return "".join(out)


def field_at(text: str, line: int) -> str:
    """The field a line of a record file belongs to (a list item, to its list)."""
    field = ""
    for number, content in enumerate(text.splitlines(), start=1):
        if number > line:
            break
        if match := re.match(r"([a-z_]+):", content):
            field = match[1]
    return field


def problems_with(answers: Answers, latest_year: int) -> list[tuple[str, str]]:
    """``(field, 'what is wrong; how to fix it')`` for each answer ``check`` would refuse."""
    text = record_text(answers, PLACEHOLDER_ID, "record.schema.json")
    _, problems = record_files.parse_record(text, "new", PLACEHOLDER_ID, latest_year)
    return [(field_at(text, p.line), f"{p.message}; {p.fix}") for p in sorted(problems)]


def create(
    answers: Answers, records_dir: Path, schema_file: Path, latest_year: int | None = None
) -> Outcome:
    """Write the new record file, or say what to change; nothing is written then."""
    latest_year = record_files.this_year() + 1 if latest_year is None else latest_year
    if not answers.title and not answers.authors:
        return Outcome(
            None, None, ("give --title or --author: a record needs at least one of them",)
        )
    wrong = problems_with(answers, latest_year)
    if wrong:
        return Outcome(None, None, tuple(f"{FLAGS.get(f, '--' + f)}: {text}" for f, text in wrong))
    text = record_text(answers, PLACEHOLDER_ID, "record.schema.json")
    loaded, _ = record_files.parse_record(text, "new", PLACEHOLDER_ID, latest_year)
    assert loaded is not None  # no problems, so it loaded
    paths = record_files.record_paths(records_dir)
    finder = DuplicateFinder()
    for path in paths:
        existing, _ = record_files.load(path, display(path), latest_year)
        if existing is not None:
            finder.add(existing.record, display(path))
    earlier = finder.match(loaded.record)
    if earlier is not None:
        other, reason = earlier
        return Outcome(
            None, None, (f"{other} holds this reading already ({reason}); edit that file instead",)
        )
    (record_id,) = fresh_ids([loaded.record], [p.stem for p in paths])
    schema_ref = Path(os.path.relpath(schema_file, records_dir)).as_posix()
    path = records_dir / f"{record_id}.yml"
    try:
        write_new_files({path: record_text(answers, record_id, schema_ref)})
    except OSError as error:
        reason = error.strerror or str(error)
        return Outcome(
            None, None, (f"cannot create {display(path)} ({reason}); check the folder is writable",)
        )
    return Outcome(path, record_id, ())


def ask(
    prompt: Callable[[str], str], say: Callable[[str], None], latest_year: int | None = None
) -> Answers:
    """Ask for each value in turn; an answer ``check`` would refuse is asked again."""
    latest_year = record_files.this_year() + 1 if latest_year is None else latest_year
    say("A new reading. Press Enter to leave out what you do not know.")
    values: dict[str, object] = {}
    for name in FIELDS:
        if name == "authors":
            say(
                "Authors in published order, one per line as 'Given Family'; an empty line ends the list."
            )
            authors: list[str] = []
            while answer := prompt(f"  Author {len(authors) + 1}: ").strip():
                authors.append(answer)
            values["authors"] = authors
            continue
        while True:
            values[name] = prompt(f"{QUESTIONS[name]}: ")
            # Checked with a stand-in title, so only this answer can be wrong.
            alone = Answers.of({"title": "Stand-in", name: values[name]})
            wrong = [text for field, text in problems_with(alone, latest_year) if field == name]
            if not wrong:
                break
            say(f"  {wrong[0]}")
    return Answers.of(values)
