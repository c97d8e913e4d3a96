"""The whole run, in order: read -> validate -> index -> render. Writes nothing.

Both consumers call ``generate``: the ``build`` command writes its pages to ``docs/``,
and the MkDocs hook hands them to MkDocs as virtual files during ``mkdocs serve``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import vocabulary as vocab
from generator.index import Library, build_library
from generator.problems import Problem, errors
from generator.render import render_site
from generator.settings import Settings
from generator.validate import check_folder


@dataclass(frozen=True)
class Checked:
    library: Library | None
    problems: tuple[Problem, ...]


def check(settings: Settings) -> Checked:
    """Load and check records and vocabulary; a library only when there is no error."""
    vocabulary, problems = vocab.load_vocabulary(settings.vocabulary_dir)
    checked = check_folder(settings.records_dir)
    problems += checked.problems
    if vocabulary is not None:
        for loaded in checked.loaded:
            problems += vocab.record_problems(loaded, vocabulary)
    problems = sorted(set(problems))
    if errors(problems) or vocabulary is None:
        return Checked(None, tuple(problems))
    items = [(loaded.record, settings.repo_path(Path(loaded.path))) for loaded in checked.loaded]
    return Checked(build_library(items, vocabulary), tuple(problems))


def generate(settings: Settings) -> tuple[dict[str, str] | None, tuple[Problem, ...]]:
    """Every generated page, or ``None`` and the problems that prevent building."""
    checked = check(settings)
    if checked.library is None:
        return None, checked.problems
    return render_site(checked.library, settings), checked.problems
