"""Golden docs/ tree: the imported seed records render to exactly the committed pages.

After an intended change run `make golden` and review the diff of tests/golden/docs/
like code.
"""

from __future__ import annotations

from generator.pipeline import generate
from generator.settings import load_settings
from tests.conftest import GOLDEN_DOCS, GOLDEN_RECORDS, GOLDEN_VOCABULARY, ROOT


def seed_pages() -> dict[str, str]:
    settings = load_settings(ROOT, records_dir=GOLDEN_RECORDS, vocabulary_dir=GOLDEN_VOCABULARY)
    pages, problems = generate(settings)
    assert pages is not None, problems
    return pages


def test_seed_pages_match_the_golden_tree():
    pages = seed_pages()
    golden = {
        p.relative_to(GOLDEN_DOCS).as_posix(): p.read_text(encoding="utf-8")
        for p in GOLDEN_DOCS.rglob("*")
        if p.is_file()  # pages, and the feeds' XML
    }
    assert sorted(pages) == sorted(golden), "pages added or removed: run `make golden` and review"
    changed = [path for path in pages if pages[path] != golden[path]]
    assert not changed, (
        f"pages differ from the golden tree: {changed[:5]}; run `make golden` and review"
    )
