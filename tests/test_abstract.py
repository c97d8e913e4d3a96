"""Structured abstracts: section labels in the shapes they arrive in, and the gist."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.abstract import (
    AIM_PHRASES,
    LABEL_ALTERNATIVES,
    LABEL_PATTERN,
    gist,
    sections,
    sentences,
    shorten,
)


@pytest.mark.parametrize(
    "abstract",
    [
        "Background: Little is known. Methods: We asked. Results: Much.",
        "BACKGROUND Little is known. METHODS We asked. RESULTS Much.",
        "Purpose – Little is known. Findings – Much.",
        "BackgroundLittle is known. MethodsWe asked.",
        "Little is known. Methods A total of ten. Results Much.",
    ],
)
def test_labels_are_found_in_each_shape(abstract):
    labels = [s.label.lower() for s in sections(abstract) if s.label]
    assert len(labels) >= 2 and labels[0] in ("background", "purpose", "methods")


def test_a_sentence_starting_with_a_label_word_stays_text():
    for text in ("Results were mixed. Findings differ.", "Methods, and findings, differ."):
        assert [s.label for s in sections(text)] == [None]


def test_the_gist_is_the_aim_sentence_or_the_first():
    assert gist("Background: Old. Aims: To ask why. It matters. Methods: We asked.") == (
        "To ask why."
    )
    assert gist("Peer work grew. This study asks why. It matters.") == "This study asks why."
    assert gist("Peer work grew. It matters.") == "Peer work grew."


PIECES = st.sampled_from(
    [
        "Background",
        "BACKGROUND",
        "Methods",
        "Aims",
        "Purpose",
        "Design/methodology/approach",
        "Results",
        "the aim of this",
        "This study",
        "we explore",
        "aims to",
        "word",
        "Word",
        "A",
        "1",
        "To",
        ":",
        " –",
        ".",
        "?",
        "!",
        "“",
        "(",
    ]
)
TEXT = st.lists(st.tuples(PIECES, st.sampled_from(["", " ", "  ", "\n"])), max_size=30).map(
    lambda parts: "".join(piece + space for piece, space in parts)
)


@settings(max_examples=1000, deadline=None)
@given(TEXT)
def test_the_quick_label_search_finds_what_the_full_pattern_finds(text):
    """LABEL_PATTERN looks for a label's first letter before trying the alternatives."""
    full = re.compile(LABEL_ALTERNATIVES)
    assert [m.span() for m in LABEL_PATTERN.finditer(text)] == [
        m.span() for m in full.finditer(text)
    ]


def gist_sentence_by_sentence(abstract: str) -> str | None:
    """``gist`` as first written: every sentence of every part searched for an aim phrase."""
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
        for sentence in sentences(part.text):
            if AIM_PHRASES.search(sentence):
                return shorten(sentence)
    first = sentences(parts[0].text)
    return shorten(first[0]) if first else None


@settings(max_examples=1000, deadline=None)
@given(TEXT)
def test_skipping_parts_without_an_aim_phrase_changes_no_gist(text):
    assert gist(text) == gist_sentence_by_sentence(text)
