"""The command line: ``python -m generator COMMAND``. Every command has ``--help``.

Bad input is reported as ``path:line: what is wrong; how to fix it`` and exit status 1;
a traceback appears only for a bug in the generator itself, or with ``--debug``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from generator import schema
from generator.problems import errors, report
from generator.settings import SettingsError

DEFAULT_RECORDS = Path("seeds/records")
DEFAULT_SCHEMA = Path(schema.SCHEMA_PATH)


def cmd_import(args: argparse.Namespace) -> int:
    from generator.importer import import_exports

    result = import_exports([Path(f) for f in args.files], args.records, DEFAULT_SCHEMA)
    sys.stdout.write(report([*result.skipped, *result.warnings]))
    if result.problems:
        sys.stdout.write(report(list(result.problems)))
        print(
            f"import failed: {len(errors(list(result.problems)))} problem(s); no file was written",
            file=sys.stderr,
        )
        return 1
    print(
        f"added {len(result.added)} record(s) to {args.records.as_posix()}; {len(result.skipped)} already present"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from generator.pipeline import check_records
    from generator.settings import load_settings

    checked = check_records(load_settings(Path(), records_dir=args.records))
    problems = list(checked.problems)
    sys.stdout.write(report(problems))
    if args.explain:
        by_id = {item.record.id: item.record for item in checked.loaded}
        for record_id in args.explain:
            if record_id not in by_id:
                print(f"{record_id}: no such record in {args.records.as_posix()}", file=sys.stderr)
                return 1
            if checked.vocabulary is not None:
                from generator.vocabulary import explain

                print(f"{record_id}:")
                for line in explain(by_id[record_id], checked.vocabulary):
                    print(f"  {line}")
    n_errors = len(errors(problems))
    print(
        f"checked {args.records.as_posix()}: {len(checked.loaded)} record(s) loaded, {n_errors} error(s)",
        file=sys.stderr,
    )
    return 1 if n_errors else 0


def cmd_list(args: argparse.Namespace) -> int:
    from generator.listing import record_dicts
    from generator.pipeline import check_records
    from generator.settings import load_settings

    checked = check_records(load_settings(Path(), records_dir=args.records))
    problems = list(checked.problems)
    sys.stderr.write(report(problems))
    broken = {p.path for p in errors(problems)}
    records = [item.record for item in checked.loaded if item.path not in broken]
    json.dump(record_dicts(records, checked.vocabulary), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 1 if broken else 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = schema.json_schema_text()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(
                f"{args.output.as_posix()}: out of date; run `python -m generator schema`",
                file=sys.stderr,
            )
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output.as_posix()}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Create one record file from options, or from questions asked in a terminal."""
    from generator import scaffold
    from generator.validate import display

    answers = scaffold.Answers.of(vars(args))
    if answers.is_empty():
        if not sys.stdin.isatty():
            print(
                "python -m generator new: give the reading's details as options (see --help), "
                "or run it in a terminal to be asked for each",
                file=sys.stderr,
            )
            return 2
        try:
            answers = scaffold.ask(input, print)
        except EOFError:
            print("\nstopped; no record file was written", file=sys.stderr)
            return 1
    outcome = scaffold.create(answers, args.records, DEFAULT_SCHEMA)
    for problem in outcome.problems:
        print(problem)
    if outcome.path is None:
        print("no record file was written", file=sys.stderr)
        return 1
    print(f"created {display(outcome.path)} (id {outcome.record_id})")
    print("Next: open it, paste the abstract, and run `python -m generator check`.")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure import, generation and the MkDocs build on synthetic lists of N records."""
    from generator.bench import run

    return run(args)


def source_date_epoch(root: Path) -> str:
    """SOURCE_DATE_EPOCH for a reproducible build: as set, else the last commit's time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0 and done.stdout.strip().isdigit():
            return done.stdout.strip()
    except OSError:
        pass
    return "315532800"  # 1980-01-01, the earliest date a zip file can hold


def cmd_generate(args: argparse.Namespace) -> int:
    """Render every page and bring docs/ up to date, all or nothing; 0 on success."""
    from generator.pipeline import generate
    from generator.settings import load_settings
    from generator.write import WriteError, conflicts, recover, write_pages

    settings = load_settings(Path(), records_dir=args.records)
    pages, problems = generate(settings)
    sys.stdout.write(report(list(problems)))
    if pages is None:
        print(
            f"not generated: {len(errors(list(problems)))} error(s) in the records; docs/ is unchanged",
            file=sys.stderr,
        )
        return 1
    docs = settings.docs_dir
    try:
        note = recover(docs)  # what a killed run left: finished or discarded
        if note:
            print(note, file=sys.stderr)
        blocked = conflicts(pages, docs)
        if blocked:
            sys.stdout.write(report(blocked))
            print(f"not generated: {docs.as_posix()}/ is unchanged", file=sys.stderr)
            return 1
        result = write_pages(pages, docs)
    except WriteError as error:
        sys.stdout.write(report([error.problem(docs)]))
        return 1
    except OSError as error:  # reading docs/ itself failed, before anything was written
        sys.stdout.write(report([WriteError(docs, error, committed=False).problem(docs)]))
        return 1
    print(
        f"generated {len(pages)} pages in {docs.as_posix()}/: {len(result.written)} written, {len(result.removed)} removed, {result.unchanged} unchanged"
    )
    return 0


def mkdocs_messages(output: str) -> str:
    """MkDocs' warnings and errors without its INFO lines; a crash as its last line only."""
    if "Traceback (most recent call last)" in output:
        lines = [line for line in output.splitlines() if line.strip()]
        return f"mkdocs stopped: {lines[-1].strip()}\n" if lines else ""
    kept, level = [], None
    for line in output.splitlines():
        match = re.match(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b", line)
        if match:
            level = match[1]
        elif not line[:1].isspace():
            level = None  # "Aborted with 2 warnings in strict mode!"
        if level not in ("DEBUG", "INFO"):
            kept.append(f"{line}\n")
    return "".join(kept)


def cmd_build(args: argparse.Namespace) -> int:
    """Generate docs/, build the site with MkDocs (strict) and index it for search with
    Pagefind, then replace site/ with it; site/ is unchanged if any step fails."""
    from generator import site_build
    from generator.search_index import SearchIndexError, index_site
    from generator.settings import load_settings
    from generator.write import install_site, recover_site, site_problems, site_staging

    settings = load_settings(Path())
    site = settings.site_dir
    try:
        note = recover_site(site)  # what a killed build left beside site/
    except OSError as error:
        print(
            f"{error.filename or site.as_posix()}: cannot clean up after an interrupted build ({error.strerror}); delete it by hand",
            file=sys.stderr,
        )
        return 1
    if note:
        print(note, file=sys.stderr)
    blocked = site_problems(site)
    if blocked:
        sys.stdout.write(report(blocked))
        print(f"not built: {site.as_posix()}/ is unchanged", file=sys.stderr)
        return 1
    status = cmd_generate(args)
    if status:
        return status
    staging = site_staging(site)
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": source_date_epoch(settings.root),
        "NO_MKDOCS_2_WARNING": "1",
    }
    try:
        # MkDocs on several cores (generator/site_build.py); INFO lines are left out.
        done = site_build.build(staging, env, verbose=args.verbose)
        if done.stderr:
            sys.stderr.write(mkdocs_messages(done.stderr))
        if done.returncode != 0:
            print(f"mkdocs build failed; {site.as_posix()}/ is unchanged", file=sys.stderr)
            return 1
        # The search index is part of the site: built into the staged site, so a failed
        # index leaves site/ as it was, like a failed MkDocs build.
        try:
            indexed = index_site(staging, settings.root)
        except SearchIndexError as error:
            sys.stderr.write(f"{str(error).rstrip()}\n")
            print(f"search index failed; {site.as_posix()}/ is unchanged", file=sys.stderr)
            return 1
        warning = install_site(staging, site)
        if warning:
            print(warning, file=sys.stderr)
    except OSError as error:
        print(
            f"{site.as_posix()}: could not replace the site ({error.strerror}); {site.as_posix()}/ is unchanged",
            file=sys.stderr,
        )
        return 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    parts = f", in {indexed.parts} parts" if indexed.parts > 1 else ""
    print(f"built {site.as_posix()}/ ({indexed.pages} pages in the search index{parts})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback for unexpected errors"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def records_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--records",
            type=Path,
            default=DEFAULT_RECORDS,
            metavar="DIR",
            help=f"folder of record files (default: {DEFAULT_RECORDS.as_posix()})",
        )

    p = commands.add_parser(
        "import",
        help="turn export files into record files",
        description="Read export files and write one record file per new record. Records already present are reported and skipped; existing files are never overwritten; if any file cannot be read, nothing is written.",
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="export files: .txt from the citation database, .ris or .bib from Zotero, Mendeley or EndNote",
    )
    records_option(p)
    p.set_defaults(run=cmd_import)

    p = commands.add_parser(
        "check",
        help="report every problem in the record files",
        description="Check every record file and report each problem as 'path:line: what is wrong; how to fix it'. Exit status 1 if there is any error.",
    )
    records_option(p)
    p.add_argument(
        "--explain",
        action="append",
        metavar="ID",
        help="also say why record ID has its themes and tags (repeatable)",
    )
    p.set_defaults(run=cmd_check)

    p = commands.add_parser(
        "list",
        help="print the records",
        description="Print every record as JSON. Missing values are null.",
    )
    p.add_argument(
        "--json",
        action="store_true",
        required=True,
        help="print a JSON array (the only format so far)",
    )
    records_option(p)
    p.set_defaults(run=cmd_list)

    p = commands.add_parser(
        "generate",
        help="write the site's pages into docs/",
        description="Check the records and write every generated page into docs/, rewriting "
        "only pages whose content changed and removing pages of deleted records. "
        "Hand-written pages are never touched.",
    )
    records_option(p)
    p.set_defaults(run=cmd_generate)

    p = commands.add_parser(
        "build",
        help="generate docs/ and build the site into site/",
        description="Generate docs/, run a strict MkDocs build, then index the built site "
        "for search with Pagefind. site/ is replaced only when every step succeeds.",
    )
    records_option(p)
    p.add_argument("--verbose", action="store_true", help="show MkDocs' own messages")
    p.set_defaults(run=cmd_build)

    p = commands.add_parser(
        "schema",
        help="write the JSON Schema of record files",
        description="Write the JSON Schema of record files, which editors use to check and complete fields.",
    )
    p.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_SCHEMA,
        metavar="FILE",
        help=f"where to write it (default: {DEFAULT_SCHEMA.as_posix()})",
    )
    p.add_argument("--check", action="store_true", help="only check that the file is current")
    p.set_defaults(run=cmd_schema)

    p = commands.add_parser(
        "new",
        help="create a record file for a new reading",
        description="Create a record file for a new reading, with a fresh id (tse-2019, or "
        "tse-2019b when that is taken). Give the details as options, or none in a terminal "
        "to be asked for each. Nothing is written if a value would fail `check`, and an "
        "existing file is never replaced.",
    )
    p.add_argument("--title", metavar="TEXT", help="the title, as published")
    p.add_argument(
        "--author",
        dest="authors",
        action="append",
        metavar="NAME",
        help="an author as 'Given Family'; repeat for each author, in published order",
    )
    p.add_argument("--year", metavar="YYYY", help="year of publication")
    p.add_argument("--journal", metavar="TEXT", help="journal or book it appeared in")
    p.add_argument("--volume", metavar="TEXT", help="volume, as printed")
    p.add_argument("--issue", metavar="TEXT", help="issue, as printed")
    p.add_argument("--pages", metavar="TEXT", help="page range or article number, as printed")
    p.add_argument("--doi", metavar="DOI", help="like 10.1176/appi.ps.202000441")
    p.add_argument("--url", metavar="URL", help="web address, starting with https://")
    records_option(p)
    p.set_defaults(run=cmd_new)

    p = commands.add_parser(
        "bench",
        help="measure generation and the MkDocs build on a synthetic list",
        description="Make a synthetic list of N records in the export format, then measure "
        "import, check, generate and the strict MkDocs build (wall time, peak memory), page "
        "sizes, the first search's download, regeneration after one edit, and a bare MkDocs "
        "build of one plain page per record as the floor. Prints Markdown tables.",
    )
    p.add_argument(
        "--records", type=int, nargs="+", default=[1000], metavar="N", help="sizes (default: 1000)"
    )
    p.add_argument("--seed", type=int, metavar="S", help="random seed (same seed, same list)")
    p.add_argument("--keep", type=Path, metavar="DIR", help="build in DIR and keep it")
    p.add_argument("--skip-bare", action="store_true", help="skip the bare MkDocs floor")
    p.add_argument("--browser", action="store_true", help="also time a search in Chromium")
    p.add_argument("--profile", type=Path, metavar="DIR", help="also write cProfile data to DIR")
    p.add_argument("--write-markdown", type=Path, metavar="FILE", help="also write the report")
    p.set_defaults(run=cmd_bench)
    return parser


# Python's cycle collector runs every 700 new container objects (dicts, lists,
# objects), and every 100 of those runs it walks every live object. With 10,000
# records loaded that is millions of objects walked again and again, for few cycles
# to find: `generate` of the benchmark's 10,000 records (references cached) took
# 33.9-37.4 s with the defaults and 30.2-32.5 s with these, two runs each, at the same
# peak memory (`/usr/bin/time python -m generator generate`). With these the older
# generations are hardly ever walked in a run (with 10 and 10 they were, and the run
# took 35.6-38.0 s); the peak memory shows the run leaves little cyclic garbage.
# MkDocs' build gains nothing from it (140 s and 147 s), so the hook leaves MkDocs'
# process as it is. Set by run(), the entry point, not by main(), so a program or
# test calling main() keeps its own settings.
GC_THRESHOLDS = (10_000, 100, 100)


def collect_garbage_rarely() -> None:
    """Set the cycle collector's thresholds for a whole run (see GC_THRESHOLDS)."""
    gc.set_threshold(*GC_THRESHOLDS)


def run() -> None:
    """The entry point of `python -m generator` and the `reading-list` script."""
    collect_garbage_rarely()
    sys.exit(main())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader of our output went away (`| head`): not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit
        return 0
    except Exception as error:
        if args.debug:
            raise
        print(
            f"internal error: {error!r}\nThis is a bug in the generator, not in your records; run again with --debug and report the traceback.",
            file=sys.stderr,
        )
        return 2
