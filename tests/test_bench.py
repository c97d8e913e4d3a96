"""The benchmark: its synthetic list reads back as the seeds do, and on a small list the
behaviours it measures hold (pages do not grow with the list, one edit rewrites few
pages, words only in abstracts reach the search index). Behaviour, not timing."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from generator import bench
from generator.importer import import_exports
from generator.pipeline import generate
from generator.settings import load_settings
from generator.sources.seed_export import parse
from generator.write import write_pages
from tests.conftest import SCHEMA_FILE, run_cli


def parsed(corpus: bench.Corpus):
    return [record for name, text in corpus.files.items() for record in parse(text, name)]


def test_the_same_seed_gives_the_same_bytes():
    first, again = bench.synthesize(120, seed=7), bench.synthesize(120, seed=7)
    assert first.files == again.files
    assert bench.synthesize(120, seed=8).files != first.files


def test_the_seed_reader_reads_back_every_record_with_the_expected_shares():
    corpus = bench.synthesize(600)
    records = parsed(corpus)
    assert len(records) == corpus.records == 600
    assert len(corpus.files) == 12  # about 50 records a file
    titled = sum(1 for r in records if r.title)
    dated = sum(1 for r in records if r.year is not None)
    assert titled == corpus.titled and 0.10 <= titled / 600 <= 0.20
    assert dated == corpus.dated and 0.85 <= dated / 600 <= 0.95
    assert all(1990 <= r.year <= 2025 for r in records if r.year is not None)
    assert all(r.title or r.authors for r in records)  # what `check` requires
    assert 0.02 <= sum(r.et_al for r in records) / 600 <= 0.09
    lengths = [len(r.abstract.split()) for r in records if r.abstract]
    assert len(lengths) >= 590 and min(lengths) >= 150 and max(lengths) <= 420
    structured = sum(1 for r in records if r.abstract and "Methods: " in r.abstract)
    assert structured == corpus.structured and 0.15 <= structured / 600 <= 0.35


def test_authors_share_records():
    records = parsed(bench.synthesize(600))
    per_author = Counter(p.name for r in records for p in dict.fromkeys(r.authors))
    busiest = per_author.most_common(1)[0][1]
    assert 5 <= busiest <= 60  # a prolific author, not one on every record
    assert sum(1 for n in per_author.values() if n > 1) >= 100
    assert any(re.fullmatch(r"[A-Z]\. [A-Z]\. .+", name) for name in per_author)  # initials


def test_marker_words_occur_in_exactly_one_abstract_and_nowhere_else():
    corpus = bench.synthesize(300)
    records = parsed(corpus)
    assert len(corpus.markers) == bench.MARKERS
    everything = "\n".join(corpus.files.values())
    for marker in corpus.markers:
        assert everything.count(marker) == 1
        assert sum(1 for r in records if r.abstract and marker in r.abstract) == 1


def test_themes_and_tags_get_assigned_from_the_vocabulary(tmp_path):
    project = small_project(tmp_path, 60)
    pages, problems = generate(load_settings(project))
    assert pages is not None, problems
    themed = [p for p in pages if p.startswith("themes/") and p != "themes/index.md"]
    tagged = [p for p in pages if p.startswith("tags/") and p != "tags/index.md"]
    assert len(themed) >= 4 and len(tagged) >= 10


def test_the_bare_config_keeps_theme_and_plugins_but_drops_hook_and_nav():
    config = (bench.ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    bare = bench.without_top_level_keys(config, ("hooks", "nav", "not_in_nav"))
    assert "hooks:" not in bare and "\nnav:" not in bare and "not_in_nav" not in bare
    assert "mkdocs_hook" not in bare
    for kept in ("theme:", "plugins:", "markdown_extensions:", "site_url:"):
        assert kept in bare
    # No lunr index in either: search is Pagefind, which the floor leaves out (MkDocs only).
    assert "  - search" not in bare


def small_project(tmp_path: Path, records: int) -> Path:
    """A synthetic project with its exports imported into record files (no build)."""
    corpus = bench.synthesize(records)
    project = bench.make_project(tmp_path / "project", corpus)
    result = import_exports(
        sorted(project.glob("seeds/*.txt")), project / "seeds" / "records", SCHEMA_FILE
    )
    assert not result.problems and len(result.added) == records
    return project


def test_one_edited_record_rewrites_only_a_handful_of_pages(tmp_path, fixed_year):
    project = small_project(tmp_path, 120)
    settings = load_settings(project)
    before, problems = generate(settings)
    assert before is not None, problems
    first = write_pages(before, settings.docs_dir)
    assert len(first.written) == len(before)

    edited = bench.edit_one_record(settings.records_dir)
    after, problems = generate(settings)
    assert after is not None, problems
    again = write_pages(after, settings.docs_dir)
    changed = {page for page, text in after.items() if before.get(page) != text}
    assert set(again.written) == changed  # only pages whose content changed
    assert f"records/{edited}.md" in again.written
    assert again.unchanged == len(after) - len(again.written)
    # A handful, not a share of the list: the record's page, pages that quote its
    # abstract (related readings, downloads and feeds of its themes), nothing else.
    markdown = [page for page in again.written if page.endswith(".md")]
    assert len(markdown) < 15, markdown
    assert len(again.written) < 30 < len(after) / 4, again.written


def test_phases_time_related_readings_on_every_indexing_and_unwrap_after(tmp_path, fixed_year):
    from generator import index, pipeline

    project = small_project(tmp_path, 40)
    steps = (pipeline.check_records, pipeline.build_library, index.related_readings)
    timings = bench.time_phases(project, tmp_path / "scratch")
    assert timings["related_runs"] == bench.INDEX_RUNS
    assert 0 < timings["related_best"] <= timings["related"] < timings["index"]
    assert timings["pages"] > 40 and (tmp_path / "scratch" / "records").is_dir()
    assert (pipeline.check_records, pipeline.build_library, index.related_readings) == steps
    once = bench.time_phases(project, tmp_path / "scratch-2", index_runs=1)
    assert once["related_runs"] == 1 and once["related_best"] == once["related"]


# -- the command, end to end (real MkDocs builds) ------------------------------------


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory):
    keep = tmp_path_factory.mktemp("bench")
    done = run_cli(
        "bench", "--records", "30", "120", "--skip-bare", "--keep", str(keep), timeout=900
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return keep, done.stdout


def row(table: str, label: str) -> list[str]:
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in:\n{table}")


def largest_record_page(site: Path) -> int:
    sizes = [p.stat().st_size for p in (site / "records").glob("*/index.html")]
    assert sizes
    return max(sizes)


@pytest.mark.slow
def test_bench_prints_a_table_with_page_sizes_for_each_size(bench_run):
    _, table = bench_run
    assert "| measurement | N = 30 | N = 120 |" in table
    assert row(table, "records (imported)") == ["30", "120"]
    for cell in row(table, "record page, median · max"):
        assert re.fullmatch(r"[\d.,]+ kB · [\d.,]+ kB", cell), cell
    for cell in row(table, "largest page listing readings: HTML · gzipped (which)"):
        assert re.fullmatch(
            r"[\d.,]+ kB · [\d.,]+ kB \((/|[a-z-]+/|[a-z-]+/[a-z0-9-]+/(\d+/)?)\)", cell
        ), cell
    for cell in row(table, "↳ largest theme, tag or year page (long lists go on over pages)"):
        assert re.fullmatch(
            r"[\d.,]+ kB · [\d.,]+ kB \((themes|tags|years)/[a-z0-9-]+/(\d+/)?\)", cell
        ), cell
    browse = row(table, "↳ Browse: the page (gzipped) · the whole list its script loads (gzipped)")
    sizes = [
        re.fullmatch(r"([\d.,]+) kB \([\d.,]+ kB\) · ([\d.,]+) kB \([\d.,]+ kB\)", c)
        for c in browse
    ]
    assert all(sizes), browse
    small, large = (float(found[2].replace(",", "")) for found in sizes)
    assert large > 3 * small, browse  # the list grows with the records; the page does not
    assert row(table, "words only in one abstract, found in the index") == ["5/5", "5/5"]
    # The search index is built and measured as `build` makes it (Pagefind).
    for cell in row(table, "search index (Pagefind)"):
        assert re.fullmatch(r"[\d.]+ s · \d+ MiB", cell), cell
    for cell in row(table, "first search download, estimated (gzipped)"):
        assert float(cell.removesuffix(" kB").replace(",", "")) < 500, cell
    assert "PASS" in row(table, "first search download (gzipped)")[-1]
    assert "PASS" in row(table, "largest record page")[-1]
    # Related readings are timed as the pipeline runs them, then again; growth takes
    # the fastest.
    for cell in row(table, f"↳ index: related readings (first · fastest of {bench.INDEX_RUNS})"):
        assert re.fullmatch(r"[\d.]+ s · [\d.]+ s", cell), cell
    growth = row(table, f"related readings time (fastest of {bench.INDEX_RUNS} runs), N = 30 → 120")
    assert re.fullmatch(r"[\d.]+×", growth[1]) and growth[2] == "≤ 4.80×", growth


@pytest.mark.slow
def test_record_pages_do_not_grow_with_the_list(bench_run):
    keep, _ = bench_run
    small = largest_record_page(keep / "n30" / "project" / "site")
    large = largest_record_page(keep / "n120" / "project" / "site")
    assert large <= 1.25 * small, (small, large)
    assert large <= bench.TARGET_PAGE_BYTES


@pytest.mark.slow
def test_bench_reports_the_pages_one_edit_rewrote(bench_run):
    _, table = bench_run
    for cell in row(table, "↳ pages rewritten (edited record's page among them)"):
        written, among = re.fullmatch(r"(\d+) \((yes|NO)\)", cell).groups()
        assert 1 <= int(written) < 40 and among == "yes"  # pages, downloads, feeds


@pytest.mark.slow
def test_the_bare_floor_builds(bench_run, tmp_path):
    keep, _ = bench_run
    bare = tmp_path / "bare"
    assert bench.make_bare_project(bare, keep / "n30" / "project") == 30
    step = bench.run_step(
        [bench.sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], bare
    )
    assert step.returncode == 0, step.stderr
    assert len(list((bare / "site" / "records").glob("*/index.html"))) == 30
    assert step.peak_mib > 10
