"""Record ids: author-year names that are stable, readable and safe as file and URL names.

An id is given once, when a record is imported or created, and stored in its file;
later edits to the title or authors never change it.
"""

from __future__ import annotations

from collections.abc import Iterable

from slugify import slugify

from generator.model import Record, fold

TITLE_WORDS_FOR_ID = 3
SUFFIXES = "bcdefghijklmnopqrstuvwxyz"


def base_id(record: Record) -> str:
    """``tse-2019``; ``nd`` for no date; title words when there is no author."""
    year = str(record.year) if record.year is not None else "nd"
    if record.authors:
        stem = slugify(record.authors[0].family)
    elif record.title:
        stem = "-".join(
            slugify(record.title, stopwords=("a", "an", "the", "of", "on", "in")).split("-")[
                :TITLE_WORDS_FOR_ID
            ]
        )
    else:
        stem = ""
    return f"{stem or 'anonymous'}-{year}"


def fresh_ids(records: Iterable[Record], taken: Iterable[str]) -> list[str]:
    """A new id per record, in order, unique ignoring case among themselves and ``taken``.

    Clashes get a letter, as in an author-year citation: tse-2019, tse-2019b, tse-2019c.
    """
    used = {fold(t) for t in taken}
    ids: list[str] = []
    for record in records:
        base = base_id(record)
        candidate = base
        for suffix in SUFFIXES:
            if fold(candidate) not in used:
                break
            candidate = f"{base}{suffix}"
        else:  # 26 readings by one first author in one year: fall back to numbers
            n = 27
            while fold(f"{base}-{n}") in used:
                n += 1
            candidate = f"{base}-{n}"
        used.add(fold(candidate))
        ids.append(candidate)
    return ids
