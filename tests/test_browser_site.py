"""The browser tests' own machinery, without a browser: when they skip and when they
fail, what the page watch counts as a problem, and the local server."""

from __future__ import annotations

import urllib.request
from types import SimpleNamespace

import pytest

from tests import browser_site
from tests.browser_site import PageWatch, serve


@pytest.fixture
def no_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_site, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("PATH", str(tmp_path))


def test_without_chromium_the_browser_tests_skip_and_say_why(no_chromium, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        browser_site.chromium_executable()
    assert str(skipped.value) == (
        "Chromium not found at /usr/bin/chromium: install Debian's chromium package "
        "(apt-get install chromium) to run the browser tests"
    )


def test_without_chromium_in_ci_the_browser_tests_fail(no_chromium, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as failed:
        browser_site.chromium_executable()
    assert "apt-get install chromium" in str(failed.value)


def test_chromium_on_the_path_is_used(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_site, "CHROMIUM", tmp_path / "no-chromium")
    found = tmp_path / "chromium"
    found.write_text("#!/bin/sh\n")
    found.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser_site.chromium_executable() == str(found)


def request(url: str, failure: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(url=url, failure=failure)


def test_page_watch_reports_errors_failures_and_requests_off_the_site():
    watch = PageWatch("http://127.0.0.1:8000/")
    watch._request(request("http://127.0.0.1:8000/assets/extra.css"))
    watch._request(request("data:image/svg+xml,<svg/>"))
    watch._console(SimpleNamespace(type="warning", text="deprecated", location={}))
    watch._failed(request("http://127.0.0.1:8000/search/search_index.json", "net::ERR_ABORTED"))
    watch._response(SimpleNamespace(status=304, url="http://127.0.0.1:8000/"))
    assert watch.take_problems() == []

    watch._request(request("https://fonts.googleapis.com/css?family=Roboto"))
    watch._failed(request("https://fonts.googleapis.com/css?family=Roboto", "net::ERR_FAILED"))
    watch._console(
        SimpleNamespace(type="error", text="Failed to load resource", location={"url": "x.js"})
    )
    watch._response(SimpleNamespace(status=404, url="http://127.0.0.1:8000/missing/"))
    assert watch.take_problems() == [
        "request off the site: https://fonts.googleapis.com/css?family=Roboto",
        "request failed: https://fonts.googleapis.com/css?family=Roboto: net::ERR_FAILED",
        "console error (x.js): Failed to load resource",
        "HTTP 404: http://127.0.0.1:8000/missing/",
    ]
    assert watch.take_problems() == []


def test_serve_answers_on_localhost_and_stops(tmp_path):
    (tmp_path / "index.html").write_text("<h1>hello</h1>", encoding="utf-8")
    with serve(tmp_path) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base_url, timeout=5) as response:
            assert response.read() == b"<h1>hello</h1>"
    with pytest.raises(OSError):
        urllib.request.urlopen(base_url, timeout=5)
