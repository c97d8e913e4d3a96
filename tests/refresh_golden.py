"""Regenerate the golden files under ``tests/golden/`` (``make golden``).

- ``records/``: what importing ``seeds/*.txt`` gives;
- ``vocabulary/``: a snapshot of ``seeds/themes.yml`` and ``seeds/tags.yml``;
- ``paths/``: a snapshot of ``seeds/paths/`` (reading paths), beside ``records/``;
- ``docs/``: the pages rendered from those records and that vocabulary.

Run it after an intended change to the reader, the record format, the templates or the
vocabulary, and review the diff like code. ``seeds/records/`` (what people edit) is
never touched. Each folder is built aside and swapped in only when complete, so files
no longer produced disappear, and a failed import changes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from pathlib import Path

from generator.importer import import_exports
from generator.pipeline import generate
from generator.problems import report
from generator.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
# Imported records are dated ``added:`` from SOURCE_DATE_EPOCH: the golden files hold the
# date the tests pin (2026-01-01), whenever they are refreshed.
SOURCE_DATE_EPOCH = "1767225600"
VOCABULARY_FILES = ("themes.yml", "tags.yml")


def _swap(staging: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(target)


def refresh(root: Path) -> int:
    """Rebuild ``root/tests/golden``; the exit status."""
    root = root.resolve()
    golden = root / "tests" / "golden"
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    # Imported at the depth of seeds/records, so files point at ../../schema/record.schema.json.
    staging = root / "seeds" / ".golden.refresh"
    staged_records = root / "seeds" / ".golden-records.refresh"
    schema_file = root / "schema" / "record.schema.json"
    with contextlib.chdir(root):  # provenance paths then read seeds/...
        exports = sorted(Path("seeds").glob("*.txt"))
        if not exports:
            print(f"{root / 'seeds'}: no *.txt exports to import", file=sys.stderr)
            return 1
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(staged_records, ignore_errors=True)
        try:
            result = import_exports(exports, staged_records, schema_file)
            if result.problems:
                sys.stdout.write(report(list(result.problems)))
                print("golden files not refreshed: the import failed", file=sys.stderr)
                return 1
            (staging / "vocabulary").mkdir(parents=True)
            for name in VOCABULARY_FILES:
                shutil.copyfile(root / "seeds" / name, staging / "vocabulary" / name)
            if (root / "seeds" / "paths").is_dir():
                shutil.copytree(root / "seeds" / "paths", staging / "paths")
            else:
                (staging / "paths").mkdir()
            _swap(staged_records, golden / "records")
            _swap(staging / "vocabulary", golden / "vocabulary")
            _swap(staging / "paths", golden / "paths")
            # Rendered from the golden folders, so edit links name tests/golden/records/
            # (and the reading paths are read from tests/golden/paths/, beside it).
            settings = load_settings(
                root, records_dir=golden / "records", vocabulary_dir=golden / "vocabulary"
            )
            pages, problems = generate(settings)
            if pages is None:
                sys.stdout.write(report(list(problems)))
                print("golden docs not refreshed: the pages could not be rendered", file=sys.stderr)
                return 1
            for page, text in pages.items():
                (staging / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
                (staging / "docs" / page).write_text(text, encoding="utf-8")
            _swap(staging / "docs", golden / "docs")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(staged_records, ignore_errors=True)
    print(
        f"wrote {len(result.added)} record file(s) and {len(pages)} page(s) to {golden.relative_to(root).as_posix()}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.refresh_golden", description=__doc__)
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="project folder holding seeds/ (default: this checkout)",
    )
    return refresh(parser.parse_args(argv).root)


if __name__ == "__main__":
    sys.exit(main())
