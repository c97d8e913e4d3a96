"""Reader for BibTeX files, as Zotero, Mendeley, EndNote and JabRef export them.

``bibtexparser`` (v2) splits the file into entries; each remembers its start line, and
an entry it cannot read becomes a failed block while reading goes on, so every broken
entry is reported as ``path:line`` and the others are still read. Then:

* Values are LaTeX, turned into Unicode text by ``pylatexenc``: ``{\\"u}`` is ``ü``,
  ``\\&`` is ``&``, ``--`` is an en dash, braces that protect capitals disappear. The
  commands ``generator.exports.latex_escape`` writes (``\\textbraceleft{}`` ...) read
  back as the characters they stand for.
* A line break inside a value, with the spaces around it, is one space
  (``exports.one_line``); an abstract keeps its paragraphs (blank lines).
* ``author`` is split at ``and`` outside braces; ``Family, Given`` (``von Last, Jr,
  First``) becomes ``Given Family`` (``First von Last Jr``), the form record files use;
  a name in braces or without a comma stays as written; ``others`` means the list was
  cut (``et_al``).
* The year is the first four digits of ``year``, else of ``date`` (biblatex). The
  journal is ``journal``, ``journaltitle`` or ``booktitle``; the issue ``number`` or
  ``issue``; ``pages`` ``1--10`` is read ``1-10``, as the seed records write ranges.
* An entry without a key (``@article{`` alone on its line, as older EndNote styles
  write it) is read; keys are not kept, as record ids are made on import.
* ``doi`` and ``url`` are read as written (not LaTeX), less braces and the ``\\_``
  escapes some tools add; a ``https://doi.org/`` prefix is removed. An address that is
  not a web address is left out.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
from bibtexparser import model
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from generator.exports import display_name, one_line, paragraphs
from generator.model import Person, Record, Source
from generator.problems import Problem, errors
from generator.schema import DOI_PATTERN, UNSAFE_ADDRESS, URL_PATTERN
from generator.sources import read_export
from generator.sources.ris import FOUR_DIGIT_YEAR, clean_doi

FIX_ENTRY = (
    "write each field as name = {value}, close every '{' with '}', and end the entry with '}'"
)
# bibtexparser's reasons for giving up on a block, as a person would say them.
ABORT_REASONS = (
    ("Unexpected block start", "the entry is not closed before the next '@' on line {end}"),
    ("Unexpectedly reached end of file", "the entry is not closed before the end of the file"),
    ("Expected a `=`", "a field has no '=' between its name and its value"),
    (
        "Expected comma after entry key",
        "the entry has no key: its first line should be '@{kind}{{key,'",
    ),
)
# After a value's closing brace or quote: a line break and the next "name =".
NEXT_FIELD = re.compile(r"[ \t]*\n\s*(?P<next>[A-Za-z][\w-]*)\s*=")
# "@article{" with the fields starting on the next line and no key: older EndNote styles.
KEYLESS_ENTRY = re.compile(
    r"(?m)^([ \t]*@[A-Za-z]+[ \t]*\{)(?=[ \t]*\n[ \t]*[A-Za-z][\w-]*[ \t]*=)"
)
# What LaTeX gives a meaning: commands, groups, specials, and the -- `` '' !` ?` ligatures.
LATEX_ACTIVE = re.compile(r"[\\{}$%&~#^_]|--|``|''|[!?]`")
ESCAPED_IN_ADDRESS = re.compile(r"\\([_%&#$~])")
LOGGERS = (
    "bibtexparser.splitter",
    "bibtexparser.entrypoint",
    "bibtexparser.middlewares.middleware",
)


@functools.cache
def _latex() -> LatexNodes2Text:
    """LaTeX-to-text with the commands ``exports.latex_escape`` writes."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "exchange",
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textbackslash", "\\"),
            MacroTextSpec("textasciitilde", "~"),
            MacroTextSpec("textasciicircum", "^"),
        ],
        prepend=True,
    )
    return LatexNodes2Text(latex_context=context)


def latex_to_text(value: str) -> str:
    """Unicode text of a LaTeX value; the value itself if it cannot be parsed."""
    if not LATEX_ACTIVE.search(value):
        return value  # nothing LaTeX would change; parsing it takes milliseconds
    try:
        return _latex().latex_to_text(value)
    except Exception:  # pylatexenc is tolerant, but a reader must never raise
        return value


def text_of(value: str) -> str:
    return one_line(latex_to_text(value))


def split_outside_braces(text: str, separator: re.Pattern[str]) -> list[str]:
    """``text`` split where ``separator`` matches outside braces."""
    depth, outside = 0, []
    for index, char in enumerate(text):
        escaped = index > 0 and text[index - 1] == "\\"
        if char == "{" and not escaped:
            depth += 1
        elif char == "}" and not escaped:
            depth = max(depth - 1, 0)
        outside.append(depth == 0)
    parts, start = [], 0
    for match in separator.finditer(text):
        if outside[match.start()] and match.start() >= start:
            parts.append(text[start : match.start()])
            start = match.end()
    parts.append(text[start:])
    return parts


def read_names(value: str) -> tuple[list[str], bool]:
    """Names of an ``author`` field as record files write them, and whether it was cut."""
    names, et_al = [], False
    for raw in split_outside_braces(value, re.compile(r"\s+and\s+", re.IGNORECASE)):
        if raw.strip().lower() == "others":
            et_al = True
            continue
        parts = [text_of(p) for p in split_outside_braces(raw, re.compile(","))]
        if len(parts) == 2:
            name = display_name(parts[0], parts[1])
        elif len(parts) == 3:
            name = display_name(parts[0], parts[2], parts[1])
        else:
            name = ", ".join(p for p in parts if p)
        if name:
            names.append(name)
    return names, et_al


def runs_into_next_field(value: str) -> re.Match[str] | None:
    """The next field's name when a value ran on into it (``title = {T}`` and a line
    ``year = ...`` with no comma between). bibtexparser then keeps the value with its
    braces or quotes; a value it could read has lost them."""
    value = value.lstrip()
    if not value.startswith(("{", '"')):
        return None
    depth, end = 0, None
    for index, char in enumerate(value):
        if value[0] == '"' and char == '"' and index > 0 and depth == 0:
            end = index
            break
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and value[0] == "{":
                end = index
                break
    return NEXT_FIELD.match(value, end + 1) if end is not None else None


def address(value: str) -> str:
    """A DOI or URL as written, less braces and LaTeX escapes of ``_ % & # $ ~``."""
    return one_line(ESCAPED_IN_ADDRESS.sub(r"\1", value).replace("{", "").replace("}", ""))


def to_record(entry: model.Entry, path: str) -> tuple[Record | None, list[Problem]]:
    line = (entry.start_line or 0) + 1
    fields = {}
    field_lines = {}
    for f in entry.fields:
        key = f.key.lower()
        if key not in fields:
            fields[key] = str(f.value)
            field_lines[key] = (f.start_line or entry.start_line or 0) + 1
    problems: list[Problem] = []
    for key, value in fields.items():
        run_on = runs_into_next_field(value)
        if run_on:
            problems.append(
                Problem(
                    path,
                    field_lines[key],
                    f"a comma is missing after the value of '{key}' (before '{run_on['next']}')",
                    "end each field with ','",
                )
            )
    if problems:
        return None, problems

    def text(*keys: str) -> str | None:
        for key in keys:
            if fields.get(key, "").strip():
                return text_of(fields[key]) or None
        return None

    authors, et_al = read_names(fields.get("author", ""))
    year = None
    for key in ("year", "date"):
        value = fields.get(key, "").strip()
        if not value:
            continue
        match = FOUR_DIGIT_YEAR.match(text_of(value))
        if match is None:
            problems.append(
                Problem(
                    path,
                    field_lines[key],
                    f"{key} = {{{one_line(value)[:40]}}} holds no four-digit year",
                    f"write the year, like {key} = {{2019}}, or delete the field if it is unknown",
                )
            )
        else:
            year = int(match[1])
        break
    doi = clean_doi(address(fields["doi"])) if fields.get("doi", "").strip() else None
    if doi is not None and not re.match(DOI_PATTERN, doi):
        problems.append(
            Problem(
                path,
                field_lines["doi"],
                f"doi = {{{doi[:60]}}} is not a DOI",
                "write it as doi = {10.xxxx/yyyy}, or delete the field",
            )
        )
    url = address(fields.get("url", "")) or None
    if url is not None and not re.match(URL_PATTERN, url):
        if UNSAFE_ADDRESS.match(url):
            problems.append(
                Problem(
                    path,
                    field_lines.get("url", line),
                    f"url = {{{url[:40]}}} is not a web address and was left out",
                    "check the entry's address (it must start with https://)",
                    "warning",
                )
            )
        url = None
    title = text("title")
    if not title and not authors:
        problems.append(
            Problem(
                path,
                line,
                f"the entry '{entry.key}' has neither a title nor authors",
                "add a title = {...} or author = {...} field, or delete the entry",
            )
        )
    if errors(problems):
        return None, problems
    pages_raw = fields.get("pages", "")
    pages = text_of(re.sub(r"(?<=\w)\s*-{2,3}\s*(?=\w)", "-", pages_raw)) or None
    abstract = paragraphs(latex_to_text(fields.get("abstract", "")))
    record = Record(
        id="",
        title=title,
        authors=tuple(Person(name) for name in authors),
        et_al=et_al,
        year=year,
        journal=text("journal", "journaltitle", "booktitle"),
        volume=text("volume"),
        issue=text("number", "issue"),
        pages=pages,
        doi=doi,
        url=url,
        abstract=abstract or None,
        source=Source(path, line),
    )
    return record, problems  # warnings only


def failed_block_problem(block: model.ParsingFailedBlock, text: str, path: str) -> Problem:
    line = (block.start_line or 0) + 1
    raw = block.raw or ""
    kind = re.match(r"@\s*(\w*)", raw)
    kind_name = kind[1].lower() if kind and kind[1] else "entry"
    if isinstance(block, model.DuplicateBlockKeyBlock):
        return Problem(
            path,
            line,
            f"the key '{block.key}' is used by an earlier entry too",
            "give each entry its own key",
        )
    if isinstance(block, model.DuplicateFieldKeyBlock):
        names = ", ".join(f"'{name}'" for name in sorted(block.duplicate_keys))
        return Problem(
            path,
            line,
            f"this @{kind_name} entry has {names} twice",
            "keep one of them and delete the other",
        )
    reason = str(getattr(block.error, "abort_reason", "") or block.error)
    stop = getattr(block.error, "end_index", None)  # where reading stopped, if not at the end
    end = text.count("\n", 0, stop) + 1 if stop is not None else line
    message = f"cannot read this @{kind_name} entry ({one_line(reason)})"
    for known, said in ABORT_REASONS:
        if reason.startswith(known):
            message = f"cannot read this @{kind_name} entry: " + said.format(
                end=end, kind=kind_name
            )
            break
    return Problem(path, line, message, FIX_ENTRY)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs each broken block; they are reported as problems instead."""
    loggers = [logging.getLogger(name) for name in LOGGERS]
    before = [logger.disabled for logger in loggers]
    for logger in loggers:
        logger.disabled = True
    try:
        yield
    finally:
        for logger, was in zip(loggers, before, strict=True):
            logger.disabled = was


def parse(text: str, display_path: str) -> tuple[list[Record], list[Problem]]:
    """Every entry of a BibTeX text, and the problems of those that cannot be read."""
    text = KEYLESS_ENTRY.sub(lambda m: f"{m[1]}line-{text.count(chr(10), 0, m.start()) + 1},", text)
    try:
        with _quiet():
            library = bibtexparser.parse_string(text)
    except Exception as error:  # bibtexparser raises on states it calls its own bugs
        return [], [
            Problem(
                display_path,
                1,
                f"cannot read the file as BibTeX ({type(error).__name__})",
                "export it again from the reference manager, or check it in a BibTeX editor",
            )
        ]
    records: list[Record] = []
    problems: list[Problem] = []
    for block in library.blocks:
        if isinstance(block, model.Entry):
            record, found = to_record(block, display_path)
            problems += found
            if record is not None:
                records.append(record)
        elif isinstance(block, model.ParsingFailedBlock):
            problems.append(failed_block_problem(block, text, display_path))
    return records, problems


def read(path: Path, display_path: str) -> tuple[list[Record], list[Problem]]:
    """Records of one BibTeX file and the problems found in it. Never raises."""
    return read_export(
        path,
        display_path,
        parse,
        ("no entries found", "is this a BibTeX export? Each entry starts like '@article{key,'"),
    )
