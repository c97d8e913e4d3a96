"""Text keys of the record model: what counts as the same title or abstract."""

from __future__ import annotations

import random
import re
import string

from generator.model import fold, normalized_words


def reference_normalized_words(text: str) -> str:
    """``normalized_words`` as first written: one regular expression for any text."""
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


def test_normalized_words_keeps_letters_and_digits_of_any_script():
    assert normalized_words("Peer-support_work: a 2nd look!") == "peer support work a 2nd look"
    assert normalized_words("ＰＥＥＲ  Straße\u00a0café") == "peer strasse café"
    assert normalized_words("") == "" and normalized_words(" _-_ ") == ""


def test_normalized_words_of_ascii_text_equals_the_regular_expression():
    rng = random.Random(20261123)
    alphabet = string.printable + "_" * 5
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 60)))
        assert normalized_words(text) == reference_normalized_words(text), repr(text)
    for text in ("naïve café", "résumé—done", "日本語 text", "x\u200by"):
        assert normalized_words(text) == reference_normalized_words(text), repr(text)
