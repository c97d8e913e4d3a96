"""Benchmark: a synthetic reading list of N records, built the way the real site is built.

``python -m generator bench --records 1000 10000`` makes, for each N, a throwaway
project (the repository's mkdocs.yml, templates, hand-written docs and vocabulary) with
N records in the citation database's export format, then runs every step as its own
process and measures its wall time and peak memory:

- ``import`` of the exports, ``check``, ``generate`` (load, check, index, render,
  write), the strict MkDocs build of the generated pages (on several cores:
  generator/site_build.py), and Pagefind's search index of the built site
  (``pagefind.yml``), as ``python -m generator build`` runs them;
- the phases inside ``generate``, timed in one more process, so the slow one shows;
- record page sizes, and the search index: its size, and what a first search needs
  from it (Pagefind's script and worker, entry file, metadata and WebAssembly engine,
  plus an index chunk and the text of a page of results), gzipped as a web server
  sends them; with ``--browser``, what a first search in Chromium really transfers,
  and whether searching each word that only one abstract holds finds that record;
- ``generate`` again after one record file is edited: pages rewritten, and time;
- the floor: a bare MkDocs project with the same theme and plugins (none: search is
  Pagefind, not a plugin) but no hook, one plain page per record (title and abstract),
  built the same way. The floor is MkDocs alone, without the search index: "whole
  build" is generate + MkDocs + Pagefind, so the ratio of the two charges the search
  index to our build, as a reader's site needs it.

It prints a Markdown table of the figures and one of the targets (PASS/FAIL); with
``--write-markdown BENCHMARKS.md`` it also records them with the machine they came from.
Everything random is drawn from ``random.Random(seed)``: the same seed gives the same
export files, byte for byte.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = 20260101
RECORDS_PER_FILE = 50
# Fixed so every run checks years against the same "today" (1900..2027).
SOURCE_DATE_EPOCH = "1767225600"
MARKERS = 5
LINE_END = " \u25fd \u00a0"
NBSP = "\u00a0"
FOOTER = "\n\nSign in / Sign up\n\nExport Citation Format\n\nShare Document"
GZIP_LEVEL = 6  # what web servers commonly use; GitHub Pages compresses text with gzip
GENERATED_FOLDERS = ("records", "themes", "years", "tags", "authors")

# Targets of the scaling issue, at the largest N measured.
TARGET_BUILD_RATIO = 1.2
TARGET_BEFORE_MKDOCS = 0.10
TARGET_PAGE_BYTES = 40_000
TARGET_PAGE_GROWTH = 1.10
TARGET_PEAK_MIB = 1024
TARGET_GROWTH_SLACK = 1.2  # 12x the time for 10x the records
TARGET_SEARCH_BYTES = 500_000
TARGET_REGENERATE_SECONDS = 1.0

# ---------------------------------------------------------------------------
# The synthetic corpus


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FUNCTION_WORDS = _words(
    "the of and to in a with for was were on as by that this from their is are at be an "
    "or which these we our more than between among not had have also both who it its "
    "into all during after most less about over how while each other such those"
)
ACADEMIC_WORDS = _words(
    "participants service users mental health support peer workers interviews qualitative "
    "analysis outcomes intervention programme community experiences staff evidence data "
    "sample questionnaire themes trial randomised controlled effect significant associated "
    "reported perceived social clinical care services practice professionals relationships "
    "understanding process development implementation evaluation individuals people "
    "organisations settings policy approach framework model review literature systematic "
    "scoping thematic semi-structured focus groups survey cross-sectional longitudinal "
    "follow-up baseline months weeks scores scale measures measured increased decreased "
    "improved reduced levels rates higher lower greater differences identified described "
    "explored examined investigated compared assessed developed delivered received "
    "provided offered engaged involved included recruited completed conducted analysed "
    "coded interpreted emerged suggested indicated demonstrated highlighted revealed "
    "important key main several various different specific general overall potential "
    "practical personal professional formal informal shared mutual ongoing current "
    "previous future local national international regional urban rural public private "
    "primary secondary specialist acute adult older younger women men gender ethnic "
    "cultural diverse vulnerable marginalised low-income employment housing education "
    "income access quality safety satisfaction engagement participation empowerment "
    "autonomy choice control trust respect dignity meaning purpose identity belonging "
    "relationship network contact conversation listening empathy understanding skills "
    "knowledge learning competence confidence challenges benefits barriers facilitators "
    "factors needs priorities expectations attitudes beliefs values perspectives views "
    "accounts narratives stories voices roles tasks responsibilities boundaries tensions "
    "conflicts dilemmas opportunities resources funding sustainability workforce teams "
    "managers commissioners clinicians nurses psychiatrists psychologists social-workers "
    "volunteers members leaders facilitators coordinators trainers researchers authors"
)
SYLLABLES = _words(
    "ba be bi bo bu da de di do du fa fe fi fo ga ge gi go ka ke ki ko ku la le li lo lu "
    "ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti "
    "to tu va ve vi vo wa we wi ya yo bra bre bri cla cle cli cro dra dre fla fle gra gre "
    "pla ple pra pre pro sta ste sti str tra tre tri spe sco sca"
)
WORD_ENDINGS = _words("tion ity al ive ness ment ing ed ic ous ism ist ent ance ure")
STRUCTURE_LABELS = ("Background", "Methods", "Results", "Conclusions")
DESIGNS = (
    "a qualitative study",
    "a systematic review",
    "a randomised controlled trial",
    "a mixed-methods evaluation",
    "a cross-sectional survey",
    "a longitudinal cohort study",
    "a scoping review",
    "a case study",
)
POPULATIONS = (
    "service users",
    "peer workers",
    "young adults",
    "older people",
    "carers",
    "students",
    "veterans",
    "inpatients",
    "community members",
    "health staff",
)
GIVEN_NAMES = _words(
    "Samson Winnie Greg Larry Queenie Alexandra John Emma Catherine Julie Steve Rhiannon "
    "Kati Daniel Jonathan Yuan Ziqiang Mike Sonia Helen Diana Mark Peter Sarah Rebecca "
    "Bernd Candelaria Cornelia Monica Lillian Deede Mirko Aukje Ewan Brynmor Adele Michael "
    "Wing-Man Mei Wei Pu Amanda Randolph Nancy Phillip Suzanne Emily David Anna Maria José "
    "Ana Fatima Ahmed Priya Rahul Aisha Kwame Olga Ingrid Lars Sofia Luca Giulia Hiroshi "
    "Yuki Min-jun Seo-yeon Thomas Laura James Claire Oliver Hannah Chloé Søren Zoë Tomasz"
)
FAMILY_NAMES = _words(
    "Tse Yuen Murray Davidson Lai Adame Leitner Hodges Watson Conchar Repper Gillard Foster "
    "Turner Poremski Kuek Qi Li Yow Slade Johnson Gilburt Rose Bertram Walker Parry "
    "Nixdorf Puschner Mahlke Ruland Strand Eng Gammon Noordegraaf Leemeijer Wilkinson "
    "Lloyd-Evans Parkinson Wong Chan Chung Lee Wang Jiang Cheng Fu Auyeung Mak Pang "
    "Bohl-Penrod Tully Cosh Keddell Basangwa Siong Cheung Lau Tang Ng Pearson Smith Jones "
    "Brown Garcia Martinez Müller Schmidt Rossi Bianchi Kowalski Nowak Novak Silva Santos "
    "Kim Park Choi Nguyen Tran Patel Shah Khan Okafor Mensah Osei Andersson Johansson "
    "Larsen Hansen Jensen Virtanen Dubois Martin Bernard Moreau O'Brien Murphy Kelly Sato "
    "Suzuki Takahashi Tanaka Ivanova Petrov Cohen Levi Haddad Yilmaz Kaya Fernández López "
    "González Pérez Rodríguez Costa Ferreira Hughes Evans Davies Thomas Roberts Clarke "
    "Mitchell Campbell Stewart Robertson MacDonald Fraser Øvergaard Łukasik Çelik Nakamura"
)
INITIALS = "ABCDEGHJKLMNPRSTW"
AUTHOR_COUNTS = ((1, 20), (2, 25), (3, 20), (4, 15), (5, 10), (6, 5), (7, 3), (8, 2))
# Zipf-like reuse: a pool of 2N names, weight 1/(rank + 30): the busiest author has
# about 2% of the records, and about half the authors appear once.
AUTHOR_POOL_FACTOR = 2
AUTHOR_ZIPF_OFFSET = 30


@dataclass(frozen=True)
class Corpus:
    """Export files (name -> text) and what they hold."""

    files: dict[str, str]
    records: int
    titled: int
    dated: int
    with_abstract: int
    structured: int
    authors: int  # distinct names
    markers: tuple[str, ...]  # each occurs in exactly one abstract, nowhere else


def vocabulary_phrases(vocabulary_dir: Path) -> list[str]:
    """Words a theme or tag rule matches, so synthetic records get themes and tags."""
    import yaml

    phrases: set[str] = set()
    for name, key in (("themes.yml", "themes"), ("tags.yml", "tags")):
        path = vocabulary_dir / name
        if not path.is_file():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get(key) or []:
            for phrase in item.get("match") or []:
                phrase = str(phrase)
                if phrase.endswith("*"):
                    phrase = complete_stem(phrase[:-1])
                phrases.add(phrase)
    return sorted(phrases)


def complete_stem(stem: str) -> str:
    """A plausible word for a rule like ``stigma*`` or ``professionalis*``."""
    for ending, completion in (("is", "ation"), ("iz", "ation"), ("at", "ion"), ("ti", "sation")):
        if stem.endswith(ending):
            return stem + completion
    if stem.endswith("os"):
        return stem + "ure"
    if stem.endswith("en"):
        return stem + "ce"
    return stem


def zipf_weights(size: int, offset: float = 1.0, exponent: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(size)))


def rare_word_count(records: int) -> int:
    """How many made-up words the list draws from: real vocabularies keep growing with
    the text (Heaps' law), so 10,000 abstracts hold several times the words of 1,000."""
    return min(60_000, 5_000 + 4 * records)


def synthetic_words(rng: random.Random, count: int, avoid: Sequence[str]) -> list[str]:
    """Made-up words for the long tail of an abstract's vocabulary."""
    found: dict[str, None] = {}
    stems = tuple(a.lower() for a in avoid)
    while len(found) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if rng.random() < 0.6:
            word += rng.choice(WORD_ENDINGS)
        if word.startswith("zq") or word.startswith(stems):
            continue
        found.setdefault(word)
    return list(found)


def author_pool(rng: random.Random, size: int) -> list[str]:
    names: dict[str, None] = {}
    while len(names) < size:
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        shape = rng.random()
        initial = lambda: f"{rng.choice(INITIALS)}."  # noqa: E731
        if shape < 0.55:
            name = f"{given} {family}"
        elif shape < 0.75:
            name = f"{given} {initial()} {family}"
        elif shape < 0.85:
            name = f"{initial()} {initial()} {family}"
        elif shape < 0.95:
            name = f"{given} {initial()} {initial()} {family}"
        else:
            name = f"{initial()} {family}"
        names.setdefault(name)
    return list(names)


def marker_words(rng: random.Random, count: int) -> list[str]:
    """Made-up words that occur once in the corpus: only search can find them."""
    found: dict[str, None] = {}
    while len(found) < count:
        found.setdefault("zq" + "".join(rng.choice(SYLLABLES) for _ in range(3)) + "ite")
    return list(found)


class _Writer:
    """Draws one corpus; holds the word pools and their Zipf weights."""

    def __init__(self, rng: random.Random, records: int, phrases: list[str]) -> None:
        self.rng = rng
        self.phrases = phrases
        self.rare = synthetic_words(
            rng, rare_word_count(records), [*(p for p in phrases if " " not in p), *ACADEMIC_WORDS]
        )
        self.rare_weights = zipf_weights(len(self.rare), offset=2)
        self.function_weights = zipf_weights(len(FUNCTION_WORDS), offset=1.5)
        self.academic_weights = zipf_weights(len(ACADEMIC_WORDS), offset=3)
        pool = max(40, AUTHOR_POOL_FACTOR * records)
        self.authors = author_pool(rng, pool)
        self.author_weights = zipf_weights(pool, offset=AUTHOR_ZIPF_OFFSET)
        self.titles: set[str] = set()

    def token(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.42:
            return rng.choices(FUNCTION_WORDS, cum_weights=self.function_weights)[0]
        if roll < 0.80:
            return rng.choices(ACADEMIC_WORDS, cum_weights=self.academic_weights)[0]
        if roll < 0.96:
            return rng.choices(self.rare, cum_weights=self.rare_weights)[0]
        shape = rng.random()
        if shape < 0.4:
            return str(rng.randint(2, 400))
        if shape < 0.7:
            return f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"
        return f"(n = {rng.randint(10, 2000)})"

    def sentence(self) -> list[str]:
        tokens = [self.token() for _ in range(self.rng.randint(10, 26))]
        for i in range(len(tokens) - 1):
            if self.rng.random() < 0.06:
                tokens[i] += ","
        return tokens

    def abstract(self, marker: str | None) -> tuple[str, bool]:
        rng = self.rng
        target = rng.randint(150, 350)
        sentences: list[list[str]] = []
        while sum(map(len, sentences)) < target:
            sentences.append(self.sentence())
        # Topics: a few rule phrases, each at least twice, so themes and tags get assigned.
        for phrase in rng.sample(self.phrases, k=rng.choice((1, 2, 2, 3))):
            for _ in range(rng.choice((2, 2, 3))):
                words = rng.choice(sentences)
                words.insert(rng.randrange(len(words) + 1), phrase)
        for _ in range(rng.randint(1, 3)):
            words = rng.choice(sentences)
            words.insert(rng.randrange(len(words) + 1), "peer support")
        if marker:
            words = sentences[len(sentences) // 2]
            words.insert(rng.randrange(1, len(words) + 1), marker)
        texts = [" ".join(s) for s in sentences]
        texts = [t[:1].upper() + t[1:].rstrip(",") + "." for t in texts]
        structured = rng.random() < 0.25 and len(texts) >= 4
        if structured:
            cuts = sorted(rng.sample(range(1, len(texts)), 3))
            parts = [texts[a:b] for a, b in zip([0, *cuts], [*cuts, len(texts)], strict=True)]
            text = " ".join(
                f"{label}: {' '.join(part)}"
                for label, part in zip(STRUCTURE_LABELS, parts, strict=True)
            )
        else:
            text = " ".join(texts)
            if rng.random() < 0.1:
                text = "Abstract " + text
        return text, structured

    def title(self) -> str:
        rng = self.rng
        while True:
            topic = rng.choice(self.phrases)
            title = (
                f"{topic[:1].upper()}{topic[1:]} and "
                f"{rng.choice(ACADEMIC_WORDS)} {rng.choice(self.rare)} among "
                f"{rng.choice(POPULATIONS)}: {rng.choice(DESIGNS)}"
            )
            if title.casefold() not in self.titles:
                self.titles.add(title.casefold())
                return title

    def volume_and_pages(self) -> list[str]:
        rng = self.rng
        lines = []
        if rng.random() < 0.75:
            volume = str(rng.randint(1, 250))
            roll = rng.random()
            if roll < 0.6:
                volume += f" ({rng.randint(1, 12)})"
            elif roll < 0.7:
                first = rng.randint(1, 11)
                volume += f" ({first}-{first + 1})"
            elif roll < 0.75:
                volume += f" (S{rng.randint(1, 60)})"
            lines.append(f"Vol {volume}{LINE_END}")
        roll = rng.random()
        if roll < 0.7:
            first = rng.randint(1, 900)
            lines.append(f"pp. {first}-{first + rng.randint(3, 25)}{LINE_END}")
        elif roll < 0.75:
            first = rng.randint(1, 90)
            lines.append(f"pp. s{first}-s{first + rng.randint(2, 8)}{LINE_END}")
        elif roll < 0.8:
            lines.append(f"pp. appi.ps.{rng.randint(2010000, 2029999)}{LINE_END}")
        return lines

    def author_lines(self, titled: bool) -> tuple[list[str], set[str]]:
        """Author lines; a few titled records have none (check needs a title or an author)."""
        rng = self.rng
        if titled and rng.random() < 0.07:
            return [], set()
        count = rng.choices([c for c, _ in AUTHOR_COUNTS], [w for _, w in AUTHOR_COUNTS])[0]
        names: dict[str, None] = {}
        while len(names) < count:
            names.setdefault(rng.choices(self.authors, cum_weights=self.author_weights)[0])
        et_al = rng.random() < 0.05
        lines = [f"{name}{LINE_END}" for name in names]
        if et_al:
            lines.append(f"...{NBSP}")
        else:
            lines[-1] = list(names)[-1]
        return lines, set(names)


def synthesize(
    records: int,
    seed: int = DEFAULT_SEED,
    *,
    vocabulary_dir: Path = ROOT / "seeds",
    per_file: int = RECORDS_PER_FILE,
) -> Corpus:
    """``records`` records in export files of about ``per_file`` records each."""
    rng = random.Random(seed)
    writer = _Writer(rng, records, vocabulary_phrases(vocabulary_dir))
    markers = marker_words(rng, min(MARKERS, records))
    marker_at = {(k + 1) * records // (len(markers) + 1): m for k, m in enumerate(markers)}
    files: dict[str, str] = {}
    titled = dated = with_abstract = structured = 0
    authors: set[str] = set()
    count_files = max(1, math.ceil(records / per_file))
    for number in range(count_files):
        lines: list[str] = []
        previous_had_abstract = True
        for index in range(number * per_file, min(records, (number + 1) * per_file)):
            marker = marker_at.get(index)
            # A title line after a record with no abstract would be read as that abstract.
            first = index == number * per_file
            has_title = previous_had_abstract and (first or rng.random() < 0.135)
            if has_title:
                lines += [writer.title(), ""]
                titled += 1
            if rng.random() >= 0.10:
                lines.append(f"{rng.randint(1990, 2025)}{LINE_END}")
                dated += 1
            lines += writer.volume_and_pages()
            names, people = writer.author_lines(has_title)
            authors |= people
            lines += [f"Author(s):{LINE_END[2:]}", *names]
            previous_had_abstract = marker is not None or rng.random() >= 0.01
            if previous_had_abstract:
                text, is_structured = writer.abstract(marker)
                lines += ["", text, "", ""]
                with_abstract += 1
                structured += is_structured
            else:
                lines += ["", ""]
        files[f"{number:04d}_bench.txt"] = "\n".join(lines).rstrip("\n") + "\n" + FOOTER
    return Corpus(
        files=files,
        records=records,
        titled=titled,
        dated=dated,
        with_abstract=with_abstract,
        structured=structured,
        authors=len(authors),
        markers=tuple(markers),
    )


# ---------------------------------------------------------------------------
# Projects


def hand_written_docs(docs: Path) -> list[Path]:
    """Files in docs/ that the generator did not make (and no generated folder holds)."""
    from generator.write import MANIFEST, read_manifest

    generated = set(read_manifest(docs))
    found = []
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs).as_posix()
        if (
            path.is_file()
            and relative != MANIFEST
            and relative not in generated
            and relative.split("/")[0] not in GENERATED_FOLDERS
            and not path.name.startswith(".")
        ):
            found.append(path)
    return found


def snapshot_inputs(target: Path, root: Path = ROOT) -> Path:
    """The repository's site inputs (config, templates, schema, overrides, the generator,
    hand-written docs, vocabulary), copied once so that every N of a run builds the same
    version even while the working tree changes. A copy of ``generator/``, not a link:
    children run in the project folder and import it from there."""
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "pagefind.yml"):
        if (root / name).is_file():
            shutil.copy2(root / name, target / name)
    for folder in ("templates", "schema", "overrides"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, target / folder)
    shutil.copytree(
        root / "generator", target / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    for path in hand_written_docs(root / "docs"):
        copy = target / "docs" / path.relative_to(root / "docs")
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
    (target / "seeds").mkdir()
    for name in ("themes.yml", "tags.yml"):
        shutil.copy2(root / "seeds" / name, target / "seeds" / name)
    return target


def make_project(target: Path, corpus: Corpus, inputs: Path | None = None) -> Path:
    """A project like the repository, with the corpus as ``seeds/*.txt`` and no records yet.

    ``inputs`` is a ``snapshot_inputs`` folder; without it the working tree is copied.
    """
    if inputs is None:
        snapshot_inputs(target)
    else:
        shutil.copytree(inputs, target)
    for name, text in corpus.files.items():
        (target / "seeds" / name).write_text(text, encoding="utf-8", newline="\n")
    return target


def without_top_level_keys(config: str, keys: Sequence[str]) -> str:
    """mkdocs.yml text without the named top-level blocks (kept as text: tags survive)."""
    kept: list[str] = []
    skipping = False
    for line in config.splitlines():
        top = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if top:
            skipping = top[1] in keys
        elif line and not line[0].isspace() and not line.startswith("#"):
            skipping = False
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\n"


def make_bare_project(target: Path, project: Path) -> int:
    """The floor: the same theme and plugins, no hook, one plain page per record.

    MkDocs alone: the floor gets no search index (Pagefind), which the whole build
    includes (see the module docstring)."""
    from generator import record_files
    from generator.escape import markdown_text

    target.mkdir(parents=True)
    config = without_top_level_keys(
        (project / "mkdocs.yml").read_text(encoding="utf-8"), ("hooks", "nav", "not_in_nav")
    )
    config += "nav:\n  - Home: index.md\nnot_in_nav: |\n  /records/\n"
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    if (project / "overrides").is_dir():
        shutil.copytree(project / "overrides", target / "overrides")
    docs = target / "docs"
    docs.mkdir()
    if (project / "docs" / "assets").is_dir():
        shutil.copytree(project / "docs" / "assets", docs / "assets")
    (docs / "index.md").write_text("# Bare floor\n\nOne plain page per record.\n")
    (docs / "records").mkdir()
    count = 0
    for path in record_files.record_paths(project / "seeds" / "records"):
        loaded, _ = record_files.load(path, path.name)
        if loaded is None:
            continue
        record = loaded.record
        title = record.title or f"{record.id}"
        text = f"# {markdown_text(title)}\n\n{markdown_text(record.abstract or '')}\n"
        (docs / "records" / f"{path.stem}.md").write_text(text, encoding="utf-8")
        count += 1
    return count


# ---------------------------------------------------------------------------
# Measuring


@dataclass(frozen=True)
class Step:
    """One process: wall time, peak resident memory, exit status and output."""

    seconds: float
    peak_mib: float
    returncode: int
    stdout: str
    stderr: str


def child_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "PYTHONIOENCODING": "utf-8",
        "NO_MKDOCS_2_WARNING": "1",
        "READING_LIST_PROGRESS": "0",
        **extra,
    }


def run_step(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Step:
    """Run ``command`` and measure it alone: ``os.wait4`` gives this child's own peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            list(command), cwd=cwd, env=env or child_env(), stdout=out, stderr=err
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Step(
            seconds=seconds,
            peak_mib=usage.ru_maxrss / 1024,  # KiB on Linux
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


class BenchError(Exception):
    """A step of the benchmark failed; the message holds its output."""


def must(step: Step, what: str) -> Step:
    if step.returncode != 0:
        raise BenchError(
            f"{what} failed (exit {step.returncode}):\n{step.stdout[-3000:]}\n{step.stderr[-3000:]}"
        )
    return step


# Related readings are timed this many times in the phases process; their growth
# target takes the fastest run (time_phases says why). With 3, the fastest at 10,000
# records still varied 1.95-2.13 s between runs of one commit (ratio 10.9-12.5x
# against 0.17-0.18 s), where 5 in a quiet moment gave 1.93 s (10.7x).
INDEX_RUNS = 5
PHASES = (
    ("load_check", "pipeline", "check_records"),
    ("index", "pipeline", "build_library"),
    ("related", "index", "related_readings"),
    ("render", "pipeline", "render_site"),
)


def time_phases(root: Path, scratch: Path, index_runs: int = INDEX_RUNS) -> dict[str, float]:
    """Run ``pipeline.generate`` once with its steps timed, then write into ``scratch``;
    then index the same records ``index_runs`` - 1 more times.

    The steps are wrapped where the pipeline looks them up, so this times what the
    pipeline really does; a step that no longer exists under that name is left out.
    The wrappers are removed at the end. The phases are the first run's. The growth
    of related readings is judged on the fastest run (``related_best``): one run on a
    shared machine can lose a fifth of its time to neighbours or to a collection of
    the whole heap, and the runs do the same work (related readings cache nothing
    between runs). The other indices are judged on the first run only: it builds the
    theme and tag matchers, which later runs find done. Like ``generate``, it takes
    each record's themes and tags and its authors' names from what the earlier steps
    left in ``.cache/record-index.json`` (generator/index_cache.py).
    """
    import importlib

    from generator.settings import load_settings
    from generator.write import write_pages

    runs: dict[str, list[float]] = defaultdict(list)
    index_call: dict = {}  # build_library's arguments (args, kwargs), to index them again

    def timed(key: str, original: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            if key == "index":
                index_call.update(args=args, kwargs=kwargs)
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                runs[key].append(time.perf_counter() - start)

        return wrapper

    wrapped = []
    for key, module_name, name in PHASES:
        module = importlib.import_module(f"generator.{module_name}")
        if callable(original := getattr(module, name, None)):
            wrapped.append((module, name, original))
            setattr(module, name, timed(key, original))
    try:
        pipeline = importlib.import_module("generator.pipeline")
        start = time.perf_counter()
        # Every page rendered: the phases are a whole generate's, not a regenerate's.
        pages, problems = pipeline.generate(load_settings(root), reuse_pages=False)
        generate_s = time.perf_counter() - start
        if pages is None:
            raise BenchError("generate failed:\n" + "\n".join(map(str, problems[:20])))
        timings = {key: sum(seconds) for key, seconds in runs.items()}
        timings["generate"] = generate_s
        start = time.perf_counter()
        write_pages(pages, scratch)
        timings["write"] = time.perf_counter() - start
        timings["pages"] = len(pages)
        del pages
        for _ in range(index_runs - 1 if index_call else 0):  # related readings timed each time
            pipeline.build_library(*index_call["args"], **index_call["kwargs"])
    finally:
        for module, name, original in wrapped:
            setattr(module, name, original)
    if "index" in timings and "related" in timings:
        timings["index_groups"] = timings["index"] - timings["related"]
    if "related" in timings:
        timings["related_best"] = min(runs["related"])
        timings["related_runs"] = len(runs["related"])
    return timings


def phases_child(argv: Sequence[str]) -> None:
    """Entry point of the phase-timing process: ``ROOT SCRATCH OUTPUT [PROFILE]``.

    With a profile, records are indexed once, so the profile is one generate's."""
    from generator.cli import collect_garbage_rarely

    collect_garbage_rarely()  # as `python -m generator` does
    root, scratch, output = (Path(a) for a in argv[:3])
    if len(argv) > 3:
        import cProfile

        profiler = cProfile.Profile()
        timings = profiler.runcall(time_phases, root, scratch, index_runs=1)
        profiler.dump_stats(argv[3])
    else:
        timings = time_phases(root, scratch)
    output.write_text(json.dumps(timings), encoding="utf-8")


def file_sizes(folder: Path, pattern: str) -> list[int]:
    return [p.stat().st_size for p in folder.glob(pattern)]


def gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0))


MKDOCS_PROCESSES = re.compile(r"with (\d+) MkDocs process\(es\).*?; (\d+) MiB at most together")
PAGEFIND_PAGES = re.compile(r"indexed (\d+) pages? in (\d+) parts?")
RESULTS_SHOWN = 10  # the search box shows ten results, then "Show more results"


@dataclass(frozen=True)
class SearchFiles:
    """Pagefind's index in a built site, in all its parts, by what a search loads.

    ``fixed``: what every first search loads whatever the words (the search script and
    its worker and the WebAssembly engine, once; each part's entry file and metadata
    of its pages); ``chunks``: index chunks, one per range of words (a query loads
    those of its words, in each part); ``fragments``: one per page, its text for
    excerpts (a query loads those of the results shown). The UI bundles Pagefind also
    writes are unused here.
    """

    parts: int
    everything: tuple[Path, ...]
    fixed: tuple[Path, ...]
    chunks: tuple[Path, ...]
    fragments: tuple[Path, ...]


def search_files(site: Path) -> SearchFiles:
    from generator.search_index import index_folders

    folders = index_folders(site)
    first = folders[0]
    fixed = [first / name for name in ("pagefind.js", "pagefind-worker.js")]
    fixed += sorted(first.glob("wasm.en.pagefind"))
    for folder in folders:
        fixed += [folder / "pagefind-entry.json", *sorted(folder.glob("pagefind.en*.pf_meta"))]
    return SearchFiles(
        parts=len(folders),
        everything=tuple(sorted(p for f in folders for p in f.rglob("*") if p.is_file())),
        fixed=tuple(p for p in fixed if p.is_file()),
        chunks=tuple(sorted(p for f in folders for p in (f / "index").glob("*.pf_index"))),
        fragments=tuple(sorted(p for f in folders for p in (f / "fragment").glob("*.pf_fragment"))),
    )


def sent_size(path: Path) -> int:
    """Bytes a static host sends for ``path``: text gzipped; Pagefind's index files are
    gzipped already and go as they are (as ``serve`` below sends them)."""
    import mimetypes

    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return gzipped_size(path) if kind.startswith(COMPRESSIBLE) else path.stat().st_size


def markers_in_index(site: Path, markers: Sequence[str]) -> int:
    """How many marker words are in the text Pagefind indexed for a record page (its
    fragments). With ``--browser``, ``first_search`` also runs the real search."""
    from generator.search_index import indexed_pages

    text = "\n".join(
        page["content"] for url, page in indexed_pages(site).items() if url.startswith("/records/")
    ).lower()
    return sum(1 for m in markers if m.lower() in text)


def edit_one_record(records_dir: Path) -> str:
    """Change one record's abstract, as a contributor would; return its id."""
    from dataclasses import replace

    from generator import record_files

    paths = record_files.record_paths(records_dir)
    for path in paths[len(paths) // 2 :] + paths[: len(paths) // 2]:
        loaded, _ = record_files.load(path, path.name)
        if loaded is not None and loaded.record.abstract:
            break
    else:
        raise BenchError("no record with an abstract to edit")
    record = replace(
        loaded.record,
        abstract=loaded.record.abstract + " A sentence added by the benchmark's edit.",
    )
    text = path.read_text(encoding="utf-8")
    schema = re.search(r"yaml-language-server:\s*\$schema=(\S+)", text)
    path.write_text(
        record_files.serialize(record, schema[1] if schema else "../../schema/record.schema.json"),
        encoding="utf-8",
        newline="\n",
    )
    return path.stem


def snapshot(docs: Path) -> dict[str, int]:
    return {
        p.relative_to(docs).as_posix(): p.stat().st_mtime_ns
        for p in docs.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


WRITTEN = re.compile(r"(\d+) written")


@dataclass
class Result:
    """Figures for one N; ``None`` where a measurement was skipped."""

    records: int
    figures: dict[str, float | int | str | None] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, key: str):
        return self.figures.get(key)


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def measure(
    records: int,
    workdir: Path,
    *,
    seed: int = DEFAULT_SEED,
    bare: bool = True,
    browser: bool = False,
    profile_dir: Path | None = None,
    inputs: Path | None = None,
) -> Result:
    """Build one synthetic project of ``records`` records in ``workdir`` and measure it."""
    python = sys.executable
    result = Result(records)
    f = result.figures
    corpus = synthesize(records, seed, vocabulary_dir=(inputs or ROOT) / "seeds")
    project = make_project(workdir / "project", corpus, inputs)
    f.update(
        records_made=corpus.records,
        titled=corpus.titled,
        dated=corpus.dated,
        authors=corpus.authors,
        files=len(corpus.files),
        export_bytes=sum(len(t.encode()) for t in corpus.files.values()),
    )
    log(f"N={records}: {len(corpus.files)} export files, {corpus.authors} authors")

    def step(key: str, command: Sequence[str], cwd: Path = project, **env: str) -> Step:
        done = must(run_step(command, cwd, child_env(**env)), f"{key} (N={records})")
        f[f"{key}_s"], f[f"{key}_mib"] = done.seconds, done.peak_mib
        log(f"N={records}: {key} {done.seconds:.2f} s, {done.peak_mib:.0f} MiB")
        return done

    exports = sorted(str(Path("seeds") / name) for name in corpus.files)
    done = step("import", [python, "-m", "generator", "import", *exports])
    added = re.search(r"added (\d+) record", done.stdout)
    f["records_imported"] = int(added[1]) if added else None
    step("check", [python, "-m", "generator", "check"])
    done = step("generate", [python, "-m", "generator", "generate"])
    generated = re.search(r"generated (\d+) pages", done.stdout)
    f["pages_generated"] = int(generated[1]) if generated else None
    # The strict MkDocs build as `build` runs it: on several cores (generator/site_build.py).
    # Its memory is the processes' peaks added up, not the largest one's.
    done = step("mkdocs", [python, "-m", "generator.site_build", "site"])
    if m := MKDOCS_PROCESSES.search(done.stdout):
        f["mkdocs_processes"], f["mkdocs_mib"] = int(m[1]), float(m[2])
        result.notes.append(f"N={records}: {done.stdout.strip()}")
    # The search index, as `build` makes it: Pagefind, once per part of the index. The
    # peak memory is the largest of this process and of the Pagefind runs it waits for.
    done = step("pagefind", [python, "-m", "generator.search_index", "site"])
    if m := PAGEFIND_PAGES.search(done.stdout):
        f["pagefind_pages"], f["pagefind_parts"] = int(m[1]), int(m[2])
    f["whole_s"] = f["generate_s"] + f["mkdocs_s"] + f["pagefind_s"]

    # Phases of generate, in one more process (the figures above stay undisturbed).
    scratch = workdir / "phases-docs"
    output = workdir / "phases.json"
    phases = [
        python,
        "-c",
        "import sys; from generator.bench import phases_child; phases_child(sys.argv[1:])",
    ]
    done = step("phases", [*phases, str(project), str(scratch), str(output)])
    f.update(
        {
            f"phase_{k}_s": v
            for k, v in json.loads(output.read_text()).items()
            if k not in ("pages", "related_runs")
        }
    )
    shutil.rmtree(scratch, ignore_errors=True)

    site = project / "site"
    pages = sorted(file_sizes(site / "records", "*/index.html"))
    if pages:
        f["page_median"], f["page_max"] = int(statistics.median(pages)), pages[-1]
    # Pages that list readings or names. A theme, tag, year or author page, Needs
    # attention and Browse hold at most `readings_per_page` readings, the index of
    # authors five times as many names (the rest go on over pages 2, 3 ..., or, on
    # Browse, come from the list its script loads).
    lists = [p for p in site.rglob("index.html") if p.relative_to(site).parts[0] != "records"]
    terms = [
        p
        for p in lists
        if p.relative_to(site).parts[0] in ("themes", "tags", "years")
        and len(p.relative_to(site).parts) > 2  # not themes/index.html ...
    ]
    for key, found in (("list_page", lists), ("term_page", terms)):
        if found:
            largest = max(found, key=lambda p: (p.stat().st_size, p.as_posix()))
            f[f"{key}_max"], f[f"{key}_max_gz"] = largest.stat().st_size, sent_size(largest)
            folder = largest.parent.relative_to(site).as_posix()
            f[f"{key}_max_path"] = "/" if folder == "." else f"{folder}/"  # "/": the home page
    browse, data = site / "browse" / "index.html", site / "browse" / "readings.js"
    for key, path in (("browse_page", browse), ("browse_data", data)):
        if path.is_file():
            f[key], f[f"{key}_gz"] = path.stat().st_size, sent_size(path)
    f["html_pages"] = len(list(site.rglob("*.html")))
    f["site_bytes"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    search = search_files(site)
    f["search_files"] = len(search.everything)
    f["search_raw"] = sum(p.stat().st_size for p in search.everything)
    f["search_fixed_gz"] = sum(sent_size(p) for p in search.fixed)
    f["search_chunk_max"] = max((sent_size(p) for p in search.chunks), default=None)
    fragments = sorted(sent_size(p) for p in search.fragments)
    f["search_fragment_median"] = int(statistics.median(fragments)) if fragments else None
    f["first_search_gz"] = (
        f["search_fixed_gz"]
        + search.parts * (f["search_chunk_max"] or 0)
        + RESULTS_SHOWN * (f["search_fragment_median"] or 0)
    )
    f["markers_found"] = markers_in_index(site, corpus.markers)
    f["markers"] = len(corpus.markers)

    # One record edited, then generate again: what is rewritten, and how long it takes.
    before = snapshot(project / "docs")
    edited = edit_one_record(project / "seeds" / "records")
    done = step("regenerate", [python, "-m", "generator", "generate"])
    written = WRITTEN.search(done.stdout)
    f["regenerate_written"] = int(written[1]) if written else None
    after = snapshot(project / "docs")
    changed = sorted(p for p, t in after.items() if before.get(p) != t)
    f["regenerate_edited_page_written"] = f"records/{edited}.md" in changed
    result.notes.append(
        f"N={records}: editing records/{edited} rewrote {len(changed)} page(s): "
        + ", ".join(changed[:12])
        + (" …" if len(changed) > 12 else "")
    )

    if bare:
        count = make_bare_project(workdir / "bare", project)
        f["bare_pages"] = count
        step(
            "bare",
            [python, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", "site"],
            cwd=workdir / "bare",
        )
        bare_pages = sorted(file_sizes(workdir / "bare" / "site" / "records", "*/index.html"))
        if bare_pages:
            f["bare_page_median"] = int(statistics.median(bare_pages))

    if browser and corpus.markers:
        marker = corpus.markers[0]
        holders = {m: record_holding(project / "seeds" / "records", m) for m in corpus.markers}
        expected = holders[marker]
        try:
            figures = first_search(site, marker, expected, others=holders)
        except Exception as error:  # a missing or broken browser must not lose the figures
            result.notes.append(f"N={records}: browser measurement failed: {error!r}")
            log(f"N={records}: browser measurement failed: {error!r}")
        else:
            f.update({f"browser_{k}": v for k, v in figures.items()})
            log(f"N={records}: browser {figures}")
            result.notes.append(
                f"N={records}: in Chromium, searching '{marker}' (a word of one abstract) "
                f"showed results after {figures['results_s']} s and "
                f"{'listed' if figures['found'] else 'did NOT list'} records/{expected}/; "
                f"searching each of the {len(holders)} such words found "
                f"{figures['markers_found']}; "
                f"search requests: {figures['search_requests']}"
            )

    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
        generate_profile = profile_dir / f"generate-{records}.prof"
        run_step([*phases, str(project), str(scratch), str(output), str(generate_profile)], project)
        shutil.rmtree(scratch, ignore_errors=True)
        mkdocs_profile = profile_dir / f"mkdocs-{records}.prof"
        run_step(
            [
                python,
                "-m",
                "cProfile",
                "-o",
                str(mkdocs_profile),
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "--quiet",
                "--site-dir",
                str(workdir / "site-profiled"),
            ],
            project,
            child_env(READING_LIST_PAGES_WRITTEN="1"),
        )
        shutil.rmtree(workdir / "site-profiled", ignore_errors=True)
        for profile in (generate_profile, mkdocs_profile):
            if profile.is_file():
                profile.with_suffix(".txt").write_text(profile_summary(profile), encoding="utf-8")
        log(f"N={records}: profiles in {profile_dir}")
    return result


def profile_summary(path: Path, limit: int = 30) -> str:
    import io
    import pstats

    text = io.StringIO()
    stats = pstats.Stats(str(path), stream=text)
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    return text.getvalue()


def record_holding(records_dir: Path, word: str) -> str | None:
    """The id of the record file that holds ``word``."""
    for path in sorted(records_dir.glob("*.yml")):
        if word in path.read_text(encoding="utf-8"):
            return path.stem
    return None


# What GitHub Pages sends gzipped: text, JSON, scripts, SVG and XML (sitemap.xml,
# which Material fetches on pages that link a feed, and the feeds themselves).
COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "image/svg+xml",
    "application/xml",
    "application/atom+xml",
)


def serve(site: Path):
    """A local web server for ``site`` that gzips text, as a static host does.

    ``server.sent`` lists ``(path, body bytes sent)`` for every request, in order.
    """
    import http.server
    import mimetypes
    import threading

    sent: list[tuple[str, int]] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, format, *args):
            pass

        def do_GET(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir() and self.path.split("?")[0].endswith("/"):
                path = path / "index.html"
            if not path.is_file():
                sent.append((self.path, 0))
                return super().do_GET()  # redirects and 404s
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            body = path.read_bytes()
            gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and kind.startswith(
                COMPRESSIBLE
            )
            if gzipped:
                body = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", kind)
            if gzipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            sent.append((self.path, len(body)))
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.sent = sent  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def first_search(
    site: Path, word: str, expected_id: str | None, others: dict[str, str | None] | None = None
) -> dict[str, object]:
    """Open the home page in a fresh Chromium, search for ``word`` and count the bytes.

    Bytes are counted where they are sent (response bodies, gzipped as a static host
    sends text). ``search_bytes`` is what the search took: every request under
    pagefind/ and the other parts' pagefind-2/ … (script, worker, entries, metadata,
    WebAssembly, index chunks, result text) and the search box's own script and
    stylesheet (assets/search.*);
    ``total_bytes`` is the whole visit, home page included. ``found`` says whether the
    search box lists the record holding ``word``. ``others`` (word -> record id) are
    searched afterwards, one by one; ``markers_found`` counts those listed.
    """
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    server = serve(site)
    shown = (
        "() => document.querySelector('.md-search-result__item') !== null"
        " || /No matching/.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    hrefs = "els => els.map(e => e.getAttribute('href'))"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="load")
            start = time.perf_counter()
            page.click(".md-search__input")
            page.keyboard.type(word)
            page.wait_for_selector(".md-search-result__item", timeout=600_000)
            results_s = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            links = page.eval_on_selector_all(".md-search-result__item a", hrefs)
            sent = list(server.sent)
            found_others = 0
            for other, holder in (others or {}).items():
                page.fill(".md-search__input", "")
                page.keyboard.type(other)
                page.wait_for_function(shown, timeout=120_000)
                page.wait_for_load_state("networkidle")
                listed = page.eval_on_selector_all(".md-search-result__item a", hrefs)
                found_others += bool(holder) and any(
                    f"records/{holder}/" in (href or "") for href in listed
                )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    searched = [
        (path, n) for path, n in sent if path.startswith("/pagefind") or "/assets/search." in path
    ]
    return {
        "search_bytes": sum(n for _, n in searched),
        "search_requests": ", ".join(f"{path} {n / 1000:,.1f} kB" for path, n in searched),
        "total_bytes": sum(n for _, n in sent),
        "requests": len(sent),
        "results_s": round(results_s, 2),
        "found": bool(expected_id)
        and any(f"records/{expected_id}/" in (href or "") for href in links),
        "markers_found": found_others if others else None,
    }


# ---------------------------------------------------------------------------
# Reporting


def seconds(value) -> str:
    return "–" if value is None else f"{value:.2f} s"


def mib(value) -> str:
    return "–" if value is None else f"{value:,.0f} MiB"


def kb(value) -> str:
    return "–" if value is None else f"{value / 1000:,.1f} kB"


def count(value) -> str:
    return "–" if value is None else f"{value:,}"


def timed_row(key: str) -> Callable[[Result], str]:
    return lambda r: (
        "–" if r[f"{key}_s"] is None else f"{seconds(r[f'{key}_s'])} · {mib(r[f'{key}_mib'])}"
    )


def largest_page(r: Result, key: str) -> str:
    if r[f"{key}_max"] is None:
        return "–"
    return f"{kb(r[f'{key}_max'])} · {kb(r[f'{key}_max_gz'])} ({r[f'{key}_max_path']})"


def figure_rows() -> list[tuple[str, Callable[[Result], str]]]:
    return [
        ("records (imported)", lambda r: count(r["records_imported"])),
        (
            "export files · distinct authors",
            lambda r: f"{count(r['files'])} · {count(r['authors'])}",
        ),
        ("records with title · with year", lambda r: f"{count(r['titled'])} · {count(r['dated'])}"),
        ("import (wall · peak memory)", timed_row("import")),
        ("check", timed_row("check")),
        ("generate (load, check, index, render, write)", timed_row("generate")),
        (
            f"generate once more, its phases timed inside (then {INDEX_RUNS - 1} more indexings)",
            timed_row("phases"),
        ),
        ("↳ load + check", lambda r: seconds(r["phase_load_check_s"])),
        ("↳ index: themes, years, tags, authors", lambda r: seconds(r["phase_index_groups_s"])),
        (
            f"↳ index: related readings (first · fastest of {INDEX_RUNS})",
            lambda r: f"{seconds(r['phase_related_s'])} · {seconds(r['phase_related_best_s'])}",
        ),
        ("↳ render", lambda r: seconds(r["phase_render_s"])),
        ("↳ write (into an empty docs/)", lambda r: seconds(r["phase_write_s"])),
        ("pages generated", lambda r: count(r["pages_generated"])),
        (
            "MkDocs build of the site, as `build` runs it (memory: its processes' peaks added up)",
            timed_row("mkdocs"),
        ),
        ("search index (Pagefind)", timed_row("pagefind")),
        ("whole build (generate + MkDocs + search index)", lambda r: seconds(r["whole_s"])),
        ("bare MkDocs build (floor: one plain page per record)", timed_row("bare")),
        (
            "HTML pages in site/ · site/ size",
            lambda r: f"{count(r['html_pages'])} · {kb(r['site_bytes'])}",
        ),
        ("record page, median · max", lambda r: f"{kb(r['page_median'])} · {kb(r['page_max'])}"),
        ("bare record page, median", lambda r: kb(r["bare_page_median"])),
        (
            "largest page listing readings: HTML · gzipped (which)",
            lambda r: largest_page(r, "list_page"),
        ),
        (
            "↳ largest theme, tag or year page (long lists go on over pages)",
            lambda r: largest_page(r, "term_page"),
        ),
        (
            "↳ Browse: the page (gzipped) · the whole list its script loads (gzipped)",
            lambda r: (
                "–"
                if r["browse_page"] is None or r["browse_data"] is None
                else f"{kb(r['browse_page'])} ({kb(r['browse_page_gz'])}) · "
                f"{kb(r['browse_data'])} ({kb(r['browse_data_gz'])})"
            ),
        ),
        (
            "search index: pages · parts · files · size",
            lambda r: (
                f"{count(r['pagefind_pages'])} · {count(r['pagefind_parts'])} · "
                f"{count(r['search_files'])} · {kb(r['search_raw'])}"
            ),
        ),
        ("↳ loaded by every first search (gzipped)", lambda r: kb(r["search_fixed_gz"])),
        (
            "↳ largest index chunk (one per part) · median page text",
            lambda r: f"{kb(r['search_chunk_max'])} · {kb(r['search_fragment_median'])}",
        ),
        (
            "first search download, estimated (gzipped)",
            lambda r: kb(r["first_search_gz"]),
        ),
        (
            "words only in one abstract, found in the index",
            lambda r: f"{r['markers_found']}/{r['markers']}",
        ),
        ("browser: first search transferred", lambda r: kb(r["browser_search_bytes"])),
        (
            "browser: words only in one abstract, found by searching",
            lambda r: (
                "–"
                if r["browser_markers_found"] is None
                else f"{r['browser_markers_found']}/{r['markers']}"
            ),
        ),
        ("browser: whole first visit incl. search", lambda r: kb(r["browser_total_bytes"])),
        ("regenerate after one record edit", timed_row("regenerate")),
        (
            "↳ pages rewritten (edited record's page among them)",
            lambda r: (
                "–"
                if r["regenerate_written"] is None
                else f"{r['regenerate_written']} ({'yes' if r['regenerate_edited_page_written'] else 'NO'})"
            ),
        ),
    ]


def ratio(a, b) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


@dataclass(frozen=True)
class Target:
    label: str
    limit: str
    value: Callable[[Result], float | None]
    show: Callable[[float], str]
    ok: Callable[[float], bool]


def peak_memory(r: Result) -> float | None:
    peaks = [
        r[f"{k}_mib"] for k in ("import", "check", "generate", "mkdocs", "pagefind", "regenerate")
    ]
    peaks = [p for p in peaks if p is not None]
    return max(peaks) if peaks else None


def targets() -> list[Target]:
    return [
        Target(
            "whole build (import excluded) ÷ bare MkDocs build",
            f"≤ {TARGET_BUILD_RATIO}×",
            lambda r: ratio(r["whole_s"], r["bare_s"]),
            lambda v: f"{v:.2f}×",
            lambda v: v <= TARGET_BUILD_RATIO,
        ),
        Target(
            "before MkDocs (generate) ÷ whole build",
            f"≤ {TARGET_BEFORE_MKDOCS:.0%}",
            lambda r: ratio(r["generate_s"], r["whole_s"]),
            lambda v: f"{v:.0%}",
            lambda v: v <= TARGET_BEFORE_MKDOCS,
        ),
        Target(
            "largest record page",
            f"≤ {TARGET_PAGE_BYTES / 1000:.0f} kB",
            lambda r: r["page_max"],
            kb,
            lambda v: v <= TARGET_PAGE_BYTES,
        ),
        Target(
            "peak memory of any step",
            f"≤ {TARGET_PEAK_MIB:,} MiB",
            peak_memory,
            mib,
            lambda v: v <= TARGET_PEAK_MIB,
        ),
        Target(
            "first search download (gzipped)",
            f"≤ {TARGET_SEARCH_BYTES / 1000:.0f} kB",
            lambda r: r["browser_search_bytes"] or r["first_search_gz"],
            kb,
            lambda v: v <= TARGET_SEARCH_BYTES,
        ),
        Target(
            "words only in abstracts found by search",
            "all",
            lambda r: ratio(
                r["browser_markers_found"]
                if r["browser_markers_found"] is not None
                else r["markers_found"],
                r["markers"],
            ),
            lambda v: f"{v:.0%}",
            lambda v: v >= 1,
        ),
        Target(
            "regenerate after one record edit",
            f"< {TARGET_REGENERATE_SECONDS:.0f} s",
            lambda r: r["regenerate_s"],
            seconds,
            lambda v: v < TARGET_REGENERATE_SECONDS,
        ),
    ]


@dataclass(frozen=True)
class Growth:
    label: str
    key: str
    limit: Callable[[float], float]  # records ratio -> allowed ratio
    limit_text: str


GROWTHS = (
    Growth(
        f"related readings time (fastest of {INDEX_RUNS} runs)",
        "phase_related_best_s",
        lambda n: TARGET_GROWTH_SLACK * n,
        "≤ 1.2 × records ratio",
    ),
    Growth(
        "other indices time",
        "phase_index_groups_s",
        lambda n: TARGET_GROWTH_SLACK * n,
        "≤ 1.2 × records ratio",
    ),
    Growth(
        "largest record page",
        "page_max",
        lambda n: TARGET_PAGE_GROWTH,
        f"≤ {TARGET_PAGE_GROWTH}× (the same)",
    ),
)


def status(ok: bool | None) -> str:
    return "–" if ok is None else ("PASS" if ok else "**FAIL**")


def tables(results: Sequence[Result]) -> str:
    heads = [f"N = {r.records:,}" for r in results]
    lines = [
        "| measurement | " + " | ".join(heads) + " |",
        "|---|" + "---:|" * len(results),
    ]
    for label, show in figure_rows():
        lines.append(f"| {label} | " + " | ".join(show(r) for r in results) + " |")
    largest = max(results, key=lambda r: r.records)
    lines += [
        "",
        f"| target (checked at N = {largest.records:,}) | "
        + " | ".join(heads)
        + " | limit | result |",
        "|---|" + "---:|" * len(results) + "---|---|",
    ]
    for target in targets():
        values = [target.value(r) for r in results]
        shown = ["–" if v is None else target.show(v) for v in values]
        final = target.value(largest)
        ok = None if final is None else target.ok(final)
        lines.append(
            f"| {target.label} | " + " | ".join(shown) + f" | {target.limit} | {status(ok)} |"
        )
    smallest = min(results, key=lambda r: r.records)
    if smallest is not largest:
        times = largest.records / smallest.records
        for growth in GROWTHS:
            grown = ratio(largest[growth.key], smallest[growth.key])
            allowed = growth.limit(times)
            cells = ["" for _ in results]
            cells[-1] = "–" if grown is None else f"{grown:.2f}×"
            lines.append(
                f"| {growth.label}, N = {smallest.records:,} → {largest.records:,} | "
                + " | ".join(cells)
                + f" | ≤ {allowed:.2f}× | {status(None if grown is None else grown <= allowed)} |"
            )
    return "\n".join(lines) + "\n"


def machine() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    versions = {}
    for package in ("mkdocs", "mkdocs-material", "pagefind-bin"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "platform": platform.platform(),
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": memory,
        "python": platform.python_version(),
        "mkdocs": versions["mkdocs"],
        "material": versions["mkdocs-material"],
        "pagefind": versions["pagefind-bin"],
    }


def revision() -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head or 'unknown'}{' with uncommitted changes' if dirty else ''}"


def today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%d")


def markdown_report(
    results: Sequence[Result], command: str, load: tuple[str, str], measured: str
) -> str:
    info = machine()
    notes = [note for r in results for note in r.notes]
    return (
        "# Benchmarks\n\n"
        "Latest figures of `python -m generator bench` (see `generator/bench.py` for what each\n"
        "row measures). Each step runs as its own process; time is wall time, memory is that\n"
        "process's peak resident set. Ratios compare figures of the same run, so they hold\n"
        "on a busy machine better than the seconds do. The growth of related readings\n"
        f"takes the fastest of {INDEX_RUNS} runs in one process, the same work each time.\n"
        "kB = 1,000 bytes; gzip level 6.\n\n"
        f"Reproduce:\n\n```sh\n{command}\n```\n\n"
        f"Measured {today()} on {info['platform']}; {info['cpu']}; {info['memory']} RAM;\n"
        f"Python {info['python']}, MkDocs {info['mkdocs']}, Material {info['material']},\n"
        f"Pagefind {info['pagefind']}.\n"
        f"Generator at commit {measured}. Load average (1 min) at start and end:\n"
        f"{load[0]} and {load[1]} (other work shares the machine).\n\n"
        + tables(results)
        + ("\n" + "\n".join(f"- {note}" for note in notes) + "\n" if notes else "")
    )


def run(args: argparse.Namespace) -> int:
    sizes = sorted(set(args.records))
    seed = DEFAULT_SEED if args.seed is None else args.seed
    if any(n < 1 for n in sizes):
        print("bench: --records takes sizes of 1 or more", file=sys.stderr)
        return 1
    load_start = f"{os.getloadavg()[0]:.2f}"
    measured = revision()
    results = []
    with tempfile.TemporaryDirectory(prefix="reading-list-bench-") as temporary:
        base = args.keep.resolve() if args.keep else Path(temporary)
        inputs = base / "inputs"
        if inputs.exists():
            shutil.rmtree(inputs)
        snapshot_inputs(inputs)
        for n in sizes:
            workdir = base / f"n{n}"
            if workdir.exists():
                shutil.rmtree(workdir)
            workdir.mkdir(parents=True)
            try:
                result = measure(
                    n,
                    workdir,
                    seed=seed,
                    bare=not args.skip_bare,
                    browser=args.browser,
                    profile_dir=args.profile,
                    inputs=inputs,
                )
            except BenchError as error:
                print(f"bench: {error}", file=sys.stderr)
                return 1
            results.append(result)
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    if args.keep:
        figures = {r.records: {"figures": r.figures, "notes": r.notes} for r in results}
        (base / "results.json").write_text(json.dumps(figures, indent=1), encoding="utf-8")
    report = tables(results)
    sys.stdout.write(report)
    for note in (note for r in results for note in r.notes):
        print(f"- {note}")
    if args.write_markdown:
        command = "python -m generator bench --records " + " ".join(map(str, sizes))
        if args.skip_bare:
            command += " --skip-bare"
        if args.browser:
            command += " --browser"
        if seed != DEFAULT_SEED:
            command += f" --seed {seed}"
        command += f" --write-markdown {args.write_markdown.as_posix()}"
        text = markdown_report(
            results, command, (load_start, f"{os.getloadavg()[0]:.2f}"), measured
        )
        args.write_markdown.write_text(text, encoding="utf-8")
    return 0
