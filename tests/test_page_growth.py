"""A record page does not grow with the list: a prolific author's other readings are
capped, with a link to the author's page for the rest."""

from __future__ import annotations

import shutil

from generator.pipeline import generate
from generator.render import MORE_BY_AUTHOR
from generator.settings import load_settings
from tests.conftest import ROOT


def test_more_by_these_authors_is_capped(tmp_path, fixed_year):
    records = tmp_path / "seeds" / "records"
    records.mkdir(parents=True)
    for name in ("themes.yml", "tags.yml"):
        shutil.copyfile(ROOT / "seeds" / name, tmp_path / "seeds" / name)
    count = MORE_BY_AUTHOR + 5
    for n in range(count):
        year = 2000 + n
        (records / f"doe-{year}.yml").write_text(
            f"id: doe-{year}\ntitle: Peer support study number {n}\nauthors:\n  - Jane Doe\nyear: {year}\n",
            encoding="utf-8",
        )
    settings = load_settings(ROOT, records_dir=records, vocabulary_dir=tmp_path / "seeds")
    pages, problems = generate(settings)
    assert pages is not None, problems
    page = pages["records/doe-2000.md"]
    section = page.split("## More by these authors", 1)[1].split("## ", 1)[0]
    listed = section.count("](doe-")  # links between record pages are relative
    assert listed == MORE_BY_AUTHOR
    assert f"and {count - 1 - MORE_BY_AUTHOR} more on" in section
    assert "](../authors/jane-doe.md)" in section
