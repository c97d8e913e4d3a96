"""Related readings: found by shared telling words, themes and tags, with the work per
record bounded, so a long list costs each record the same as a short one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.index import (
    MAX_FEATURE_MEMBERS,
    MAX_POSTINGS,
    RELATED_COUNT,
    Entry,
    related_readings,
)
from generator.model import Record
from generator.vocabulary import Classification
from tests.related_reference import plain_related_readings


def entry(record_id: str, abstract: str, themes=("peer-roles",), tags=()) -> Entry:
    reasons = tuple(("given", "") for _ in (*themes, *tags))
    return Entry(
        Record(id=record_id, abstract=abstract),
        f"{record_id}.yml",
        Classification(tuple(themes), tuple(tags), reasons),
    )


def filler(n: int) -> str:
    """A word of this record only, so records share nothing by accident."""
    return f"word{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}{chr(97 + n // 676)}x"


def common_word_list(size: int) -> list[Entry]:
    """``size`` records, a tenth of them sharing one word, and two sharing a rarer one."""
    entries = [
        entry(f"r-{n:04d}", f"mentoring {filler(n)}" if n % 10 == 0 else filler(n), (), ())
        for n in range(size)
    ]
    entries.append(entry("rare-a", "mentoring sociocracy", themes=(), tags=()))
    entries.append(entry("rare-b", "sociocracy", themes=(), tags=()))
    return entries


def test_a_rare_shared_word_still_finds_its_reading_among_many_common_ones():
    related = related_readings(common_word_list(30 * MAX_POSTINGS))
    assert related["rare-a"][0].id == "rare-b"
    assert related["rare-a"][0].shared_words == ("sociocracy",)


def test_a_common_word_leads_only_to_the_readings_it_weighs_most_in():
    """The bound on the work per record: a word shared by many records is followed to
    the MAX_POSTINGS records it weighs most in, and to no other. "weak" shares the word
    with "me" (and a large theme) but holds it once among many words of its own, so it
    is not found; with every holder followed it would be the best match."""
    size = 30 * MAX_POSTINGS
    # In "r-" records the word weighs about 0.21, in "weak" 0.12; "weak" also shares the
    # theme (+0.10), which would put it first.
    entries = [
        entry(
            f"r-{n:04d}",
            f"mentoring {' '.join(filler(10 * size + 4 * n + k) for k in range(4))}"
            if n % 10 == 0
            else filler(n),
        )
        for n in range(size)
    ]
    weak_words = " ".join(filler(size + n) for n in range(12))
    entries.append(entry("weak", f"mentoring {weak_words}", themes=("stigma",)))
    entries.append(entry("me", "mentoring", themes=("stigma",)))
    entries += [entry(f"s-{n:04d}", filler(2 * size + n), themes=("stigma",)) for n in range(250)]
    related = [r.id for r in related_readings(entries)["me"]]
    assert related and "weak" not in related
    assert all(r.startswith("r-") for r in related)


def test_a_large_theme_adds_its_bonus_to_readings_found_by_words():
    """Past MAX_FEATURE_MEMBERS a theme no longer brings every member in, but a reading
    found by its words still ranks higher for sharing it."""
    size = 300
    entries = [
        entry(f"t-{n:04d}", filler(n), themes=("stigma",) if n % 2 else ("online",))
        for n in range(size)
    ]
    entries += [
        entry("x-same", "sociocracy circles", themes=("stigma",)),
        entry("x-other", "sociocracy circles", themes=("online",)),
        entry("x-me", "sociocracy circles", themes=("stigma",)),
    ]
    related = related_readings(entries)
    found = [r.id for r in related["x-me"]]
    assert found[:2] == ["x-same", "x-other"]
    assert related["x-me"][0].shared_themes == ("stigma",)
    assert len(found) <= RELATED_COUNT


# Lists drawn from a small vocabulary, so records share words, themes and tags often
# and ties in score are common.
WORDS = ["peer", "support", "mentoring", "recovery", "stigma", "crisis", "hope", "trust"]
THEMES = ["stigma", "online", "peer-roles"]
TAGS = ["survey", "trial", "youth", "carers", "rural"]


# Past 64 themes and tags, a record's features take more than one 64-bit word.
MANY_THEMES = [f"theme-{n:02d}" for n in range(70)]


@st.composite
def reading_lists(draw, themes=THEMES, tags=TAGS, repeats=False) -> list[Entry]:
    """Up to 40 records; with ``repeats``, a record may list a theme or tag twice."""
    size = draw(st.integers(min_value=0, max_value=40))
    entries = []
    for n in range(size):
        text = " ".join(draw(st.lists(st.sampled_from([*WORDS, filler(n)]), max_size=30)))
        mine = draw(st.lists(st.sampled_from(themes), max_size=2, unique=not repeats))
        marks = draw(st.lists(st.sampled_from(tags), max_size=3, unique=not repeats))
        entries.append(entry(f"r-{n:03d}", text, tuple(mine), tuple(marks)))
    return draw(st.permutations(entries))


def assert_same_ranking(entries: list[Entry]) -> None:
    fast, plain = related_readings(entries), plain_related_readings(entries)
    assert fast.keys() == plain.keys()
    for record_id, found in plain.items():
        # Scores too, to the last bit: the array version adds in the same order.
        assert [
            (r.id, r.score, r.shared_themes, r.shared_tags, r.shared_words) for r in fast[record_id]
        ] == [(r.id, r.score, r.shared_themes, r.shared_tags, r.shared_words) for r in found], (
            record_id
        )


@settings(max_examples=150, deadline=None)
@given(reading_lists())
def test_the_array_ranking_is_the_plain_ranking(entries):
    """generator.index works on arrays; tests/related_reference.py is the same ranking
    as loops over dicts. Same readings, in the same order, sharing the same things."""
    assert_same_ranking(entries)


@settings(max_examples=60, deadline=None)
@given(reading_lists(themes=MANY_THEMES, tags=[*TAGS, *THEMES], repeats=True))
def test_the_array_ranking_is_the_plain_ranking_with_many_and_repeated_features(entries):
    """More than 64 themes and tags (bit masks of two words), some listed twice."""
    assert_same_ranking(entries)


def test_the_array_ranking_is_the_plain_ranking_past_every_bound():
    """Past MAX_POSTINGS and MAX_FEATURE_MEMBERS, where the two bounds cut."""
    entries = common_word_list(30 * MAX_POSTINGS) + [
        entry(f"t-{n:04d}", f"{filler(n)} circles", themes=("stigma",) if n % 2 else ("online",))
        for n in range(2 * MAX_FEATURE_MEMBERS + 10)
    ]
    assert_same_ranking(entries)


def test_the_array_ranking_is_the_plain_ranking_past_64_features():
    """80 themes and 5 tags: a record's features take two 64-bit words, and records
    whose themes are 64 apart must not look alike."""
    entries = [
        entry(
            f"m-{n:03d}",
            f"{filler(n)} {WORDS[n % len(WORDS)]}",
            themes=(f"theme-{n:02d}", f"theme-{(n + 1) % 80:02d}"),
            tags=(TAGS[n % len(TAGS)],),
        )
        for n in range(80)
    ]
    assert_same_ranking(entries)


def test_scores_are_rounded_as_python_rounds_even_next_to_a_half():
    """numpy's round scales by 1e9 first and can tip these the other way; ranking ties
    are decided on the rounded score, so it must be Python's."""
    import numpy as np

    from generator.index import _round9

    values = [0.1234567895, 2.0000000005, 0.3333333335, 0.5, 1e-10, 0.08]
    values += np.random.default_rng(7).random(100_000).tolist()
    assert _round9(np.array(values)).tolist() == [round(v, 9) for v in values]
