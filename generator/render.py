"""Render the site's pages from Jinja2 templates, in memory.

``render_site`` returns ``{path under docs/: text}`` (``Pages``, which keeps the text
encoded). Writing that to disk and handing it to MkDocs as virtual files are two
consumers of the same result.

Most pages are Markdown (``*.md.j2``). The record, author, theme, tag and year pages,
Needs attention and the index of authors, nearly all of a large list's pages, are HTML
(``*.html.j2``): the HTML Python-Markdown would make of them, which MkDocs then does not
convert (generator/mkdocs_hook.py). Their links are the addresses MkDocs serves
(``page_links``) rather than .md paths.

Every ``{{ expression }}`` in a template passes through ``escape.markdown_text``, which
makes text inert for Markdown and HTML alike, unless it is ``Markup`` built here from
trusted parts (links, the year chart), so a template cannot forget to escape
contributor text.
"""

from __future__ import annotations

import functools
import json
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass

import jinja2
from markupsafe import Markup, escape

from generator import abstract as abstract_text
from generator import citation as apa_reference
from generator import exports, render_cache, schema
from generator.escape import html_attribute, markdown_text
from generator.index import Entry, Library, Related
from generator.model import Person, Record, name_facts
from generator.progress import track
from generator.render_cache import RenderCache
from generator.settings import Settings
from generator.vocabulary import Vocabulary

UNDATED = "undated"
DOWNLOADS = "cite"  # folder of the BibTeX, RIS and CSL-JSON files
MORE_BY_AUTHORS = 8  # other readings of its authors listed on a record page, in all
MAX_COAUTHORS = 30  # co-authors named on an author's page


class Pages(MutableMapping[str, str]):
    """Rendered pages, ``{path under docs/: text}``, kept as UTF-8 and given back as text.

    Not a dict of text: Python stores every character of a text in two bytes once it
    holds one character past Latin-1 (an en dash), and a large list's citation
    downloads hold whole themes. At 10,000 records the pages take 370 MB as UTF-8 and
    took 672 MB as text, most of ``generate``'s peak. ``write.write_pages`` writes and
    compares the bytes as they are (``encoded``).
    """

    def __init__(self, pages: Iterable[tuple[str, str]] = ()) -> None:
        self._utf8: dict[str, bytes] = {}
        # Pages read back from this folder unchanged (generator/render_cache.py): the
        # writer need not read them again to know they are up to date.
        self.read_from: str | None = None
        self.as_read: set[str] = set()
        self.update(pages)

    def __getitem__(self, path: str) -> str:
        return self._utf8[path].decode("utf-8")

    def __setitem__(self, path: str, text: str) -> None:
        self._utf8[path] = text.encode("utf-8")
        self.as_read.discard(path)

    def __delitem__(self, path: str) -> None:
        del self._utf8[path]
        self.as_read.discard(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._utf8)

    def __len__(self) -> int:
        return len(self._utf8)

    def __repr__(self) -> str:
        return f"Pages({len(self)} pages)"

    def encoded(self, path: str) -> bytes:
        return self._utf8[path]

    def set_encoded(self, path: str, data: bytes) -> None:
        self._utf8[path] = data
        self.as_read.discard(path)

    def set_read(self, path: str, data: bytes, folder: str) -> None:
        """A page as read from ``folder/path`` just now."""
        if self.read_from not in (None, folder):
            raise ValueError(f"pages read from {self.read_from} and {folder}")
        self._utf8[path] = data
        self.read_from = folder
        self.as_read.add(path)

    def sort(self) -> None:
        """Put the pages in path order (a dict keeps the order they were added in)."""
        self._utf8 = dict(sorted(self._utf8.items()))


@functools.lru_cache(maxsize=1 << 16)
def _relative(target: str, folder: str) -> str:
    """Cached: pages in one folder link to the same few hundred pages many times."""
    return posixpath.relpath(target, folder)


def served(path: str, directory_urls: bool = True) -> str:
    """The address MkDocs serves a file under docs/ at, relative to the site (its
    ``File.url``): ``records/x.md`` at ``records/x/``, ``authors/index.md`` at
    ``authors/``; a file that is not a page where it is."""
    if not path.endswith(".md"):
        return path
    folder, name = posixpath.split(path[:-3])
    if not directory_urls:
        return posixpath.join(folder, f"{name}.html")
    if name == "index":
        return f"{folder}/" if folder else "./"
    return posixpath.join(folder, name, "")


def _parts(url: str) -> list[str]:
    url = posixpath.normpath("/" + url)[1:]
    return url.split("/") if url else []


@functools.lru_cache(maxsize=1 << 16)
def _relative_url(url: str, other: str) -> str:
    """``url`` relative to ``other`` exactly as MkDocs writes it (``get_relative_url``):
    the last part of ``other`` is dropped if it holds a dot (a file)."""
    folder, _, last = other.rpartition("/")
    if "." in last:
        other = folder
    here, there = _parts(other), _parts(url)
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(here) - common) + there[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def page_links(page: str, directory_urls: bool = True) -> Callable[[str], str]:
    """The links from the page at ``page`` (under docs/): a function giving, for a file
    ``target`` under docs/, the link MkDocs would write for a Markdown link
    ``[..](target)`` on that page. What depends on the page is worked out once (a record
    page holds fifty links)."""
    stem = page.removesuffix(".md")
    if directory_urls and stem != page and posixpath.basename(stem) != "index":
        folder, below = posixpath.dirname(stem), stem + "/"

        def link(target: str) -> str:
            if target != page and not target.startswith(below):
                return _link_from_folder(target, folder)
            return _relative_url(served(target), served(page))

        return link
    here = served(page, directory_urls)
    return lambda target: _relative_url(served(target, directory_urls), here)


@functools.lru_cache(maxsize=1 << 16)
def _link_from_folder(target: str, folder: str) -> str:
    """The link from any page ``folder/name.md`` to a target outside it: served at
    ``folder/name/``, such a page links as ``folder`` does, one level further up. So
    links are worked out once per folder, not once per page (at 10,000 records a
    record page holds fifty links)."""
    relative = _relative_url(served(target), folder)
    return "../" if relative == "./" else "../" + relative


def year_slug(year: int | None) -> str:
    return str(year) if year is not None else UNDATED


def record_page(record_id: str) -> str:
    return f"records/{record_id}.md"


@dataclass(frozen=True)
class Pager:
    """Where one page of a list split into pages stands (``split_into_pages``): a
    theme, tag, year or author page lists at most ``Settings.readings_per_page``
    readings, so no page grows with the list. Page 1 is ``stem.md``, page k is
    ``stem/k.md``."""

    number: int  # from 1
    paths: tuple[str, ...]  # every page of the list, in order
    continues: bool  # the page's first group began on the page before

    @property
    def count(self) -> int:
        return len(self.paths)

    @property
    def previous(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.paths[self.number] if self.number < self.count else None

    def titled(self, name: str) -> str:
        """The page's title: the list's ``name``, and which page when there are several."""
        return name if self.count == 1 else f"{name}, page {self.number} of {self.count}"

    def shown(self) -> list[tuple[int, str | None]]:
        """The page numbers the pager links: the first, the last and two either side of
        this one; ``(0, None)`` stands for two or more numbers left out between them."""
        numbers = sorted({1, self.count, *range(self.number - 2, self.number + 3)})
        shown: list[tuple[int, str | None]] = []
        for number in (n for n in numbers if 1 <= n <= self.count):
            if shown and number == shown[-1][0] + 2:  # a gap of one: show the number
                shown.append((number - 1, self.paths[number - 2]))
            elif shown and number > shown[-1][0] + 2:
                shown.append((0, None))
            shown.append((number, self.paths[number - 1]))
        return shown


# The index of authors lists this many names a page for each reading a theme's page
# lists: a name's line is about a fifth of a reading's.
AUTHORS_PER_READING = 5


def family_first(name: str) -> str:
    """How the index of authors shows a name: ``Tse, Samson``; a name in which no family
    name was found (an organisation, one word) as it is written."""
    family, given, _, found = name_facts(name)
    return ", ".join(p for p in (family, given) if p) if found else name


def initial(name: str) -> str:
    """The letter an author is listed under in the index of authors."""
    return (Person(name).family[:1] or "?").upper()


def list_page_paths(stem: str, count: int) -> tuple[str, ...]:
    """The pages of a list of ``count`` pages: ``stem.md``, then ``stem/2.md`` ..."""
    return (f"{stem}.md", *(f"{stem}/{k}.md" for k in range(2, count + 1)))


def split_into_pages(
    groups: list[tuple[object, list[str]]], per_page: int
) -> list[tuple[list[tuple[object, list[str]]], bool]]:
    """``groups`` of readings (a heading, its ids) cut into pages of at most
    ``per_page`` readings, in order; a group cut by a page break goes on under its
    heading on the next page. Each page: its groups, and whether its first group
    continues one from the page before. An empty list is one empty page."""
    if per_page < 1:
        raise ValueError(f"readings per page must be at least 1, not {per_page}")
    pages: list[tuple[list[tuple[object, list[str]]], bool]] = []
    current: list[tuple[object, list[str]]] = []
    continues, room = False, per_page
    for key, ids in groups:
        start = 0
        while start < len(ids):
            if room == 0:
                pages.append((current, continues))
                current, continues, room = [], start > 0, per_page
            part = ids[start : start + room]
            current.append((key, part))
            room -= len(part)
            start += len(part)
    pages.append((current, continues))
    return pages


@functools.lru_cache(maxsize=1 << 15)  # named in every list that holds the record
def short_authors(record: Record) -> str:
    """Tse (2019), Tse & Yuen (2019), Tse et al. (2019): how a reading is named without a title."""
    families = [p.family for p in record.authors]
    year = record.year if record.year is not None else "n.d."
    if not families:
        return f"Untitled ({year})"
    if len(families) == 1 and not record.et_al:
        names = families[0]
    elif len(families) == 2 and not record.et_al:
        names = f"{families[0]} & {families[1]}"
    else:
        names = f"{families[0]} et al."
    return f"{names} ({year})"


def label(record: Record) -> str:
    """What a list shows for a record: its title, or authors and year."""
    return record.title or short_authors(record)


def citation(record: Record) -> str:
    """The record's APA 7th edition reference, as plain text (generator/citation.py)."""
    return apa_reference.apa(record)


def shared_summary(related: Related, vocabulary: Vocabulary) -> str:
    """What two related readings have in common, most telling first."""
    parts = []
    if related.shared_themes:
        parts.append(
            "themes: " + ", ".join(vocabulary.theme(t).name for t in related.shared_themes)
        )
    if related.shared_tags:
        parts.append("tags: " + ", ".join(vocabulary.tag(t).name for t in related.shared_tags))
    if related.shared_words:
        parts.append("words: " + ", ".join(related.shared_words))
    return "Shares " + "; ".join(parts) + "." if parts else ""


def missing_fields(record: Record) -> list[str]:
    fields = [
        ("title", record.title),
        ("year", record.year),
        ("authors", record.authors),
        ("abstract", record.abstract),
    ]
    return [name for name, value in fields if not value]


def year_chart(library: Library, link: Callable[[str], str]) -> Markup:
    """Records per year as an SVG bar chart drawn at build time (no script needed).

    ``link`` gives the address a year's page is served at, relative to the page
    (``page_links``): MkDocs does not rewrite links in raw HTML.
    """
    counts = {y: len(ids) for y, ids in library.by_year.items() if y is not None}
    if not counts:
        return Markup("")
    first, last = min(counts), max(counts)
    years = list(range(first, last + 1))
    peak = max(counts.values())
    bar, gap, height, top, bottom = 26, 6, 120, 16, 22
    width = len(years) * (bar + gap) + gap
    summary = ", ".join(f"{y}: {counts[y]}" for y in sorted(counts))
    parts = [
        # Not role="img": the bars are links, and an image may not hold controls.
        f'<svg class="rl-chart" viewBox="0 0 {width} {height + top + bottom}" '
        f'aria-labelledby="rl-chart-title" preserveAspectRatio="xMinYMin meet">',
        f'<title id="rl-chart-title">Readings per year. {summary}</title>',
    ]
    for i, year in enumerate(years):
        n = counts.get(year, 0)
        x = gap + i * (bar + gap)
        h = round(height * n / peak) if n else 0
        y = top + height - h
        if n:
            parts.append(
                f'<a href="{escape(link(f"years/{year}.md"))}" aria-label="{year}: {n} reading{"s" if n != 1 else ""}"><rect x="{x}" y="{y}" width="{bar}" height="{h}" rx="2"><title>{year}: {n}</title></rect>'
            )
            parts.append(
                f'<text x="{x + bar / 2}" y="{y - 4}" text-anchor="middle" class="rl-chart-count">{n}</text></a>'
            )
        if n or year % 5 == 0 or year in (first, last):
            parts.append(
                f'<text x="{x + bar / 2}" y="{top + height + 16}" text-anchor="middle" class="rl-chart-year">{year}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


class Renderer:
    """Holds the template environment and the library for one rendering run."""

    def __init__(
        self,
        library: Library,
        settings: Settings,
        paths: tuple = (),
        reuse: RenderCache | None = None,
    ) -> None:
        self.library = library
        self.settings = settings
        self.paths = paths  # reading paths (generator.paths.ReadingPath)
        self.reuse = reuse  # pages of earlier runs, by their inputs (generator/render_cache.py)
        self._items: dict[tuple[str, str], Markup] = {}  # (record id, links_from): list item
        self.author_order = {name: i for i, name in enumerate(library.by_author)}
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(settings.templates_dir),
            autoescape=False,
            finalize=markdown_text,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # One run never sees a template change: no need to check the file's time on
            # every get_template (100,000 times for a list of 10,000).
            auto_reload=False,
        )
        self.env.globals.update(
            vocabulary=library.vocabulary,
            library=library,
            label=label,
            short_authors=short_authors,
            citation=citation,
            missing_fields=missing_fields,
            shared_summary=lambda rel: shared_summary(rel, library.vocabulary),
            # Already escaped HTML holding only <i> tags (generator/citation.py).
            apa_html=lambda r: Markup(apa_reference.apa_html(r).replace("\n", " ")),
            highwire_tags=exports.highwire_tags,
            gist=lambda r: abstract_text.gist(r.abstract) if r.abstract else None,
            sections=abstract_text.sections,
            year_slug=year_slug,
            downloads=DOWNLOADS,
            paths_with=self.paths_with,
            edit_url=self.edit_url,
            attribute=lambda value: Markup(html_attribute(value)),  # an href of an HTML page
            site_name=settings.site_name,
            family_first=family_first,
        )

    def more_by(self, record: Record) -> list[tuple[str, list[str], int]]:
        """Other readings of each author: ``(name, ids shown, how many more)``.

        At most MORE_BY_AUTHORS readings in all, dealt out one per author in turn, so a
        prolific author does not make the page grow; the rest are on each author's
        page. A reading two of the authors wrote is listed once, under the first.
        """
        others = []
        for person in record.authors:
            ids = [i for i in self.library.by_author[person.name] if i != record.id]
            if ids and person.name not in (name for name, _ in others):
                others.append((person.name, ids))
        shown: list[list[str]] = [[] for _ in others]
        listed: set[str] = set()
        budget = MORE_BY_AUTHORS
        while budget:
            dealt = 0
            for (_, ids), got in zip(others, shown, strict=True):
                following = next((i for i in ids if i not in listed), None)
                if budget and following is not None:
                    got.append(following)
                    listed.add(following)
                    budget -= 1
                    dealt += 1
            if not dealt:
                break
        counted = [
            (name, got, sum(1 for i in ids if i not in listed))
            for (name, ids), got in zip(others, shown, strict=True)
        ]
        # An author whose other readings are all listed under an earlier one: left out,
        # rather than a name with nothing under it.
        return [(name, got, more) for name, got, more in counted if got or more]

    def paths_with(self, record_id: str) -> list:
        """The reading paths a record is in, with its place in each."""
        from generator.paths import positions

        return positions(self.paths, record_id)

    def edit_url(self, entry: Entry) -> Markup | None:
        url = self.settings.edit_url(entry.file)
        return Markup(url) if url else None

    def render(self, template: str, path: str, **context: object) -> str:
        folder = posixpath.dirname(path) or "."
        # An HTML page's links are the addresses MkDocs serves; a Markdown page's are
        # relative to its .md file, and MkDocs checks and rewrites them.
        html_page = template.endswith(".html.j2")
        link = page_links(path, self.settings.directory_urls)

        def served_url(target: str) -> Markup:
            """The address MkDocs serves ``target`` at, relative to this page: the links
            of an HTML page, and of raw HTML on a Markdown page, which MkDocs does not
            rewrite. Escaped, though ids and slugs hold nothing to escape."""
            return escape(link(target))

        def url(target: str) -> Markup:
            """A relative link from this page to another file under docs/."""
            if html_page:
                return served_url(target)
            return Markup(_relative(target, folder))

        # A list item links to its record's page only, so it is the same on every page
        # that sees the records folder at the same address: the pages of one folder
        # (but its index page), and the pages 2, 3 ... of every long list alike.
        # ("_" is in no record id, so this is never the page itself.)
        links_from = posixpath.dirname(link(record_page("_")).rstrip("/")) if html_page else ""

        def item(record_id: str) -> Markup:
            """A reading's line in a list (templates/_item.html.j2). The same on every
            page that sees the records folder at the same address (``links_from``), so
            rendered once for each such address, not once per list: a long list shows
            each reading on its theme, tag, year and author pages."""
            if not html_page:
                raise ValueError(f"{template}: list items are HTML, for .html.j2 pages")
            key = (record_id, links_from)
            found = self._items.get(key)
            if found is None:
                shown = self._shown[record_id] if self.reuse is not None else ""
                text = self.reuse.item(links_from, shown) if self.reuse is not None else None
                if text is None:
                    text = self.env.get_template("_item.html.j2").render(
                        record_id=record_id, url=url, record_page=record_page
                    )
                    if self.reuse is not None:
                        self.reuse.remember_item(links_from, shown, text)
                found = self._items[key] = Markup(text)
            return found

        def front(value: object) -> Markup:
            """A front-matter string Material prints as it is: HTML-escaped text as a
            JSON (hence YAML) string."""
            return Markup(json.dumps(html_attribute(value)))

        def front_raw(value: object) -> Markup:
            """A front-matter string our own theme override escapes (overrides/main.html)."""
            return Markup(json.dumps(" ".join(str(value).split())))

        return self.env.get_template(template).render(
            page_path=path,
            url=url,
            served_url=served_url,
            item=item,
            front=front,
            front_raw=front_raw,
            record_page=record_page,
            author_page=self.author_page,
            **context,
        )

    def author_page(self, name: str) -> str:
        return f"authors/{self.library.author_slugs[name]}.md"

    def page(self, out: Pages, inputs: tuple, template: str, path: str, **context: object) -> None:
        """Render ``path`` into ``out``, or take it from an earlier run whose page had
        the same ``inputs``: everything its template reads beyond what every page reads
        (``render_cache.version``). A template that reads more must add it to its
        page's inputs, or an earlier run's page could be taken after that data changed.
        """
        self.made(out, [path], inputs, lambda: {path: self.render(template, path, **context)})

    def made(
        self, out: Pages, paths: list[str], inputs: tuple, make: Callable[[], dict[str, str]]
    ) -> None:
        """``paths`` into ``out``: all taken from an earlier run that made them from the
        same ``inputs``, or all made now by ``make`` (``{path: text}``)."""
        if self.reuse is None:
            out.update(make())
            return
        key = render_cache.digest(inputs)
        kept = [self.reuse.take(path, key) for path in paths]
        if None not in kept:
            for path, data in zip(paths, kept, strict=True):
                out.set_read(path, data, self.reuse.docs)
            return
        out.update(make())
        for path in paths:
            self.reuse.remember(path, key, out.encoded(path))

    @functools.cached_property
    def _shown(self) -> dict[str, str]:
        """Each entry's digest: what any page may show of a reading (its whole entry)."""
        return {i: render_cache.digest(e) for i, e in self.library.entries.items()}

    def listed(self, ids: Iterable[str]) -> tuple:
        """The inputs of a list of readings: their ids, in order, and what each shows."""
        return tuple((i, self._shown[i]) for i in ids)

    def record_inputs(self, entry: Entry, more: list[tuple[str, list[str], int]]) -> tuple:
        """A record page's inputs; ``more`` is ``more_by(entry.record)``."""
        lib = self.library
        record = entry.record
        related = lib.related[record.id]
        return (
            self._shown[record.id],
            related,
            self.listed(r.id for r in related),
            more,
            self.listed(i for _, shown, _ in more for i in shown),
            tuple(lib.author_slugs[p.name] for p in record.authors),
            tuple(
                self.listed(i for i in lib.neighbours(theme, record.id) if i is not None)
                for theme in entry.themes
            ),
            self.paths_with(record.id),
        )

    def list_inputs(self, groups: list[tuple[object, list[str]]]) -> tuple:
        """A theme, tag, year or author page, or Needs attention: its groups of
        readings, and what each shows."""
        return tuple((getattr(key, "id", key), self.listed(ids)) for key, ids in groups)

    def list_pages(
        self,
        out: Pages,
        stem: str,
        groups: list[tuple[object, list[str]]],
        template: str,
        inputs: tuple,
        per_page: int | None = None,
        shown: Callable[[list[tuple[object, list[str]]]], tuple] | None = None,
        **context: object,
    ) -> None:
        """A theme, tag, year or author list, Needs attention or the index of authors,
        ``groups`` of readings (or names), on as many pages as it takes
        (``split_into_pages``); ``inputs`` is what its template reads besides. ``per_page`` and ``shown`` (what a page's groups show, for the
        render cache) are for a list of something else than readings."""
        split = split_into_pages(groups, per_page or self.settings.readings_per_page)
        paths = list_page_paths(stem, len(split))
        for number, (page_groups, continues) in enumerate(split, 1):
            pager = Pager(number, paths, continues)
            listed = shown(page_groups) if shown else self.list_inputs(page_groups)
            self.page(
                out,
                (*inputs, number, len(paths), continues, listed),
                template,
                paths[number - 1],
                groups=page_groups,
                pager=pager,
                **context,
            )

    def authors_index(self, out: Pages) -> None:
        """The index of authors, by family name under each initial, on pages of at most
        ``AUTHORS_PER_READING`` times ``readings_per_page`` names; a list of several
        pages starts with the initials, each linked to the page it starts on."""
        lib = self.library
        groups: dict[str, list[str]] = {}
        for name in lib.by_author:  # already in family-name order
            groups.setdefault(initial(name), []).append(name)
        per_page = AUTHORS_PER_READING * self.settings.readings_per_page
        # Each initial, and the page it starts on (list_pages splits the list alike).
        split = split_into_pages(list(groups.items()), per_page)
        paths = list_page_paths("authors/index", len(split))
        starts: dict[str, str] = {}
        for path, (page_groups, _) in zip(paths, split, strict=True):
            for letter, _ in page_groups:
                starts.setdefault(letter, path)
        self.list_pages(
            out,
            "authors/index",
            list(groups.items()),
            "authors_index.html.j2",
            (tuple(starts.items()),),
            per_page=per_page,
            shown=lambda page_groups: tuple(
                (letter, tuple((n, lib.author_slugs[n], len(lib.by_author[n])) for n in names))
                for letter, names in page_groups
            ),
            starts=starts,
        )

    def pages(self) -> Pages:
        lib = self.library
        out = Pages()
        entries = lib.entries
        out["index.md"] = self.render(
            "home.md.j2",
            "index.md",
            chart=year_chart(lib, page_links("index.md", self.settings.directory_urls)),
            total=len(entries),
        )
        lacking = [i for i, e in entries.items() if missing_fields(e.record)]
        self.list_pages(
            out,
            "needs-attention",
            [(None, lacking)],
            "needs_attention.html.j2",
            (len(lacking),),
            total=len(lacking),
        )
        out["record-fields.md"] = self.render(
            "record_fields.md.j2",
            "record-fields.md",
            fields=schema.FIELDS,
            schema_url=Markup(self.settings.schema_url or "https://json-schema.org/"),
        )
        out["themes/index.md"] = self.render("themes_index.md.j2", "themes/index.md")
        self.term_pages(out, "theme", lib.vocabulary.themes, lib.by_theme)
        out["years/index.md"] = self.render(
            "years_index.md.j2",
            "years/index.md",
            chart=year_chart(lib, page_links("years/index.md", self.settings.directory_urls)),
        )
        for year, ids in lib.by_year.items():
            groups = [
                (t, [i for i in ids if t.id in entries[i].themes]) for t in lib.vocabulary.themes
            ]
            self.list_pages(
                out,
                f"years/{year_slug(year)}",
                [(t, g) for t, g in groups if g],
                "year.html.j2",
                (year, len(ids)),
                year=year,
                total=len(ids),
            )
        out["tags/index.md"] = self.render("tags_index.md.j2", "tags/index.md")
        self.term_pages(out, "tag", lib.vocabulary.tags, lib.by_tag)
        self.authors_index(out)
        slugs = lib.author_slugs
        for name, ids in track(lib.by_author.items(), len(lib.by_author), "rendering author pages"):
            coauthors, more_coauthors = self.coauthors(name, ids)
            self.list_pages(
                out,
                self.author_page(name).removesuffix(".md"),
                [(None, list(ids))],
                "author.html.j2",
                (name, len(ids), tuple((o, slugs[o]) for o in (name, *coauthors)), more_coauthors),
                name=name,
                total=len(ids),
                coauthors=coauthors,
                more_coauthors=more_coauthors,
            )
        # Downloads before record pages: those show the APA reference, which worker
        # processes may still be formatting (citation.formatting_ahead).
        self.add_downloads(out)
        for entry in track(entries.values(), len(entries), "rendering record pages"):
            more = self.more_by(entry.record)
            self.page(
                out,
                self.record_inputs(entry, more),
                "record.html.j2",
                record_page(entry.id),
                entry=entry,
                record=entry.record,
                more_by_authors=more,
            )
        out.update(self.trainer_pages())
        out.sort()
        return out

    def term_pages(self, out: Pages, kind: str, terms: tuple, by_term: dict) -> None:
        """A page for each theme (or tag) that has readings: them, newest first, by year."""
        for term in terms:
            if term.id in by_term:
                ids = by_term[term.id]
                self.list_pages(
                    out,
                    f"{kind}s/{term.id}",
                    self.group_by_year(ids),
                    f"{kind}.html.j2",
                    (term.id, len(ids)),
                    **{kind: term},
                    total=len(ids),
                )

    def add_downloads(self, out: Pages) -> None:
        """BibTeX, RIS and CSL-JSON files: one set per record, then one per theme and one
        for the whole list, put together from the records' own files."""
        lib = self.library
        for record_id, entry in lib.entries.items():
            stem = f"{DOWNLOADS}/records/{record_id}"
            self.made(
                out,
                [f"{stem}{suffix}" for suffix in exports.FORMATS],
                self.listed([record_id]),
                lambda stem=stem, record=entry.record: exports.export_files(stem, [record]),
            )
        groups = [("reading-list", tuple(lib.entries))]
        groups += [(f"themes/{theme}", ids) for theme, ids in lib.by_theme.items()]
        for stem, ids in groups:
            records = exports.ordered(lib.entries[i].record for i in ids)
            for suffix in exports.FORMATS:
                out.set_encoded(
                    f"{DOWNLOADS}/{stem}{suffix}",
                    exports.combined(
                        suffix,
                        (out.encoded(f"{DOWNLOADS}/records/{r.id}{suffix}") for r in records),
                    ),
                )

    def trainer_pages(self) -> dict[str, str]:
        """Reading paths, the Browse page and the Atom feeds, each from its own module."""
        from generator import browse, feeds
        from generator import paths as reading_paths

        return {
            **reading_paths.pages(self, self.paths),
            **browse.pages(self),
            **feeds.feeds(self.library, self.settings),
        }

    def group_by_year(self, ids: tuple[str, ...]) -> list[tuple[int | None, list[str]]]:
        groups: dict[int | None, list[str]] = {}
        for record_id in ids:  # already newest first, undated last
            groups.setdefault(self.library.entries[record_id].record.year, []).append(record_id)
        return list(groups.items())

    def coauthors(self, name: str, ids: tuple[str, ...]) -> tuple[list[str], int]:
        """The other authors of ``name``'s readings, in the authors index's order: at
        most MAX_COAUTHORS, those who share the most readings with ``name`` (ties: the
        index's order), so a prolific author's page does not grow with the list; and
        how many more there are."""
        shared = Counter(
            person.name
            for i in ids
            for person in dict.fromkeys(self.library.entries[i].record.authors)
            if person.name != name
        )
        order = self.author_order.__getitem__
        kept = sorted(shared, key=lambda other: (-shared[other], order(other)))[:MAX_COAUTHORS]
        return sorted(kept, key=order), len(shared) - len(kept)


def render_site(
    library: Library, settings: Settings, paths: tuple = (), reuse: RenderCache | None = None
) -> Pages:
    """Every generated page: ``{path relative to docs/: Markdown or HTML}`` (and the
    feeds' XML and the citation downloads);
    with ``reuse``, pages whose inputs did not change are taken from ``docs/``."""
    return Renderer(library, settings, paths, reuse).pages()
