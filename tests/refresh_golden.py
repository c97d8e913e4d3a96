"""Regenerate the golden record files: ``seeds/records/`` from ``seeds/*.txt``.

Run ``python -m tests.refresh_golden`` (``make golden``) after an intended change to the
seed reader, the ids or the record format, and review the diff like code. The import
runs into a fresh folder next to ``seeds/records/``, which then replaces it, so files
the importer no longer writes disappear; if the import fails, nothing is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from pathlib import Path

from generator.importer import import_exports
from generator.problems import report

ROOT = Path(__file__).resolve().parent.parent


def refresh(root: Path) -> int:
    """Rebuild ``root/seeds/records`` from ``root/seeds/*.txt``; the exit status."""
    root = root.resolve()
    records = root / "seeds" / "records"
    # Same depth as seeds/records, so the files point at ../../schema/record.schema.json.
    staging = root / "seeds" / ".records.refresh"
    schema_file = root / "schema" / "record.schema.json"
    with contextlib.chdir(root):  # provenance paths then read seeds/...
        exports = sorted(Path("seeds").glob("*.txt"))
        if not exports:
            print(f"{root / 'seeds'}: no *.txt exports to import", file=sys.stderr)
            return 1
        shutil.rmtree(staging, ignore_errors=True)
        try:
            result = import_exports(exports, staging, schema_file)
            if result.problems:
                sys.stdout.write(report(list(result.problems)))
                print("golden files not refreshed: the import failed", file=sys.stderr)
                return 1
            shutil.rmtree(records, ignore_errors=True)
            staging.rename(records)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    print(f"wrote {len(result.added)} record file(s) to {records.relative_to(root).as_posix()}")
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
