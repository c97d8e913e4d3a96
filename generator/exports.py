"""Exports for reference managers: BibTeX, RIS and CSL-JSON, and the conventions they share.

Each export takes any records and writes them in a stable order (by id), keyed by the
record id, so the same records always give the same bytes. What a record does not hold
is left out, never filled in. Provenance (``source``) and the site's themes and tags are
not exported: they describe this site, not the reading.

The readers in ``generator.sources.ris`` and ``generator.sources.bibtex`` read these
files back; the conventions both directions rely on are stated here once:

* **Names** travel as ``Family, Given`` (``Family, Given, Suffix`` in RIS,
  ``Family, Suffix, Given`` in BibTeX) when the name as written is exactly
  ``Given Family [Suffix]``; otherwise as written, in braces in BibTeX so no program
  splits it. The readers turn ``Family, Given`` back into ``Given Family``.
* **A cut author list** (``et_al``) is ``and others`` in BibTeX and the note
  ``ET_AL_NOTE`` in RIS (``N1``) and CSL-JSON (``note``).
* **Pages** are copied as written into BibTeX ``pages`` and RIS ``SP``/``EP`` (split
  only at a single ``-``). In CSL-JSON an article number (``appi.ps.2020000``,
  ``e0209222``: anything that is not a page or page range) is ``number``, as the CSL
  specification asks, and a page range is ``page``.
* **Line breaks**: RIS holds one line per value, so each line break in a value, with
  the spaces around it, becomes one space (``one_line``); so does it in BibTeX, except
  that an abstract keeps its paragraphs (a blank line between them, ``paragraphs``).
  Leading and trailing whitespace is dropped; other spacing is kept. CSL-JSON keeps
  every value exactly.
* **Types**: ``article-journal`` (BibTeX ``@article``, RIS ``JOUR``) when a journal,
  volume, issue or pages are known: the seed format's ``Vol`` and ``pp.`` lines come from
  journal articles. Otherwise ``document`` (``@misc``, ``GEN``): the type is unknown, and
  CSL's generic type says so instead of guessing.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable

from generator.model import Person, Record, fold, name_facts

ET_AL_NOTE = "The author list in the source is cut short (et al.)."
ARTICLE_JOURNAL, DOCUMENT = "article-journal", "document"

# A page (81, s26, S12) or a range (146-162, s26-s31, 81–92). Anything else, such as
# appi.ps.2020000 or e0209222, is an article number.
_PAGE = r"[A-Za-z]{0,2}\d{1,4}[A-Za-z]?"
PAGE_OR_RANGE = re.compile(rf"{_PAGE}(?:\s*[-\u2013\u2014]{{1,2}}\s*{_PAGE})?")
# Pages split into RIS SP/EP only where a plain "-" joins two parts, so SP-EP reads back
# exactly as written.
_SIMPLE_RANGE = re.compile(r"([^\s-]+)-([^\s-]+)")


# -- conventions shared with the readers ------------------------------------------------


def ordered(records: Iterable[Record]) -> list[Record]:
    """Records in export order: by id, ignoring case, whatever order they came in."""
    return sorted(records, key=lambda r: (fold(r.id), r.id))


def is_article_number(pages: str) -> bool:
    """True when ``pages`` holds an article number (eLocator) rather than pages."""
    return PAGE_OR_RANGE.fullmatch(pages.strip()) is None


def reference_type(record: Record) -> str:
    """``article-journal`` or ``document`` (see the module docstring)."""
    if record.journal or record.volume or record.issue or record.pages:
        return ARTICLE_JOURNAL
    return DOCUMENT


def name_parts(person: Person) -> tuple[str, str, str] | None:
    """``(family, given, suffix)`` when the name as written is exactly ``given family
    [suffix]``, so writing it as ``Family, Given`` and reading it back gives the same
    name; ``None`` for names to keep whole (one word, a nickname, an organisation that
    does not parse, a name written ``Family, Given``)."""
    return _name_parts(person.name)


@functools.cache
def _name_parts(name: str) -> tuple[str, str, str] | None:
    # Cached: parsing a name is the slowest step of an export, and a list names the
    # same people many times (per record, per theme and in the whole list).
    family, given, suffix, found_family = name_facts(name)
    if not found_family or not given or "," in family + given + suffix:
        return None
    rebuilt = " ".join(part for part in (given, family, suffix) if part)
    return (family, given, suffix) if rebuilt == name else None


def display_name(family: str, given: str = "", suffix: str = "") -> str:
    """The record form of a name read as parts: ``Given Family Suffix``."""
    return " ".join(part for part in (given.strip(), family.strip(), suffix.strip()) if part)


# Every character that ends a line somewhere (str.splitlines); RIS readers split on some.
LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK = re.compile(rf"[ \t]*[{LINE_BREAKS}][ \t{LINE_BREAKS}]*")
_BLANK_LINE = re.compile(rf"[ \t]*[{LINE_BREAKS}][ \t]*[{LINE_BREAKS}][ \t{LINE_BREAKS}]*")


def one_line(text: str) -> str:
    """The text on one line: each line break, with the spaces and tabs around it, is one
    space; leading and trailing whitespace goes. Other spacing (a thin space in
    ``p < .005``, two spaces) is kept."""
    return _BREAK.sub(" ", text.replace("\r\n", "\n")).strip()


def paragraphs(text: str) -> str:
    """Paragraphs (split at blank lines), each on one line, joined by a blank line."""
    parts = (one_line(p) for p in _BLANK_LINE.split(text.replace("\r\n", "\n")))
    return "\n\n".join(p for p in parts if p)


# -- CSL-JSON ---------------------------------------------------------------------------


def csl_name(person: Person) -> dict[str, str]:
    parts = name_parts(person)
    if parts is None:
        return {"literal": person.name}
    family, given, suffix = parts
    name = {"family": family, "given": given}
    if suffix:
        name["suffix"] = suffix
    return name


def csl_item(record: Record) -> dict[str, object]:
    """A CSL-JSON item for a record: only the fields the record holds."""
    item: dict[str, object] = {"id": record.id, "type": reference_type(record)}
    if record.title:
        item["title"] = record.title
    if record.authors:
        item["author"] = [csl_name(p) for p in record.authors]
    if record.year is not None:
        item["issued"] = {"date-parts": [[record.year]]}
    if record.journal:
        item["container-title"] = record.journal
    if record.volume:
        item["volume"] = record.volume
    if record.issue:
        item["issue"] = record.issue
    if record.pages:
        item["number" if is_article_number(record.pages) else "page"] = record.pages
    if record.doi:
        item["DOI"] = record.doi
    if record.url:
        item["URL"] = record.url
    if record.abstract:
        item["abstract"] = record.abstract
    if record.et_al:
        item["note"] = ET_AL_NOTE
    return item


def csl_json(records: Iterable[Record]) -> str:
    """A CSL-JSON file (an array of items), as Zotero and citeproc processors read it."""
    items = [csl_item(r) for r in ordered(records)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# -- BibTeX -----------------------------------------------------------------------------

# Characters LaTeX gives a meaning, written as commands that print them. Braces become
# \textbraceleft{} / \textbraceright{} rather than \{ \}: BibTeX itself counts \{ as an
# opening brace, so an unpaired one would swallow the rest of the file.
_LATEX_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
# TeX ligatures that would change the text: -- and --- (dashes), `` and '' (quotes),
# !` and ?` (inverted marks). An empty group between the characters keeps them apart.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[!?])(?=`)")
_AND = re.compile(r"\band\b", re.IGNORECASE)


_SPECIAL = re.compile("[" + re.escape("".join(map(chr, _LATEX_SPECIALS))) + "]")
_LIGATURE_PAIRS = ("--", "``", "''", "!`", "?`")


def latex_escape(text: str) -> str:
    """Plain text as LaTeX that prints exactly that text (whitespace aside)."""
    # Both steps are skipped where there is nothing to do (most names and titles):
    # translate and the lookbehinds look at every character.
    if _SPECIAL.search(text):
        text = text.translate(_LATEX_SPECIALS)
    if any(pair in text for pair in _LIGATURE_PAIRS):
        text = _LIGATURE.sub("{}", text)
    return text


def _bibtex_verbatim(text: str) -> str:
    """A DOI or URL: written as is (BibTeX tools read these verbatim), except that
    braces and backslashes, which would break the entry, are percent-encoded."""
    return one_line(text).replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _bibtex_name_part(text: str) -> str:
    escaped = latex_escape(one_line(text))
    # A comma or the word "and" would split the name; braces keep the part whole.
    return f"{{{escaped}}}" if "," in text or _AND.search(text) else escaped


def bibtex_name(person: Person) -> str:
    parts = name_parts(person)
    if parts is None:
        return f"{{{latex_escape(one_line(person.name))}}}"
    family, given, suffix = (_bibtex_name_part(p) for p in parts)
    return f"{family}, {suffix}, {given}" if suffix else f"{family}, {given}"


def bibtex_key(record: Record) -> str:
    return re.sub(r"[^A-Za-z0-9_:.-]", "-", record.id) or "record"


# Entries are cached: a record is written into its own file, each of its themes' files
# and the whole list's.
@functools.lru_cache(maxsize=1 << 15)
def bibtex_entry(record: Record) -> str:
    fields: list[tuple[str, str]] = []
    names = [bibtex_name(p) for p in record.authors] + (["others"] if record.et_al else [])
    if names:
        fields.append(("author", " and ".join(names)))
    text_fields = (
        ("title", record.title),
        ("journal", record.journal),
        ("year", str(record.year) if record.year is not None else None),
        ("volume", record.volume),
        ("number", record.issue),
        ("pages", record.pages),
    )
    fields += [(name, latex_escape(one_line(v))) for name, v in text_fields if v and one_line(v)]
    fields += [
        (name, _bibtex_verbatim(v))
        for name, v in (("doi", record.doi), ("url", record.url))
        if v and one_line(v)
    ]
    abstract = paragraphs(record.abstract) if record.abstract else ""
    if abstract:
        fields.append(("abstract", latex_escape(abstract)))
    kind = "article" if reference_type(record) == ARTICLE_JOURNAL else "misc"
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{bibtex_key(record)},\n{body}}}\n"


def bibtex(records: Iterable[Record]) -> str:
    """A BibTeX file (UTF-8), one entry per record, keyed by record id."""
    return "\n".join(bibtex_entry(r) for r in ordered(records))


# -- RIS --------------------------------------------------------------------------------


def ris_name(person: Person) -> str:
    parts = name_parts(person)
    if parts is None:
        return one_line(person.name)
    family, given, suffix = parts
    return ", ".join(part for part in (family, given, suffix) if part)


@functools.lru_cache(maxsize=1 << 15)
def ris_entry(record: Record) -> str:
    tags: list[tuple[str, str]] = [
        ("TY", "JOUR" if reference_type(record) == ARTICLE_JOURNAL else "GEN")
    ]
    tags += [("AU", ris_name(p)) for p in record.authors]
    optional = [
        ("TI", record.title),
        ("T2", record.journal),
        ("PY", str(record.year) if record.year is not None else None),
        ("VL", record.volume),
        ("IS", record.issue),
    ]
    pages = one_line(record.pages) if record.pages else ""
    page_range = _SIMPLE_RANGE.fullmatch(pages)
    if page_range:
        optional += [("SP", page_range[1]), ("EP", page_range[2])]
    else:
        optional.append(("SP", pages))
    optional += [
        ("DO", record.doi),
        ("UR", record.url),
        ("AB", record.abstract),
        ("N1", ET_AL_NOTE if record.et_al else None),
    ]
    tags += [(tag, one_line(value)) for tag, value in optional if value and value.strip()]
    # One value per line, so no value can start a line that reads as a tag ("ER  - ").
    return "".join(f"{tag}  - {value}\n" for tag, value in tags) + "ER  - \n"


def ris(records: Iterable[Record]) -> str:
    """An RIS file (UTF-8), one record per reading, a blank line between records."""
    return "\n".join(ris_entry(r) for r in ordered(records))


# -- Highwire Press meta tags ----------------------------------------------------------


def highwire_tags(record: Record) -> list[tuple[str, str]]:
    """``(name, content)`` pairs for ``<meta name=... content=...>`` on a record's page,
    which Google Scholar and the Zotero Connector read. Only what the record holds: no
    ``citation_title`` without a title. Values are plain text: escape them for the
    attribute, as every record value."""
    tags: list[tuple[str, str]] = []
    if record.title:
        tags.append(("citation_title", one_line(record.title)))
    tags += [("citation_author", ris_name(p)) for p in record.authors]
    if record.year is not None:
        tags.append(("citation_publication_date", str(record.year)))
    for name, value in (
        ("citation_journal_title", record.journal),
        ("citation_volume", record.volume),
        ("citation_issue", record.issue),
    ):
        if value:
            tags.append((name, one_line(value)))
    if record.pages:
        pages = one_line(record.pages)
        page_range = _SIMPLE_RANGE.fullmatch(pages)
        if page_range:
            tags += [("citation_firstpage", page_range[1]), ("citation_lastpage", page_range[2])]
        else:
            tags.append(("citation_firstpage", pages))
    if record.doi:
        tags.append(("citation_doi", record.doi))
    return tags


# -- all formats ------------------------------------------------------------------------

FORMATS = {
    # suffix: (function, media type)
    ".bib": (bibtex, "application/x-bibtex"),
    ".ris": (ris, "application/x-research-info-systems"),
    ".json": (csl_json, "application/vnd.citationstyles.csl+json"),
}


def export_files(stem: str, records: Iterable[Record]) -> dict[str, str]:
    """``{stem.bib: ..., stem.ris: ..., stem.json: ...}`` for a set of records."""
    chosen = list(records)
    return {f"{stem}{suffix}": write(chosen) for suffix, (write, _) in FORMATS.items()}


def combined(suffix: str, files: Iterable[bytes]) -> bytes:
    """One file of several records, from each record's own file of that format (UTF-8,
    in ``ordered`` order): byte for byte what the format writes for them together, as
    each format writes a file of several records as its records' entries one after
    the other. Formatting each record once, not again for every theme and for the
    whole list, was most of the time spent on downloads."""
    files = list(files)
    if suffix == ".json":  # "[\n" + the item at indent 2 + "\n]\n", items joined by ",\n"
        return b"[\n" + b",\n".join(f[2:-3] for f in files) + b"\n]\n" if files else b"[]\n"
    return b"\n".join(files)
