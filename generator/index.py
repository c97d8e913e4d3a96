"""Group records by theme, year, tag and author, and find related readings.

Everything a page needs about other records is computed here once, so rendering is a
plain walk over ready lists. Orders are total (ties broken by id), so the same records
always give the same pages.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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

    def neighbours(self, theme: str, record_id: str) -> tuple[str | None, str | None]:
        ids = self.by_theme[theme]
        at = ids.index(record_id)
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


def build_library(items: Iterable[tuple[Record, str]], vocabulary: Vocabulary) -> Library:
    """Index ``(record, record file path)`` pairs."""
    entries = {
        r.id: Entry(r, path, classify(r, vocabulary))
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
    stay two people and get numbered slugs, in a stable order."""
    slugs: dict[str, str] = {}
    used: set[str] = set()
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
    Records are numbered in id order, so ties go to the smaller id."""
    entries = sorted(entries, key=lambda e: e.id)
    counts = [Counter(words(f"{e.record.title or ''} {e.record.abstract or ''}")) for e in entries]
    document_frequency = Counter(term for c in counts for term in c)
    total = len(entries)
    vectors: list[dict[str, float]] = []
    for counter in counts:
        weights = {
            t: (1 + math.log(n)) * math.log((1 + total) / document_frequency[t])
            for t, n in counter.items()
        }
        top = sorted(weights.items(), key=lambda tw: (-tw[1], tw[0]))[:TERMS_PER_RECORD]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors.append({t: w / norm for t, w in top})
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, vector in enumerate(vectors):
        for term, weight in vector.items():
            postings[term].append((number, weight))
    for posting in postings.values():
        if len(posting) > MAX_POSTINGS:
            posting.sort(key=lambda nw: (-nw[1], nw[0]))
            del posting[MAX_POSTINGS:]
    feature_postings: dict[tuple[str, str], list[int]] = defaultdict(list)
    record_features: list[list[tuple[str, str]]] = []
    for number, entry in enumerate(entries):
        features = list(
            dict.fromkeys(
                [*(("theme", t) for t in entry.themes), *(("tag", t) for t in entry.tags)]
            )
        )
        record_features.append(features)
        for feature in features:
            feature_postings[feature].append(number)
    bit = {feature: 1 << n for n, feature in enumerate(sorted(feature_postings))}
    theme_masks = [sum(bit[("theme", t)] for t in set(e.themes)) for e in entries]
    tag_masks = [sum(bit[("tag", t)] for t in set(e.tags)) for e in entries]
    related: dict[str, tuple[Related, ...]] = {}
    for number, entry in enumerate(entries):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vectors[number].items():
            for other, other_weight in postings[term]:
                scores[other] += weight * other_weight
        # A small theme or tag makes all its records candidates; then every candidate
        # gets the bonus of each theme and tag the two share (bit masks: one step each).
        for feature in record_features[number]:
            members = feature_postings[feature]
            if len(members) <= MAX_FEATURE_MEMBERS:
                for other in members:
                    scores.setdefault(other, 0.0)
        my_themes, my_tags = theme_masks[number], tag_masks[number]
        for other, score in scores.items():
            scores[other] = (
                score
                + THEME_WEIGHT * (theme_masks[other] & my_themes).bit_count()
                + TAG_WEIGHT * (tag_masks[other] & my_tags).bit_count()
            )
        scores.pop(number, None)
        best = heapq.nsmallest(
            RELATED_COUNT,
            ((-round(s, 9), o) for o, s in scores.items() if s >= RELATED_MIN_SCORE),
        )
        found = []
        for negative_score, other in best:
            mine, theirs = vectors[number], vectors[other]
            shared_words = sorted(
                set(mine) & set(theirs), key=lambda t: (-(mine[t] * theirs[t]), t)
            )[:4]
            them = entries[other]
            found.append(
                Related(
                    id=them.id,
                    score=-negative_score,
                    shared_themes=tuple(t for t in entry.themes if t in them.themes),
                    shared_tags=tuple(t for t in entry.tags if t in them.tags),
                    shared_words=tuple(shared_words),
                )
            )
        related[entry.id] = tuple(found)
    return related
