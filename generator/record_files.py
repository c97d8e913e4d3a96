"""Record files: one YAML file per record, read strictly and written readably.

Reading composes the YAML into nodes without constructing any Python value, so no tag
can run code, no alias can multiply, and YAML 1.1 implicit typing (``NO`` -> false,
``3.10`` -> 3.1, ``1:20`` -> 80, ``2020-02-30`` -> a date) never happens: every scalar
arrives as the text that was typed, with its line, and ``schema.FIELDS`` decides what
each field accepts.
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator import schema
from generator.model import Person, Record, Source
from generator.parse_cache import ParseCache, file_key
from generator.problems import Problem
from generator.textfile import decode

RECORD_SUFFIXES = (".yml", ".yaml")
MAX_RECORD_BYTES = 1024 * 1024
STR, SEQ, MAP = ("tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map")
NULLS = {"", "~", "null", "Null", "NULL"}
TRUE, FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# The characters the checks below report: control characters (Unicode category Cc,
# fixed by Unicode's stability policy) but tab and line feed, and in a value the bidi
# controls, in a file the line and paragraph separators (Zl, Zp). Searching for them runs
# in C, so the character by character checks, which name the character and its line,
# run only on a text that has one: with 10,000 records they had taken seconds.
# test_record_files checks both sets against every code point.
_CONTROLS_BUT_TAB_AND_LF = "\x00-\x08\x0b-\x1f\x7f-\x9f"
MAYBE_INVISIBLE_IN_VALUE = re.compile(
    f"[{_CONTROLS_BUT_TAB_AND_LF}{''.join(sorted(BIDI_CONTROLS))}]"
)
MAYBE_INVISIBLE_IN_FILE = re.compile(f"[{_CONTROLS_BUT_TAB_AND_LF}\u2028\u2029]")
# Names that cannot be files on Windows, or that collide with generated pages.
RESERVED_IDS = {"con", "prn", "aux", "nul", "index"} | {
    f"{d}{n}" for d in ("com", "lpt") for n in range(10)
}
_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass(frozen=True)
class LoadedRecord:
    """A record with the file it came from and the line of each field, for messages."""

    record: Record
    path: str
    lines: tuple[tuple[str, int], ...]

    def line_of(self, field: str) -> int:
        return dict(self.lines).get(field, 1)


def record_paths(records_dir: Path) -> list[Path]:
    """The record files of a folder, in a stable order."""
    if not records_dir.is_dir():
        return []
    return sorted(
        (
            p
            for p in records_dir.iterdir()
            if p.suffix in RECORD_SUFFIXES and not p.name.startswith(".")
        ),
        key=lambda p: p.name,
    )


def this_year() -> int:
    """The current year, from SOURCE_DATE_EPOCH when set, so checks can be reproduced."""
    import time

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return time.gmtime(int(epoch) if epoch and epoch.isdigit() else None).tm_year


def today() -> str:
    """Today as YYYY-MM-DD (UTC), from SOURCE_DATE_EPOCH when set: the ``added`` date."""
    import time

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return time.strftime("%Y-%m-%d", time.gmtime(int(epoch) if epoch and epoch.isdigit() else None))


class _FileReader:
    """Turns one record file's node tree into a record, collecting every problem."""

    def __init__(self, display_path: str, latest_year: int, file_stem: str | None = None) -> None:
        self.path = display_path
        self.file_stem = file_stem
        self.latest_year = latest_year
        self.problems: list[Problem] = []
        self.seen_nodes: set[int] = set()

    def problem(self, node_or_line: yaml.Node | int, message: str, fix: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.start_mark.line + 1
        self.problems.append(Problem(self.path, line, message, fix))

    def visit(self, node: yaml.Node, field: str) -> bool:
        """Refuse aliases and explicit tags; True when the node may be read."""
        if id(node) in self.seen_nodes:
            self.problem(
                node,
                f"'{field}' reuses a value with a YAML alias (*)",
                "write the value out in full; anchors and aliases are not allowed",
            )
            return False
        self.seen_nodes.add(id(node))
        if node.tag not in (STR, SEQ, MAP):
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(
                node,
                f"'{field}' has a YAML tag '{tag}'",
                "remove the tag; record files hold plain text only",
            )
            return False
        return True

    # -- scalars ---------------------------------------------------------------

    def scalar(self, node: yaml.Node, field: str, *, multiline: bool = False) -> str | None:
        """The text of a scalar value; ``None`` when empty or null."""
        if not self.visit(node, field):
            return None
        if not isinstance(node, yaml.ScalarNode):
            shape = "a list" if isinstance(node, yaml.SequenceNode) else "a group of fields"
            self.problem(
                node,
                f"'{field}' should be a single value, not {shape}",
                f"write it on one line after '{field}:'",
            )
            return None
        value = node.value
        if is_plain(node) and value in NULLS:
            return None
        self.check_characters(node, field, value, multiline)
        text = value.strip() if not multiline else value.strip("\n ")
        if not text:
            required = field in schema.BY_NAME and schema.BY_NAME[field].required
            fix = "write a value" if required else f"write a value, or delete the '{field}' line"
            if field == "id" and self.file_stem and schema.ID_RE.match(self.file_stem):
                fix = f"write 'id: {self.file_stem}' (the file name without .yml)"
            self.problem(node, f"'{field}' is empty", fix)
            return None
        if not multiline and "\n" in text:
            self.problem(node, f"'{field}' runs over several lines", "write it on one line")
        return text

    def check_characters(
        self, node: yaml.ScalarNode, field: str, value: str, multiline: bool
    ) -> None:
        if not MAYBE_INVISIBLE_IN_VALUE.search(value):
            return
        for position, char in enumerate(value):
            allowed = char in "\n\t" if multiline else char == "\t"
            if (
                unicodedata.category(char) == "Cc" and not allowed and char != "\n"
            ) or char in BIDI_CONTROLS:
                line = node.start_mark.line + 1
                if node.style in ("|", ">"):
                    line += 1 + value.count("\n", 0, position)
                name = unicodedata.name(char, "control character")
                self.problem(
                    line,
                    f"'{field}' contains an invisible character U+{ord(char):04X} ({name})",
                    "delete it (retype the text around it if you cannot see it)",
                )
                return

    def flag(self, node: yaml.Node, field: str) -> bool:
        value = self.scalar(node, field)
        if value is None or value in FALSE:
            return False
        if value in TRUE:
            return True
        self.problem(node, f"'{field}' must be true or false, not '{value}'", "write true or false")
        return False

    def year(self, node: yaml.Node) -> int | None:
        value = self.scalar(node, "year")
        if value is None:
            return None
        if not (value.isascii() and value.isdigit() and len(value) == 4):
            self.problem(
                node,
                f"year '{value}' is not a four-digit year",
                "write only the year, like 2019, or leave it empty if unknown",
            )
            return None
        year = int(value)
        if not 1900 <= year <= self.latest_year:
            self.problem(
                node,
                f"year {year} is outside 1900..{self.latest_year}",
                "check the year of publication",
            )
            return None
        return year

    def date(self, node: yaml.Node, field: str) -> str | None:
        """A YYYY-MM-DD date that exists, no later than the last day of ``latest_year``."""
        value = self.scalar(node, field)
        if value is None:
            return None
        try:
            day = (
                datetime.date.fromisoformat(value) if re.match(schema.DATE_PATTERN, value) else None
            )
        except ValueError:
            self.problem(node, f"{field} '{value}' is not a real date", "check the month and day")
            return None
        if day is None:
            self.problem(
                node,
                f"{field} '{value}' is not a date written YYYY-MM-DD",
                "write it like 2026-01-31",
            )
            return None
        if not 1900 <= day.year <= self.latest_year:
            self.problem(
                node,
                f"{field} {value} is outside 1900..{self.latest_year}",
                "write the day the reading was added to the list",
            )
            return None
        return value

    # -- collections -----------------------------------------------------------

    def items(self, node: yaml.Node, field: str) -> list[yaml.Node]:
        if not self.visit(node, field):
            return []
        if isinstance(node, yaml.ScalarNode):
            if is_plain(node) and node.value in NULLS:
                return []
            self.problem(
                node,
                f"'{field}' should be a list",
                f"put each entry on its own line, starting with '- ', under '{field}:'",
            )
            return []
        if isinstance(node, yaml.MappingNode):
            self.problem(
                node,
                f"'{field}' should be a list, not a group of fields",
                "put each entry on its own line, starting with '- '",
            )
            return []
        return list(node.value)

    def people(self, node: yaml.Node) -> tuple[Person, ...]:
        names = [self.scalar(item, "authors") for item in self.items(node, "authors")]
        return tuple(Person(n) for n in names if n)

    def terms(self, node: yaml.Node, field: str) -> tuple[str, ...] | None:
        if isinstance(node, yaml.ScalarNode) and is_plain(node) and node.value in NULLS:
            self.visit(node, field)
            return None
        values: list[str] = []
        for item in self.items(node, field):
            value = self.scalar(item, field)
            if value is None:
                continue
            if not schema.ID_RE.match(value):
                self.problem(
                    item,
                    f"'{value}' is not a {field[:-1]} id",
                    "use the lower-case id from the vocabulary, with '-' between words",
                )
            elif value in values:
                self.problem(item, f"{field[:-1]} '{value}' is listed twice", "delete one of them")
            else:
                values.append(value)
        return tuple(values)

    def source(self, node: yaml.Node) -> Source | None:
        if not self.visit(node, "source"):
            return None
        if isinstance(node, yaml.ScalarNode) and is_plain(node) and node.value in NULLS:
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(
                node,
                "'source' should hold 'file:' and 'line:'",
                "leave 'source' as the importer wrote it, or delete it",
            )
            return None
        fields = self.mapping(node, ("file", "line"), "source")
        file = self.scalar(fields["file"], "source file") if "file" in fields else None
        line = self.scalar(fields["line"], "source line") if "line" in fields else None
        if file is None or line is None or not line.isdigit():
            self.problem(
                node,
                "'source' needs a 'file:' and a whole-number 'line:'",
                "leave 'source' as the importer wrote it, or delete it",
            )
            return None
        return Source(file, int(line))

    def mapping(
        self,
        node: yaml.MappingNode,
        known: Iterable[str],
        where: str,
        aliases: dict[str, str] | None = None,
    ) -> dict[str, yaml.Node]:
        """Fields of a mapping by name; duplicate and unknown names become problems.

        ``aliases`` maps names people reach for to the right one, for the did-you-mean.
        """
        known = tuple(known)
        fields: dict[str, yaml.Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not self.visit(key_node, "field name") or not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "a field name must be plain text", "write 'name: value'")
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_line:
                self.problem(
                    line,
                    f"'{key}' appears twice (first on line {first_line[key]})",
                    "keep one of them and delete the other",
                )
                continue
            first_line[key] = line
            if key not in known:
                self.problem(
                    line,
                    f"unknown field '{key}'{' in ' + where if where != 'record' else ''}",
                    did_you_mean(key, known, aliases),
                )
                continue
            fields[key] = value_node
        return fields


MAX_DEPTH = 8
_DEFAULT_TAGS = {yaml.ScalarEvent: STR, yaml.SequenceStartEvent: SEQ, yaml.MappingStartEvent: MAP}


def control_character_problems(text: str, path: str) -> list[Problem]:
    """Raw control characters (YAML itself refuses them), named with their field and line."""
    found: list[Problem] = []
    if not MAYBE_INVISIBLE_IN_FILE.search(text):
        return found
    field = "record"
    for number, line in enumerate(text.split("\n"), start=1):
        key = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if key:
            field = key[1]
        for char in line:
            # Cc: control characters; Zl/Zp: line and paragraph separators, which YAML
            # would read as line breaks inside a value.
            if unicodedata.category(char) in ("Cc", "Zl", "Zp") and char != "\t":
                name = unicodedata.name(char, "control character")
                found.append(
                    Problem(
                        path,
                        number,
                        f"'{field}' contains an invisible character U+{ord(char):04X} ({name})",
                        "delete it (retype the text around it if you cannot see it)",
                    )
                )
                break
    return found


def compose(text: str, path: str) -> tuple[yaml.Node | None, list[Problem], bool]:
    """The node tree of a one-document YAML text, built from parser events.

    Used instead of ``yaml.compose``: libyaml's composer recurses in C and crashes on
    tens of thousands of nested brackets, and resolves an alias to the anchored node,
    so its line is lost. Here nesting stops at ``MAX_DEPTH`` and each alias is reported
    where it is written and replaced by an empty value, so the rest can still be checked.
    Returns the root node, the problems, and whether they stopped the reading. Raises
    ``yaml.YAMLError`` on a syntax error.
    """
    problems: list[Problem] = []
    stack: list[yaml.Node] = []
    root: yaml.Node | None = None
    documents = 0

    def field_name() -> str:
        """The innermost field whose value is being read, for messages."""
        for depth in range(len(stack) - 1, -1, -1):
            node = stack[depth]
            if isinstance(node, yaml.MappingNode):
                inner = stack[depth + 1] if depth + 1 < len(stack) else None
                if not node.value or node.value[-1][1] not in (None, inner):
                    return "field name"  # at a key's position
                key = node.value[-1][0]
                return key.value if isinstance(key, yaml.ScalarNode) else "field"
        return "record"

    def add(node: yaml.Node) -> None:
        nonlocal root
        if not stack:
            root = node
        elif isinstance(stack[-1], yaml.SequenceNode):
            stack[-1].value.append(node)
        else:
            pending = stack[-1].value
            if pending and pending[-1][1] is None:
                pending[-1] = (pending[-1][0], node)
            else:
                pending.append((node, None))

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                problems.append(
                    Problem(
                        path,
                        event.start_mark.line + 1,
                        "a second YAML document starts here ('---')",
                        "a record file holds one record: delete this line and what follows, or move it to its own file",
                    )
                )
                return root, problems, True
        elif isinstance(event, yaml.AliasEvent):
            problems.append(
                Problem(
                    path,
                    event.start_mark.line + 1,
                    f"'{field_name()}' reuses a value with a YAML alias (*)",
                    "write the value out in full; anchors and aliases are not allowed",
                )
            )
            # An empty placeholder keeps keys and values paired; it reads as "no value".
            add(yaml.ScalarNode(STR, "", event.start_mark, event.end_mark, style=None))
        elif isinstance(event, yaml.ScalarEvent):
            tag = event.tag if event.tag not in (None, "!") else STR
            node = yaml.ScalarNode(
                tag, event.value, event.start_mark, event.end_mark, style=event.style
            )
            add(node)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) >= MAX_DEPTH:
                problems.append(
                    Problem(
                        path,
                        event.start_mark.line + 1,
                        "the file is nested too deeply",
                        "remove the extra brackets or indentation",
                    )
                )
                return root, problems, True
            kind = (
                yaml.SequenceNode
                if isinstance(event, yaml.SequenceStartEvent)
                else yaml.MappingNode
            )
            tag = event.tag if event.tag not in (None, "!") else _DEFAULT_TAGS[type(event)]
            node = kind(tag, [], event.start_mark, event.end_mark, flow_style=event.flow_style)
            add(node)
            stack.append(node)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()
    return root, problems, False


def compose_text(text: str, path: str) -> tuple[yaml.Node | None, list[Problem], bool]:
    """``compose`` with every way YAML text can fail turned into problems.

    Shared by record files and the vocabulary files. Returns the root node, the
    problems, and whether they stopped the reading (then the root is not usable).
    """
    invisible = control_character_problems(text, path)
    if invisible:
        return None, invisible, True
    try:
        return compose(text, path)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        fix = (
            "check the indentation and the ': ' after each field name; put a value holding "
            "': ' or starting with a special character in quotes"
        )
        return (
            None,
            [Problem(path, line, f"YAML syntax error: {error.problem or 'syntax error'}", fix)],
            True,
        )
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0] if str(error) else "syntax error"
        return (
            None,
            [Problem(path, 1, f"YAML syntax error: {first_line}", "check the file's structure")],
            True,
        )


def not_a_field_list(root: yaml.Node | None, path: str, fix: str) -> list[Problem]:
    """The problem when a file's top level is not ``field: value`` lines (or is empty)."""
    if root is None or (isinstance(root, yaml.ScalarNode) and is_plain(root) and not root.value):
        return [Problem(path, 1, "the file holds no fields", fix)]
    if not isinstance(root, yaml.MappingNode):
        return [
            Problem(
                path,
                root.start_mark.line + 1,
                "the file should be a list of 'field: value' lines",
                fix,
            )
        ]
    return []


def is_plain(node: yaml.ScalarNode) -> bool:
    """An unquoted scalar (libyaml reports its style as '', the pure-Python parser as None)."""
    return not node.style


def did_you_mean(word: str, choices: Iterable[str], aliases: dict[str, str] | None = None) -> str:
    choices = sorted(choices)
    aliases = schema.ALIASES if aliases is None else aliases
    if word.lower() in aliases and aliases[word.lower()] in choices:
        return f"did you mean '{aliases[word.lower()]}'?"
    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known values: " + ", ".join(choices)


def id_problems(record_id: str, path: str, line: int, file_stem: str | None) -> list[Problem]:
    """Problems with an id: shape, safety as a file and URL name, match with its file."""
    found: list[Problem] = []
    if "/" in record_id or "\\" in record_id or ".." in record_id:
        found.append(
            Problem(
                path,
                line,
                f"id '{record_id}' is unsafe: it contains a path separator or '..'",
                "use only a-z, 0-9 and '-', like tse-2019",
            )
        )
    elif not schema.ID_RE.match(record_id):
        suggestion = schema_id_hint(record_id)
        found.append(
            Problem(
                path,
                line,
                f"id '{record_id}' may only hold a-z, 0-9 and single '-' between words",
                f"write it as '{suggestion}'",
            )
        )
    elif record_id in RESERVED_IDS:
        found.append(
            Problem(
                path,
                line,
                f"id '{record_id}' is a reserved name",
                f"add the year, like '{record_id}-2019'",
            )
        )
    elif len(record_id) > schema.MAX_ID_LENGTH:
        found.append(
            Problem(
                path,
                line,
                f"id is {len(record_id)} characters long",
                f"shorten it to at most {schema.MAX_ID_LENGTH}",
            )
        )
    if file_stem is not None and record_id != file_stem:
        # Suggest only names that are valid ids themselves.
        fixes = []
        if not found:
            fixes.append(f"rename the file to {record_id}.yml")
        if schema.ID_RE.match(file_stem) and file_stem not in RESERVED_IDS:
            fixes.append(f"write 'id: {file_stem}'")
        fix = ", or ".join(fixes) or "give the record a valid id and name the file after it"
        found.append(
            Problem(path, line, f"id '{record_id}' does not match the file name '{file_stem}'", fix)
        )
    return found


def schema_id_hint(text: str) -> str:
    from slugify import slugify

    return slugify(text) or "family-2019"


def parse_record(
    text: str, display_path: str, file_stem: str | None, latest_year: int
) -> tuple[LoadedRecord | None, list[Problem]]:
    """A record from the text of a record file, with every problem found in it."""
    reader = _FileReader(display_path, latest_year, file_stem)
    root, structure_problems, stopped = compose_text(text, display_path)
    if stopped:
        return None, structure_problems
    reader.problems += structure_problems
    not_fields = not_a_field_list(
        root, display_path, "start from the record template in CONTRIBUTING.md"
    )
    if not_fields:
        return None, not_fields
    reader.visit(root, "record")
    fields = reader.mapping(root, schema.FIELD_NAMES, "record")
    lines = tuple((name, node.start_mark.line + 1) for name, node in fields.items())

    def text_of(name: str, multiline: bool = False) -> str | None:
        return reader.scalar(fields[name], name, multiline=multiline) if name in fields else None

    record_id = text_of("id")
    if "id" not in fields:
        reader.problem(
            1,
            "the field 'id' is missing",
            f"add 'id: {file_stem or 'family-2019'}' as the first line",
        )
    elif record_id is not None:
        reader.problems += id_problems(record_id, display_path, dict(lines)["id"], file_stem)
    doi, url = text_of("doi"), text_of("url")
    if doi is not None and not re.match(schema.DOI_PATTERN, doi):
        reader.problem(
            fields["doi"],
            f"'{doi}' is not a DOI",
            "write it as 10.xxxx/yyyy, without https://doi.org/ in front",
        )
        doi = None
    if url is not None and not re.match(schema.URL_PATTERN, url):
        reader.problem(
            fields["url"],
            f"url '{url[:60]}' is not a web address",
            "write a full address starting with https://",
        )
        url = None
    record = Record(
        id=record_id or "",
        title=text_of("title"),
        authors=reader.people(fields["authors"]) if "authors" in fields else (),
        et_al=reader.flag(fields["et_al"], "et_al") if "et_al" in fields else False,
        year=reader.year(fields["year"]) if "year" in fields else None,
        journal=text_of("journal"),
        volume=text_of("volume"),
        issue=text_of("issue"),
        pages=text_of("pages"),
        doi=doi,
        url=url,
        abstract=text_of("abstract", multiline=True),
        themes=reader.terms(fields["themes"], "themes") if "themes" in fields else None,
        tags=reader.terms(fields["tags"], "tags") if "tags" in fields else None,
        added=reader.date(fields["added"], "added") if "added" in fields else None,
        source=reader.source(fields["source"]) if "source" in fields else None,
    )
    if not record.title and not record.authors and record_id:
        reader.problem(
            1,
            "the record has neither a title nor authors",
            "add at least one of them, so readers can tell what it is",
        )
    if reader.problems or record_id is None:
        return (LoadedRecord(record, display_path, lines) if record_id else None), reader.problems
    return LoadedRecord(record, display_path, lines), []


def load(
    path: Path, display_path: str, latest_year: int | None = None, cache: ParseCache | None = None
) -> tuple[LoadedRecord | None, list[Problem]]:
    """Read one record file. Bad input gives problems, never an exception.

    With a ``cache``, a file whose bytes an earlier run read gives what it gave then."""
    latest_year = this_year() + 1 if latest_year is None else latest_year
    try:
        if path.is_symlink():
            return None, [
                Problem(
                    display_path,
                    1,
                    "the record file is a symbolic link",
                    "replace the link with the file itself",
                )
            ]
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            return None, [
                Problem(
                    display_path,
                    1,
                    f"the file is {size / 1024 / 1024:.1f} MB; a record file is a few KB",
                    "keep only the record's fields in the file",
                )
            ]
        data = path.read_bytes()
    except OSError as error:
        return None, [
            Problem(
                display_path,
                1,
                f"cannot read the file ({error.strerror})",
                "check that it exists and is readable",
            )
        ]
    if cache is None:
        return _read_bytes(data, display_path, path.stem, latest_year)
    key = file_key(data, display_path, path.stem, latest_year)
    known = cache.get(key)
    if known is None:
        known = _read_bytes(data, display_path, path.stem, latest_year)
        cache.put(key, *known)
    return known


def _read_bytes(
    data: bytes, display_path: str, stem: str, latest_year: int
) -> tuple[LoadedRecord | None, list[Problem]]:
    text, problems = decode(data, display_path)
    if text is None:
        return None, problems
    return parse_record(text, display_path, stem, latest_year)


# -- writing -------------------------------------------------------------------

HEADER = """\
# One reading of the list. Edit the values after the colons; leave a value empty
# if it is unknown. Every field is explained in CONTRIBUTING.md, and
# `python -m generator check` (run on every pull request) points at any mistake.
"""


def yaml_text(value: str) -> str:
    """A string as a YAML scalar that reads back as exactly that string."""
    dumped = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=False)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def yaml_block(value: str, indent: str = "  ") -> str:
    """Long text as a literal block (no quoting or escaping for contributors to get right)."""
    lines = value.split("\n")
    block_safe = (
        value == value.strip()
        and all(line == line.rstrip() for line in lines)
        and all(ch.isprintable() or ch in "\n" for ch in value)
        and not value.startswith(("#", " "))
    )
    if not block_safe:
        return yaml_text(value)
    return "|-\n" + "\n".join(f"{indent}{line}" if line else "" for line in lines)


def serialize(record: Record, schema_ref: str) -> str:
    """The text of a record file, keys in ``schema.FIELDS`` order, gaps explained."""
    out = [f"# yaml-language-server: $schema={schema_ref}\n", HEADER]

    def line(name: str, value: str | None, comment: str = "") -> None:
        if value is None:
            hint = comment or schema.BY_NAME[name].when_missing
            out.append(f"{name}:{'  # ' + hint if hint else ''}\n")
        else:
            out.append(f"{name}: {value}{'  # ' + comment if comment else ''}\n")

    line("id", record.id)
    line("title", yaml_text(record.title) if record.title else None)
    if record.authors:
        out.append("authors:\n" + "".join(f"  - {yaml_text(p.name)}\n" for p in record.authors))
    else:
        line(
            "authors",
            None,
            "not in the source: add one '- Given Family' line per author if you know them",
        )
    if record.et_al:
        line(
            "et_al",
            "true",
            "the source cut the author list; add the missing authors if you know them",
        )
    line("year", str(record.year) if record.year is not None else None)
    for name in ("journal", "volume", "issue", "pages", "doi", "url"):
        value = getattr(record, name)
        if value is not None or name == "journal":
            line(name, yaml_text(value) if value is not None else None)
    for name in ("themes", "tags"):
        terms = getattr(record, name)
        if terms:
            out.append(f"{name}:\n" + "".join(f"  - {yaml_text(t)}\n" for t in terms))
        elif terms is not None:  # set by hand to none, unlike a missing field (rules decide)
            out.append(f"{name}: []\n")
    line("abstract", yaml_block(record.abstract) if record.abstract else None)
    if record.added is not None:  # quoted: YAML 1.1 tools would read a date object
        line("added", yaml_text(record.added))
    if record.source is not None:
        out.append(
            f"source:\n  file: {yaml_text(record.source.file)}\n  line: {record.source.line}\n"
        )
    return "".join(out)
