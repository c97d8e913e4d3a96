"""The record file format, stated once: field order, kinds, help text.

The strict loader, the record writer, the JSON Schema in ``schema/`` and the field
reference in the docs are all derived from ``FIELDS``, so they cannot disagree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "id", "line", "text", "code", "year", "flag", "people", "terms", "doi", "url", "date", "source"
]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)
DOI_PATTERN = r"^10\.\d{4,9}/\S+$"
URL_PATTERN = r"^https?://[^\s]+$"
# Schemes that run code or carry content instead of pointing at a page.
UNSAFE_ADDRESS = re.compile(r"^\s*(javascript|data|vbscript|file):", re.IGNORECASE)
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
SCHEMA_PATH = "schema/record.schema.json"
MAX_ID_LENGTH = 80


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str
    # Written as a comment after an empty value by the importer: how to fill it in.
    when_missing: str = ""
    required: bool = False


FIELDS: tuple[Field, ...] = (
    Field(
        "id",
        "id",
        "Stable name of the record: first author's family name and year, lower case, "
        "words joined by '-'. It is also the file name and the web address; never change it.",
        required=True,
    ),
    Field(
        "title",
        "line",
        "Title of the reading, as published.",
        "not in the source: add the real title if you know it",
    ),
    Field("authors", "people", "Authors in the order published, one '- Given Family' per line."),
    Field(
        "et_al",
        "flag",
        "true when the source cut the author list (et al.).",
    ),
    Field(
        "year",
        "year",
        "Year of publication, four digits.",
        "not in the source: add the year if you know it",
    ),
    Field("journal", "line", "Journal or book the reading appeared in.", "not in the source"),
    Field("volume", "code", "Volume, as printed (e.g. 19 or 197).", ""),
    Field("issue", "code", "Issue, as printed (e.g. 1, 9-10 or S53).", ""),
    Field("pages", "code", "Page range (e.g. 146-162) or article id, as printed.", ""),
    Field("doi", "doi", "DOI without the https://doi.org/ prefix, e.g. 10.1000/xyz123.", ""),
    Field("url", "url", "A web address for the reading, starting with https://.", ""),
    Field(
        "themes",
        "terms",
        "Theme ids from seeds/themes.yml. Leave out to assign them from the vocabulary's rules.",
    ),
    Field(
        "tags",
        "terms",
        "Tag ids from seeds/tags.yml. Leave out to assign them from the vocabulary's rules.",
    ),
    Field(
        "abstract",
        "text",
        "The abstract, verbatim.",
        "not in the source: add the abstract if you know it",
    ),
    Field(
        "added",
        "date",
        "The day the reading joined the list, as YYYY-MM-DD (for the news feeds). "
        "Set by the import and by `generator new`; leave as is.",
    ),
    Field("source", "source", "Where the record was imported from (file and line). Leave as is."),
)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
BY_NAME = {f.name: f for f in FIELDS}
# Names people reach for; the did-you-mean also catches plain typos.
ALIASES = {
    "author": "authors",
    "names": "authors",
    "date": "year",
    "published": "year",
    "theme": "themes",
    "tag": "tags",
    "keywords": "tags",
    "page": "pages",
    "vol": "volume",
    "number": "issue",
    "summary": "abstract",
    "link": "url",
    "journal_title": "journal",
    "date_added": "added",
    "added_on": "added",
}


def _property(field: Field) -> dict:
    described = {"description": field.description}
    kind = field.kind
    if kind == "id":
        return {**described, "type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID_LENGTH}
    if kind in ("line", "text"):
        return {**described, "type": ["string", "null"], "minLength": 1}
    if kind == "code":
        return {**described, "type": ["string", "integer", "null"]}
    if kind == "year":
        return {**described, "type": ["integer", "null"], "minimum": 1900}
    if kind == "flag":
        return {**described, "type": "boolean"}
    if kind == "people":
        return {**described, "type": ["array", "null"], "items": {"type": "string", "minLength": 1}}
    if kind == "terms":
        return {
            **described,
            "type": ["array", "null"],
            "items": {"type": "string", "pattern": ID_PATTERN},
            "uniqueItems": True,
        }
    if kind == "doi":
        return {**described, "type": ["string", "null"], "pattern": DOI_PATTERN}
    if kind == "url":
        return {**described, "type": ["string", "null"], "pattern": URL_PATTERN}
    if kind == "date":
        return {**described, "type": ["string", "null"], "pattern": DATE_PATTERN, "format": "date"}
    return {
        **described,
        "type": "object",
        "properties": {"file": {"type": "string"}, "line": {"type": "integer", "minimum": 1}},
        "required": ["file", "line"],
        "additionalProperties": False,
    }


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of a record file, for editors and other tools."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "record.schema.json",
        "title": "Reading-list record",
        "description": "One reading of the list. Edit in any editor; `python -m generator check` "
        "explains every problem with its line.",
        "type": "object",
        "properties": {f.name: _property(f) for f in FIELDS},
        "required": [f.name for f in FIELDS if f.required],
        "additionalProperties": False,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
