"""A large list's search index in parts (generator/search_index.py), without a browser:
how pages are shared out, and the page of every word that keeps a part from guessing.
tests/test_search.py searches a site indexed in parts in Chromium."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from generator import search_index
from tests.site_project import ROOT


def write_site(site: Path, records: int, others: tuple[str, ...] = ()) -> None:
    """``records`` record pages that Pagefind indexes, and ``others``, which it does not."""
    for number in range(records):
        page = site / "records" / f"r{number:03}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f'<html lang="en"><body><article><div data-pagefind-body><h1>Reading {number}</h1>'
            f"<p>word{number} shared</p></div></article></body></html>",
            encoding="utf-8",
        )
    for other in others:
        (site / other).parent.mkdir(parents=True, exist_ok=True)
        (site / other).write_text("<html></html>", encoding="utf-8")


@pytest.mark.parametrize(
    ("records", "per_part", "sizes"),
    [(7, 3, [2, 2, 3]), (6, 3, [3, 3]), (3, 3, None), (0, 3, None), (10, 1, [1] * 10)],
)
def test_record_pages_are_shared_out_evenly_and_every_page_is_in_one_part(
    tmp_path, records, per_part, sizes
):
    others = ("index.html", "authors/a/index.html", "records/index.html", "404.html")
    write_site(tmp_path, records, others=(*others, "pagefind-2/x.js"))
    parts = search_index.plan_parts(tmp_path, per_part)
    every = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html"))
    listed = [page for part in parts for page in part]
    assert sorted(listed) == every and len(listed) == len(set(listed))
    if sizes is None:  # up to one part's worth of records: the whole site in one
        assert parts == [every]
        return
    record_pages = [[p for p in part if p.startswith("records/r")] for part in parts]
    assert [len(part) for part in record_pages] == sizes
    assert all(len(part) <= per_part for part in record_pages)
    # Records in address order; every other page (404, indices, authors) in the first.
    assert [p for part in record_pages for p in part] == sorted(
        p for p in every if p.startswith("records/r")
    )
    assert all(p.startswith("records/r") for part in parts[1:] for p in part)
    assert {"404.html", "index.html", "records/index.html"} <= set(parts[0])


PAGE = (
    "<html><body><nav>Navigation only</nav><article>"
    '<span data-pagefind-meta="authors" hidden>Tse, S.</span>'
    '<div data-pagefind-body><h1 id="t">Peer<em>-led</em> groups'
    '<a class="headerlink" href="#t">¶</a></h1>'
    '<p><img src="pic.png" alt="A wombat">one</p>'
    "<p>two&amp;three <b>bo</b>ld &lt;x&gt; a<mark>b</mark>c left<script>s()</script>right</p>"
    "<ul><li>first</li><li>second<br>third</li></ul><table><tr><td>cell</td><td>s</td></tr>"
    '</table><p>an<span id="anchor">chor</span>ed <q>quo</q>ted</p></div>'
    "</article><footer>Footer text</footer></body></html>"
)
# A page whose title (the h1 that overrides/main.html writes when the page's text has
# none) comes before the text Pagefind indexes.
TITLE_OUTSIDE = (
    "<html><body><article><h1>Outside title</h1>"
    "<div data-pagefind-body><p>inside</p></div></article></body></html>"
)


def pagefind_read(site: Path) -> dict[str, dict]:
    search_index.index_site(site, ROOT)  # the site's pagefind.yml: pilcrows left out
    return search_index.indexed_pages(site)


def words_of(*texts: str) -> set[str]:
    """Words without the full stop Pagefind ends a block with (and drops again when
    indexing)."""
    return {word.rstrip(".") for text in texts for word in text.split()}


def test_words_are_read_as_pagefind_reads_them(tmp_path):
    for path, text in (
        ("records/a/index.html", PAGE),
        ("records/b/index.html", TITLE_OUTSIDE),
        ("browse/index.html", "<html><body><p>Unindexed words</p></body></html>"),
    ):
        (tmp_path / path).parent.mkdir(parents=True)
        (tmp_path / path).write_text(text, encoding="utf-8")

    read = search_index.site_vocabulary(
        tmp_path, ["records/a/index.html", "records/b/index.html", "browse/index.html"]
    )

    # Read as Pagefind reads them: inline elements (and <mark>) join the words around
    # them, as do elements it leaves out (a script, the pilcrow); blocks, <br>, table
    # cells and the start of an element with an id part them; entities are read.
    as_pagefind = {"Tse,", "S.", "Peer-led", "groups", "one", "two&three", "bold", "<x>"}
    as_pagefind |= {"abc", "leftright", "first", "second", "third", "cell", "s", "an"}
    as_pagefind |= {"chored", "quoted", "Outside", "title", "inside"}
    # Then parted at every tag as well; and the image's address and alt text.
    parted = {"Peer", "-led", "¶", "bo", "ld", "a", "b", "c", "left", "s()"}
    parted |= {"right", "chor", "ed", "quo", "ted"}
    image = {"pic.png", "A", "wombat"}
    assert set(read) == as_pagefind | parted | image
    assert read == sorted(set(read))

    # Pagefind itself reads no word that is not in it, in page text, title, authors or
    # image; and the words of page text read as Pagefind reads them are Pagefind's.
    indexed = pagefind_read(tmp_path)
    assert sorted(indexed) == ["/records/a/", "/records/b/"]
    for url, source in (("/records/a/", PAGE), ("/records/b/", TITLE_OUTSIDE)):
        page = indexed[url]
        assert words_of(page["content"], *page["meta"].values()) <= words_of(*read)
        body = source[source.index("<div data-pagefind-body") : source.index("</article>")]
        content = search_index._words_as_pagefind_reads(body.encode())
        assert words_of(*(html.unescape(w.decode()) for w in content)) == words_of(page["content"])
    assert indexed["/records/a/"]["meta"]["image_alt"] == "A wombat"
    assert indexed["/records/b/"]["meta"]["title"] == "Outside title"


def test_the_vocabulary_page_holds_every_word_as_text_and_one_word_of_body(tmp_path):
    words = ["<script>alert(1)</script>", "peer", "&amp;", 'quote"d']
    page = search_index.vocabulary_page(words)
    assert "<script>" not in page
    assert html.escape(" ".join(words)) in page
    assert f'data-pagefind-meta="{search_index.VOCABULARY_FIELD}"' in page
    assert "<main data-pagefind-body><p>vocabulary</p></main>" in page


def test_the_readme_and_pagefind_settings_give_the_size_of_a_part():
    per_part = f"{search_index.RECORD_PAGES_PER_PART:,}"
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"past {per_part} records the search index is built in parts of at most " in readme
    assert f"{per_part} record pages" in readme
    settings = " ".join((ROOT / "pagefind.yml").read_text(encoding="utf-8").split())
    assert f"for a list of more than {per_part} records" in settings


def test_indexing_again_in_place_leaves_only_the_new_index(tmp_path):
    write_site(tmp_path, 5)
    first = search_index.index_site(tmp_path, ROOT, record_pages_per_part=2)
    assert (first.pages, first.parts) == (5, 3)
    listed = json.loads((tmp_path / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    assert listed["parts"] == ["pagefind-2/", "pagefind-3/"] and len(listed["hidden"]) == 1
    assert len(search_index.indexed_pages(tmp_path)) == 5  # the pages of every word left out
    assert not (tmp_path / "search-vocabulary").exists()

    again = search_index.index_site(tmp_path, ROOT)  # one part now
    assert (again.pages, again.parts) == (5, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind", "records"]
    listed = json.loads((tmp_path / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    assert listed == {"parts": [], "hidden": []}
    # No fragment of the earlier index is left: one per page.
    assert len(list((tmp_path / "pagefind" / "fragment").iterdir())) == 5


def test_a_page_at_the_vocabulary_address_is_refused_by_name(tmp_path):
    write_site(tmp_path, 3)
    (tmp_path / "search-vocabulary").mkdir()
    (tmp_path / "search-vocabulary" / "index.html").write_text("<p>Mine</p>", encoding="utf-8")
    with pytest.raises(search_index.SearchIndexError, match=r"/search-vocabulary/.*rename"):
        search_index.index_site(tmp_path, ROOT, record_pages_per_part=1)
    assert not (tmp_path / "pagefind").exists()


def test_the_command_indexes_a_built_site_and_says_how(tmp_path, capsys):
    write_site(tmp_path / "site", 2)
    assert search_index.main([str(tmp_path / "site"), "--root", str(ROOT)]) == 0
    assert capsys.readouterr().out == "indexed 2 pages in 1 part\n"
    with pytest.raises(SystemExit) as exit:
        search_index.main(["--help"])
    assert exit.value.code == 0
    assert (
        "usage: python -m generator.search_index [-h] [--root ROOT] site" in capsys.readouterr().out
    )
    assert search_index.main([str(tmp_path / "missing")]) == 1
    assert capsys.readouterr().err.startswith("error: ")


def test_each_part_indexes_exactly_its_pages(tmp_path):
    # Record folder names that start one another across the parts' ends (r1, r10,
    # r100 ...), and pages outside the records folder whose names are glob syntax.
    names = ["r1", "r10", "r100", "r1000", "r101", "r11", "r2", "r20", "s", "s-1", "t"]
    for name in names:
        page = tmp_path / "records" / name / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(
            f"<html><body><main data-pagefind-body><p>{name}</p></main></body></html>",
            encoding="utf-8",
        )
    odd = ["{a,b} [c]*?!#$:<>()~@;/index.html", "records/index.html", "x,y.html", "index.html"]
    for page in odd:
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text(
            "<html><body><main data-pagefind-body><p>other</p></main></body></html>",
            encoding="utf-8",
        )

    for per_part in (1, 2, 3, 4):
        parts = search_index.plan_parts(tmp_path, per_part)
        search_index.index_site(tmp_path, ROOT, record_pages_per_part=per_part)

        folders = search_index.index_folders(tmp_path)
        assert len(folders) == len(parts) > 1
        for folder, planned in zip(folders, parts, strict=True):
            fragments = [search_index._read_fragment(path) for path in folder.glob("fragment/*")]
            urls = {fragment["url"] for fragment in fragments} - {search_index.VOCABULARY_URL}
            expected = {"/" + page.removesuffix("index.html") for page in planned}
            assert urls == expected, (per_part, folder.name)


@pytest.mark.parametrize("left", ["whole", "cut", "empty file", "empty folder"])
def test_a_page_of_every_word_left_by_an_interrupted_run_is_removed(tmp_path, left):
    write_site(tmp_path, 3)
    page = tmp_path / search_index.VOCABULARY_URL.strip("/") / "index.html"
    page.parent.mkdir()
    text = search_index.vocabulary_page(["word"]).encode("utf-8")
    if left != "empty folder":
        page.write_bytes({"whole": text, "cut": text[:40], "empty file": b""}[left])

    indexed = search_index.index_site(tmp_path, ROOT, record_pages_per_part=1)

    assert (indexed.pages, indexed.parts) == (3, 3)
    assert not page.parent.exists()


@pytest.mark.parametrize("name", ["back\\slash", "not-utf8-\udcff"])
def test_a_page_no_glob_can_name_is_refused_by_name(tmp_path, name):
    write_site(tmp_path, 3)
    page = tmp_path / name / "index.html"  # "\udcff": the byte 0xff in a file name
    page.parent.mkdir()
    page.write_text("<html><body><p>x</p></body></html>", encoding="utf-8")

    with pytest.raises(search_index.SearchIndexError, match=r"rename it in docs/"):
        search_index.index_site(tmp_path, ROOT, record_pages_per_part=1)
    assert not (tmp_path / "pagefind").exists()


def test_pages_read_in_several_processes_give_the_same_vocabulary(tmp_path):
    write_site(tmp_path, 9, others=("index.html",))
    (tmp_path / "about").mkdir()
    (tmp_path / "about" / "index.html").write_text(PAGE, encoding="utf-8")
    pages = [page for part in search_index.plan_parts(tmp_path, 3) for page in part]

    alone = search_index.site_vocabulary(tmp_path, pages, workers=1)

    assert search_index.site_vocabulary(tmp_path, pages, workers=2) == alone
    assert {"word0", "word8", "Peer-led", "wombat"} <= set(alone)
