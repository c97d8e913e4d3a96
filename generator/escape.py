"""Contributor text made inert for Markdown and HTML.

Python-Markdown and MkDocs sanitise nothing, so contributor text is written with every
character that Markdown or HTML could read as syntax encoded as a numeric character
reference. The reader sees the same characters; no parser sees syntax: no tag, link,
attribute, table, heading, list, emoji, snippet inclusion or template expression can
come from a record.

Only those characters are encoded. Encoding all ASCII punctuation made every full stop
and comma an entity, and Python-Markdown handles each entity as a stashed placeholder:
at 10,000 records that was most of the Markdown conversion time. Full stops, commas,
brackets, hyphens and the like mean nothing inside a line once ``[``, ``<``, ``&``, ``*``
and friends are encoded; at the start of a line they can begin a list, a rule or a
heading, so there the first character is encoded too. ``tests/test_escape.py`` checks
this against the site's own Markdown extensions, including extensions we might add.
"""

from __future__ import annotations

import functools
import re

from markupsafe import Markup

# Syntax anywhere in a line: inline markup, HTML, entities, tables, attribute lists,
# emoji, maths, snippets, template expressions, and the escape character itself.
ALWAYS_ENCODED = "\\`*_{}[]<>&#|!~^=$+:\"'"
_ENCODED = {ord(c): f"&#{ord(c)};" for c in ALWAYS_ENCODED}
# Line breaks and tabs would end a heading, start a code block or a list item.
_ENCODED.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " "})
# Found by a search, not by str.translate: a table whose values are longer than one
# character sends translate down a slow path, ten times slower on an abstract.
_TO_ENCODE = re.compile("[" + re.escape("".join(map(chr, _ENCODED))) + "]")
_ENCODING = {chr(code): text for code, text in _ENCODED.items()}
# Line breaks and tabs are spaces by then, and other white space is unprintable (as
# Python's isprintable says, which keeps only the plain space): runs of spaces remain.
_SPACES = re.compile(" {2,}")
# Where a value starts a line it could also begin a bullet, a rule ("---") or an ordered
# list ("12."); the other block starts (# > * + ! : = |) are encoded everywhere already.
_BLOCK_START = re.compile(r"^( ?)(-|\d+(?=[.)]))")


def _encode_block_start(match: re.Match[str]) -> str:
    space, start = match.groups()
    return space + f"&#{ord(start[0])};" + start[1:]


def markdown_text(value: object) -> str:
    """Any value as inert inline text for a Markdown page or an HTML one (every
    character HTML could read as markup is encoded too)."""
    if isinstance(value, Markup):
        return str(value)
    return _inert("" if value is None else str(value))


# Cached: a record's label and gist are written into every list that holds it.
@functools.lru_cache(maxsize=1 << 17)
def _inert(text: str) -> str:
    # Line breaks and tabs become spaces; other unprintable characters are dropped.
    text = _TO_ENCODE.sub(lambda found: _ENCODING[found[0]], text)
    if not text.isprintable():  # checked for the whole text first: rare, and slow per character
        text = "".join(c for c in text if c.isprintable())
    # Runs of white space become one space (never a line break or an indent), but a
    # separator such as " · " keeps its outer spaces.
    text = _SPACES.sub(" ", text)
    return _BLOCK_START.sub(_encode_block_start, text, count=1)


def html_attribute(value: object) -> str:
    """Plain text for an HTML attribute or YAML front-matter string (no markup at all)."""
    import html

    return html.escape(" ".join(str(value).split()), quote=True)
