"""The only module that knows MkDocs: hands the generated pages to a build.

Listed under ``hooks:`` in mkdocs.yml. Pages are generated in memory and added as
virtual files (never written into ``docs/`` from a build event, which would make
``mkdocs serve`` rebuild in a loop); record files, the vocabulary and the templates are
watched, so an edited record shows up in ``mkdocs serve`` without a restart.
``python -m generator build`` writes the pages to ``docs/`` first and sets
``READING_LIST_PAGES_WRITTEN`` so they are not generated twice.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.pipeline import generate
from generator.problems import errors, report
from generator.settings import Settings, load_settings
from generator.write import read_manifest

PAGES_WRITTEN = "READING_LIST_PAGES_WRITTEN"


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


def _settings(config: MkDocsConfig) -> Settings:
    return load_settings(Path(config.config_file_path).parent)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _edit_links
    settings = _settings(config)
    if os.environ.get(PAGES_WRITTEN) == "1":
        _edit_links = _EditLinks(settings, set(read_manifest(settings.docs_dir)))
        return files
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
