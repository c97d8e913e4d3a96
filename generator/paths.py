"""Reading paths: a trainer's ordered sequence of readings for a course.

A path is one YAML file in ``seeds/paths/`` (the folder beside the records folder),
named after its id::

    title: A first course on peer support work
    audience: New peer support workers in their first weeks of training
    introduction: |-
      Why these readings, in this order.
    readings:
      - record: adame-2008
        note: How to use this reading in a session.
        questions:
          - A question for discussion.

It is read as strictly as a record file (composed into nodes, never constructed), and
every mistake becomes a problem with its line and a fix; a reading that names no
record in the list is reported with the closest id. Each path becomes a page under
``paths/``, and each record page lists the paths it appears in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from markupsafe import Markup

from generator import schema
from generator.problems import Problem, errors
from generator.record_files import (
    MAX_RECORD_BYTES,
    NULLS,
    RECORD_SUFFIXES,
    RESERVED_IDS,
    _FileReader,
    compose_text,
    did_you_mean,
    is_plain,
    not_a_field_list,
    schema_id_hint,
)
from generator.textfile import decode
from generator.validate import display

if TYPE_CHECKING:
    from generator.render import Renderer
    from generator.settings import Settings

FOLDER = "paths"  # beside the records folder: seeds/records -> seeds/paths
PATH_FIELDS = ("title", "audience", "introduction", "readings")
READING_FIELDS = ("record", "note", "questions")
# Names people reach for, mapped to the field they meant.
ALIASES = {
    "name": "title",
    "heading": "title",
    "for": "audience",
    "audiences": "audience",
    "intro": "introduction",
    "description": "introduction",
    "summary": "introduction",
    "reading": "readings",
    "records": "readings",
    "items": "readings",
    "list": "readings",
    "id": "record",
    "paper": "record",
    "notes": "note",
    "comment": "note",
    "trainer_note": "note",
    "question": "questions",
    "discussion": "questions",
}
# More known ids than this, and a message lists none of them.
MAX_LISTED_IDS = 12


@dataclass(frozen=True)
class PathReading:
    """One step of a path: a record id, the trainer's note, questions for discussion."""

    record: str
    note: str
    questions: tuple[str, ...]
    line: int  # of the record id, for messages


@dataclass(frozen=True)
class ReadingPath:
    """A path as read from its file. Frozen: one path serves its page and record pages."""

    id: str
    title: str
    audience: str
    introduction: str
    readings: tuple[PathReading, ...]
    file: str  # as messages show it

    def paragraphs(self) -> list[str]:
        """The introduction's paragraphs (separated by a blank line in the file)."""
        return [p for p in (part.strip() for part in self.introduction.split("\n\n")) if p]


def folder(settings: Settings) -> Path:
    """Where a project's paths live: ``paths/`` beside its records folder."""
    return settings.records_dir.parent / FOLDER


def path_files(paths_dir: Path) -> list[Path]:
    if not paths_dir.is_dir():
        return []
    return sorted(
        (
            p
            for p in paths_dir.iterdir()
            if p.suffix in RECORD_SUFFIXES and not p.name.startswith(".")
        ),
        key=lambda p: p.name,
    )


def load_paths(paths_dir: Path) -> tuple[tuple[ReadingPath, ...], list[Problem]]:
    """Every path of a folder (none when it does not exist), and every problem in them.

    A path whose file has a problem is still returned when its readings could be read,
    so that ``reference_problems`` reports unknown records in the same run.
    """
    found: list[ReadingPath] = []
    problems: list[Problem] = []
    for file in path_files(paths_dir):
        path, file_problems = load(file, display(file))
        problems += file_problems
        if path is not None:
            found.append(path)
    return tuple(found), problems


def load(file: Path, shown: str) -> tuple[ReadingPath | None, list[Problem]]:
    """One path file. Bad input gives problems, never an exception."""
    try:
        if file.is_symlink():
            return None, [
                Problem(
                    shown, 1, "the path file is a symbolic link", "replace the link with the file"
                )
            ]
        size = file.stat().st_size
        if size > MAX_RECORD_BYTES:
            return None, [
                Problem(
                    shown,
                    1,
                    f"the file is {size / 1024 / 1024:.1f} MB; a path file is a few KB",
                    "keep only the path's fields in it",
                )
            ]
        data = file.read_bytes()
    except OSError as error:
        return None, [
            Problem(
                shown,
                1,
                f"cannot read the file ({error.strerror})",
                "check that it exists and is readable",
            )
        ]
    text, problems = decode(data, shown)
    if text is None:
        return None, problems
    return parse_path(text, shown, file.stem)


def parse_path(text: str, shown: str, path_id: str) -> tuple[ReadingPath | None, list[Problem]]:
    """A path from the text of its file, with every problem found in it."""
    root, problems, stopped = compose_text(text, shown)
    if stopped:
        return None, problems
    reader = _PathReader(shown)
    reader.problems += problems
    if not schema.ID_RE.match(path_id) or path_id in RESERVED_IDS:
        reader.problem(
            1,
            f"the file name '{path_id}' cannot name a page",
            f"rename the file to {schema_id_hint(path_id)}-path.yml"
            if path_id in RESERVED_IDS
            else f"rename the file to {schema_id_hint(path_id)}.yml (a-z, 0-9 and '-')",
        )
    not_fields = not_a_field_list(
        root, shown, "copy seeds/paths/first-course.yml and change its values"
    )
    if not_fields:
        return None, [*reader.problems, *not_fields]
    reader.visit(root, "path")
    fields = reader.mapping(root, PATH_FIELDS, "path", ALIASES)
    title = reader.required(fields, "title", "the path's title, as trainers will see it")
    audience = reader.required(fields, "audience", "who the path is for, in a few words")
    introduction = reader.required(
        fields, "introduction", "a few sentences: what the path is for", multiline=True
    )
    readings = reader.readings(fields)
    path = ReadingPath(path_id, title or "", audience or "", introduction or "", readings, shown)
    return path, reader.problems


class _PathReader(_FileReader):
    """Reads one path file's nodes, collecting every problem (see record_files)."""

    def __init__(self, display_path: str) -> None:
        super().__init__(display_path, latest_year=0)

    def required(
        self, fields: dict[str, yaml.Node], name: str, what: str, *, multiline: bool = False
    ) -> str | None:
        if name not in fields:
            self.problem(1, f"the field '{name}' is missing", f"add '{name}:' with {what}")
            return None
        before = len(self.problems)
        value = self.scalar(fields[name], name, multiline=multiline)
        if value is None and len(self.problems) == before:
            self.problem(fields[name], f"'{name}' is empty", f"write {what}")
        return value

    def readings(self, fields: dict[str, yaml.Node]) -> tuple[PathReading, ...]:
        if "readings" not in fields:
            self.problem(
                1,
                "the field 'readings' is missing",
                "add 'readings:' and under it one '- record: id' group per reading",
            )
            return ()
        items = self.items(fields["readings"], "readings")
        if not items and not self.problems:
            self.problem(
                fields["readings"],
                "'readings' lists no reading",
                "add one '- record: id' group per reading, in the order to read them",
            )
        found: list[PathReading] = []
        first_line: dict[str, int] = {}
        for item in items:
            if not self.visit(item, "readings"):
                continue
            if not isinstance(item, yaml.MappingNode):
                self.problem(
                    item,
                    "each reading should be a group of fields starting with '- record:'",
                    "write '- record: id', then 'note:' and 'questions:' indented under it",
                )
                continue
            reading = self.reading(item)
            if reading is None:
                continue
            if reading.record in first_line:
                self.problem(
                    reading.line,
                    f"record '{reading.record}' is already in this path (line {first_line[reading.record]})",
                    "keep it once, where it fits the order best",
                )
                continue
            first_line[reading.record] = reading.line
            found.append(reading)
        return tuple(found)

    def reading(self, node: yaml.MappingNode) -> PathReading | None:
        fields = self.mapping(node, READING_FIELDS, "a reading", ALIASES)
        line = node.start_mark.line + 1
        if "record" not in fields:
            self.problem(
                line,
                "a reading has no 'record'",
                "add 'record: id' with the id of a record file (its name without .yml)",
            )
            return None
        record_id = self.scalar(fields["record"], "record")
        line = fields["record"].start_mark.line + 1
        if record_id is None:
            self.problem(line, "'record' is empty", "write the id of a record file, like tse-2019")
            return None
        if not schema.ID_RE.match(record_id):
            self.problem(
                line,
                f"'{record_id}' is not a record id",
                f"write the record file's name without .yml, like '{schema_id_hint(record_id)}'",
            )
            return None
        note = None
        if "note" not in fields:
            self.problem(
                line,
                f"the reading '{record_id}' has no 'note'",
                "add 'note:' with a few sentences on how to use the reading in a session",
            )
        else:
            note = self.scalar(fields["note"], "note", multiline=True)
        questions: list[str] = []
        if "questions" in fields:
            node_ = fields["questions"]
            if isinstance(node_, yaml.ScalarNode) and is_plain(node_) and node_.value in NULLS:
                self.visit(node_, "questions")
            else:
                for item in self.items(node_, "questions"):
                    text = self.scalar(item, "questions", multiline=True)
                    if text is not None:
                        questions.append(text)
        if note is None:
            return None
        return PathReading(record_id, note, tuple(questions), line)


def reference_problems(paths: Iterable[ReadingPath], record_ids: Iterable[str]) -> list[Problem]:
    """Readings that name a record the list does not hold, with the closest id."""
    known = sorted(set(record_ids))
    problems: list[Problem] = []
    for path in paths:
        for reading in path.readings:
            if reading.record in known:
                continue
            hint = did_you_mean(reading.record, known, {}) if known else ""
            if not hint or (hint.startswith("known values") and len(known) > MAX_LISTED_IDS):
                hint = "use the id of a record file in seeds/records/ (its name without .yml)"
            problems.append(
                Problem(path.file, reading.line, f"unknown record '{reading.record}'", hint)
            )
    return problems


def check(
    settings: Settings, record_ids: Iterable[str]
) -> tuple[tuple[ReadingPath, ...], list[Problem]]:
    """The project's paths that can be built, and every problem in any path file."""
    paths, problems = load_paths(folder(settings))
    problems = sorted(set(problems + reference_problems(paths, record_ids)))
    broken = {p.path for p in errors(problems)}
    return tuple(p for p in paths if p.file not in broken), problems


# -- pages ---------------------------------------------------------------------------


def positions(paths: Iterable[ReadingPath], record_id: str) -> list[tuple[ReadingPath, int]]:
    """The paths a record is in, with its place (1-based) in each, in path order."""
    return [
        (path, number)
        for path in paths
        for number, reading in enumerate(path.readings, start=1)
        if reading.record == record_id
    ]


def page_path(path_id: str) -> str:
    return f"{FOLDER}/{path_id}.md"


def pages(renderer: Renderer, paths: tuple[ReadingPath, ...]) -> dict[str, str]:
    """The paths index (always, so the navigation entry has a page) and one page a path."""
    out = {
        f"{FOLDER}/index.md": renderer.render(
            "paths_index.md.j2", f"{FOLDER}/index.md", paths=paths
        )
    }
    settings = renderer.settings
    for path in paths:
        edit = settings.edit_url(settings.repo_path(Path(path.file)))
        out[page_path(path.id)] = renderer.render(
            "path.md.j2",
            page_path(path.id),
            reading_path=path,
            path_edit=Markup(edit) if edit else None,  # a link from the settings, not text
            site_url=settings.site_url,
        )
    return out
