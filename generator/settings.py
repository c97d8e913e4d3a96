"""Where things are, and the few site facts the generator needs from ``mkdocs.yml``.

The generator reads ``site_name``, ``repo_url``, ``edit_uri`` and its own settings
under ``extra: reading_list:`` as plain YAML (any ``!!python/name`` tags MkDocs uses are
ignored), so it never imports MkDocs itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

READINGS_PER_PAGE = 100


class SettingsError(Exception):
    """A value in ``mkdocs.yml`` the generator cannot use; the message names the file,
    the line and the fix."""


class ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring the tags MkDocs resolves itself (!ENV, !!python/name)."""


ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Settings:
    root: Path = Path()
    records_dir: Path = Path("seeds/records")
    vocabulary_dir: Path = Path("seeds")
    templates_dir: Path = Path("templates")
    docs_dir: Path = Path("docs")
    site_dir: Path = Path("site")
    # Results of slow steps kept between runs, by content (never needed, only faster).
    cache_dir: Path = Path(".cache")
    site_name: str = "Reading list"
    # Start of a link that opens a repository file in GitHub's editor, e.g.
    # https://github.com/org/repo/edit/main/ ; None hides edit links.
    edit_base: str | None = None
    # The published address (mkdocs.yml site_url), ending in '/': feeds need absolute
    # links. None: feeds link relative to themselves.
    site_url: str | None = None
    # mkdocs.yml use_directory_urls: records/x.md is served at records/x/ (else
    # records/x.html). Pages written as HTML link to those addresses (render.page_links).
    directory_urls: bool = True
    # A theme, tag, year or author page lists at most this many readings; a longer
    # list goes on over more pages (render.Pager), so no page grows with the list.
    # mkdocs.yml: extra: reading_list: readings_per_page.
    readings_per_page: int = READINGS_PER_PAGE

    @property
    def schema_url(self) -> str | None:
        """The record JSON Schema as shown on GitHub."""
        return (
            f"{self.edit_base.replace('/edit/', '/blob/', 1)}schema/record.schema.json"
            if self.edit_base
            else None
        )

    def edit_url(self, repo_path: str) -> str | None:
        return f"{self.edit_base}{repo_path}" if self.edit_base else None

    def repo_path(self, path: Path) -> str:
        """A path as it is in the repository (for edit links)."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def repo_paths(self, paths: list[Path]) -> list[str]:
        """``repo_path`` of many files (see ``named_by_folder``)."""
        return named_by_folder(paths, self.repo_path)


def named_by_folder(paths: list[Path], name: Callable[[Path], str]) -> list[str]:
    """``name`` of each file, worked out once per folder and followed by the file's own
    name, since resolving each of 10,000 paths took a third of a second; a linked file
    is named itself (resolving it may lead elsewhere)."""
    folders: dict[Path, str] = {}
    found = []
    for path in paths:
        if path.is_symlink():
            found.append(name(path))
            continue
        folder = folders.get(path.parent)
        if folder is None:
            folder = folders[path.parent] = name(path.parent)
        found.append(path.name if folder == "." else f"{folder}/{path.name}")
    return found


def load_settings(
    root: Path = Path(), config_file: str = "mkdocs.yml", **overrides: object
) -> Settings:
    config: dict = {}
    text = ""
    path = root / config_file
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        config = yaml.load(text, Loader=ConfigLoader) or {}
    repo_url = str(config.get("repo_url") or "").rstrip("/")
    edit_uri = str(config.get("edit_uri") or "edit/main/docs/")
    branch_part = edit_uri.strip("/").removesuffix(str(config.get("docs_dir") or "docs")).strip("/")
    edit_base = f"{repo_url}/{branch_part}/" if repo_url else None
    values: dict = {
        "root": root,
        "records_dir": root / "seeds/records",
        "vocabulary_dir": root / "seeds",
        "templates_dir": root / "templates",
        "docs_dir": root / str(config.get("docs_dir") or "docs"),
        "site_dir": root / str(config.get("site_dir") or "site"),
        "cache_dir": root / ".cache",
        "site_name": str(config.get("site_name") or "Reading list"),
        "edit_base": edit_base,
        "site_url": (str(config.get("site_url") or "").rstrip("/") + "/")
        if config.get("site_url")
        else None,
        "directory_urls": config.get("use_directory_urls", True) is not False,
        "readings_per_page": _readings_per_page(config, text, path),
    }
    values.update(overrides)
    return Settings(**values)


def _readings_per_page(config: dict, text: str, path: Path) -> int:
    """``extra: reading_list: readings_per_page`` of mkdocs.yml, a whole number from 1."""
    extra = config.get("extra")
    ours = extra.get("reading_list") if isinstance(extra, dict) else None
    if not isinstance(ours, dict) or "readings_per_page" not in ours:
        return READINGS_PER_PAGE
    value = ours["readings_per_page"]
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    # The line that sets it (a comment may mention it too).
    setting = re.compile(r"\s*readings_per_page\s*:")
    line = next((n for n, row in enumerate(text.splitlines(), 1) if setting.match(row)), 1)
    raise SettingsError(
        f"{path.as_posix()}:{line}: readings_per_page is {value!r}, not a whole number of "
        f"at least 1: write how many readings a theme, tag, year or author page lists before the "
        f"list goes on to a next page (without it: {READINGS_PER_PAGE})"
    )
