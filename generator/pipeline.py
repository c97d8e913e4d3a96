"""The whole run, in order: read -> validate -> index -> render. Writes no page.

Both consumers call ``generate``: the ``build`` command writes its pages to ``docs/``,
and the MkDocs hook hands them to MkDocs as virtual files during ``mkdocs serve``.
The only files it writes are caches in ``.cache/``, outside ``docs/`` (the record files
it read, after a clean check, what indexing found for each record, the references it
formatted, and the digests of the pages it rendered): losing them only makes the next
run slower.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from generator import citation, index_cache, render_cache
from generator import paths as reading_paths
from generator import vocabulary as vocab
from generator.index import Library, build_library
from generator.parse_cache import ParseCache
from generator.problems import Problem, errors
from generator.record_files import LoadedRecord
from generator.render import Pages, render_site
from generator.settings import Settings
from generator.validate import check_folder


@dataclass(frozen=True)
class Checked:
    """Everything that loaded, and every problem; ``library`` only when there is no error."""

    vocabulary: vocab.Vocabulary | None
    loaded: tuple[LoadedRecord, ...]
    problems: tuple[Problem, ...]
    library: Library | None = None
    paths: tuple[reading_paths.ReadingPath, ...] = ()  # the reading paths that can be built


def check_records(settings: Settings) -> Checked:
    """Load and check the vocabulary and every record file, reporting every problem.

    A folder with no vocabulary files at all (records checked on their own, outside a
    project) skips the theme and tag checks; building still requires the vocabulary.
    """
    has_vocabulary = any(
        (settings.vocabulary_dir / name).exists() for name in ("themes.yml", "tags.yml")
    )
    vocabulary, problems = (
        vocab.load_vocabulary(settings.vocabulary_dir) if has_vocabulary else (None, [])
    )
    cache = ParseCache(settings.cache_dir)
    folder = check_folder(settings.records_dir, cache=cache)
    problems += folder.problems
    if vocabulary is not None:
        for loaded in folder.loaded:
            problems += vocab.record_problems(loaded, vocabulary)
    # Reading paths (seeds/paths/ beside the records), checked against the records' ids.
    paths, path_problems = reading_paths.check(settings, [r.record.id for r in folder.loaded])
    problems += path_problems
    if not errors(problems):
        # Only after a clean check: a run that finds an error writes nothing at all.
        cache.save()
    return Checked(vocabulary, folder.loaded, tuple(sorted(set(problems))), paths=paths)


def check(settings: Settings) -> Checked:
    """``check_records``, then the index of the whole list when nothing is wrong."""
    return indexed(settings, check_records(settings))


def indexed(
    settings: Settings, checked: Checked, known: index_cache.IndexCache | None = None
) -> Checked:
    """``checked`` with the index of the whole list, when nothing is wrong; ``known`` is
    what earlier runs found (opened here when not given)."""
    if checked.vocabulary is None and not errors(list(checked.problems)):
        _, missing = vocab.load_vocabulary(settings.vocabulary_dir)
        return replace(checked, problems=tuple(sorted(set(missing))))
    if errors(list(checked.problems)) or checked.vocabulary is None:
        return checked
    files = settings.repo_paths([Path(loaded.path) for loaded in checked.loaded])
    items = [(loaded.record, file) for loaded, file in zip(checked.loaded, files, strict=True)]
    if known is None:
        known = _index_cache(settings)
    library = build_library(items, checked.vocabulary, known.classify)
    known.save(library.by_author)
    return replace(checked, library=library)


def _index_cache(settings: Settings) -> index_cache.IndexCache:
    return index_cache.IndexCache(
        settings.cache_dir, index_cache.version(_vocabulary_files(settings))
    )


def _vocabulary_files(settings: Settings) -> list[Path]:
    return [settings.vocabulary_dir / name for name in (vocab.THEMES_FILE, vocab.TAGS_FILE)]


def generate(
    settings: Settings, reuse_pages: bool = True
) -> tuple[Pages | None, tuple[Problem, ...]]:
    """Every generated page, or ``None`` and the problems that prevent building.

    Pages whose inputs are the same as in an earlier run are taken from ``docs/``
    (generator/render_cache.py) unless ``reuse_pages`` is false: the pages are the same.
    """
    checked = check_records(settings)
    if errors(list(checked.problems)) or checked.vocabulary is None:
        return None, indexed(settings, checked).problems
    records = [loaded.record for loaded in checked.loaded]
    # APA references formatted by earlier runs (generator/citation.py), by content; the
    # others are formatted while the list is indexed and pages without one are rendered.
    cache = settings.cache_dir / "apa-references.json"
    citation.load_cache(cache)
    # Opened first: it gives back the authors' names as earlier runs parsed them, which
    # finding the references not formatted yet reads (1.2 s of parsing at 10,000 records).
    known = _index_cache(settings)
    with citation.formatting_ahead(records):
        checked = indexed(settings, checked, known)
        assert checked.library is not None  # no problem stops indexing a checked list
        reuse = None
        if reuse_pages:
            version = render_cache.version(
                settings.templates_dir,
                settings,
                [f.read_bytes() if f.is_file() else None for f in _vocabulary_files(settings)],
                checked.paths,
            )
            reuse = render_cache.RenderCache(settings.cache_dir, settings.docs_dir, version)
        pages = render_site(checked.library, settings, checked.paths, reuse)
        if reuse is not None:
            reuse.save()
    citation.save_cache(cache, records)
    return pages, checked.problems
