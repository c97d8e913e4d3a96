"""Pages the generator writes in HTML (record, author, theme, tag and year pages).

MkDocs does not convert them (generator/mkdocs_hook.py), so three things Markdown and
MkDocs did for them are done here, and each is checked against the real thing:

- links: ``render.page_links`` against MkDocs' own ``File.url_relative_to``;
- headings: ``mkdocs_hook._anchor_headings`` against the ``toc`` extension (ids,
  permalinks, table of contents), on any heading text a contributor could write;
- escaping: contributor text through ``escape.markdown_text`` is inert in HTML too.
"""

from __future__ import annotations

import itertools
import logging
import re
from types import SimpleNamespace

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.extensions.toc import TocExtension, nest_toc_tokens
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from generator import mkdocs_hook
from generator.escape import markdown_text
from generator.render import page_links, served
from tests.site_project import ROOT

GOLDEN_DOCS = ROOT / "tests" / "golden" / "docs"
SPACES = {ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}


@pytest.fixture(scope="module")
def config():
    return load_config(str(ROOT / "mkdocs.yml"))


def site_paths() -> list[str]:
    """Every generated file of the seed site, a hand-written page, and pages MkDocs
    serves at addresses of their own: index pages, and pages under a page's address."""
    found = {p.relative_to(GOLDEN_DOCS).as_posix() for p in GOLDEN_DOCS.rglob("*") if p.is_file()}
    extra = {"contribute.md", "records/index.md", "a/b/index.md", "a/b/c.md"}
    extra |= {"records/tse-2019/index.md", "records/tse-2019/inside.md"}  # under a page
    return sorted(found | extra)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_are_the_ones_mkdocs_writes(directory_urls):
    paths = site_paths()
    files = {p: File(p, "/docs", "/site", directory_urls) for p in paths}
    pages = [p for p in paths if p.endswith(".md")]
    wrong = [
        (target, page, want, got)
        for target, page in itertools.product(paths, pages)
        if (want := files[target].url_relative_to(files[page]))
        != (got := page_links(page, directory_urls)(target))
    ]
    assert not wrong, wrong[:5]
    assert len(pages) > 150  # the seed site's pages were found


# Heading texts: anything printable, with the clashes a structured abstract can bring
# ("Abstract" again, the same label twice, labels that slugify to nothing).
heading_texts = st.lists(
    st.one_of(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
        st.sampled_from(["Abstract", "Abstract", "Related readings", "!!!", "Ärger_1", "é"]),
    ).filter(lambda t: markdown_text(t).strip()),
    min_size=1,
    max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(texts=heading_texts, levels=st.lists(st.integers(1, 3), min_size=6, max_size=6))
def test_headings_get_what_the_toc_extension_gives(texts, levels, config):
    headings = [(levels[i], markdown_text(text).strip()) for i, text in enumerate(texts)]
    source = "\n\n".join(f"{'#' * level} {text}" for level, text in headings)
    converter = markdown.Markdown(
        extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"]
    )
    expected = converter.convert(source)

    body = "\n".join(f"<h{level}>{text}</h{level}>" for level, text in headings)
    html, tokens = mkdocs_hook._anchor_headings(body, mkdocs_hook._toc_options(config))
    assert html == expected

    def shape(items):
        return [(t["level"], t["id"], t["name"], shape(t["children"])) for t in items]

    assert shape(nest_toc_tokens(tokens)) == shape(converter.toc_tokens)


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_escaped_text_is_inert_in_html(text):
    escaped = markdown_text(text)
    for html in (f"<p>{escaped}</p>", f'<li><a href="x/">{escaped}</a><br />\n  {escaped}</li>'):
        soup = BeautifulSoup(html, "html.parser")
        elements = [e.name for e in soup.find_all(True)]
        assert elements in (["p"], ["li", "a", "br"])
    shown = BeautifulSoup(f"<p>{escaped}</p>", "html.parser").p.get_text()
    # What markdown_text promises: line breaks and tabs become spaces, other unprintable
    # characters go, and white space runs become one space.
    printable = "".join(c for c in text.translate(SPACES) if c.isprintable())
    assert shown == re.sub(r"\s+", " ", printable)


def page(src_uri: str, body: str | None, generated: bool = True) -> SimpleNamespace:
    return SimpleNamespace(
        file=SimpleNamespace(src_uri=src_uri, generated_by="generator" if generated else None),
        url=served(src_uri),
        meta={"body": body} if body else {},
        toc=None,
        present_anchor_ids=None,
    )


@pytest.fixture
def files(monkeypatch):
    # Worked out once a build.
    monkeypatch.setattr(mkdocs_hook, "_served_urls", None)
    monkeypatch.setattr(mkdocs_hook, "_missing_targets", {})
    paths = ("index.md", "records/x.md", "records/y.md", "authors/a.md", "cite/records/x.bib")
    return Files([File(p, "/docs", "/site", True) for p in paths])


def test_only_generated_html_pages_skip_markdown(config, files):
    html_page = page("records/x.md", "html")
    body = "<h1>X</h1>\n<h2>Abstract</h2>\n"
    assert mkdocs_hook.on_page_markdown(body, html_page, config, files) == body
    html_page.markdown = body
    html_page.render(config, files)  # what MkDocs calls next
    assert html_page.content.startswith('<h1 id="x">X<a class="headerlink" href="#x"')
    assert [item.title for item in html_page.toc] == ["X"]
    assert [item.id for item in html_page.toc.items[0].children] == ["abstract"]
    assert html_page.present_anchor_ids == {"x", "abstract"}
    # A hand-written page is Markdown whatever its front matter says; so is a generated
    # page without the marker.
    for other in (page("contribute.md", "html", generated=False), page("index.md", None)):
        assert mkdocs_hook.on_page_markdown("# Hi\n", other, config, files) == "# Hi\n"
        assert not hasattr(other, "render")


def test_mkdocs_reads_an_html_page_without_a_markdown_converter(config, monkeypatch, tmp_path):
    """MkDocs' own steps for reading a page (commands/build.py), on real pages: the
    generated HTML page gets its content from the hook, a Markdown page from Markdown."""
    from mkdocs.commands.build import _populate_page
    from mkdocs.structure.pages import Page

    (tmp_path / "records").mkdir()
    html = "---\ntitle: X\nbody: html\n---\n<h1>X</h1>\n<p>a</p>\n"
    (tmp_path / "records" / "x.md").write_text(html, encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Notes\n\nSee *this*.\n", encoding="utf-8")
    files = Files(
        [File(p, str(tmp_path), str(tmp_path / "site"), True) for p in ("records/x.md", "notes.md")]
    )
    # The hook as the build runs it: MkDocs loads mkdocs.yml's hooks as modules of their own.
    hook = config.plugins["generator/mkdocs_hook.py"]
    generated = SimpleNamespace(generated={"records/x.md"}, edit_url=lambda *_: None)
    monkeypatch.setattr(hook, "_edit_links", generated)
    monkeypatch.setattr(hook, "_served_urls", None)
    converters = []
    real_init = markdown.Markdown.__init__

    def counted(self, *args, **kwargs):
        converters.append(self)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(markdown.Markdown, "__init__", counted)
    record, notes = (Page(None, f, config) for f in files)
    _populate_page(record, config, files)
    assert converters == []
    assert record.content.startswith('<h1 id="x">X<a class="headerlink"')
    assert record.markdown == "" and record.title == "X"
    _populate_page(notes, config, files)
    assert len(converters) == 1
    assert notes.content.startswith('<h1 id="notes">Notes') and "<em>this</em>" in notes.content


def test_a_link_to_no_file_is_reported_as_mkdocs_would(config, files, caplog):
    links = [
        "../y/",  # another record
        "../../authors/a/",
        "../../cite/records/x.bib",
        "../../",  # the home page
        "../../../../authors/a/#top",  # past the root, as a browser reads it
        "https://example.org/x/",
        "#abstract",
        "../z/",  # no such record
        "../../authors/b/?q=1",  # no such author
        "../",  # the records folder, which has no index page here
    ]
    body = "<h1>X</h1>\n" + "".join(f'<a href="{link}">x</a>' for link in links)
    # Two pages of one folder: the second is checked from what the first found.
    for name in ("x", "y"):
        html_page = page(f"records/{name}.md", "html")
        mkdocs_hook.on_page_markdown(body, html_page, config, files)
        html_page.markdown = body
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            html_page.render(config, files)
        warned = sorted(r.getMessage() for r in caplog.records)
        assert [r.name for r in caplog.records] == ["mkdocs.plugins.reading_list"] * 3
        assert warned == [
            f"Doc file 'records/{name}.md' contains a link '../', but the target "
            "'records/' is not found among documentation files.",
            f"Doc file 'records/{name}.md' contains a link '../../authors/b/?q=1', but the "
            "target 'authors/b/' is not found among documentation files.",
            f"Doc file 'records/{name}.md' contains a link '../z/', but the target "
            "'records/z/' is not found among documentation files.",
        ]


@pytest.mark.parametrize(
    "followed",
    [
        {"permalink": "#", "permalink_title": "Link here", "separator": "_"},
        {"permalink": "§ & <b>", "permalink_title": 'section\'s "link"', "permalink_class": 'a"b'},
        {"permalink": "&sect;", "permalink_title": ""},
        {"permalink": False},
    ],
)
def test_the_toc_settings_the_pages_follow(followed, config, monkeypatch):
    monkeypatch.setitem(config["mdx_configs"], "toc", followed)
    body = "<h1>One &#38; two</h1>\n<h2>Two words</h2>"
    html, _ = mkdocs_hook._anchor_headings(body, mkdocs_hook._toc_options(config))
    expected = markdown.Markdown(extensions=[TocExtension(**followed)]).convert(
        "# One &#38; two\n\n## Two words"
    )
    assert html == expected


def test_a_toc_setting_the_pages_do_not_follow_is_refused(config, monkeypatch):
    monkeypatch.setitem(config["mdx_configs"], "toc", {"permalink": True, "anchorlink": True})
    with pytest.raises(PluginError, match="toc: anchorlink"):
        mkdocs_hook._toc_options(config)
