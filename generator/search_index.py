"""The site search: run Pagefind on a built site, before the site replaces ``site/``.

Pagefind (https://pagefind.app) reads the built HTML and writes a search index split
into small files under ``pagefind/`` in the site, so a reader's first search fetches a
few hundred kilobytes instead of the whole index. The ``pagefind-bin`` package carries
the binary; nothing is downloaded at build time. ``pagefind.yml`` in the project root
holds its settings; ``overrides/main.html`` marks what it indexes and
``docs/assets/search.js`` is the search box.

A list of more than ``RECORD_PAGES_PER_PART`` records is indexed in parts, one
Pagefind run each over the site, reading only the part's pages (``part_glob``), which
the search box merges in the browser (Pagefind's ``mergeIndex``: one engine, each
part's page list and index chunks). Pagefind holds
every page it indexes in memory until it writes, about 180 kB per record page, with
no setting to lower it (Pagefind/pagefind#842): one index of 10,000 records took
1.8 GB, four parts take under 600 MB each (BENCHMARKS.md). Each part also indexes a
page of every word in the site, which the search box hides (``index_site`` says why).
"""

from __future__ import annotations

import gzip
import html
import itertools
import json
import math
import multiprocessing
import os
import re
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "pagefind.yml"
OUTPUT_SUBDIR = "pagefind"
# Record pages per part of the index: a part's Pagefind run then stays near 600 MB.
# Each part more costs a first search one entry file and one index chunk (BENCHMARKS.md).
RECORD_PAGES_PER_PART = 3000
PAGES_PER_WORKER = 2000  # fewer are read faster than a process starts
PARTS_FILE = "parts.json"  # in pagefind/: the other parts' folders and the ids to hide
_RECORD_PAGE = re.compile(r"records/[^/]+/index\.html")
_PART_FOLDER = re.compile(rf"{OUTPUT_SUBDIR}(-[0-9]+)?")
# In each part of a split index; in site/ only while the index is built.
VOCABULARY_URL = "/search-vocabulary/"
VOCABULARY_FIELD = "vocabulary"
_GLOB_CHARACTERS = frozenset("?*$:<>()[]{},")
_TAG = re.compile(rb"<[^>]*>")
# How Pagefind reads a page's words (pagefind/src/fossick/parser.rs): it leaves out
# some elements with their text (REMOVE_SELECTORS, and pagefind.yml's pilcrows), and
# starts a new word after the tags of sentence elements (SENTENCE_SELECTORS), <br>,
# and an element with an id (an anchor) or a weight. Any other element's text runs on
# into its neighbours'.
_LEFT_OUT = re.compile(
    rb"<(script|style|noscript|label|form|svg|nav|footer|iframe|template)(?=[\s/>]).*?</\1\s*>"
    rb'|<a\b[^>]*class="headerlink"[^>]*>.*?</a>',
    re.DOTALL | re.IGNORECASE,
)
_WORD_BREAKING_TAG = re.compile(
    rb"</?(?:h[1-6]|p|td|div|ul|li|dl|dt|dd|article|section)(?=[\s/>])[^>]*>"
    rb"|<br(?=[\s/>])[^>]*>"
    rb"|<[a-z][^>]*\s(?:id|data-pagefind-weight)=[^>]*>",
    re.IGNORECASE,
)
# Pagefind also indexes the first image after the title: its address and alt text.
_IMAGE = re.compile(rb"<img\b[^>]*>", re.IGNORECASE)
_IMAGE_TEXT = re.compile(rb"""\s(?:src|alt)=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why, in Pagefind's words."""


@dataclass(frozen=True)
class Indexed:
    """What Pagefind reported: pages indexed, words indexed (in a split index, the most
    in one part, which is about every word of the site: each part has a page of every
    word) and in how many parts."""

    pages: int
    words: int
    parts: int = 1


def executable() -> Path:
    """The Pagefind binary that the ``pagefind-bin`` package installed."""
    try:
        from pagefind_bin import get_executable
    except ImportError as error:
        raise SearchIndexError(
            "Pagefind is not installed: run `pip install -e .` (it comes with the "
            "pagefind-bin package), or `make site`, which installs it"
        ) from error
    try:
        return get_executable()
    except FileNotFoundError as error:
        raise SearchIndexError(
            f"the pagefind-bin package has no binary for this machine ({error}); "
            "reinstall it with `pip install --force-reinstall pagefind-bin`"
        ) from error


def _count(pattern: str, output: str) -> int:
    found = re.search(pattern, output)
    return int(found[1]) if found else 0


def messages(stdout: str, stderr: str) -> str:
    """What Pagefind said went wrong: all it wrote to stderr (its errors, with their
    details on the lines after), and the warning lines of its progress report."""
    kept = [line.strip() for line in stderr.splitlines() if line.strip()]
    kept += [
        line.strip()
        for line in stdout.splitlines()
        if re.search(r"\b(error|warn|warning|failed|panicked)\b", line, re.IGNORECASE)
    ]
    return "".join(f"pagefind: {line}\n" for line in dict.fromkeys(kept))


def part_folder(number: int) -> str:
    """The folder of the index's ``number``-th part (from 1), relative to the site."""
    return OUTPUT_SUBDIR if number == 1 else f"{OUTPUT_SUBDIR}-{number}"


def plan_parts(site: Path, record_pages_per_part: int = RECORD_PAGES_PER_PART) -> list[list[str]]:
    """The site's HTML pages (relative paths, sorted) in the parts they are indexed in.

    Record pages hold nearly all the indexed text, so they are what is shared out:
    in runs of at most ``record_pages_per_part``, as even as can be, in address order; the
    first part also takes every other page. A site of up to that many records has one
    part, the whole site.
    """
    cut = len(os.path.join(site, ""))  # os.walk: 19,000 pages in 0.4 s, Path.rglob 1.6 s
    pages = sorted(
        os.path.join(folder, name)[cut:].replace(os.sep, "/")
        for folder, _, names in os.walk(site)
        for name in names
        if name.endswith(".html")
    )
    records = [page for page in pages if _RECORD_PAGE.fullmatch(page)]
    count = max(1, math.ceil(len(records) / record_pages_per_part))
    if count == 1:
        return [pages]
    bounds = [len(records) * number // count for number in range(count + 1)]
    parts = [records[start:end] for start, end in itertools.pairwise(bounds)]
    parts[0] = sorted([page for page in pages if not _RECORD_PAGE.fullmatch(page)] + parts[0])
    return parts


def part_glob(part: list[str], pages: list[str]) -> str:
    """The Pagefind ``--glob`` that matches the pages of ``part`` among the site's
    ``pages`` (``plan_parts`` gives both), and the page of every word.

    Each part is read from the site itself: making and removing a folder of links to
    each part's pages took 4 to 6 s of indexing 10,000 records. A list of every page
    is no glob either: Pagefind's parser gave up on 10,000 pages, and one argument
    holds at most 128 kB on Linux. So the glob lists no record page: other pages go by
    their top folder when all of it is in the part (the first part has every page
    that is not a record's), and record pages by the shortest starts of their folder
    names that no page of another part has (``_name_starts``): at 10,000 records, each
    part's glob is under 1 kB.

    Raises ``SearchIndexError`` for a page whose address no glob can name.
    """
    for page in part:
        if "\\" in page or _not_utf8(page):
            # The glob has no escape for a backslash, and Pagefind takes only UTF-8.
            raise SearchIndexError(
                f"the built site has a page at {page!r}, which the search index cannot "
                "name when it is built in parts: rename it in docs/ without backslashes "
                "or bytes that are not UTF-8"
            )
    in_part = set(part)
    record_names: dict[str, bool] = {}
    # A top folder, or a page on its own (at the top, or in the records folder).
    groups: dict[str, list[str]] = {}
    for page in pages:
        if _RECORD_PAGE.fullmatch(page):
            record_names[page.split("/")[1]] = page in in_part
            continue
        top, slash, _ = page.partition("/")
        groups.setdefault(f"{top}/" if slash and top != "records" else page, []).append(page)
    patterns = []
    for group, listed in groups.items():
        chosen = [page for page in listed if page in in_part]
        if group.endswith("/") and len(chosen) == len(listed):
            patterns.append(f"{_glob_literal(group)}**/*.html")
        else:
            patterns += [_glob_literal(page) for page in chosen]
    patterns += [f"records/{start}/index.html" for start in _name_starts(record_names)]
    patterns.append(f"{VOCABULARY_URL.strip('/')}/index.html")
    return "{" + ",".join(patterns) + "}"


def _name_starts(chosen: dict[str, bool]) -> list[str]:
    """Glob patterns that match the names marked true among ``chosen``'s names and no
    other: a start shared only by marked names, then ``*``; or a marked name itself
    that starts unmarked ones. Parts are runs of names in sorted order, so only the
    names at a part's two ends need more than a letter or two."""
    found: list[str] = []

    def cover(start: str, names: list[str]) -> None:  # names: all that begin with start
        marked = [chosen[name] for name in names]
        if all(marked):
            found.append(f"{_glob_literal(start)}*")
            return
        if not any(marked):
            return
        if names[0] == start:  # sorted, so the start itself comes first
            if chosen[start]:
                found.append(_glob_literal(start))
            names = names[1:]
        for letter, group in itertools.groupby(names, key=lambda name: name[len(start)]):
            cover(start + letter, list(group))

    if chosen:
        cover("", sorted(chosen))
    return found


def _glob_literal(text: str) -> str:
    """``text`` with Pagefind's glob characters (its ``wax`` crate's) escaped."""
    return "".join(f"\\{char}" if char in _GLOB_CHARACTERS else char for char in text)


def _not_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a file name's bytes that were not UTF-8 (surrogates)
        return True
    return False


def site_vocabulary(site: Path, pages: list[str], workers: int | None = None) -> list[str]:
    """Every word that a search could find on ``pages`` (paths relative to ``site``),
    and more: the words of each page's article (or, on a page with no article, all of
    it) from its start or from where Pagefind starts reading, whichever comes first,
    read as Pagefind reads them (``_words_as_pagefind_reads``) and also parted at every
    tag, with the address and alt text of its images. ``tests/test_search_parts.py``
    checks the reading against Pagefind itself, and ``tests/test_search.py`` that it
    holds every word Pagefind indexed on the seed site and on hostile records.

    A superset is what ``index_site`` needs: a word here that no page holds only makes
    a search for it find nothing instead of Pagefind's guess at a shorter word.

    ``workers`` processes read the pages (default: one per core the process may use,
    one process for fewer than ``PAGES_PER_WORKER`` pages): at 10,000 records, 20,000
    pages take about 4 s in one.
    """
    if workers is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        workers = min(cores or 1, len(pages) // PAGES_PER_WORKER)
    if workers > 1:
        # Started afresh, not forked: the process that calls may hold threads.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=spawn) as pool:
            found = list(pool.map(_page_words, [site] * workers, _dealt(pages, workers)))
    else:
        found = [_page_words(site, pages)]
    return sorted(set().union(*found))


def _dealt(items: list[str], hands: int) -> list[list[str]]:
    """``items`` dealt round into ``hands`` lists, so each gets pages of every kind."""
    return [items[start::hands] for start in range(hands)]


def _page_words(site: Path, pages: list[str]) -> set[str]:
    """``site_vocabulary`` of ``pages``, not sorted."""
    tokens: set[bytes] = set()
    for page in pages:
        text = (site / page).read_bytes()
        mark = text.find(b"data-pagefind-")
        if mark < 0:
            continue  # not indexed (overrides/main.html)
        article = text.find(b"<article")
        start = min(at for at in (article, text.rfind(b"<", 0, mark)) if at >= 0)
        end = text.find(b"</article>", mark)
        region = text[start : end if end >= 0 else None] if article >= 0 else text
        tokens.update(_words_as_pagefind_reads(region))
        tokens.update(_TAG.sub(b" ", region).split())
        for image in _IMAGE.finditer(region):
            for value in _IMAGE_TEXT.finditer(image[0]):
                tokens.update((value[1] or value[2] or value[3] or b"").split())
    words = {html.unescape(token.decode("utf-8", "replace")) for token in tokens}
    return {word for text in words for word in text.split()}


def _words_as_pagefind_reads(markup: bytes) -> list[bytes]:
    """The words of ``markup``, split where Pagefind splits them; entities not read."""
    return _TAG.sub(b"", _WORD_BREAKING_TAG.sub(b" ", _LEFT_OUT.sub(b"", markup))).split()


def _is_vocabulary_page(path: Path) -> bool:
    """Whether ``path``'s folder holds only a page of every word (``vocabulary_page``),
    or the start of one, or nothing: what a run that was stopped may leave."""
    head = vocabulary_page([]).split("<div")[0].encode("utf-8")
    try:
        names = [entry.name for entry in path.parent.iterdir()]
        if names != [path.name]:
            return names == []
        with path.open("rb") as page:
            start = page.read(len(head))
    except OSError:
        return False
    return head.startswith(start)


def vocabulary_page(words: list[str]) -> str:
    """The page each part of a split index gets besides its share of the site's pages:
    every word of the site in a metadata field, so that no part lacks a word another
    part has (see ``index_site``). One word of page text, or Pagefind skips the page."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Search vocabulary</title></head><body>\n"
        f'<div data-pagefind-meta="{VOCABULARY_FIELD}">{html.escape(" ".join(words))}</div>\n'
        "<main data-pagefind-body><p>vocabulary</p></main>\n</body></html>\n"
    )


def index_site(
    site: Path,
    root: Path,
    env: dict[str, str] | None = None,
    record_pages_per_part: int = RECORD_PAGES_PER_PART,
) -> Indexed:
    """Index the built ``site`` into ``site/pagefind/`` (and ``site/pagefind-2/`` … for
    a large list, see ``plan_parts``), reading ``root/pagefind.yml``; write
    ``pagefind/parts.json``, which tells ``assets/search.js`` what to merge and hide.

    Pagefind answers a word that is in none of an index's pages with the pages of the
    longest word that starts it ("w." for "watershed"). One index does that only for
    words the site lacks; parts merged in the browser would each add their guess for
    every word another part holds. So each part also indexes a page of every word in
    the site (``vocabulary_page``): a part without the word finds only that page, which
    the search box hides. Its address is ``VOCABULARY_URL``; it is written into the
    site for the indexing only, and removed after.

    Raises ``SearchIndexError`` with Pagefind's own messages when it fails or indexes
    no page (which would leave the search box empty on every page).
    """
    vocabulary_file = site / VOCABULARY_URL.strip("/") / "index.html"
    if _is_vocabulary_page(vocabulary_file):  # left by an interrupted run
        shutil.rmtree(vocabulary_file.parent)
    # An index written here before: Pagefind adds to a folder without emptying it, and
    # an old parts.json would name parts and hidden pages that are no longer there.
    for folder in site.glob(f"{OUTPUT_SUBDIR}*"):
        if folder.is_dir() and _PART_FOLDER.fullmatch(folder.name):
            shutil.rmtree(folder)
    parts = plan_parts(site, record_pages_per_part)
    hidden: list[str] = []
    if len(parts) == 1:
        indexed = _run_pagefind(site, site / OUTPUT_SUBDIR, root, env)
    else:
        if vocabulary_file.parent.exists():
            raise SearchIndexError(
                f"the site has a page at {VOCABULARY_URL}, the address the search index "
                "gives its page of every word: rename that page"
            )
        every = [page for part in parts for page in part]
        globs = [part_glob(pages, every) for pages in parts]
        vocabulary = vocabulary_page(site_vocabulary(site, every))
        indexed = Indexed(pages=0, words=0, parts=len(parts))
        try:
            vocabulary_file.parent.mkdir()
            vocabulary_file.write_text(vocabulary, encoding="utf-8")
            for number, glob in enumerate(globs, start=1):
                output = site / part_folder(number)
                done = _run_pagefind(site, output, root, env, glob=glob)
                hidden.append(_fragment_id(output, VOCABULARY_URL))
                indexed = Indexed(
                    pages=indexed.pages + done.pages - 1,  # not its page of every word
                    words=max(indexed.words, done.words),
                    parts=len(parts),
                )
        finally:
            shutil.rmtree(vocabulary_file.parent, ignore_errors=True)
    others = [f"{part_folder(number)}/" for number in range(2, len(parts) + 1)]
    # Every part's page of every word has the same text, so the same id: listed once.
    listed = {"parts": others, "hidden": list(dict.fromkeys(hidden))}
    (site / OUTPUT_SUBDIR / PARTS_FILE).write_text(json.dumps(listed) + "\n", encoding="utf-8")
    return indexed


def _fragment_id(index: Path, url: str) -> str:
    """The id Pagefind gives the page at ``url`` in ``index`` (its fragment's name).
    The vocabulary page's fragment is the largest, so it is looked for first."""
    fragments = sorted(
        (index / "fragment").glob("*.pf_fragment"), key=lambda path: -path.stat().st_size
    )
    for path in fragments:
        if _read_fragment(path).get("url") == url:
            return path.name.removesuffix(".pf_fragment")
    raise SearchIndexError(f"pagefind did not index {url} in {index}")


def _run_pagefind(
    site: Path, output: Path, root: Path, env: dict[str, str] | None, glob: str | None = None
) -> Indexed:
    """One Pagefind run: index the HTML pages of ``site`` (those ``glob`` matches, when
    given) into ``output``."""
    command = [str(executable()), "--site", str(site.resolve()), "--output-path"]
    command += [str(output.resolve()), *(["--glob", glob] if glob else [])]
    try:
        done = subprocess.run(
            command,
            cwd=root,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError as error:
        raise SearchIndexError(f"could not run {command[0]}: {error.strerror}") from error
    said = f"{done.stdout}\n{done.stderr}"
    if done.returncode != 0:
        shown = messages(done.stdout, done.stderr) or "".join(
            f"pagefind: {line}\n" for line in said.strip().splitlines()[-5:]
        )
        raise SearchIndexError(f"pagefind exited with status {done.returncode}:\n{shown}")
    indexed = Indexed(
        pages=_count(r"Indexed (\d+) pages?", said),
        words=_count(r"Indexed (\d+) words?", said),
    )
    if indexed.pages == 0:
        raise SearchIndexError(
            "pagefind indexed no page: no page of the built site has a "
            "data-pagefind-body element (overrides/main.html adds it)\n"
            + messages(done.stdout, done.stderr)
        )
    return indexed


def index_folders(site: Path) -> list[Path]:
    """The folders of every part of a built site's index, the first part's first."""
    listed = json.loads((site / OUTPUT_SUBDIR / PARTS_FILE).read_text(encoding="utf-8"))
    return [site / OUTPUT_SUBDIR, *(site / folder for folder in listed["parts"])]


def _read_fragment(path: Path) -> dict:
    """A fragment file: gzipped JSON behind a ``pagefind_dcd`` signature ({} if not)."""
    data = gzip.decompress(path.read_bytes())
    signature = b"pagefind_dcd"
    return json.loads(data[len(signature) :]) if data.startswith(signature) else {}


def indexed_pages(site: Path) -> dict[str, dict]:
    """What Pagefind stored for each indexed page of the site, by address: its text
    (``content``), ``meta`` (title, authors) and headings, from the fragment files of
    every part of the index; for tests and the benchmark."""
    pages: dict[str, dict] = {}
    fragments = [path for folder in index_folders(site) for path in folder.glob("fragment/*")]
    for path in sorted(fragments):
        fragment = _read_fragment(path)
        if fragment and fragment["url"] != VOCABULARY_URL:
            pages[fragment["url"]] = fragment
    return pages


def main(argv: list[str] | None = None) -> int:
    """``python -m generator.search_index SITE [--root ROOT]``: index a built site in
    place, as ``python -m generator build`` does (the benchmark measures it this way)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m generator.search_index",
        description="Index a built site for search in place, as `python -m generator "
        "build` does: SITE/pagefind/ (and pagefind-2/ … for a list of more than "
        f"{RECORD_PAGES_PER_PART:,} records).",
    )
    parser.add_argument("site", type=Path, help="the built site, e.g. site")
    parser.add_argument(
        "--root", type=Path, default=Path("."), help=f"the folder of {CONFIG_FILE} (default: .)"
    )
    args = parser.parse_args(argv)
    try:
        indexed = index_site(args.site, args.root)
    except SearchIndexError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"indexed {indexed.pages} pages in {indexed.parts} part{'s' * (indexed.parts > 1)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
