"""Writing pages into docs/: only what changed, orphans removed, hand-written pages safe."""

from __future__ import annotations

from pathlib import Path

from generator.write import MANIFEST, conflicts, read_manifest, write_pages


def test_first_write_then_only_changes(tmp_path: Path):
    docs = tmp_path / "docs"
    (docs / "contribute.md").parent.mkdir(parents=True)
    (docs / "contribute.md").write_text("hand-written\n")
    pages = {"index.md": "home\n", "records/a-2019.md": "a\n", "records/b-2019.md": "b\n"}
    first = write_pages(pages, docs)
    assert first.written == ("index.md", "records/a-2019.md", "records/b-2019.md")
    second = write_pages({**pages, "records/a-2019.md": "a, edited\n"}, docs)
    assert second.written == ("records/a-2019.md",)
    assert second.unchanged == 2
    assert (docs / "contribute.md").read_text() == "hand-written\n"
    assert sorted(read_manifest(docs)) == sorted(pages)


def test_a_deleted_record_loses_its_page_and_empty_folders(tmp_path: Path):
    docs = tmp_path / "docs"
    write_pages({"index.md": "home\n", "records/a-2019.md": "a\n", "authors/x/y.md": "y\n"}, docs)
    result = write_pages({"index.md": "home\n"}, docs)
    assert result.removed == ("authors/x/y.md", "records/a-2019.md")
    assert not (docs / "records").exists() and not (docs / "authors").exists()
    assert sorted(p.name for p in docs.iterdir()) == [MANIFEST, "index.md"]


def test_a_renamed_record_leaves_no_orphan(tmp_path: Path):
    docs = tmp_path / "docs"
    write_pages({"records/old-2019.md": "x\n"}, docs)
    write_pages({"records/new-2019.md": "x\n"}, docs)
    assert [p.name for p in (docs / "records").iterdir()] == ["new-2019.md"]


def test_a_hand_written_file_in_the_way_is_a_conflict_and_never_replaced(tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("my own home page\n")
    found = conflicts({"index.md": "generated\n"}, docs)
    assert [str(p) for p in found] == [
        f"{docs.as_posix()}/index.md: a hand-written file is where a generated page goes; move or rename the hand-written file"
    ]


def test_no_temporary_files_are_left_behind(tmp_path: Path):
    docs = tmp_path / "docs"
    write_pages({f"records/r{i}-2019.md": f"{i}\n" for i in range(20)}, docs)
    assert not [p for p in docs.rglob("*") if p.name.endswith(".tmp")]


def test_a_symlink_in_the_output_is_never_followed(tmp_path: Path):
    docs = tmp_path / "docs"
    outside = tmp_path / "outside"
    outside.mkdir()
    docs.mkdir()
    (docs / "records").symlink_to(outside, target_is_directory=True)
    found = conflicts({"records/a-2019.md": "a\n"}, docs)
    assert found and "symbolic link" in str(found[0])
    assert list(outside.iterdir()) == []


def test_pages_kept_encoded_read_and_write_as_text(tmp_path: Path):
    """render.Pages keeps each page as UTF-8 (a large list's pages in half the memory,
    since one en dash makes Python store a whole text in two bytes a character); it
    reads as the text it was given and is written byte for byte the same."""
    from generator.render import Pages

    texts = {"b.md": "Tse – peer support\n", "a.md": "plain\n", "c.md": "emoji 🙂 ü\n"}
    pages = Pages(texts.items())
    assert pages == texts and dict(pages) == texts and len(pages) == 3
    assert list(pages) == ["b.md", "a.md", "c.md"]
    pages.sort()
    assert list(pages) == ["a.md", "b.md", "c.md"]
    assert pages.encoded("b.md") == texts["b.md"].encode("utf-8")
    del pages["c.md"]
    assert "c.md" not in pages

    from_text, from_pages = tmp_path / "text", tmp_path / "pages"
    assert write_pages(dict(pages), from_text).written == ("a.md", "b.md")
    assert write_pages(pages, from_pages).written == ("a.md", "b.md")
    for name in ("a.md", "b.md", MANIFEST):
        assert (from_pages / name).read_bytes() == (from_text / name).read_bytes()
    assert write_pages(pages, from_text).unchanged == 2  # compared as bytes, unchanged
