"""The Browse page: the whole list, narrowed by theme, tag, year and abstract at once.

The page does not grow with the list. It holds the filters and the newest readings,
as many as a theme's page lists (``readings_per_page``), so without JavaScript it
still lists something and links the theme, tag and year pages for the rest. The whole
list is in a script of its own, ``browse/readings.js`` (``DATA``), which
``docs/assets/browse.js`` loads: it filters and sorts the list there, shows that many
readings at a time with a button for more, and keeps the choices in the address so a
filtered view can be shared. A script, not a JSON file that would be fetched: a
script loads from a site opened from the disk as well (``file://``).

Each reading comes with what the script filters on: theme and tag ids, the year,
whether there is an abstract, and its place in each sort order. The orders are
computed here, by the same keys as the rest of the site (family name, then given
name; unknown years last), so the script never compares contributor text and every
browser sorts alike. Labels and bylines are JSON strings the script sets as text,
never as markup; addresses are made here from ids.

Filter semantics (stated on the page too): within one group (themes, or one category
of tags) a reading matches any ticked choice; across groups it must match each group.
The number beside a choice is how many readings would be listed with that choice
ticked, given the choices in the other groups.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.index import Entry, Library, reading_order
from generator.model import fold
from generator.render import label, page_links, record_page, short_authors
from generator.vocabulary import CATEGORIES, Tag, Theme

if TYPE_CHECKING:
    from generator.render import Renderer

PAGE = "browse.md"
DATA = "browse/readings.js"  # served beside the page: browse/readings.js
DATA_GLOBAL = "rlBrowseReadings"  # the variable it sets; docs/assets/browse.js reads it
SORTS = (
    ("newest", "Year, newest first"),
    ("oldest", "Year, oldest first"),
    ("author", "First author, A to Z"),
    ("title", "Title, A to Z (readings without a title last)"),
)


@dataclass(frozen=True)
class Item:
    """One line of the list: what it shows, and what the script filters and sorts by."""

    id: str
    label: str
    byline: str
    themes: str  # ids, space-separated
    tags: str
    year: int | None
    abstract: bool
    order: dict[str, int]  # sort name -> place in that order (but newest first: SORTS[0])


def orders(entries: list[Entry]) -> dict[str, dict[str, int]]:
    """Each sort order but the first, newest first, as ``{record id: place}``; every
    order is total (ties by id). Newest first is the order of ``items`` itself."""

    def first_author(entry: Entry) -> tuple:
        record = entry.record
        return (
            not record.authors,
            record.authors[0].sort_key if record.authors else ("", "", ""),
            record.year_sort_key,
            fold(label(record)),
            record.id,
        )

    def oldest(entry: Entry) -> tuple:
        record = entry.record
        return (*record.year_sort_key, fold(label(record)), record.id)

    def title(entry: Entry) -> tuple:
        record = entry.record
        return (record.title is None, fold(label(record)), record.id)

    keys = {"oldest": oldest, "author": first_author, "title": title}
    return {
        name: {e.id: place for place, e in enumerate(sorted(entries, key=key))}
        for name, key in keys.items()
    }


def items(library: Library) -> list[Item]:
    """Every reading, newest first (the order without JavaScript)."""
    entries = list(library.entries.values())
    places = orders(entries)
    found = []
    for entry in sorted(entries, key=reading_order):
        record = entry.record
        found.append(
            Item(
                id=record.id,
                label=label(record),
                byline=short_authors(record) if record.title else "no title yet",
                themes=" ".join(entry.themes),
                tags=" ".join(entry.tags),
                year=record.year,
                abstract=bool(record.abstract),
                order={name: place[record.id] for name, place in places.items()},
            )
        )
    return found


def choices(library: Library) -> tuple[list[Theme], list[tuple[str, list[Tag]]], list[int]]:
    """Themes and tags that hold readings (tags grouped by category), and the years."""
    vocabulary = library.vocabulary
    themes = [t for t in vocabulary.themes if t.id in library.by_theme]
    tag_groups = []
    for category in CATEGORIES:
        tags = [t for t in vocabulary.tags if t.category == category and t.id in library.by_tag]
        if tags:
            tag_groups.append((category, tags))
    years = sorted(y for y in library.by_year if y is not None)
    return themes, tag_groups, years


def data_script(listed: list[Item], address: Callable[[str], str]) -> str:
    """``DATA``: every reading as the script filters it, newest first. ``address``
    gives a record page's address from the Browse page. Each reading is ``[address,
    label, byline, theme ids, tag ids, year or null, 1 if it has an abstract, place
    oldest first, by author, by title]``; newest first is its place in the list."""
    readings = [
        [
            address(record_page(item.id)),
            item.label,
            item.byline,
            item.themes,
            item.tags,
            item.year,
            int(item.abstract),
            *(item.order[name] for name, _ in SORTS[1:]),
        ]
        for item in listed
    ]
    # ASCII only: every other character escaped, so the file reads the same in any
    # encoding, and a label is a string literal, whatever it holds.
    data = json.dumps({"readings": readings}, ensure_ascii=True, separators=(",", ":"))
    return f"window.{DATA_GLOBAL} = {data};\n"


def pages(renderer: Renderer) -> dict[str, str]:
    library = renderer.library
    themes, tag_groups, years = choices(library)
    listed = items(library)
    abstracts = sum(1 for i in listed if i.abstract)
    per_page = renderer.settings.readings_per_page
    data = data_script(listed, page_links(PAGE, renderer.settings.directory_urls))
    return {
        PAGE: renderer.render(
            "browse.md.j2",
            PAGE,
            items=listed[:per_page],
            total=len(listed),
            per_page=per_page,
            data=DATA,
            # In its address, so a browser or a host that keeps files for a while (GitHub
            # Pages: 10 minutes) never pairs a new page with the list it replaced.
            data_version=hashlib.sha256(data.encode("ascii")).hexdigest()[:12],
            themes=themes,
            tag_groups=tag_groups,
            years=years,
            sorts=SORTS,
            with_abstract=abstracts,
        ),
        DATA: data,
    }
