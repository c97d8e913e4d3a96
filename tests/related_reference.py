"""The plain version of ``generator.index.related_readings``: the same ranking written
as loops over dicts, as it was before the arrays (its squares now added in a loop,
the same on every Python version). tests/test_related.py checks the two
agree on generated lists; read this one to see what is computed."""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict

from generator.index import (
    MAX_FEATURE_MEMBERS,
    MAX_POSTINGS,
    RELATED_COUNT,
    RELATED_MIN_SCORE,
    TAG_WEIGHT,
    TERMS_PER_RECORD,
    THEME_WEIGHT,
    Entry,
    Related,
    words,
)


def plain_related_readings(entries: list[Entry]) -> dict[str, tuple[Related, ...]]:
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
        squares = 0.0
        for _, w in top:  # a plain loop: sum() adds differently from Python 3.12 on
            squares += w * w
        norm = math.sqrt(squares) or 1.0
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
