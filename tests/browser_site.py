"""What the browser tests share: the seed site built into a throwaway project and served
on 127.0.0.1, Debian's Chromium driven by Playwright, and a watch over every page for
console errors, failed requests and requests that leave the site.

Playwright never downloads a browser here (`playwright install` is not run): it drives
/usr/bin/chromium, which `.ci/run` installs with apt-get. Without it the tests skip with
the reason, except in CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from generator.index import Library
from generator.pipeline import check
from generator.settings import load_settings
from tests.site_project import build, make_project, set_readings_per_page

if TYPE_CHECKING:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Locator,
        Page,
        Request,
        Response,
    )

CHROMIUM = Path("/usr/bin/chromium")
# Playwright gives every launch a fresh user-data-dir. Without a sandbox, GPU, background
# networking or component updates, Chromium starts in a container and talks to no one.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
NO_CHROMIUM = (
    "Chromium not found at /usr/bin/chromium: install Debian's chromium package "
    "(apt-get install chromium) to run the browser tests"
)
# Phones and laptops the pages must fit.
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}


def _unavailable(reason: str) -> NoReturn:
    """Skip locally; fail in CI, where the browser tests must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run installs it, and browser tests must run in CI)")
    pytest.skip(reason)


def chromium_executable() -> str:
    if CHROMIUM.is_file():
        return str(CHROMIUM)
    found = shutil.which("chromium")
    if found:
        return found
    _unavailable(NO_CHROMIUM)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, for one test module."""
    executable = chromium_executable()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass(frozen=True)
class SeedSite:
    """The built seed site as served, and the library it was built from."""

    base_url: str
    library: Library
    folder: Path  # the built site/ being served

    def url(self, path: str = "") -> str:
        return self.base_url + path


@contextmanager
def served_seed_site(folder: Path, readings_per_page: int | None = None) -> Iterator[SeedSite]:
    """Build the seed records into a project under ``folder`` and serve its site/;
    with ``readings_per_page``, lists longer than that go on over pages."""
    chromium_executable()  # skip before spending a build on a machine without a browser
    project = make_project(folder / "project")
    if readings_per_page is not None:
        set_readings_per_page(project, readings_per_page)
    build(project)
    library = check(load_settings(project)).library
    assert library is not None
    with serve(project / "site") as base_url:
        yield SeedSite(base_url, library, project / "site")


@dataclass
class PageWatch:
    """What went wrong on the pages of one browser context: console errors, uncaught
    script errors, failed requests, HTTP errors, and any request that leaves the site
    (a web font from Google, an API call): readers in clinics that block them would see
    the same errors, and every such request tells a third party who reads what."""

    base_url: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"script error: {error.error}"))
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.problems.append(f"console error ({where}): {message.text}")

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)
        if not request.url.startswith((self.base_url, "data:", "blob:", "about:")):
            self.problems.append(f"request off the site: {request.url}")

    def _failed(self, request: Request) -> None:
        failure = request.failure or "failed"
        # Leaving a page cancels what it was still loading: that is the browser, not a fault.
        if failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url}: {failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def take_problems(self) -> list[str]:
        """The problems seen since the last call."""
        taken, self.problems = self.problems, []
        return taken


class Pages:
    """Opens watched browser contexts for one test; ``check`` asserts that none of their
    pages had a problem (the test fixture calls it at the end of every test)."""

    def __init__(self, browser: Browser, site: SeedSite) -> None:
        self.browser = browser
        self.site = site
        self.watches: list[PageWatch] = []
        self.contexts: list[BrowserContext] = []

    def new(self, **options: object) -> Page:
        """A page in a fresh context (own storage, cookies and permissions)."""
        context = self.browser.new_context(**{"viewport": DESKTOP, **options})
        watch = PageWatch(self.site.base_url)
        watch.attach(context)
        self.contexts.append(context)
        self.watches.append(watch)
        return context.new_page()

    def requests(self) -> list[str]:
        return [url for watch in self.watches for url in watch.requests]

    def check(self) -> None:
        for context in self.contexts:
            for page in context.pages:
                page.wait_for_load_state("networkidle")  # late errors show up too
        problems = [problem for watch in self.watches for problem in watch.take_problems()]
        assert not problems, "problems on the visited pages:\n" + "\n".join(problems)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def heading(page: Page) -> str:
    """The page's h1, without Material's permalink sign."""
    return page.locator("article h1").first.inner_text().removesuffix("¶").strip()


def link_to(page: Page, target: str) -> Locator:
    """The first link of the page's content whose address ends with ``target``
    (``records/tse-2019/``), however relative its href is written."""
    index = page.evaluate(
        "target => [...document.querySelectorAll('article a[href]')]"
        ".findIndex(a => a.href.split('#')[0].endsWith(target))",
        target,
    )
    assert index >= 0, f"{page.url} has no link to {target}"
    return page.locator("article a[href]").nth(index)
