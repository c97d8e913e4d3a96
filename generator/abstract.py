"""Reading structure out of an abstract: its labelled sections, and a one-line gist.

Structured abstracts arrive in several shapes: ``Background: …``, ``BACKGROUND …``,
``Purpose – …``, a heading with no space after it (``BackgroundLittle is known``) or
none before it (``…were identified Findings – The …``). Labels are recognised from a
fixed list, so ordinary sentences that start with "Results" or "Findings" stay text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

LABELS = (
    "Background",
    "Introduction",
    "Context",
    "Purpose",
    "Aims",
    "Aim",
    "Objectives",
    "Objective",
    "Design/methodology/approach",
    "Methodology",
    "Methods",
    "Method",
    "Design",
    "Setting",
    "Participants",
    "Interventions",
    "Measures",
    "Results",
    "Findings",
    "Discussion",
    "Research limitations/implications",
    "Limitations",
    "Practical implications",
    "Social implications",
    "Implications",
    "Originality/value",
    "Conclusions",
    "Conclusion",
)
_ALTERNATIVES = "|".join(re.escape(label) for label in LABELS)
# A label followed by ':' or a dash: may follow any space ("identified Findings – The").
_MARKED = rf"(?:(?<=\s)|(?<=[.?!])|^)(?P<marked>{_ALTERNATIVES})\s*(?::|\s[\u2013\u2014-])\s*"
# A bare label: only at the start or after a sentence end, followed by a capitalised
# word with or without a space ("Methods A total", "AimsTo explore").
_BARE = rf"(?:(?<=[.?!]\s)|(?<=[.?!])|^)(?P<bare>{_ALTERNATIVES})\s?(?=[A-Z0-9])"
_UPPER = rf"(?:(?<=[.?!]\s)|^)(?P<upper>{'|'.join(re.escape(label.upper()) for label in LABELS)})\s+(?=[A-Z0-9])"
LABEL_ALTERNATIVES = f"{_MARKED}|{_UPPER}|{_BARE}"
# Every match starts at a label's first letter: looking for one of those letters first
# lets the search pass over the other characters in C (three times as fast; the
# lookbehinds above were tried at every character).
_FIRST_LETTERS = "".join(sorted({label[0] for label in LABELS}))
LABEL_PATTERN = re.compile(f"(?=[{_FIRST_LETTERS}])(?:{LABEL_ALTERNATIVES})")
MIN_LABELS = 2
GIST_LENGTH = 180
# Phrases that announce what a reading is about, best first.
AIM_PHRASES = re.compile(
    r"\b(the (aim|purpose|objective) of this|this (study|paper|article|chapter|review)\b|"
    r"we (aimed|sought|explore|describe)|"
    r"aims? (was |is )?to|purpose of|(explores|describes|examines|reviews)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Section:
    label: str | None  # as written in the abstract; None for unlabelled text
    text: str


# Cached: a record's gist is shown in every list that holds it (theme, year, tag, author
# pages, related readings), and splitting it again each time was most of rendering.
@cache
def sections(abstract: str) -> tuple[Section, ...]:
    """The abstract split at its section labels; one unlabelled section if it has none."""
    matches = list(LABEL_PATTERN.finditer(abstract))
    if len(matches) < MIN_LABELS:
        return (Section(None, abstract.strip()),)
    found: list[Section] = []
    if abstract[: matches[0].start()].strip():
        found.append(Section(None, abstract[: matches[0].start()].strip()))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(abstract)
        label = match["marked"] or match["upper"] or match["bare"]
        found.append(Section(label, abstract[match.end() : end].strip()))
    return tuple(s for s in found if s.text or s.label)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+(?=[A-Z“‘\"'(])", text) if s.strip()]


@cache
def gist(abstract: str) -> str | None:
    """One line saying what the reading is about, from its aim or purpose sentence."""
    parts = sections(abstract)
    for part in parts:
        if part.label and part.label.lower() in (
            "purpose",
            "aim",
            "aims",
            "objective",
            "objectives",
        ):
            return shorten(sentences(part.text)[0] if sentences(part.text) else part.text)
    for part in parts:
        # No phrase runs over a sentence end, so a part without one anywhere has no
        # sentence with one (most parts: searching it whole is quicker).
        if not AIM_PHRASES.search(part.text):
            continue
        for sentence in sentences(part.text):
            if AIM_PHRASES.search(sentence):
                return shorten(sentence)
    first = sentences(parts[0].text)
    return shorten(first[0]) if first else None


def shorten(text: str, limit: int = GIST_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"
