"""Pages taken from an earlier run (generator/render_cache.py), with what indexing kept
(generator/index_cache.py), are the pages a run without any cache renders, after any
edit; and an unchanged page is not rendered again."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest

from generator import index_cache, model, render
from generator.pipeline import generate
from generator.render_cache import FILE_NAME
from generator.settings import load_settings
from generator.write import write_pages
from tests.site_project import make_project

ROUNDS = 30


def _records(project: Path) -> list[Path]:
    return sorted((project / "seeds" / "records").glob("*.yml"))


def _set_field(path: Path, field: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    text, found = re.subn(rf"(?m)^{field}:.*$", f"{field}: {value}", text, count=1)
    assert found, (path, field)
    path.write_text(text, encoding="utf-8")


def _edit_abstract(path: Path, rng: random.Random) -> None:
    """Swap two words of the abstract for words of another record's (related readings
    and gists change), or give a record without one an abstract."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = lines.index("abstract: |-") + 1 if "abstract: |-" in lines else None
    if at is None:
        _set_field(path, "abstract", "A study of peer workers and stigma in recovery colleges.")
        return
    words = lines[at].split()
    for _ in range(2):
        words[rng.randrange(len(words))] = rng.choice(["stigma", "online", "forum", "veterans"])
    lines[at] = "  " + " ".join(words)
    path.write_text("\n".join(lines), encoding="utf-8")


def _authors(path: Path, names: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    listed = "".join(f"\n  - {name}" for name in names)
    text = re.sub(r"(?m)^authors:(\n  - .*)*", f"authors:{listed}", text, count=1)
    path.write_text(text, encoding="utf-8")


def _all_authors(project: Path) -> list[str]:
    names = set()
    for path in _records(project):
        names.update(re.findall(r"(?m)^  - (.+)$", path.read_text(encoding="utf-8")))
    return sorted(names)


def _shares_an_author(path: Path, records: list[Path]) -> bool:
    names = set(re.findall(r"(?m)^  - (.+)$", path.read_text(encoding="utf-8")))
    return any(
        names & set(re.findall(r"(?m)^  - (.+)$", other.read_text(encoding="utf-8")))
        for other in records
        if other != path
    )


def edit(project: Path, rng: random.Random) -> str:
    """One random change of the kinds contributors make; what it was."""
    records = _records(project)
    path = rng.choice(records)
    kind = rng.choice(
        [
            "title",
            "title",
            "year",
            "abstract",
            "abstract",
            "authors",
            "new author",
            "same slug",
            "co-author's title",
            "remove",
            "add",
            "vocabulary",
            "docs page deleted",
            "docs page edited",
        ]
    )
    if kind == "title":
        _set_field(path, "title", f"Peer support, edited {rng.randrange(10**6)}")
    elif kind == "year":
        _set_field(path, "year", str(rng.randrange(1990, 2025)))
    elif kind == "abstract":
        _edit_abstract(path, rng)
    elif kind == "authors":  # someone else's author: author pages, "more by" lists
        _authors(path, rng.sample(_all_authors(project), 2))
    elif kind == "new author":
        _authors(path, [f"Ana Example{rng.randrange(100)}"])
    elif kind == "same slug":  # "Larry M Leitner" takes the slug of "Larry M. Leitner"
        dotted = [name for name in _all_authors(project) if "." in name]
        _authors(path, [rng.choice(dotted).replace(".", "")])
    elif kind == "co-author's title":  # shown on the pages of the author's other readings
        shared = [p for p in records if _shares_an_author(p, records)]
        path = rng.choice(shared or records)
        _set_field(path, "title", f"Peer support, edited {rng.randrange(10**6)}")
    elif kind == "remove":  # a reading no reading path names (those must not go)
        named = "".join(f.read_text("utf-8") for f in (project / "seeds" / "paths").glob("*"))
        path = rng.choice([p for p in records if p.stem not in named])
        path.unlink()
    elif kind == "add":
        new = path.with_name(f"copy-{rng.randrange(10**6)}.yml")
        text = path.read_text(encoding="utf-8").replace(f"id: {path.stem}", f"id: {new.stem}")
        new.write_text(re.sub(r"(?m)^  (file|line):.*\n|^source:\n", "", text), encoding="utf-8")
        _set_field(new, "title", f"A second reading {rng.randrange(10**6)}")
        _edit_abstract(new, rng)
    elif kind == "vocabulary":
        themes = project / "seeds" / "themes.yml"
        text = themes.read_text(encoding="utf-8")
        name = "name: Peer workers' roles and professional identity"
        assert name in text
        themes.write_text(text.replace(name, f"{name} {rng.randrange(100)}", 1), "utf-8")
    else:
        docs = sorted((project / "docs" / "records").glob("*.md"))
        page = rng.choice(docs)
        if kind == "docs page deleted":
            page.unlink()
        else:
            page.write_text(page.read_text(encoding="utf-8") + "\nEdited by hand.\n", "utf-8")
    return f"{kind} {path.name}"


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / "project")


@pytest.mark.parametrize("per_page", [100, 2], ids=["lists-on-one-page", "lists-over-pages"])
def test_taken_pages_equal_a_run_without_the_cache(project, per_page):
    settings = load_settings(project, readings_per_page=per_page)
    rng = random.Random(20261122)
    pages, problems = generate(settings)
    assert pages is not None, problems
    write_pages(pages, settings.docs_dir)
    for round_ in range(ROUNDS):
        done = [edit(project, rng) for _ in range(rng.randint(1, 3))]
        assert_same_as_without_cache(settings, f"round {round_}, after {done}")


def assert_same_as_without_cache(settings, what: str) -> None:
    """A run with the caches of earlier runs gives every page a run without any gives."""
    cached, problems = generate(settings)
    assert cached is not None, (what, problems)
    kept = settings.cache_dir.with_name("kept-cache")
    settings.cache_dir.rename(kept)
    model._NAME_FACTS.clear()  # names as an earlier run read them (generator/index_cache.py)
    try:
        fresh, _ = generate(settings, reuse_pages=False)
    finally:
        shutil.rmtree(settings.cache_dir, ignore_errors=True)
        kept.rename(settings.cache_dir)
    assert fresh is not None
    assert list(cached) == list(fresh), what
    different = [p for p in fresh if cached.encoded(p) != fresh.encoded(p)]
    assert not different, f"{what}: {different[:5]}"
    write_pages(cached, settings.docs_dir)


def test_an_author_whose_page_moves_is_linked_at_its_new_address(project):
    """ "Larry M Leitner" takes the slug of "Larry M. Leitner", whose page moves: every
    page linking to it changes, though no reading that page lists did."""
    settings = load_settings(project)
    write_pages(generate(settings)[0], settings.docs_dir)
    dotted = [n for n in _all_authors(project) if "." in n]
    assert dotted
    for name in dotted:
        shared = [p for p in _records(project) if f"  - {name}\n" in p.read_text("utf-8")]
        new = shared[0].with_name(f"{shared[0].stem}-z.yml")
        new.write_text(
            "id: " + new.stem + f"\ntitle: Another reading by {name}\nauthors:\n"
            f"  - {name.replace('.', '')}\nyear: 2001\n",
            encoding="utf-8",
        )
        assert_same_as_without_cache(settings, f"{name} lost its page name")


def test_an_unchanged_page_is_not_rendered_again(project, monkeypatch):
    settings = load_settings(project)
    pages, _ = generate(settings)
    write_pages(pages, settings.docs_dir)
    rendered: list[str] = []
    original = render.Renderer.render

    def counting(self, template, path, **context):
        rendered.append(path)
        return original(self, template, path, **context)

    monkeypatch.setattr(render.Renderer, "render", counting)
    record = _records(project)[0]
    _set_field(record, "title", "A title given later")
    again, _ = generate(settings)
    assert again is not None
    # The edited record's page is rendered, and pages that do not show it are not.
    assert f"records/{record.stem}.md" in rendered
    unrelated = [
        p
        for p in again
        if p.startswith("records/") and record.stem not in again[p] and p not in rendered
    ]
    assert unrelated, "every record page was rendered again"
    assert len(rendered) < len([p for p in again if p.endswith(".md")]) / 2


def test_other_code_or_templates_render_every_page(project, monkeypatch):
    settings = load_settings(project)
    pages, _ = generate(settings)
    write_pages(pages, settings.docs_dir)
    template = project / "templates" / "record.html.j2"
    template.write_text(template.read_text(encoding="utf-8") + "\n<p>A new line.</p>\n", "utf-8")
    again, _ = generate(settings)
    assert again is not None
    records = [p for p in again if p.startswith("records/")]
    assert all(again[p].endswith("\n<p>A new line.</p>\n") for p in records)


def test_losing_the_cache_or_docs_loses_nothing(project):
    settings = load_settings(project)
    pages, _ = generate(settings)
    write_pages(pages, settings.docs_dir)
    (settings.cache_dir / FILE_NAME).write_text("{not json", encoding="utf-8")
    index = settings.cache_dir / index_cache.FILE_NAME
    # An entry of the right version but the wrong shape is worked out again.
    broken = json.loads(index.read_text(encoding="utf-8"))
    broken["index"]["places"] = {key: [1] for key in broken["index"]["places"]}
    names = broken["index"]["names"]
    broken["index"]["names"] = {n: [1, "", "", True] if i % 2 else "x" for i, n in enumerate(names)}
    index.write_text(json.dumps(broken), encoding="utf-8")
    model._NAME_FACTS.clear()
    again, _ = generate(settings)
    assert again is not None and dict(again) == dict(pages)
    shutil.rmtree(settings.docs_dir / "records")
    again, _ = generate(settings)
    assert again is not None and dict(again) == dict(pages)
