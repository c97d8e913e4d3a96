"""A large list's search index in parts (generator/search_index.py), without a browser:
how pages are shared out, and the page of every word that keeps a part from guessing.
tests/test_search.py searches a site indexed in parts in Chromium."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from generator import search_index
from tests.site_project import ROOT


def write_site(site: Path, records: int, others: tuple[str, ...] = ()) -> None:
    for number in range(records):
        page = site / "records" / f"r{number:03}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("<html></html>", encoding="utf-8")
    for other in ("index.html", "authors/a/index.html", "records/index.html", *others):
        (site / other).parent.mkdir(parents=True, exist_ok=True)
        (site / other).write_text("<html></html>", encoding="utf-8")


@pytest.mark.parametrize(
    ("records", "per_part", "sizes"),
    [(7, 3, [2, 2, 3]), (6, 3, [3, 3]), (3, 3, None), (0, 3, None), (10, 1, [1] * 10)],
)
def test_record_pages_are_shared_out_evenly_and_every_page_is_in_one_part(
    tmp_path, records, per_part, sizes
):
    write_site(tmp_path, records, others=("404.html", "pagefind-2/x.js"))
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
    "<p>one</p><p>two&amp;three <b>bo</b>ld &lt;x&gt; a<mark>b</mark>c</p>"
    "<ul><li>first</li><li>second<br>third</li></ul><table><tr><td>cell</td><td>s</td></tr>"
    '</table><p>an<span id="anchor">chor</span>ed <q>quo</q>ted</p></div>'
    "</article><footer>Footer text</footer></body></html>"
)


def pagefind_words(site: Path) -> set[str]:
    """The words Pagefind itself read from the one page indexed in ``site``, without
    the full stop it ends a block with (and drops again when indexing)."""
    search_index.index_site(site, ROOT)  # the site's pagefind.yml: pilcrows left out
    (indexed,) = search_index.indexed_pages(site).values()
    return {
        word.rstrip(".")
        for text in (indexed["content"], *indexed["meta"].values())
        for word in text.split()
    }


def test_words_are_read_as_pagefind_reads_them(tmp_path):
    page = tmp_path / "records" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE, encoding="utf-8")
    unindexed = tmp_path / "browse" / "index.html"
    unindexed.parent.mkdir()
    unindexed.write_text("<html><body><p>Unindexed words</p></body></html>", encoding="utf-8")

    read = search_index.site_vocabulary(tmp_path, ["records/a/index.html", "browse/index.html"])

    # Read as Pagefind reads them: inline elements (and <mark>) join the words around
    # them; blocks, <br>, table cells and the start of an element with an id part them;
    # entities are read. Then parted at every tag as well, for the text Pagefind leaves
    # out (the pilcrow).
    as_pagefind = {"Tse,", "S.", "Peer-led", "groups¶", "one", "two&three", "bold", "<x>"}
    as_pagefind |= {"abc", "first", "second", "third", "cell", "s", "an", "chored", "quoted"}
    parted = {"Peer", "-led", "groups", "¶", "bo", "ld", "a", "b", "c", "chor", "ed", "quo", "ted"}
    assert set(read) == as_pagefind | parted
    assert read == sorted(set(read))
    # Pagefind itself reads no word that is not in it.
    assert pagefind_words(tmp_path) <= {word.rstrip(".") for word in read}
    # And read as Pagefind reads them, the words are Pagefind's.
    region = PAGE[PAGE.index("<span") : PAGE.index("</article>")].replace("&amp;", "&")
    region = region.replace('<a class="headerlink" href="#t">¶</a>', "")
    as_pagefind = search_index._words_as_pagefind_reads(region.encode())
    assert {html.unescape(w.decode()).rstrip(".") for w in as_pagefind} == pagefind_words(tmp_path)


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
