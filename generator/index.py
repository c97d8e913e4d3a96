"""Group records by theme, year, tag and author, and find related readings.

Everything a page needs about other records is computed here once, so rendering is a
plain walk over ready lists. Orders are total (ties broken by id), so the same records
always give the same pages.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from slugify import slugify

from generator.model import Person, Record
from generator.vocabulary import Classification, Vocabulary, classify

RELATED_COUNT = 5
RELATED_MIN_SCORE = 0.08
TERMS_PER_RECORD = 20
# A word leads to at most this many other records: those it weighs most in. Common
# words carry little signal, and without a bound matching grows with the square of
# the list (each record would meet every other record sharing a common word).
MAX_POSTINGS = 12
# A theme or tag with at most this many records makes them all candidates; a larger
# one only adds its bonus to candidates found by their words.
MAX_FEATURE_MEMBERS = 200
THEME_WEIGHT = 0.10
TAG_WEIGHT = 0.06
WORD = re.compile(r"[^\W\d_]{3,}")
STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "among",
        "and",
        "any",
        "are",
        "around",
        "because",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "can",
        "could",
        "did",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "into",
        "its",
        "itself",
        "more",
        "most",
        "not",
        "now",
        "off",
        "once",
        "only",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "too",
        "under",
        "until",
        "upon",
        "very",
        "was",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "you",
        "your",
        "may",
        "might",
        "must",
        "well",
        "use",
        "used",
        "using",
        "three",
        "two",
        "one",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "study",
        "studies",
        "paper",
        "article",
        "chapter",
        "purpose",
        "findings",
        "results",
        "methods",
        "method",
        "conclusions",
        "conclusion",
        "background",
        "aims",
        "aim",
        "design",
        "approach",
        "originality",
        "value",
        "research",
        "implications",
        "limitations",
    ]
)


@dataclass(frozen=True)
class Entry:
    """A record, the file it lives in, and the themes and tags it ended up with."""

    record: Record
    file: str
    classification: Classification

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def themes(self) -> tuple[str, ...]:
        return self.classification.themes

    @property
    def tags(self) -> tuple[str, ...]:
        return self.classification.tags


@dataclass(frozen=True)
class Related:
    """A similar record, and what the two share, most telling first."""

    id: str
    score: float
    shared_themes: tuple[str, ...]
    shared_tags: tuple[str, ...]
    shared_words: tuple[str, ...]


@dataclass(frozen=True)
class Library:
    """The whole list, grouped. Built once by ``build_library``; never changed after."""

    vocabulary: Vocabulary
    entries: dict[str, Entry]  # by id, in id order
    by_theme: dict[str, tuple[str, ...]]  # theme id -> record ids, newest first, undated last
    by_year: dict[int | None, tuple[str, ...]]  # year (None: undated) -> record ids
    by_tag: dict[str, tuple[str, ...]]
    by_author: dict[str, tuple[str, ...]]  # author name as written -> record ids
    author_slugs: dict[str, str]  # author name as written -> unique page slug
    related: dict[str, tuple[Related, ...]]

    def years(self) -> list[int | None]:
        """Years newest first, then None (undated)."""
        return sorted(self.by_year, key=lambda y: (y is None, -(y or 0)))

    @functools.cached_property
    def _places(self) -> dict[str, dict[str, int]]:
        """Each record's place in each theme (looked up for every record page)."""
        return {theme: {i: n for n, i in enumerate(ids)} for theme, ids in self.by_theme.items()}

    def neighbours(self, theme: str, record_id: str) -> tuple[str | None, str | None]:
        ids = self.by_theme[theme]
        at = self._places[theme][record_id]
        return (ids[at - 1] if at > 0 else None, ids[at + 1] if at + 1 < len(ids) else None)


def reading_order(entry: Entry) -> tuple:
    """Newest first, undated last; then by first author, title and id."""
    record = entry.record
    first = record.authors[0].sort_key if record.authors else ("\uffff",)
    return (
        record.year is None,
        -(record.year or 0),
        first,
        (record.title or "").casefold(),
        record.id,
    )


def build_library(
    items: Iterable[tuple[Record, str]],
    vocabulary: Vocabulary,
    place: Callable[[Record, Vocabulary], Classification] = classify,
) -> Library:
    """Index ``(record, record file path)`` pairs, each placed in themes and tags by
    ``place`` (``classify``, or what an earlier run found: generator/index_cache.py)."""
    entries = {
        r.id: Entry(r, path, place(r, vocabulary))
        for r, path in sorted(items, key=lambda item: item[0].id)
    }
    ordered = sorted(entries.values(), key=reading_order)
    by_theme: dict[str, list[str]] = {t.id: [] for t in vocabulary.themes}
    by_year: dict[int | None, list[str]] = defaultdict(list)
    by_tag: dict[str, list[str]] = {t.id: [] for t in vocabulary.tags}
    by_author: dict[str, list[str]] = defaultdict(list)
    for entry in ordered:
        for theme in entry.themes:
            by_theme[theme].append(entry.id)
        for tag in entry.tags:
            by_tag[tag].append(entry.id)
        by_year[entry.record.year].append(entry.id)
        for person in dict.fromkeys(entry.record.authors):
            by_author[person.name].append(entry.id)
    return Library(
        vocabulary=vocabulary,
        entries=entries,
        by_theme={k: tuple(v) for k, v in by_theme.items() if v},
        by_year={
            k: tuple(v)
            for k, v in sorted(by_year.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0)))
        },
        by_tag={k: tuple(v) for k, v in by_tag.items() if v},
        by_author={
            k: tuple(v) for k, v in sorted(by_author.items(), key=lambda kv: Person(kv[0]).sort_key)
        },
        author_slugs=unique_slugs(by_author),
        related=related_readings(list(entries.values())),
    )


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A page name per author; names that slug alike ("Wing-Man Chan", "Wing Man Chan")
    stay two people and get numbered slugs, in a stable order. ``index`` is the page
    that lists every author: an author called "Index" is ``index-2``."""
    slugs: dict[str, str] = {}
    used: set[str] = {"index"}
    for name in sorted(names):
        base = slugify(name) or "author"
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        slugs[name] = slug
    return slugs


def words(text: str) -> list[str]:
    found = []
    for word in WORD.findall(text.lower()):
        if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "is", "us")):
            word = word[:-1]
        if word not in STOPWORDS:
            found.append(word)
    return found


def related_readings(entries: list[Entry]) -> dict[str, tuple[Related, ...]]:
    """Most similar records by the words of title and abstract (tf-idf, cosine) plus
    shared themes and tags. Candidates come from an inverted index of each record's
    strongest words, so the cost grows with the number of records, not its square.
    Records are numbered in id order, so ties go to the smaller id.

    Computed on numpy arrays, one step for all records at a time: at 10,000 records
    about 2 s, against 5.96 s for the same steps as loops over dicts (BENCHMARKS.md).
    ``tests/related_reference.py`` is that loop version, which the tests check this
    against; sums are taken in the same order. Almost half the time is splitting the
    texts into words, in Python.
    """
    entries = sorted(entries, key=lambda e: e.id)
    if not entries:
        return {}
    vectors = _word_vectors(entries)
    pairs = _candidate_pairs(entries, vectors)
    return _best_related(entries, vectors, pairs)


@dataclass(frozen=True)
class _WordVectors:
    """Each record's TERMS_PER_RECORD strongest words, normalised, as flat arrays sorted
    by record, then weight (descending), then word: entry k is word ``terms[k]`` (an
    index into ``vocabulary``, which is sorted) of record ``records[k]``."""

    vocabulary: list[str]
    records: np.ndarray
    terms: np.ndarray
    weights: np.ndarray


def _word_vectors(entries: list[Entry]) -> _WordVectors:
    counts = [Counter(words(f"{e.record.title or ''} {e.record.abstract or ''}")) for e in entries]
    vocabulary = sorted({term for counter in counts for term in counter})
    number = {term: n for n, term in enumerate(vocabulary)}
    sizes = np.fromiter((len(c) for c in counts), dtype=np.int64, count=len(counts))
    records = np.repeat(np.arange(len(counts)), sizes)
    terms = np.fromiter((number[t] for c in counts for t in c), dtype=np.int64, count=len(records))
    times = np.fromiter((n for c in counts for n in c.values()), dtype=np.int64, count=len(records))
    # The logarithms by Python's math.log, in tables (one entry per word, one per
    # count up to the largest), so the weights are the plain version's to the
    # last bit.
    total = len(entries)
    document_frequency = np.bincount(terms, minlength=len(vocabulary))
    idf = np.array([math.log((1 + total) / df) for df in document_frequency.tolist()])
    tf = np.array([0.0] + [1 + math.log(n) for n in range(1, int(times.max(initial=0)) + 1)])[times]
    weights = tf * idf[terms]
    order = np.lexsort((terms, -weights, records))
    kept = order[_rank_in_group(records[order]) < TERMS_PER_RECORD]
    records, terms, weights = records[kept], terms[kept], weights[kept]
    # bincount adds in array order, as the plain version's loop does.
    norms = np.sqrt(np.bincount(records, weights=weights * weights, minlength=total))
    norms[norms == 0] = 1.0
    return _WordVectors(vocabulary, records, terms, weights / norms[records])


def _rank_in_group(groups: np.ndarray) -> np.ndarray:
    """For a sorted array of group numbers, each element's place within its group."""
    if len(groups) == 0:
        return groups
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, len(groups)])
    return np.arange(len(groups)) - np.repeat(starts, sizes)


@dataclass(frozen=True)
class _Pairs:
    """Candidate pairs (record ``mine``, record ``other``) and their word score."""

    mine: np.ndarray
    other: np.ndarray
    score: np.ndarray


def _candidate_pairs(entries: list[Entry], vectors: _WordVectors) -> _Pairs:
    total = len(entries)
    # Postings: for each word, the records it is strong in. A word in at most
    # MAX_POSTINGS records keeps them all, in record order; a word in more keeps the
    # MAX_POSTINGS it weighs most in (ties: the smaller number).
    held = np.bincount(vectors.terms, minlength=len(vectors.vocabulary))
    crowded = held[vectors.terms] > MAX_POSTINGS
    weight_key = np.where(crowded, -vectors.weights, 0.0)
    by_term = np.lexsort((vectors.records, weight_key, vectors.terms))
    by_term = by_term[_rank_in_group(vectors.terms[by_term]) < MAX_POSTINGS]
    posting_terms = vectors.terms[by_term]
    posting_starts = np.searchsorted(posting_terms, np.arange(len(vectors.vocabulary)))
    posting_sizes = np.bincount(posting_terms, minlength=len(vectors.vocabulary))
    # Every (word of a record) × (posting of that word), in the plain version's order.
    sizes = posting_sizes[vectors.terms]
    source = np.repeat(np.arange(len(vectors.terms)), sizes)
    step = np.arange(len(source)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    target = by_term[posting_starts[vectors.terms[source]] + step]
    mine = [vectors.records[source]]
    other = [vectors.records[target]]
    score = [vectors.weights[source] * vectors.weights[target]]
    # A small theme or tag makes all its records candidates (score 0 from it).
    members: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n, entry in enumerate(entries):
        for feature in dict.fromkeys(
            [*(("theme", t) for t in entry.themes), *(("tag", t) for t in entry.tags)]
        ):
            members[feature].append(n)
    for group in members.values():
        if len(group) <= MAX_FEATURE_MEMBERS:
            square = np.array(group, dtype=np.int64)
            mine.append(np.repeat(square, len(square)))
            other.append(np.tile(square, len(square)))
            score.append(np.zeros(len(square) * len(square)))
    mine_all, other_all, score_all = (
        np.concatenate(mine),
        np.concatenate(other),
        np.concatenate(score),
    )
    keys, slot = np.unique(mine_all * total + other_all, return_inverse=True)
    summed = np.bincount(slot, weights=score_all, minlength=len(keys))
    pair_mine, pair_other = keys // total, keys % total
    apart = pair_mine != pair_other
    return _Pairs(pair_mine[apart], pair_other[apart], summed[apart])


def _feature_masks(entries: list[Entry]) -> tuple[np.ndarray, np.ndarray]:
    """Themes and tags of each record as rows of 64-bit words, one bit per feature."""
    features = sorted(
        {("theme", t) for e in entries for t in e.themes}
        | {("tag", t) for e in entries for t in e.tags}
    )
    bit = {feature: n for n, feature in enumerate(features)}
    width = max(1, math.ceil(len(features) / 64))
    masks = []
    for kind in ("theme", "tag"):
        rows, bits = [], []
        for n, entry in enumerate(entries):
            for name in set(entry.themes if kind == "theme" else entry.tags):
                rows.append(n)
                bits.append(bit[(kind, name)])
        row, at = np.array(rows, dtype=np.int64), np.array(bits, dtype=np.int64)
        mask = np.zeros((len(entries), width), dtype=np.uint64)
        np.bitwise_or.at(mask, (row, at // 64), np.uint64(1) << (at % 64).astype(np.uint64))
        masks.append(mask)
    return masks[0], masks[1]


def _best_related(
    entries: list[Entry], vectors: _WordVectors, pairs: _Pairs
) -> dict[str, tuple[Related, ...]]:
    theme_masks, tag_masks = _feature_masks(entries)
    themes_in_common = np.bitwise_count(theme_masks[pairs.mine] & theme_masks[pairs.other])
    tags_in_common = np.bitwise_count(tag_masks[pairs.mine] & tag_masks[pairs.other])
    score = (
        pairs.score
        + THEME_WEIGHT * themes_in_common.sum(axis=1)
        + TAG_WEIGHT * tags_in_common.sum(axis=1)
    )
    good = score >= RELATED_MIN_SCORE
    # Ranked by score to 9 decimals, best first, ties to the smaller number: the pairs
    # are in (mine, other) order, so a stable sort on (mine, -score) keeps that.
    mine, other, rounded = pairs.mine[good], pairs.other[good], _round9(score[good])
    units = np.rint(rounded * 1e9).astype(np.int64)
    span = int(units.max(initial=0)) + 1
    order = np.argsort(mine * span + (span - 1 - units), kind="stable")
    order = order[_rank_in_group(mine[order]) < RELATED_COUNT]
    mine, other, rounded = mine[order], other[order], rounded[order]
    words_shared = _shared_words(vectors, len(entries), mine, other)
    shared_themes = _shared_in_order([entry.themes for entry in entries], mine, other)
    shared_tags = _shared_in_order([entry.tags for entry in entries], mine, other)
    ids = [entry.id for entry in entries]
    found = [
        Related(id=ids[them], score=value, shared_themes=th, shared_tags=tg, shared_words=wd)
        for them, value, th, tg, wd in zip(
            other.tolist(), rounded.tolist(), shared_themes, shared_tags, words_shared, strict=True
        )
    ]
    runs = _runs(mine, len(entries))  # ``mine`` is sorted: a record's readings are one run
    return {ids[n]: tuple(found[start:end]) for n, (start, end) in enumerate(runs)}


def _runs(groups: np.ndarray, count: int) -> list[tuple[int, int]]:
    """For a sorted array of group numbers 0 .. count - 1, where each group's run
    starts and ends (an empty run for a group that does not occur)."""
    bounds = np.searchsorted(groups, np.arange(count + 1)).tolist()
    return list(pairwise(bounds))


def _shared_in_order(
    features: list[tuple[str, ...]], mine: np.ndarray, other: np.ndarray
) -> list[tuple[str, ...]]:
    """For each pair, the features of ``mine[k]`` that ``other[k]`` has too, in the
    order ``mine[k]`` lists them. Worked out once per distinct pair of feature lists
    (records share a few combinations of themes), not once per pair."""
    kinds: dict[tuple[str, ...], int] = {}
    kind = np.array([kinds.setdefault(f, len(kinds)) for f in features], dtype=np.int64)
    listed = list(kinds)
    distinct, which = np.unique(kind[mine] * len(kinds) + kind[other], return_inverse=True)
    answers = []
    for key in distinct.tolist():
        theirs = set(listed[key % len(kinds)])
        answers.append(tuple(f for f in listed[key // len(kinds)] if f in theirs))
    return [answers[n] for n in which.tolist()]


def _round9(values: np.ndarray) -> np.ndarray:
    """``round(value, 9)`` for each value, as Python rounds: numpy's round scales by
    1e9 first, which can tip a value close to a half the other way (about 1 in
    5,000,000), so those few are rounded again by Python."""
    rounded = np.round(values, 9)
    scaled = values * 1e9
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    rounded[near_half] = [round(value, 9) for value in values[near_half].tolist()]
    return rounded


def _shared_words(
    vectors: _WordVectors, total: int, mine: np.ndarray, other: np.ndarray, count: int = 4
) -> list[tuple[str, ...]]:
    """For each pair (``mine[k]``, ``other[k]``), the ``count`` words of both vectors
    that add most to the two records' similarity (ties: alphabetical)."""
    width = len(vectors.vocabulary)
    # Every word of each pair's first record, looked up among the second's words.
    starts = np.searchsorted(vectors.records, np.arange(total))
    sizes = np.bincount(vectors.records, minlength=total)[mine]
    pair = np.repeat(np.arange(len(mine)), sizes)
    mine_entry = np.repeat(starts[mine] - (np.cumsum(sizes) - sizes), sizes) + np.arange(len(pair))
    keys = vectors.records * width + vectors.terms
    by_key = np.argsort(keys)
    wanted = other[pair] * width + vectors.terms[mine_entry]
    at = np.searchsorted(keys, wanted, sorter=by_key).clip(max=max(len(keys) - 1, 0))
    found = keys[by_key[at]] == wanted
    pair, mine_entry, their_entry = pair[found], mine_entry[found], by_key[at[found]]
    product = vectors.weights[mine_entry] * vectors.weights[their_entry]
    term = vectors.terms[mine_entry]
    order = np.lexsort((term, -product, pair))
    order = order[_rank_in_group(pair[order]) < count]
    listed = [vectors.vocabulary[t] for t in term[order].tolist()]
    return [tuple(listed[start:end]) for start, end in _runs(pair[order], len(mine))]
