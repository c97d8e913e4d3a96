"""The records of a reading list: small immutable values.

Records are frozen and hold tuples, not lists, because one loaded record is shared by
every index and page built from it; nothing downstream may change what was read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from nameparser import HumanName
from slugify import slugify


@dataclass(frozen=True)
class Person:
    """An author as written in the source. The full name is the identity.

    Two people who share a family name (Pu Cheng, P. W. Cheng) are never merged;
    family and given names are derived only to sort and to cite.
    """

    name: str

    @property
    def family(self) -> str:
        return family_given(self.name)[0]

    @property
    def given(self) -> str:
        return family_given(self.name)[1]

    @property
    def sort_key(self) -> tuple[str, str, str]:
        return (fold(self.family), fold(self.given), self.name)

    @property
    def slug(self) -> str:
        return slugify(self.name) or "author"


# What nameparser reads in a name, once per name (lists sort and label by family name
# many times over); an earlier run's readings are given back by generator/index_cache.py,
# as parsing thousands of names is slow.
_NAME_FACTS: dict[str, tuple[str, str, str, bool]] = {}


def name_facts(name: str) -> tuple[str, str, str, bool]:
    """``(family, given, suffix, whether a family name was found)``; the family is the
    whole name when none was found."""
    found = _NAME_FACTS.get(name)
    if found is None:
        parsed = HumanName(name)
        given = " ".join(p for p in (parsed.title, parsed.first, parsed.middle) if p)
        found = _NAME_FACTS[name] = (parsed.last or name, given, parsed.suffix, bool(parsed.last))
    return found


def family_given(name: str) -> tuple[str, str]:
    return name_facts(name)[:2]


def remember_names(facts: dict[str, tuple[str, str, str, bool]]) -> None:
    """``name_facts`` an earlier run found."""
    _NAME_FACTS.update(facts)


@dataclass(frozen=True)
class Source:
    """Where a record was read from: the export file and the line its record starts on."""

    file: str
    line: int


@dataclass(frozen=True)
class Record:
    """One reading. ``None`` means the value is not known; it is never invented.

    ``themes`` and ``tags`` are ``None`` when the record leaves them to the vocabulary's
    rules, and a tuple when a contributor set them by hand.
    """

    id: str
    title: str | None = None
    authors: tuple[Person, ...] = ()
    et_al: bool = False
    year: int | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    url: str | None = None
    abstract: str | None = None
    themes: tuple[str, ...] | None = None
    tags: tuple[str, ...] | None = None
    added: str | None = None  # the day it joined the list, YYYY-MM-DD (for the feeds)
    source: Source | None = field(default=None, compare=False)

    @property
    def year_sort_key(self) -> tuple[int, int]:
        """Unknown years sort after every known year, never as year 0."""
        return (1, 0) if self.year is None else (0, self.year)


def fold(text: str) -> str:
    """Case- and normal-form-insensitive key, for comparing what people typed."""
    return unicodedata.normalize("NFKC", text).casefold()


_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
# The same for ASCII text, as a table for bytes.translate: every byte that is not a
# letter or digit becomes a space.
_ASCII_NOT_ALPHANUMERIC = bytes(c if chr(c).isalnum() and c < 128 else 0x20 for c in range(256))


def normalized_words(text: str) -> str:
    """A title or abstract reduced to its words, for finding the same text twice."""
    folded = fold(text)
    if folded.isascii():  # nearly every abstract: a third of the regular expression's time
        return " ".join(folded.encode("ascii").translate(_ASCII_NOT_ALPHANUMERIC).decode().split())
    # [\W_] is exactly "not str.isalnum()": \w is isalnum() plus the underscore.
    return " ".join(_NOT_ALPHANUMERIC.sub(" ", folded).split())
