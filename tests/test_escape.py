"""Contributor text through ``escape.markdown_text`` and the real Markdown converter.

Whatever the text, converting it gives exactly that text back as one paragraph, one
list item or one heading, with no element of its own. The converter is configured
with the site's own extensions (read from mkdocs.yml) and with the pymdownx
extensions a Material site commonly adds, so enabling one of those later cannot
quietly make contributor text into markup.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.escape import markdown_text
from generator.settings import ConfigLoader

ROOT = Path(__file__).resolve().parent.parent
# Extensions that give meaning to more characters; tested so they may be enabled.
# pymdownx.magiclink is not here: it links bare addresses, which encoding cannot stop.
COMMON_EXTRAS = [
    "pymdownx.arithmatex",
    "pymdownx.betterem",
    "pymdownx.caret",
    "pymdownx.critic",
    "pymdownx.emoji",
    "pymdownx.keys",
    "pymdownx.mark",
    "pymdownx.smartsymbols",
    "pymdownx.snippets",
    "pymdownx.tilde",
    "pymdownx.inlinehilite",
    "footnotes",
    "abbr",
    "def_list",
]
# smartsymbols turns (c) into ©, --> into an arrow: a change of characters, not markup.
CHANGES_CHARACTERS = {"pymdownx.smartsymbols"}


def site_extensions() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=ConfigLoader)
    return [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]


def test_the_site_enables_only_extensions_this_file_tests():
    untested = set(site_extensions()) - {
        "admonition",
        "attr_list",
        "md_in_html",
        "tables",
        "toc",
        *COMMON_EXTRAS,
    }
    assert not untested, f"add {sorted(untested)} to the escaping tests before enabling them"


CONVERTERS = {
    "site": markdown.Markdown(extensions=site_extensions()),
    "site and common extras": markdown.Markdown(
        extensions=[*site_extensions(), *(set(COMMON_EXTRAS) - CHANGES_CHARACTERS)]
    ),
}
# Where templates put contributor text: a paragraph of its own, a list item's link text
# and its second line, a heading, text after a label.
PLACES = {
    "paragraph": "{}\n",
    "list item": "- [{}](page.md)  \n  {}\n",
    "heading": "# {}\n",
    "after a label": "**Gist:** {}\n",
}
SYNTAX = [
    *list("\\`*_{}[]()<>#+-.!|:~^=$&\"'%@/;,?"),
    "---",
    "1. ",
    "12) ",
    "- ",
    "> ",
    "!!! note",
    "{: .x}",
    "--8<-- ",
    ":smile:",
    "<b>",
    "&amp;",
    "&#60;",
    "[TOC]",
    "    ",
    "\n",
    "\t",
    "  \n",
    "==",
    "~~",
    "^^",
    "++",
    "{++",
    "[^1]",
    "*[HTML]: ",
    "$x$",
    "`",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(SYNTAX), st.text(min_size=1, max_size=6)), max_size=12
).map("".join)


def collapsed(text: str) -> str:
    kept = "".join(c for c in text if c.isprintable() or c in "\n\t\r")
    return " ".join(kept.split())


def check_inert(converter: markdown.Markdown, place: str, text: str) -> None:
    source = PLACES[place].format(*[markdown_text(text)] * PLACES[place].count("{}"))
    html = converter.reset().convert(source)
    soup = BeautifulSoup(html, "html.parser")
    expected_tags = {
        "paragraph": ["p"],
        "list item": ["ul", "li", "a", "br"],
        "heading": ["h1"],
        "after a label": ["p", "strong"],
    }[place]
    tags = [t.name for t in soup.find_all(True)]
    assert sorted(set(tags)) == sorted(expected_tags), (source, html)
    assert len(tags) == len(expected_tags), (source, html)
    shown = collapsed(text)
    if place == "list item":
        assert collapsed(soup.a.get_text()) == shown, (source, html)
        assert collapsed(soup.li.get_text()) == f"{shown} {shown}", (source, html)
        assert soup.a["href"] == "page.md"
    elif place == "after a label":
        assert collapsed(soup.p.get_text()) == f"Gist: {shown}", (source, html)
    else:
        assert collapsed(soup.find(expected_tags[0]).get_text()) == shown, (source, html)


@pytest.mark.parametrize("converter", CONVERTERS, ids=list(CONVERTERS))
@pytest.mark.parametrize("place", PLACES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text.filter(lambda t: collapsed(t)))
def test_contributor_text_stays_text(converter, place, text):
    check_inert(CONVERTERS[converter], place, text)


@pytest.mark.parametrize(
    "text",
    [
        "2019. The first sentence",
        "- not a list",
        "--- not a rule",
        "1) not a list",
        "# not a heading",
        "> not a quote",
        "!!! note not an admonition",
        "[x](javascript:alert(1))",
        "{: onclick=alert(1) }",
        "<script>alert(1)</script>",
        "p < 0.05 & n = 12 (45%)",
        "=== not a heading underline",
        "*** not a rule",
        "| a | b |",
        "&#60;script&#62; as typed",
    ],
)
@pytest.mark.parametrize("place", PLACES)
def test_known_traps_stay_text(place, text):
    for converter in CONVERTERS.values():
        check_inert(converter, place, text)


def test_ordinary_punctuation_is_left_readable():
    """Full stops, commas, brackets, hyphens and percent signs are not encoded (speed)."""
    text = "Peer-led groups (n 12) helped, in 45% of cases; see p. 3/4?"
    assert markdown_text(text) == text


def markdown_text_by_translate(text: str) -> str:
    """markdown_text as first written: a translate table and a search for any space."""
    import re

    from generator.escape import _BLOCK_START, _ENCODED, _encode_block_start

    text = text.translate(_ENCODED)
    text = "".join(c for c in text if c.isprintable())
    text = re.sub(r"\s+", " ", text)
    return _BLOCK_START.sub(_encode_block_start, text, count=1)


@settings(max_examples=1000, deadline=None)
@given(hostile_text | st.text(st.sampled_from(" \t\n\r\u00a0\u2009\u3000x<&:-1.")))
def test_searching_for_what_to_encode_gives_what_the_table_gave(text):
    assert markdown_text(text) == markdown_text_by_translate(text)
