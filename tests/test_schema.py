"""The JSON Schema of record files: current, valid, and in agreement with the loader."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from hypothesis import assume, given, settings

from generator import schema
from generator.record_files import parse_record, record_paths, serialize
from tests.conftest import GOLDEN_RECORDS, LATEST_YEAR, SCHEMA_FILE
from tests.test_record_files import SCHEMA_REF, records

COMMITTED = record_paths(GOLDEN_RECORDS)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(committed)
    return jsonschema.Draft202012Validator(committed)


def test_the_committed_schema_is_generated_from_the_fields():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema.json_schema_text()


def test_the_schema_names_every_field_in_order_and_only_id_is_required():
    generated = schema.json_schema()
    assert list(generated["properties"]) == list(schema.FIELD_NAMES)
    assert generated["required"] == ["id"]
    assert generated["additionalProperties"] is False
    assert all(generated["properties"][name]["description"] for name in schema.FIELD_NAMES)


def test_every_alias_points_at_a_real_field():
    assert set(schema.ALIASES.values()) <= set(schema.FIELD_NAMES)
    assert not set(schema.ALIASES) & set(schema.FIELD_NAMES)


@pytest.mark.parametrize("path", COMMITTED, ids=[p.stem for p in COMMITTED])
def test_the_schema_accepts_every_seed_record(path, validator):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert sorted(e.message for e in validator.iter_errors(data)) == []


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"titel": "A title"}, "Additional properties are not allowed ('titel' was unexpected)"),
        ({"id": "Tse 2019"}, "does not match"),
        ({"authors": "Samson Tse"}, "is not of type 'array', 'null'"),
        ({"year": [2019]}, "is not of type 'integer', 'null'"),
        ({"year": 1899}, "is less than the minimum of 1900"),
        ({"et_al": "NO"}, "is not of type 'boolean'"),
        ({"doi": "https://doi.org/10.1000/x"}, "does not match"),
        ({"themes": ["stigma", "stigma"]}, "has non-unique elements"),
        ({"source": {"file": "seeds/x.txt"}}, "'line' is a required property"),
    ],
    ids=lambda v: next(iter(v)) if isinstance(v, dict) else None,
)
def test_the_schema_rejects_a_broken_record(change, fragment, validator):
    data = yaml.safe_load((GOLDEN_RECORDS / "tse-2019.yml").read_text(encoding="utf-8"))
    data.update(change)
    messages = [e.message for e in validator.iter_errors(data)]
    assert any(fragment in m for m in messages), messages


def test_the_schema_requires_an_id(validator):
    data = yaml.safe_load((GOLDEN_RECORDS / "tse-2019.yml").read_text(encoding="utf-8"))
    del data["id"]
    assert [e.message for e in validator.iter_errors(data)] == ["'id' is a required property"]


YAML_11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


@settings(max_examples=200, deadline=None)
@given(record=records())
def test_every_record_the_writer_can_write_is_valid_under_the_schema(record, validator):
    # Ids and terms are written unquoted: YAML 1.1 readers take 'no' or '2019' for a
    # boolean or a number, so they are left out here (no real id or vocabulary term is).
    terms = (record.themes or ()) + (record.tags or ())
    assume(all(t[0].isalpha() and t not in YAML_11_WORDS for t in (record.id, *terms)))
    assume(record.title or record.authors)
    text = serialize(record, SCHEMA_REF)
    _, problems = parse_record(text, f"{record.id}.yml", record.id, LATEST_YEAR)
    assert problems == []
    data = yaml.safe_load(text)
    assert sorted(e.message for e in validator.iter_errors(data)) == []
