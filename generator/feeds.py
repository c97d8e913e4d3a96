"""Atom feeds of newly added readings: one for the whole list, one per theme.

A record's ``added:`` date (set by the import and by ``generator new``) says when it
joined the list. Records without one are left out of the feeds: a reading whose date
is unknown is not news. Entries are newest first, ties by id, at most ``MAX_ENTRIES``
a feed; a feed's ``updated`` is its newest entry's date. Nothing depends on the clock,
so the same records give byte-identical feeds.

The feeds sit at the site's root (``feed.xml``, ``feed-<theme>.xml``), as
mkdocs-rss-plugin's do: Material fetches ``sitemap.xml`` next to the address of every
``<link rel="alternate">`` in a page (for its language switcher), and only the root
has one; a feed in a folder would cost every page a failed request.

Feeds are written with ``xml.etree``, which escapes every text and attribute, after
dropping the few characters XML 1.0 cannot hold; contributor text cannot add markup.
Links and ids are absolute when ``site_url`` is set in mkdocs.yml (feed readers need
them), otherwise relative to the feed and ``urn:`` ids.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from generator import abstract as abstract_text
from generator.index import Entry, Library
from generator.render import citation, label
from generator.settings import Settings

ATOM = "http://www.w3.org/2005/Atom"
ALL = "feed.xml"
MAX_ENTRIES = 100
# A feed with no dated entry still needs an <updated>; a fixed date keeps it stable.
NO_DATE = "1970-01-01"
# Characters XML 1.0 cannot hold at all (C0 controls but tab and line ends, U+FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def theme_feed(theme_id: str) -> str:
    """The path of a theme's feed under docs/ (no theme id can make it ``feed.xml``)."""
    return f"feed-{theme_id}.xml"


def feeds(library: Library, settings: Settings) -> dict[str, str]:
    """``{path under docs/: Atom XML}`` for the whole list and each theme with a page."""
    writer = _FeedWriter(library, settings)
    out = {ALL: writer.feed(ALL, f"{settings.site_name}: new readings", library.entries)}
    for theme in library.vocabulary.themes:
        if theme.id in library.by_theme:
            path = theme_feed(theme.id)
            out[path] = writer.feed(
                path,
                f"{settings.site_name}: new readings on {theme.name}",
                library.by_theme[theme.id],
                subtitle=theme.description,
                page=f"themes/{theme.id}/",
            )
    return out


def dated(library: Library, ids: Iterable[str]) -> list[Entry]:
    """The entries with an ``added`` date, newest first, ties by id."""
    entries = [library.entries[i] for i in ids if library.entries[i].record.added]
    entries.sort(key=lambda e: e.id)
    entries.sort(key=lambda e: e.record.added or "", reverse=True)
    return entries


def _text(value: object) -> str:
    return _NOT_XML.sub("", " ".join(str(value).split()))


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


class _FeedWriter:
    def __init__(self, library: Library, settings: Settings) -> None:
        self.library = library
        self.settings = settings

    def address(self, feed_path: str, target: str) -> str:
        """An absolute address of ``target`` (a site path, ``records/x/``), or one
        relative to the feed; ``records/x.html`` without directory addresses
        (``use_directory_urls: false``). Entry ids keep the first form either way."""
        if target.endswith("/") and not self.settings.directory_urls:
            target = target[:-1] + ".html"
        if self.settings.site_url:
            return self.settings.site_url + target
        depth = feed_path.count("/")
        return "../" * depth + target if target else "../" * depth or "./"

    def id_of(self, feed_path: str, target: str) -> str:
        if self.settings.site_url:
            return self.settings.site_url + target
        return "urn:x-reading-list:" + (target.strip("/").replace("/", ":") or "home")

    def feed(
        self,
        path: str,
        title: str,
        ids: Iterable[str],
        *,
        subtitle: str | None = None,
        page: str = "",
    ) -> str:
        entries = dated(self.library, ids)[:MAX_ENTRIES]
        newest = entries[0].record.added if entries else None
        if newest is None:
            everything = dated(self.library, self.library.entries)
            newest = everything[0].record.added if everything else NO_DATE
        feed = ET.Element("feed", {"xmlns": ATOM})
        ET.SubElement(feed, "id").text = self.id_of(path, path)
        ET.SubElement(feed, "title").text = _text(title)
        if subtitle:
            ET.SubElement(feed, "subtitle").text = _text(subtitle)
        ET.SubElement(feed, "updated").text = _timestamp(newest or NO_DATE)
        ET.SubElement(
            feed,
            "link",
            {"rel": "self", "type": "application/atom+xml", "href": self.address(path, path)},
        )
        ET.SubElement(
            feed,
            "link",
            {"rel": "alternate", "type": "text/html", "href": self.address(path, page)},
        )
        author = ET.SubElement(feed, "author")
        ET.SubElement(author, "name").text = _text(f"{self.settings.site_name} contributors")
        ET.SubElement(feed, "generator").text = "reading-list generator"
        for entry in entries:
            feed.append(self.entry(path, entry))
        ET.indent(feed, space=" ")
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"

    def entry(self, feed_path: str, entry: Entry) -> ET.Element:
        record = entry.record
        assert record.added is not None
        page = f"records/{record.id}/"
        element = ET.Element("entry")
        ET.SubElement(element, "id").text = self.id_of(feed_path, page)
        ET.SubElement(element, "title").text = _text(label(record))
        ET.SubElement(element, "updated").text = _timestamp(record.added)
        ET.SubElement(element, "published").text = _timestamp(record.added)
        ET.SubElement(
            element,
            "link",
            {"rel": "alternate", "type": "text/html", "href": self.address(feed_path, page)},
        )
        for person in record.authors:
            author = ET.SubElement(element, "author")
            ET.SubElement(author, "name").text = _text(person.name)
        vocabulary = self.library.vocabulary
        for theme in entry.themes:
            ET.SubElement(
                element, "category", {"term": theme, "label": _text(vocabulary.theme(theme).name)}
            )
        summary = citation(record)
        if record.abstract:
            summary += " " + " ".join(
                f"{s.label}: {s.text}" if s.label else s.text
                for s in abstract_text.sections(record.abstract)
            )
        ET.SubElement(element, "summary", {"type": "text"}).text = _text(summary)
        return element
