"""Check a built site for broken internal links and anchors.

Every ``*.html`` file under ``site/`` is parsed (standard library only), and every
``href``, ``src``, ``action`` and ``poster`` that stays inside the site is followed:
relative links, root-relative ones under the site's path, and absolute ones starting
with ``site_url``. The target must exist (a folder means its ``index.html``), and a
``#fragment`` must name an ``id`` (or an ``<a name>``) on the target page. Links to
other hosts, ``mailto:`` and the like are counted but not followed: the site works
offline, and a test must not depend on the network.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRIBUTES = {"href", "src", "action", "poster", "xlink:href"}
# A base for resolving relative links when the site has no site_url.
_LOCAL = "http://site.invalid/"


@dataclass(frozen=True)
class BrokenLink:
    page: str  # relative to site/
    line: int
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.url}: {self.reason}"


@dataclass(frozen=True)
class LinkReport:
    pages: int  # HTML files parsed
    links: int  # internal links checked (every occurrence)
    anchors: int  # of those, links with a #fragment checked against the target's ids
    external: int  # links to other hosts or schemes, not followed
    broken: tuple[BrokenLink, ...]


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif tag == "base" and name == "href":
                self.base = value
            elif name in LINK_ATTRIBUTES:
                self.links.append((self.getpos()[0], value))

    handle_startendtag = handle_starttag


def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser


def check_links(site_dir: Path, site_url: str | None = None) -> LinkReport:
    """Follow every internal link and anchor of every page under ``site_dir``."""
    base_url = (site_url or _LOCAL).rstrip("/") + "/"
    base = urlsplit(base_url)
    pages = sorted(site_dir.rglob("*.html"))
    parsed: dict[Path, _PageParser] = {}

    def page(path: Path) -> _PageParser:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    broken: list[BrokenLink] = []
    links = anchors = external = 0
    for path in pages:
        relative = path.relative_to(site_dir).as_posix()
        parser = page(path)
        page_url = urljoin(base_url, relative)
        if parser.base:
            page_url = urljoin(page_url, parser.base)
        for line, raw in parser.links:
            url = raw.strip()
            target = urlsplit(urljoin(page_url, url))
            if (target.scheme, target.netloc) != (base.scheme, base.netloc):
                external += 1
                continue
            if not target.path.startswith(base.path):
                broken.append(BrokenLink(relative, line, url, "outside the site's path"))
                continue
            links += 1
            inside = posixpath.normpath(unquote(target.path[len(base.path) :]) or ".")
            file = site_dir / inside
            if inside.startswith("..") or inside.startswith("/"):
                broken.append(BrokenLink(relative, line, url, "outside the site"))
                continue
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(
                    BrokenLink(relative, line, url, f"no such file: {inside.rstrip('.')}")
                )
                continue
            if target.fragment and file.suffix == ".html":
                anchors += 1
                if unquote(target.fragment) not in page(file).ids:
                    shown = file.relative_to(site_dir).as_posix()
                    broken.append(
                        BrokenLink(relative, line, url, f"no id '{target.fragment}' in {shown}")
                    )
    return LinkReport(len(pages), links, anchors, external, tuple(broken))
