"""The only module that knows MkDocs: hands the generated pages to a build.

Listed under ``hooks:`` in mkdocs.yml. Pages are generated in memory and added as
virtual files (never written into ``docs/`` from a build event, which would make
``mkdocs serve`` rebuild in a loop); record files, the vocabulary and the templates are
watched, so an edited record shows up in ``mkdocs serve`` without a restart.
``python -m generator build`` writes the pages to ``docs/`` first and sets
``READING_LIST_PAGES_WRITTEN`` so they are not generated twice.

Record, author, theme, tag and year pages, Needs attention and the index of authors are
written in HTML (``body: html`` in their front matter): the HTML Python-Markdown would
have made of them. Converting Markdown was over half of a build; such a page skips it
(on_page_markdown gives the page its own ``render``, the step of a build that runs
Python-Markdown), and this hook gives its headings the ids, permalinks and table of
contents the ``toc`` extension would have.

``python -m generator build`` runs several MkDocs processes at once
(generator/site_build.py, ``READING_LIST_SHARE``): each renders its share of the
generated HTML pages, and gives every other page a template that renders nothing, for
which MkDocs writes no file.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import posixpath
import re
import zlib
from pathlib import Path

from markdown.extensions.toc import TocExtension, nest_toc_tokens, strip_tags, unique
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.pipeline import generate
from generator.problems import errors, report
from generator.settings import Settings, SettingsError, load_settings
from generator.write import read_manifest

PAGES_WRITTEN = "READING_LIST_PAGES_WRITTEN"
# "k/n": this MkDocs process builds share k of the pages, n processes in all
# (generator/site_build.py). Share 0 also builds every Markdown page and copies the
# static files; the generated HTML pages are dealt out among the shares.
SHARE = "READING_LIST_SHARE"
# The template of a page another process builds: it renders nothing, and MkDocs writes
# no file for a page that renders nothing.
ELSEWHERE_TEMPLATE = "reading-list-elsewhere.html"


class _EditLinks:
    """Which file each page edits, worked out once per build (not once per page: with
    10,000 records, reading the manifest and listing the records folder for every page
    took two thirds of the build)."""

    def __init__(self, settings: Settings, generated: set[str]) -> None:
        self.settings = settings
        self.generated = generated
        self.record_files: dict[str, Path] = {}
        # The first file in name order wins for a stem, as a sorted glob did.
        for path in sorted(settings.records_dir.glob("*.y*ml"), reverse=True):
            self.record_files[path.stem] = path
        self.paths_dir = settings.records_dir.parent / "paths"

    def edit_url(self, uri: str, generated_by: object) -> str | bool | None:
        """The edit link of a page; False leaves MkDocs' own (hand-written pages)."""
        settings = self.settings
        if uri.startswith("records/"):
            path = self.record_files.get(uri.removeprefix("records/").removesuffix(".md"))
            return settings.edit_url(settings.repo_path(path)) if path else None
        if uri.startswith("paths/") and uri != "paths/index.md":  # a reading path: its YAML
            path_file = self.paths_dir / Path(uri).with_suffix(".yml").name
            return settings.edit_url(settings.repo_path(path_file)) if path_file.is_file() else None
        if uri in self.generated or generated_by:
            return None
        return False


# The current build's edit links. A hook module has no object of its own to keep them
# on; on_files makes them anew for every build (and every `mkdocs serve` rebuild).
_edit_links: _EditLinks | None = None


def _settings(config: MkDocsConfig, as_in_the_file: bool = False) -> Settings:
    # The build's own use_directory_urls: `mkdocs build --no-directory-urls` overrides
    # the file's, and the HTML pages' links depend on it.
    overrides = {} if as_in_the_file else {"directory_urls": config.use_directory_urls}
    try:
        return load_settings(Path(config.config_file_path).parent, **overrides)
    except SettingsError as error:
        raise PluginError(str(error)) from None


def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _edit_links, _served_urls
    _served_urls = None
    _missing_targets.clear()
    settings = _settings(config)
    if os.environ.get(PAGES_WRITTEN) == "1":
        written_for = _settings(config, as_in_the_file=True).directory_urls
        if written_for != config.use_directory_urls:
            raise PluginError(
                f"docs/ was generated with use_directory_urls: {str(written_for).lower()} "
                f"(mkdocs.yml), but this build has it "
                f"{str(config.use_directory_urls).lower()}: the generated pages' links "
                f"would break; build without --no-directory-urls or change mkdocs.yml"
            )
        _edit_links = _EditLinks(settings, set(read_manifest(settings.docs_dir)))
        _share_this_build(files)
        return files
    _share_this_build(files)  # `mkdocs serve` and a plain `mkdocs build`: all of it
    pages, problems = generate(settings)
    if pages is None:
        raise PluginError("the records have problems:\n" + report(errors(list(problems))))
    # Pages an earlier `generator build` left in docs/ are replaced by today's.
    for stale in [*read_manifest(settings.docs_dir), *pages]:
        existing = files.get_file_from_path(stale)
        if existing is not None:
            files.remove(existing)
    for path, text in pages.items():
        files.append(File.generated(config, path, content=text))
    _edit_links = _EditLinks(settings, set(pages))
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    """Record pages edit their YAML file; other generated pages have nothing to edit."""
    links = _edit_links or _EditLinks(_settings(config), set(read_manifest(Path(config.docs_dir))))
    edit_url = links.edit_url(page.file.src_uri, page.file.generated_by)
    if edit_url is not False:
        page.edit_url = edit_url
    return page


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """A generated page written in HTML is not converted: MkDocs calls ``page.render``
    next, and for this page that is ``_render_html``. (Handing MkDocs an empty page to
    convert instead still cost a Markdown converter per page: 3.3 of the 14 s MkDocs
    spent reading 19,470 pages of a 10,000-record list.)"""
    links = _edit_links
    generated = page.file.generated_by or (
        links is not None and page.file.src_uri in links.generated
    )
    html_page = bool(generated) and page.meta.get("body") == "html"
    if share_of(page.file.src_uri, html_page, _share[1]) != _share[0]:
        page.meta["template"] = ELSEWHERE_TEMPLATE
        page.render = functools.partial(_render_elsewhere, page)  # type: ignore[method-assign]
        _built_elsewhere.add(page.file.src_uri)
    elif html_page:
        page.render = functools.partial(_render_html, page)  # type: ignore[method-assign]
    return markdown


# This build's share of the pages, as (k, n), and the pages other processes build.
_share: tuple[int, int] = (0, 1)
_built_elsewhere: set[str] = set()


def _share_this_build(files: Files) -> None:
    global _share, _served_urls
    given = os.environ.get(SHARE) if os.environ.get(PAGES_WRITTEN) == "1" else None
    k, _, n = (given or "0/1").partition("/")
    if not (k.isdigit() and n.isdigit() and int(k) < int(n)):
        raise PluginError(f"{SHARE}={given!r}: expected k/n with 0 <= k < n")
    _share = (int(k), int(n))
    _built_elsewhere.clear()
    # A hook module is loaded anew for each build of `mkdocs serve`: one filter at most.
    logger = logging.getLogger("mkdocs.commands.build")
    for earlier in [f for f in logger.filters if type(f).__name__ == "_QuietAboutElsewhere"]:
        logger.removeFilter(earlier)
    if _share[1] > 1:
        logger.addFilter(_QuietAboutElsewhere())
    if _share[0] != 0:
        # Share 0 copies the static files. Their addresses are still known to the link
        # check of this share's pages, which link to downloads.
        _served_urls = {f.url for f in files}
        for static in files.static_pages():
            files.remove(static)


# Share 0 gets 4 generated HTML pages for every 5 another share gets: it also builds
# the Markdown pages and copies the static files (measured at 10,000 records).
_FIRST_SHARE_WEIGHT, _SHARE_WEIGHT = 4, 5


def share_of(src_uri: str, html_page: bool, shares: int) -> int:
    """Which of ``shares`` processes builds a page: a Markdown page, share 0; a generated
    HTML page, by a checksum of its path, so every process deals the same."""
    if shares == 1 or not html_page:
        return 0
    slot = zlib.crc32(src_uri.encode("utf-8")) % (
        _FIRST_SHARE_WEIGHT + _SHARE_WEIGHT * (shares - 1)
    )
    if slot < _FIRST_SHARE_WEIGHT:
        return 0
    return 1 + (slot - _FIRST_SHARE_WEIGHT) // _SHARE_WEIGHT


def _render_elsewhere(page: Page, config: MkDocsConfig, files: Files) -> None:
    """``Page.render`` for a page another process builds: nothing to show here.
    present_anchor_ids None tells MkDocs' anchor check the page was not rendered."""
    page.content, page.markdown = "", ""
    page.toc = get_toc([])
    page.present_anchor_ids = None
    page.links_to_anchors = {}


class _QuietAboutElsewhere(logging.Filter):
    """MkDocs says "Page skipped" (INFO) for each page that renders nothing: here, each
    page another process builds. Not worth thousands of lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith("Page skipped: '") and message.endswith("Generated empty output."):
            return message.split("'", 2)[1] not in _built_elsewhere
        return True


def _render_html(page: Page, config: MkDocsConfig, files: Files) -> None:
    """What ``Page.render`` sets, for a page whose Markdown is HTML already."""
    assert page.markdown is not None
    page.content, tokens = _anchor_headings(page.markdown.strip(), _toc_options(config))
    page.markdown = ""  # not kept twice: the pages of 10,000 records hold 200 MB
    page.toc = get_toc(nest_toc_tokens(tokens))
    page.present_anchor_ids = set(_ID.findall(page.content))
    page.links_to_anchors = {}
    _check_links(page.content, page, files)


# The address of every file of the build, for _check_links (worked out once a build),
# and the links checked so far: (folder, link) -> the missing target, or None.
_served_urls: set[str] | None = None
_missing_targets: dict[tuple[str, str], str | None] = {}
_HREF = re.compile(r'\shref="([^"]*)"')
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
log = logging.getLogger("mkdocs.plugins.reading_list")  # under "mkdocs": counted by --strict


def _check_links(content: str, page: Page, files: Files) -> None:
    """MkDocs checks the links of the pages it converts; it does not convert these, so a
    link to no file of the build is reported here as MkDocs would: a warning, which
    fails a --strict build (``python -m generator build``)."""
    global _served_urls
    if _served_urls is None:
        _served_urls = {f.url for f in files}
    url = page.url
    folder = url if url.endswith("/") else posixpath.dirname(url) + "/"
    # "../" from a page's own folder is its parent's link: so a link's outcome is
    # shared by the pages of a folder (a record page holds fifty links).
    parent = posixpath.dirname(folder.rstrip("/")) + "/" if folder.strip("./") else None
    for href in set(_HREF.findall(content)):
        key = (parent, "./" + href[3:]) if parent and href.startswith("../") else (folder, href)
        if key not in _missing_targets:
            _missing_targets[key] = _missing_target(*key)
        missing = _missing_targets[key]
        if missing is not None:
            log.warning(
                f"Doc file '{page.file.src_uri}' contains a link '{href}', but the "
                f"target '{missing}' is not found among documentation files."
            )


def _missing_target(folder: str, href: str) -> str | None:
    """Where a link from a page in ``folder`` leads, if that is no file of the build."""
    assert _served_urls is not None
    if not href or href.startswith(("#", "/")) or _SCHEME.match(href):
        return None  # an anchor on the page, an absolute or another site's address
    target = _resolved(folder, href.split("#", 1)[0].split("?", 1)[0])
    return None if target in _served_urls else target


def _resolved(folder: str, href: str) -> str:
    """The site address a relative link on a page in ``folder`` leads to."""
    while href.startswith("../") and folder.strip("./"):
        folder, href = posixpath.dirname(folder.rstrip("/")) + "/", href[3:]
    return _joined(folder.lstrip("/"), href)


@functools.lru_cache(maxsize=1 << 16)
def _joined(folder: str, href: str) -> str:
    url = posixpath.normpath(posixpath.join("/", folder, href))[1:]
    if not url:
        return "./"
    return url + "/" if href.endswith("/") or href in ("", ".", "..") else url


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_ID = re.compile(r'\sid="([^"]*)"')
# toc settings that change headings and that _anchor_headings does not follow: refused
# rather than ignored. (permalink, its class and title, slugify and separator it follows.)
_TOC_UNFOLLOWED = ("anchorlink", "anchorlink_class", "baselevel", "permalink_leading", "toc_depth")


def _toc_options(config: MkDocsConfig) -> dict | None:
    """The ``toc`` extension's settings in mkdocs.yml, defaults filled in; None without it."""
    if "toc" not in config.markdown_extensions:
        return None
    given = (config.mdx_configs or {}).get("toc", {})
    options = TocExtension(**given).getConfigs()
    unfollowed = [k for k in _TOC_UNFOLLOWED if k in given]
    if unfollowed:
        raise PluginError(
            f"mkdocs.yml sets toc: {', '.join(unfollowed)}, which the generated pages "
            f"do not follow (generator/mkdocs_hook.py); remove it, or teach "
            f"_anchor_headings to follow it"
        )
    return options


def _anchor_headings(body: str, toc: dict | None) -> tuple[str, list[dict]]:
    """Give each heading an id and a permalink as the ``toc`` extension does, and list
    them for the table of contents. The generator writes headings as bare
    ``<hN>text</hN>`` with escaped text, so a pattern finds them all."""
    if toc is None:
        return body, []
    used: set[str] = set()
    tokens: list[dict] = []
    permalink = toc["permalink"]

    def anchored(match: re.Match[str]) -> str:
        level, inner = match.group(1), match.group(2)
        name = strip_tags(inner)
        anchor = unique(toc["slugify"](html.unescape(name), toc["separator"]), used)
        tokens.append({"level": int(level), "id": anchor, "name": name, "children": []})
        link = ""
        if permalink not in (False, None, ""):
            symbol = "&para;" if permalink is True else _text(permalink)
            title = toc["permalink_title"]
            title = f' title="{_attribute(title)}"' if title else ""
            link = (
                f'<a class="{_attribute(toc["permalink_class"])}" '
                f'href="#{_attribute(anchor)}"{title}>{symbol}</a>'
            )
        return f'<h{level} id="{_attribute(anchor)}">{inner}{link}</h{level}>'

    return _HEADING.sub(anchored, body), tokens


# Escaped as Python-Markdown's serializer does (markdown/serializers.py): an "&" that
# starts an entity is kept, so a setting such as permalink: "&sect;" works the same.
_BARE_AMPERSAND = re.compile(r"&(?!(?:\#[0-9]+|\#x[0-9a-f]+|[0-9a-z]+);)", re.IGNORECASE)


def _text(value: str) -> str:
    return _BARE_AMPERSAND.sub("&amp;", value).replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def on_serve(server, config: MkDocsConfig, builder):
    settings = _settings(config)
    for path in (
        settings.records_dir,
        settings.records_dir.parent / "paths",  # reading paths
        settings.vocabulary_dir / "themes.yml",
        settings.vocabulary_dir / "tags.yml",
        settings.templates_dir,
    ):
        if path.exists():
            server.watch(str(path))
    return server
