"""Contributor text made inert for Markdown and HTML.

Python-Markdown, its extensions (attr_list, pymdownx snippets, emoji, arithmatex) and
MkDocs sanitise nothing, so every ASCII punctuation character in contributor text is
written as a numeric character reference. The reader sees the same characters; no
parser sees syntax: no tag, link, attribute, table, heading, emoji, snippet inclusion
or template expression can come from a record. Letters, digits, spaces and non-ASCII
text are kept as they are, so the Markdown stays readable in a diff.
"""

from __future__ import annotations

import re
import string

from markupsafe import Markup

_ENCODED = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
# Line breaks and tabs would end a heading, start a code block or a list item.
_ENCODED.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " "})
_WHITESPACE = re.compile(r"\s+")


def markdown_text(value: object) -> str:
    """Any value as inert inline text for a Markdown page."""
    if isinstance(value, Markup):
        return str(value)
    text = "" if value is None else str(value)
    text = "".join(c for c in text if c.isprintable() or c in "\n\t")
    # Runs of white space become one space (never a line break or an indent), but a
    # separator such as " · " keeps its outer spaces.
    return _WHITESPACE.sub(" ", text.translate(_ENCODED))


def html_attribute(value: object) -> str:
    """Plain text for an HTML attribute or YAML front-matter string (no markup at all)."""
    import html

    return html.escape(" ".join(str(value).split()), quote=True)
