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


def _settings(config: MkDocsConfig) -> Settings:
    return load_settings(Path(config.config_file_path).parent)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    if os.environ.get(PAGES_WRITTEN) == "1":
        return files
    settings = _settings(config)
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
    return files


def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> Page:
    """Record pages edit their YAML file; other generated pages have nothing to edit."""
    uri = page.file.src_uri
    settings = _settings(config)
    if uri.startswith("records/"):
        record_id = uri.removeprefix("records/").removesuffix(".md")
        matches = sorted(settings.records_dir.glob(f"{record_id}.y*ml"))
        page.edit_url = settings.edit_url(settings.repo_path(matches[0])) if matches else None
    elif uri.startswith("paths/") and uri != "paths/index.md":  # a reading path: its YAML
        path_file = settings.records_dir.parent / "paths" / Path(uri).with_suffix(".yml").name
        page.edit_url = (
            settings.edit_url(settings.repo_path(path_file)) if path_file.is_file() else None
        )
    elif uri in read_manifest(settings.docs_dir) or page.file.generated_by:
        page.edit_url = None
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
