"""The controlled vocabulary: the seed files, the rules, overrides and every message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator import record_files
from generator.model import Person, Record
from generator.vocabulary import (
    CATEGORIES,
    HAND_SET,
    Classification,
    Vocabulary,
    classify,
    explain,
    load_vocabulary,
    record_problems,
)
from tests.conftest import GOLDEN_RECORDS, ROOT

SEEDS = ROOT / "seeds"
NO_CONTENT = ("lau-2007", "ng-2012", "puschner-2019")


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    loaded, problems = load_vocabulary(SEEDS)
    assert problems == []
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def seed_records() -> dict[str, Record]:
    records = {}
    for path in record_files.record_paths(GOLDEN_RECORDS):
        loaded, problems = record_files.load(path, path.name, latest_year=2027)
        assert problems == [] and loaded is not None
        records[loaded.record.id] = loaded.record
    return records


def themes_of(record: Record, vocabulary: Vocabulary) -> tuple[str, ...]:
    return classify(record, vocabulary).themes


def tags_of(abstract: str, vocabulary: Vocabulary, title: str | None = None) -> tuple[str, ...]:
    return classify(Record(id="x-2020", title=title, abstract=abstract), vocabulary).tags


# -- the seed vocabulary -------------------------------------------------------------


def test_seed_vocabulary_loads_without_problems(vocabulary):
    assert [t.id for t in vocabulary.themes] == [
        "peer-roles",
        "lived-experience",
        "online",
        "stigma",
        "crisis-frontline",
        "service-models",
        "children-families",
        "unsorted",
    ]
    assert vocabulary.fallback_theme == "unsorted"
    assert vocabulary.theme("stigma").name == "Stigma and help-seeking"
    assert vocabulary.tag("hong-kong").category == "region"
    assert 40 <= len(vocabulary.tags) <= 70
    assert {t.category for t in vocabulary.tags} == set(CATEGORIES)


def test_every_theme_is_described_for_trainers(vocabulary):
    for theme in vocabulary.themes:
        assert theme.name and theme.description.endswith(".")
        assert 1 <= theme.description.count(". ") + 1 <= 3, theme.id
        assert theme.match or theme.id == vocabulary.fallback_theme


def test_vocabulary_files_start_with_help_for_contributors():
    for name in ("themes.yml", "tags.yml"):
        head = (SEEDS / name).read_text(encoding="utf-8").splitlines()[:5]
        assert all(line.startswith("#") for line in head), name


# -- the seed records ------------------------------------------------------------------

EXPECTED_THEMES = {
    "adame-2008": ("lived-experience", "service-models"),
    "bertram-2015": ("lived-experience",),
    "bohl-penrod-nd": ("peer-roles", "stigma", "crisis-frontline"),
    "chung-2018": ("stigma",),
    "collopy-2020": ("stigma",),
    "conchar-2014": ("peer-roles", "lived-experience"),
    "gilburt-2010": ("service-models",),
    "gillard-2016": ("lived-experience", "service-models"),
    "hodges-2007": ("lived-experience",),
    "lau-2007": ("unsorted",),
    "leemeijer-nd": ("peer-roles", "lived-experience"),
    "mak-2021": ("peer-roles", "lived-experience"),
    "mental-health-professionals-2001": ("peer-roles",),
    "ng-2012": ("unsorted",),
    "parkinson-nd": ("stigma", "children-families"),
    "parry-2019": ("service-models",),
    "poremski-nd": ("peer-roles",),
    "puschner-2019": ("unsorted",),
    "strand-2018": ("lived-experience", "online"),
    "tse-2019": ("peer-roles", "lived-experience"),
    "wang-2020": ("online", "crisis-frontline"),
    "watson-2016": ("peer-roles", "lived-experience"),
}


def test_the_table_covers_every_seed_record(seed_records):
    assert sorted(seed_records) == sorted(EXPECTED_THEMES)


@pytest.mark.parametrize("record_id", sorted(EXPECTED_THEMES))
def test_seed_record_themes(record_id, seed_records, vocabulary):
    assert themes_of(seed_records[record_id], vocabulary) == EXPECTED_THEMES[record_id]


def test_every_seed_record_gets_one_to_three_themes(seed_records, vocabulary):
    for record in seed_records.values():
        themes = themes_of(record, vocabulary)
        assert 1 <= len(themes) <= 3, record.id
        placed_by_content = bool(record.title or record.abstract)
        assert ("unsorted" in themes) is not placed_by_content, record.id


def test_records_without_title_or_abstract_get_the_fallback_and_no_tags(seed_records, vocabulary):
    for record_id in NO_CONTENT:
        result = classify(seed_records[record_id], vocabulary)
        assert result == Classification(
            themes=("unsorted",),
            tags=(),
            reasons=(
                (
                    "unsorted",
                    "the record has no title or abstract to place it by; add them to the "
                    "record file, or list its themes under 'themes:'",
                ),
            ),
        )


@pytest.mark.parametrize(
    ("record_id", "some_tags"),
    [
        ("chung-2018", ("stigma", "service-users", "hong-kong", "longitudinal", "cross-sectional")),
        (
            "wang-2020",
            ("social-media", "covid-19", "crisis", "healthcare-workers", "mainland-china"),
        ),
        ("gilburt-2010", ("coercion", "hospital", "residential-alternatives", "qualitative")),
        (
            "parkinson-nd",
            ("self-stigma", "children-young-people", "families-parents", "new-zealand"),
        ),
        ("parkinson-nd", ("mixed-methods", "programme-evaluation")),
        ("conchar-2014", ("wounded-healer", "peer-support-workers", "systematic-review")),
        ("poremski-nd", ("role-clarity", "longitudinal", "qualitative")),
        ("leemeijer-nd", ("experiential-knowledge", "professional-identity", "netherlands")),
        ("tse-2019", ("hope", "recovery", "bipolar-disorder", "hong-kong", "participatory")),
        ("strand-2018", ("self-disclosure", "online", "norway", "peer-support-groups")),
        ("adame-2008", ("social-movement", "united-states", "canada")),
        ("bohl-penrod-nd", ("public-safety-officers", "help-seeking")),
        ("watson-2016", ("first-person-account", "employment")),
        ("parry-2019", ("cambodia",)),
        ("mak-2021", ("recovery", "peer-support-workers", "hong-kong", "longitudinal")),
    ],
)
def test_seed_record_tags(record_id, some_tags, seed_records, vocabulary):
    tags = classify(seed_records[record_id], vocabulary).tags
    assert set(some_tags) <= set(tags)


def test_tags_come_in_vocabulary_order(seed_records, vocabulary):
    order = [t.id for t in vocabulary.tags]
    for record in seed_records.values():
        tags = classify(record, vocabulary).tags
        assert list(tags) == sorted(tags, key=order.index)


# -- how phrases match ----------------------------------------------------------------


def test_plurals_hyphens_capitals_and_prefixes_match(vocabulary):
    assert "families-parents" in tags_of("Support for FAMILIES.", vocabulary)
    assert "service-users" in tags_of("A service user said so.", vocabulary)
    assert "help-seeking" in tags_of("Help seeking was rare.", vocabulary)
    assert "stigma" in tags_of("Patients felt stigmatised.", vocabulary)
    assert "self-stigma" in tags_of("Self stigmatizing beliefs.", vocabulary)


@pytest.mark.parametrize(
    ("abstract", "not_tagged"),
    [
        ("Hopefully, the service will grow.", "hope"),
        ("Peer workers act as role models for clients.", "role-clarity"),
        ("The study took place in Hong Kong, China.", "mainland-china"),
        ("Scores on the Beck Depression Inventory did not change.", "depression-anxiety"),
        ("Rates were lower in Norway compared with the United States.", "united-states"),
        ("Rates in Norway were lower than in Canada.", "canada"),
        ("The team felt familiar with the ward.", "families-parents"),
        ("Data came from an online survey of staff.", "online"),
        ("We offered peer support. Group sessions followed.", "peer-support-groups"),
        ("Childhood poverty was not measured.", "children-young-people"),
    ],
)
def test_near_misses_do_not_tag(abstract, not_tagged, vocabulary):
    assert not_tagged not in tags_of(abstract, vocabulary)


def test_a_comparison_does_not_hide_the_place_of_the_study(vocabulary):
    tags = tags_of("Rates were lower in Norway compared with the United States.", vocabulary)
    assert "norway" in tags
    assert "hong-kong" in tags_of("The study took place in Hong Kong, China.", vocabulary)


def test_author_names_never_classify(vocabulary):
    """Like Pu Cheng and P. W. Cheng, a name is not a topic: Hope is not hope."""
    record = Record(
        id="cheng-2020",
        authors=(Person("Hope Stigma"), Person("Pu Cheng"), Person("China Police")),
        abstract="A neutral sentence about nothing in particular.",
    )
    assert classify(record, vocabulary) == Classification(
        themes=("unsorted",),
        tags=(),
        reasons=(
            (
                "unsorted",
                "nothing in the title or abstract matches a theme's phrases; list the record's "
                "themes under 'themes:', or add a phrase to the themes file",
            ),
        ),
    )


def test_one_mention_in_the_abstract_tags_but_does_not_place(vocabulary):
    record = Record(id="x-2020", abstract="Participants spoke about stigma and work.")
    result = classify(record, vocabulary)
    assert "stigma" in result.tags
    assert result.themes == ("unsorted",)


def test_one_phrase_in_the_title_places(vocabulary):
    record = Record(id="x-2020", title="Stigma in rural clinics")
    assert classify(record, vocabulary).themes == ("stigma",)


def test_a_record_keeps_its_three_strongest_themes(vocabulary):
    abstract = (
        "Peer support workers and peer specialists used lived experience and hope. "
        "Online forums and social media helped. Stigma and discrimination were common. "
        "Police and firefighters in a crisis. Children and their parents took part."
    )
    themes = classify(Record(id="x-2020", abstract=abstract), vocabulary).themes
    assert len(themes) == 3
    order = [t.id for t in vocabulary.themes]
    assert list(themes) == sorted(themes, key=order.index)


# -- a record's own themes and tags ----------------------------------------------------


def test_themes_and_tags_set_by_hand_override_the_rules(seed_records, vocabulary):
    chung = seed_records["chung-2018"]
    record = Record(id=chung.id, abstract=chung.abstract, themes=("online", "stigma"), tags=())
    result = classify(record, vocabulary)
    assert result.themes == ("online", "stigma")
    assert result.tags == ()
    assert result.reasons == (("online", HAND_SET), ("stigma", HAND_SET))


def test_hand_set_ids_come_out_in_vocabulary_order(vocabulary):
    record = Record(id="x-2020", themes=("stigma", "peer-roles"), tags=("hope", "recovery"))
    result = classify(record, vocabulary)
    assert result.themes == ("peer-roles", "stigma")
    assert result.tags == ("recovery", "hope")


def test_only_one_field_may_be_set_by_hand(seed_records, vocabulary):
    chung = seed_records["chung-2018"]
    by_rules = classify(chung, vocabulary)
    result = classify(Record(id=chung.id, abstract=chung.abstract, tags=("hope",)), vocabulary)
    assert result.themes == by_rules.themes
    assert result.tags == ("hope",)
    assert result.tag_reasons == (("hope", HAND_SET),)


def test_hand_set_themes_that_are_all_unknown_fall_back(vocabulary):
    result = classify(Record(id="x-2020", title="Stigma", themes=("stigmas",)), vocabulary)
    assert result.themes == ("unsorted",)
    assert result.theme_reasons == (
        ("unsorted", "the record's 'themes:' list holds no known theme"),
    )
    assert result.tags == ("stigma",)


# -- messages about records ------------------------------------------------------------


def load_record_text(text: str) -> record_files.LoadedRecord:
    loaded, problems = record_files.parse_record(
        textwrap.dedent(text), "seeds/records/tse-2019.yml", "tse-2019", 2027
    )
    assert problems == [] and loaded is not None
    return loaded


def test_unknown_theme_and_tag_ids_are_reported_with_a_suggestion(vocabulary):
    loaded = load_record_text(
        """\
        id: tse-2019
        title: Peer support in Hong Kong
        themes:
          - stigmas
          - recovery
          - stigma
          - zzz
        tags:
          - hongkong
          - police
          - zzz
        """
    )
    assert [str(p) for p in record_problems(loaded, vocabulary)] == [
        "seeds/records/tse-2019.yml:4: unknown theme 'stigmas'; did you mean 'stigma'?",
        "seeds/records/tse-2019.yml:4: unknown theme 'recovery'; did you mean 'lived-experience'?",
        "seeds/records/tse-2019.yml:4: unknown theme 'zzz'; known values: children-families, "
        "crisis-frontline, lived-experience, online, peer-roles, service-models, stigma, unsorted",
        "seeds/records/tse-2019.yml:9: unknown tag 'hongkong'; did you mean 'hong-kong'?",
        "seeds/records/tse-2019.yml:9: unknown tag 'police'; did you mean 'public-safety-officers'?",
        f"seeds/records/tse-2019.yml:9: unknown tag 'zzz'; use one of the ids listed in "
        f"{vocabulary.tags_path}",
    ]


def test_an_empty_themes_list_is_reported(vocabulary):
    loaded = load_record_text("id: tse-2019\ntitle: Peer support\nthemes: []\ntags: []\n")
    assert [str(p) for p in record_problems(loaded, vocabulary)] == [
        "seeds/records/tse-2019.yml:3: 'themes' lists no theme; list at least one theme id, "
        "or delete the 'themes:' line to let the rules choose"
    ]


def test_known_ids_and_records_without_lists_are_fine(vocabulary):
    loaded = load_record_text("id: tse-2019\ntitle: X\nthemes:\n  - stigma\ntags:\n  - hope\n")
    assert record_problems(loaded, vocabulary) == []
    assert record_problems(load_record_text("id: tse-2019\ntitle: X\n"), vocabulary) == []


def test_seed_records_have_no_vocabulary_problems(vocabulary):
    for path in record_files.record_paths(GOLDEN_RECORDS):
        loaded, _ = record_files.load(path, path.name, latest_year=2027)
        assert loaded is not None
        assert record_problems(loaded, vocabulary) == []


# -- explain -----------------------------------------------------------------------------


def test_explain_says_why_each_theme_and_tag_was_given(seed_records, vocabulary):
    assert explain(seed_records["chung-2018"], vocabulary) == [
        "theme stigma: the abstract mentions 'stigma*' (10 times), "
        "'rejection experience' (3 times), 'antistigma*'",
        "tag stigma: the abstract mentions 'Stigma' (7 times), 'stigma*' (3 times), 'antistigma*'",
        "tag service-users: the abstract mentions 'Service users', 'outpatient' (2 times)",
        "tag hong-kong: the abstract mentions 'Hong Kong'",
        "tag longitudinal: the abstract mentions 'longitudinal'",
        "tag cross-sectional: the abstract mentions 'cross-sectional' (3 times), "
        "'survey' (2 times), 'questionnaire'",
    ]


def test_explain_names_the_title(seed_records, vocabulary):
    lines = explain(seed_records["mak-2021"], vocabulary)
    assert lines[:2] == [
        "theme peer-roles: the title mentions 'peer support worker'",
        "theme lived-experience: the title mentions 'recovery' (2 times)",
    ]


def test_explain_a_hand_set_record(vocabulary):
    record = Record(id="x-2020", themes=("stigma",), tags=("hope",))
    assert explain(record, vocabulary) == [
        "theme stigma: set by hand in the record file",
        "tag hope: set by hand in the record file",
    ]


# -- determinism -----------------------------------------------------------------------

SCRIPT = """
import json, sys
from pathlib import Path
from generator import record_files
from generator.vocabulary import classify, load_vocabulary
vocabulary, _ = load_vocabulary(Path("seeds"))
paths = record_files.record_paths(Path("seeds/records"))
if sys.argv[1] == "reversed":
    paths.reverse()
out = {}
for path in paths:
    record = record_files.load(path, path.name, latest_year=2027)[0].record
    c = classify(record, vocabulary)
    out[record.id] = [c.themes, c.tags, c.reasons]
print(json.dumps(out, sort_keys=True))
"""


def test_classification_is_the_same_whatever_the_hash_seed_or_order():
    outputs = set()
    for seed, order in (("0", "forward"), ("1", "reversed"), ("4242", "forward")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT, order],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1
    assert len(json.loads(outputs.pop())) == len(EXPECTED_THEMES)


def test_classification_holds_tuples_only(seed_records, vocabulary):
    for record in seed_records.values():
        result = classify(record, vocabulary)
        assert type(result.themes) is tuple and type(result.tags) is tuple
        assert type(result.reasons) is tuple
        assert all(type(pair) is tuple for pair in result.reasons)
        assert len(result.reasons) == len(result.themes) + len(result.tags)


def test_a_fresh_vocabulary_classifies_like_a_used_one(seed_records, vocabulary):
    for record in seed_records.values():
        classify(record, vocabulary)
    fresh, _ = load_vocabulary(SEEDS)
    assert fresh is not None
    for record in reversed(list(seed_records.values())):
        assert classify(record, fresh) == classify(record, vocabulary)


# -- broken vocabulary files -----------------------------------------------------------

THEMES = """\
# comment
fallback: unsorted
themes:
  - id: stigma
    name: Stigma and help-seeking
    description: Readings on stigma.
    match:
      - stigma*
      - help-seeking
  - id: unsorted
    name: Still to be sorted
    description: Not yet placed.
    match: []
"""

TAGS = """\
tags:
  - id: stigma
    name: Stigma
    category: topic
    synonyms:
      - discrimination
  - id: hong-kong
    name: Hong Kong
    category: region
"""


def load_texts(
    tmp_path: Path, themes: str = THEMES, tags: str = TAGS
) -> tuple[Vocabulary | None, list[str]]:
    (tmp_path / "themes.yml").write_text(themes, encoding="utf-8")
    (tmp_path / "tags.yml").write_text(tags, encoding="utf-8")
    loaded, problems = load_vocabulary(tmp_path)
    prefix = f"{tmp_path.as_posix()}/"
    return loaded, [str(p).replace(prefix, "") for p in problems]


def test_the_small_vocabulary_loads(tmp_path):
    loaded, problems = load_texts(tmp_path)
    assert problems == []
    assert loaded is not None
    assert loaded.themes_path == f"{tmp_path.as_posix()}/themes.yml"
    assert [t.id for t in loaded.tags] == ["stigma", "hong-kong"]
    assert loaded.tag("stigma").synonyms == ("discrimination",)
    assert loaded.tag("hong-kong").description == ""


@pytest.mark.parametrize(
    ("themes", "tags", "expected"),
    [
        (
            THEMES.replace(
                "    match:\n      - stigma*", "    name: Stigma\n    match:\n      - stigma*"
            ),
            TAGS,
            [
                "themes.yml:7: 'name' appears twice (first on line 5); keep one of them and delete the other"
            ],
        ),
        (
            THEMES,
            TAGS.replace("    synonyms:", "    synonym:"),
            ["tags.yml:5: unknown field 'synonym' in tag 'stigma'; did you mean 'synonyms'?"],
        ),
        (
            THEMES.replace(
                "    description: Readings on stigma.", "    descripton: Readings on stigma."
            ),
            TAGS,
            [
                "themes.yml:4: theme 'stigma' has no 'description'; add 'description: ...': one or two plain sentences for trainers: what readings in this theme help with",
                "themes.yml:6: unknown field 'descripton' in theme 'stigma'; did you mean 'description'?",
            ],
        ),
        (
            THEMES.replace("fallback: unsorted\nthemes:", "fallback: unsorted\ntheme:"),
            TAGS,
            [
                "themes.yml:1: 'themes:' is missing; add 'themes:' followed by the list of themes",
                "themes.yml:3: unknown field 'theme' in this file; did you mean 'themes'?",
            ],
        ),
        (
            THEMES.replace("  - id: unsorted", "  - id: stigma"),
            TAGS,
            [
                "themes.yml:2: fallback theme 'unsorted' is not a theme in this file; known values: stigma",
                "themes.yml:10: theme id 'stigma' is used twice (first on line 4); give one of them another id; record files name a theme by its id",
            ],
        ),
        (
            THEMES,
            TAGS.replace("  - id: hong-kong", "  - id: stigma"),
            [
                "tags.yml:7: tag id 'stigma' is used twice (first on line 2); give one of them another id; record files name a tag by its id"
            ],
        ),
        (
            THEMES,
            TAGS.replace("  - id: hong-kong", "  - id: index"),
            [
                "tags.yml:7: tag id 'index' is the address of the page that lists every tag; give the tag another id, such as 'tag-index'"
            ],
        ),
        (
            THEMES.replace("  - id: stigma", "  - id: Stigma Help"),
            TAGS,
            [
                "themes.yml:4: theme id 'Stigma Help' may only hold a-z, 0-9 and single '-' between words; write it as 'stigma-help'"
            ],
        ),
        (
            THEMES,
            TAGS.replace(
                "    category: region",
                "    category: region\n    synonyms:\n      - Discriminations",
            ),
            [
                "tags.yml:11: 'Discriminations' is already a name or synonym of tag 'stigma' (line 6); keep it in one tag only"
            ],
        ),
        (
            THEMES,
            TAGS.replace("    name: Hong Kong", "    name: stigma"),
            [
                "tags.yml:8: 'stigma' is already a name or synonym of tag 'stigma' (line 3); keep it in one tag only"
            ],
        ),
        (
            THEMES,
            TAGS.replace("category: region", "category: regions"),
            ["tags.yml:9: unknown category 'regions' for tag 'hong-kong'; did you mean 'region'?"],
        ),
        (
            THEMES,
            TAGS.replace("category: region", "category: place of study"),
            [
                "tags.yml:9: unknown category 'place of study' for tag 'hong-kong'; write one of: topic, population, setting, region, study design"
            ],
        ),
        (
            THEMES,
            TAGS.replace("    category: region\n", ""),
            [
                "tags.yml:7: tag 'hong-kong' has no 'category'; add 'category: ...': one of: topic, population, setting, region, study design"
            ],
        ),
        (
            THEMES.replace("fallback: unsorted\n", ""),
            TAGS,
            [
                "themes.yml:1: 'fallback:' is missing; add 'fallback: unsorted' (the theme of readings the rules cannot place)"
            ],
        ),
        (
            THEMES.replace("fallback: unsorted", "fallback: unsortd"),
            TAGS,
            [
                "themes.yml:2: fallback theme 'unsortd' is not a theme in this file; did you mean 'unsorted'?"
            ],
        ),
        (
            THEMES.replace("fallback: unsorted", "fallback:"),
            TAGS,
            [
                "themes.yml:2: 'fallback' names no theme; write the id of the theme for readings the rules cannot place, like 'fallback: unsorted'"
            ],
        ),
        (
            THEMES.replace("    name: Still to be sorted", "    name:"),
            TAGS,
            ["themes.yml:11: theme 'unsorted' has an empty 'name'; write the heading readers see"],
        ),
        (
            THEMES,
            TAGS.replace("    name: Hong Kong", "    name: '  '"),
            ["tags.yml:8: tag 'hong-kong' has an empty 'name'; write the tag as readers see it"],
        ),
        (
            THEMES.replace(
                "      - help-seeking", "      - st*\n      - stig*ma\n      - Stigmas*"
            ),
            TAGS,
            [
                "themes.yml:9: in 'stigma', 'st*' is too short before the '*'; write at least 4 letters; rewrite or delete the phrase",
                "themes.yml:10: in 'stigma', 'stig*ma' has a '*' inside; '*' may only end a phrase; rewrite or delete the phrase",
            ],
        ),
        (
            THEMES.replace("      - help-seeking", "      - Help seeking\n      - helps-seeking"),
            TAGS,
            [
                "themes.yml:10: in 'stigma', 'helps-seeking' repeats 'Help seeking' (plurals match anyway); delete one of them"
            ],
        ),
        (
            THEMES.replace("      - help-seeking", "      - 'help. seeking'"),
            TAGS,
            [
                "themes.yml:9: in 'stigma', 'help. seeking' holds . ! ? ; : or brackets, which a phrase never runs across; rewrite or delete the phrase"
            ],
        ),
        (
            THEMES.replace("    match:\n      - stigma*", "    match: stigma*"),
            TAGS,
            [
                "themes.yml:7: 'match' should be a list; put each entry on its own line, starting with '- ', under 'match:'"
            ],
        ),
        (
            THEMES.replace("  - id: stigma", "  - id: &a stigma").replace(
                "  - id: unsorted", "  - id: *a"
            ),
            TAGS,
            [
                "themes.yml:2: fallback theme 'unsorted' is not a theme in this file; known values: stigma",
                "themes.yml:10: 'id' reuses a value with a YAML alias (*); write the value out in full; anchors and aliases are not allowed",
            ],
        ),
        (
            THEMES,
            TAGS.replace("    name: Hong Kong", "    name: !!python/object:os.system Hong Kong"),
            [
                "tags.yml:8: 'name' has a YAML tag '!!python/object:os.system'; remove the tag; record files hold plain text only"
            ],
        ),
        (
            THEMES,
            "tags:\n  - stigma\n",
            [
                "tags.yml:2: each tag should be a group of fields starting with '- id:'; copy an existing tag and change its values"
            ],
        ),
    ],
)
def test_broken_vocabulary_files_are_reported(tmp_path, themes, tags, expected):
    _, problems = load_texts(tmp_path, themes, tags)
    assert problems == expected


def test_a_broken_entry_does_not_hide_the_others(tmp_path):
    """The vocabulary still loads, so records can be checked against it too."""
    loaded, problems = load_texts(
        tmp_path, tags=TAGS.replace("category: region", "category: regions")
    )
    assert len(problems) == 1
    assert loaded is not None
    assert [t.id for t in loaded.tags] == ["stigma", "hong-kong"]


def test_without_a_fallback_there_is_no_vocabulary(tmp_path):
    loaded, problems = load_texts(tmp_path, themes=THEMES.replace("fallback: unsorted\n", ""))
    assert loaded is None
    assert len(problems) == 1


@pytest.mark.parametrize(
    ("themes", "expected"),
    [
        (
            "fallback: unsorted\nthemes:\n  - id: x\n   name: y\n",
            "themes.yml:4: YAML syntax error: did not find expected '-' indicator; "
            "check the indentation and the ': ' after each field name; put a value holding ': ' "
            "or starting with a special character in quotes",
        ),
        (
            "- fallback: unsorted\n",
            "themes.yml:1: the file should start with fallback: and themes:; "
            "compare it with the file in the repository's main branch",
        ),
        (
            "# only a comment\n",
            "themes.yml:1: the file should start with fallback: and themes:; compare it with the file in the repository's main branch",
        ),
        ("", "themes.yml:1: the file is empty; add content or delete the file"),
        (
            THEMES.replace("Readings on stigma.", "Readings\x07 on stigma."),
            "themes.yml:6: 'themes' contains an invisible character U+0007 (control character); "
            "delete it (retype the text around it if you cannot see it)",
        ),
        (
            "fallback: unsorted\nthemes: " + "[" * 50_000 + "]" * 50_000 + "\n",
            "themes.yml:2: the file is nested too deeply; remove the extra brackets or indentation",
        ),
    ],
)
def test_unreadable_themes_files(tmp_path, themes, expected):
    loaded, problems = load_texts(tmp_path, themes=themes)
    assert loaded is None
    assert problems == [expected]


def test_a_missing_file_is_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "themes.yml").write_text(THEMES, encoding="utf-8")
    loaded, problems = load_vocabulary(tmp_path)
    assert loaded is None
    assert [str(p) for p in problems] == [
        "tags.yml: the vocabulary file is missing; restore tags.yml from the repository "
        "(git checkout -- tags.yml)"
    ]
