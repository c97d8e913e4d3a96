"""The controlled vocabulary: themes and tags, and the rules that assign them.

``seeds/themes.yml`` and ``seeds/tags.yml`` are read as strictly as record files (the
YAML is composed into nodes, never constructed), and every mistake in them becomes a
problem with its line. The rules are deliberately simple, so that a contributor can
predict them and ``explain`` can say which words placed a reading where:

- a phrase matches whole words of the title or abstract, ignoring capitals and
  punctuation between words (``help-seeking`` = ``help seeking``); plurals match too;
  a phrase ending in ``*`` matches any word that starts so (``stigma*``); a phrase
  never runs across ``. ! ? ; :`` or brackets;
- a match inside one of the term's ``except`` phrases does not count (``role`` in
  ``role model``), and a region named right after a comparison (``compared with``,
  ``than``, ``unlike``, ``versus``) does not count;
- a tag applies when its name or one of its synonyms matches;
- a theme applies when one of its phrases is in the title, or its phrases match the
  abstract at least twice (``MIN_ABSTRACT_MATCHES``); a record keeps its
  ``MAX_THEMES`` strongest themes; a record the rules cannot place gets the fallback
  theme, never a guessed one.

Everything is frozen and ordered by the files (tuples, not sets), so the same files
and records classify the same way on every machine and run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from generator import schema
from generator.model import Record, fold
from generator.problems import Problem
from generator.record_files import (
    MAX_RECORD_BYTES,
    NULLS,
    LoadedRecord,
    _FileReader,
    compose_text,
    did_you_mean,
    is_plain,
    schema_id_hint,
)
from generator.textfile import decode

THEMES_FILE = "themes.yml"
TAGS_FILE = "tags.yml"
CATEGORIES: tuple[str, ...] = ("topic", "population", "setting", "region", "study design")
MAX_THEMES = 3
MIN_ABSTRACT_MATCHES = 2
MIN_PREFIX_LETTERS = 4
MAX_REMEMBERED = 200_000  # distinct words a vocabulary remembers having looked up
THEME_FIELDS = ("id", "name", "description", "match", "except")
TAG_FIELDS = ("id", "name", "category", "description", "synonyms", "except")
THEMES_TOP = ("fallback", "themes")
TAGS_TOP = ("tags",)
# Names people reach for, mapped to the field they meant.
FIELD_ALIASES = {
    "title": "name",
    "label": "name",
    "phrases": "match",
    "matches": "match",
    "keywords": "match",
    "synonym": "synonyms",
    "aliases": "synonyms",
    "type": "category",
    "kind": "category",
    "exclude": "except",
    "excluding": "except",
    "not": "except",
    "theme": "themes",
    "tag": "tags",
    "fallback_theme": "fallback",
    "default": "fallback",
}
CATEGORY_ALIASES = {
    "topics": "topic",
    "populations": "population",
    "people": "population",
    "group": "population",
    "settings": "setting",
    "place": "setting",
    "regions": "region",
    "country": "region",
    "countries": "region",
    "design": "study design",
    "study designs": "study design",
    "method": "study design",
    "methods": "study design",
    "study-design": "study design",
}
# Tokens of a text: words, and the punctuation a phrase may not run across.
_PUNCTUATION = ".!?;:()[]{}"
_TOKEN = re.compile(r"\w+|[" + re.escape(_PUNCTUATION) + "]")
# Words just before a region that make it a comparison, not the place of the study.
_COMPARED = {"than", "unlike", "versus", "vs"}
_COMPARED_PAIRS = {("compared", "with"), ("compared", "to"), ("relative", "to"), ("than", "in")}


# -- the vocabulary --------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    """A theme readers browse by. ``match`` holds the phrases of its rule."""

    id: str
    name: str
    description: str
    match: tuple[str, ...]
    excluded: tuple[str, ...] = ()  # the file's ``except:`` phrases


@dataclass(frozen=True)
class Tag:
    """A tag: what a reading is about, who, where, or how it was studied."""

    id: str
    name: str
    category: str
    description: str
    synonyms: tuple[str, ...]
    excluded: tuple[str, ...] = ()  # the file's ``except:`` phrases


@dataclass(frozen=True)
class Vocabulary:
    """Themes and tags in file order. Frozen: one vocabulary serves every record and page.

    The compiled rules are built once per vocabulary, on first use, and kept with it.
    """

    themes: tuple[Theme, ...]
    tags: tuple[Tag, ...]
    fallback_theme: str
    themes_path: str = field(default=f"seeds/{THEMES_FILE}", compare=False)
    tags_path: str = field(default=f"seeds/{TAGS_FILE}", compare=False)

    def theme(self, id: str) -> Theme:
        return self._themes_by_id[id]

    def tag(self, id: str) -> Tag:
        return self._tags_by_id[id]

    @cached_property
    def _themes_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    @cached_property
    def _tags_by_id(self) -> dict[str, Tag]:
        return {t.id: t for t in self.tags}

    @cached_property
    def _matcher(self) -> _Matcher:
        terms = [(t.match, t.excluded, False) for t in self.themes]
        terms += [((t.name, *t.synonyms), t.excluded, t.category == "region") for t in self.tags]
        return _Matcher(terms)


@dataclass(frozen=True)
class Classification:
    """The themes and tags of one record, and why each was given.

    ``reasons`` holds one entry per theme (in ``themes`` order) followed by one per tag
    (in ``tags`` order); a theme and a tag may share an id, so use ``theme_reasons`` and
    ``tag_reasons`` to tell them apart.
    """

    themes: tuple[str, ...]
    tags: tuple[str, ...]
    reasons: tuple[tuple[str, str], ...]

    @property
    def theme_reasons(self) -> tuple[tuple[str, str], ...]:
        return self.reasons[: len(self.themes)]

    @property
    def tag_reasons(self) -> tuple[tuple[str, str], ...]:
        return self.reasons[len(self.themes) :]


# -- matching ----------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """The words of a text, folded, and the punctuation no phrase runs across.

    A punctuation token is never a word of a phrase, so a phrase cannot match across it.
    """
    return _TOKEN.findall(fold(text))


def word_forms(word: str) -> frozenset[str]:
    """A word and its plural or singular forms, as a phrase word matches them."""
    forms = {word, word + "s", word + "es"}
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    if len(word) > 4 and word.endswith("ies"):
        forms.add(word[:-3] + "y")
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        forms.add(word[:-1])
    if len(word) > 4 and word.endswith("es"):
        forms.add(word[:-2])
    return frozenset(forms)


def phrase_problem(text: str) -> str | None:
    """Why a phrase can never match, or ``None`` when it is fine."""
    star = text.endswith("*")
    body = text[:-1] if star else text
    if "*" in body:
        return f"'{text}' has a '*' inside; '*' may only end a phrase"
    words = tokens(body)
    if not words:
        return f"'{text}' holds no word"
    if any(w in _PUNCTUATION for w in words):
        return f"'{text}' holds . ! ? ; : or brackets, which a phrase never runs across"
    if star and (not body[-1].isalnum() or len(words[-1]) < MIN_PREFIX_LETTERS):
        return f"'{text}' is too short before the '*'; write at least {MIN_PREFIX_LETTERS} letters"
    return None


# A phrase of a term: (term number, phrase number, kind).
_Entry = tuple[int, int, int]
_PHRASE, _EXCEPT, _REGION = 0, 1, 2  # kinds: counts; cancels matches; counts unless compared
# A match: (term number, phrase number, first token, token after the last, kind).
_Hit = tuple[int, int, int, int, int]


class _Node:
    """One word deep into the phrases that share their first words."""

    __slots__ = ("children", "ends", "prefixes")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.ends: list[_Entry] = []  # phrases that end here
        self.prefixes: list[tuple[str, _Entry]] = []  # phrases whose next word is a prefix


class _Matcher:
    """All phrases of a vocabulary in one word tree, matched in one pass over a text.

    Terms are numbered themes first, then tags. A text is split into words once; at
    each word the tree says, by dictionary lookups, which phrases start there, so the
    cost hardly grows with the number of terms. Which words start a phrase is
    remembered across texts, so only those words are looked at in each text.
    """

    def __init__(self, terms: list[tuple[tuple[str, ...], tuple[str, ...], bool]]) -> None:
        self.root = _Node()
        self.root_prefixes: dict[str, list[tuple[str, _Entry]]] = {}
        self.texts: list[tuple[str, ...]] = []  # the phrases of each term, as written
        # Words known to start a phrase, and (up to MAX_REMEMBERED) every word looked up.
        self._active: dict[str, tuple[_Node | None, tuple[_Entry, ...]]] = {}
        self._seen: set[str] = set()
        for term, (phrases, excepted, regional) in enumerate(terms):
            kept = tuple(p for p in phrases if phrase_problem(p) is None)
            self.texts.append(kept)
            kind = _REGION if regional else _PHRASE
            for number, text in enumerate(kept):
                self._add(text, (term, number, kind))
            for number, text in enumerate(excepted):
                if phrase_problem(text) is None:
                    self._add(text, (term, number, _EXCEPT))

    def _add(self, text: str, entry: _Entry) -> None:
        star = text.endswith("*")
        words = tokens(text[:-1] if star else text)
        prefix = words.pop() if star else ""
        if not words:
            self.root_prefixes.setdefault(prefix[:MIN_PREFIX_LETTERS], []).append((prefix, entry))
            return
        nodes = [self.root]
        for word in words:
            reached: dict[int, _Node] = {}
            for node in nodes:
                for form in sorted(word_forms(word)):
                    child = node.children.setdefault(form, _Node())
                    reached.setdefault(id(child), child)
            nodes = list(reached.values())
        for node in nodes:
            if prefix:
                node.prefixes.append((prefix, entry))
            else:
                node.ends.append(entry)

    def _starts(self, token: str) -> tuple[_Node | None, tuple[_Entry, ...]]:
        """The tree below a first word, and the one-word prefix phrases it matches."""
        return (
            self.root.children.get(token),
            tuple(
                entry
                for prefix, entry in self.root_prefixes.get(token[:MIN_PREFIX_LETTERS], ())
                if token.startswith(prefix)
            ),
        )

    def _learn(self, words: Iterable[str]) -> None:
        """Remember which new words start a phrase (memo kept with the vocabulary)."""
        for token in words:
            node, singles = self._starts(token)
            if node is not None or singles:
                self._active[token] = (node, singles)
                self._seen.add(token)
            elif len(self._seen) < MAX_REMEMBERED:
                self._seen.add(token)

    def hits(self, words: list[str]) -> dict[int, list[_Hit]]:
        """Counted matches by term, in text order, after except phrases and comparisons."""
        active = self._active
        new = set(words).difference(self._seen)
        if new:
            self._learn(sorted(new))
        found: list[_Hit] = []
        size = len(words)
        for start, token in enumerate(words):
            starting = active.get(token)
            if starting is None:
                continue
            node, singles = starting
            for term, number, kind in singles:
                found.append((term, number, start, start + 1, kind))
            at = start + 1
            while node is not None:
                for term, number, kind in node.ends:
                    found.append((term, number, start, at, kind))
                if at >= size:
                    break
                following = words[at]
                for prefix, (term, number, kind) in node.prefixes:
                    if following.startswith(prefix):
                        found.append((term, number, start, at + 1, kind))
                node = node.children.get(following)
                at += 1
        # Most terms match a few times, apart: only those with an except phrase, a
        # region or overlapping matches need sorting out.
        by_term: dict[int, list[_Hit]] = {}
        untidy: set[int] = set()
        for hit in found:
            term = hit[0]
            hits = by_term.get(term)
            if hits is None:
                by_term[term] = [hit]
            else:
                if hit[2] < hits[-1][3]:
                    untidy.add(term)
                hits.append(hit)
            if hit[4]:
                untidy.add(term)
        for term in untidy:
            by_term[term] = _counted(by_term[term], words)
        return {term: hits for term, hits in by_term.items() if hits}


def _counted(hits: list[_Hit], words: list[str]) -> list[_Hit]:
    """Matches of one term, without those inside an except phrase or a longer match,
    and without regions named after a comparison."""
    spans = [(start, end) for _, _, start, end, kind in hits if kind == _EXCEPT]
    free_from = -1  # tokens before this one are taken by a counted match
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (h[2], -h[3], h[1])):
        _, _, start, end, kind = hit
        if kind == _EXCEPT or start < free_from:
            continue
        if kind == _REGION and _after_comparison(words, start):
            continue
        if any(s <= start and end <= e for s, e in spans):
            continue
        free_from = end
        kept.append(hit)
    return kept


def _after_comparison(words: list[str], start: int) -> bool:
    at = start - 1 if start > 0 and words[start - 1] == "the" else start
    if at > 0 and words[at - 1] in _COMPARED:
        return True
    return at > 1 and (words[at - 2], words[at - 1]) in _COMPARED_PAIRS


# -- classifying -------------------------------------------------------------------

HAND_SET = "set by hand in the record file"


def _mentions(hits: list[_Hit], phrases: tuple[str, ...]) -> str:
    """The phrases matched, in the order the text first uses them, with their counts."""
    counts: dict[int, int] = {}
    for hit in hits:
        counts[hit[1]] = counts.get(hit[1], 0) + 1
    return ", ".join(
        f"'{phrases[number]}' ({count} times)" if count > 1 else f"'{phrases[number]}'"
        for number, count in counts.items()
    )


def _reason(title: list[_Hit], abstract: list[_Hit], phrases: tuple[str, ...]) -> str:
    said = []
    if title:
        said.append(f"the title mentions {_mentions(title, phrases)}")
    if abstract:
        said.append(f"the abstract mentions {_mentions(abstract, phrases)}")
    return "; ".join(said)


def classify(record: Record, vocabulary: Vocabulary) -> Classification:
    """The themes and tags of a record: its own ``themes:``/``tags:``, else the rules."""
    matcher = vocabulary._matcher
    by_rules = record.themes is None or record.tags is None
    title = matcher.hits(tokens(record.title)) if record.title and by_rules else {}
    abstract = matcher.hits(tokens(record.abstract)) if record.abstract and by_rules else {}
    n_themes = len(vocabulary.themes)

    theme_reasons: list[tuple[str, str]] = []
    if record.themes is not None:
        chosen = set(record.themes)
        theme_reasons = [(t.id, HAND_SET) for t in vocabulary.themes if t.id in chosen]
        fallback_why = "the record's 'themes:' list holds no known theme"
    else:
        ranked = []
        for number, theme in enumerate(vocabulary.themes):
            in_title, in_abstract = title.get(number, []), abstract.get(number, [])
            if in_title or len(in_abstract) >= MIN_ABSTRACT_MATCHES:
                distinct = len({h[1] for h in in_title + in_abstract})
                strength = (len(in_title) > 0, distinct, len(in_title) + len(in_abstract))
                ranked.append((strength, number, theme.id, in_title, in_abstract))
        ranked.sort(key=lambda item: (tuple(-s for s in item[0]), item[1]))
        kept = sorted(ranked[:MAX_THEMES], key=lambda item: item[1])
        theme_reasons = [
            (theme_id, _reason(t, a, matcher.texts[number])) for _, number, theme_id, t, a in kept
        ]
        if record.title or record.abstract:
            fallback_why = (
                "nothing in the title or abstract matches a theme's phrases; list the "
                "record's themes under 'themes:', or add a phrase to the themes file"
            )
        else:
            fallback_why = (
                "the record has no title or abstract to place it by; add them to the "
                "record file, or list its themes under 'themes:'"
            )
    if not theme_reasons:
        theme_reasons = [(vocabulary.fallback_theme, fallback_why)]

    tag_reasons: list[tuple[str, str]] = []
    if record.tags is not None:
        chosen = set(record.tags)
        tag_reasons = [(t.id, HAND_SET) for t in vocabulary.tags if t.id in chosen]
    else:
        for number in sorted(title.keys() | abstract.keys()):
            if number >= n_themes:
                in_title, in_abstract = title.get(number, []), abstract.get(number, [])
                why = _reason(in_title, in_abstract, matcher.texts[number])
                tag_reasons.append((vocabulary.tags[number - n_themes].id, why))
    return Classification(
        themes=tuple(i for i, _ in theme_reasons),
        tags=tuple(i for i, _ in tag_reasons),
        reasons=tuple(theme_reasons + tag_reasons),
    )


def explain(record: Record, vocabulary: Vocabulary) -> list[str]:
    """One line per theme and tag of a record, saying why it was given."""
    result = classify(record, vocabulary)
    return [f"theme {i}: {why}" for i, why in result.theme_reasons] + [
        f"tag {i}: {why}" for i, why in result.tag_reasons
    ]


# -- checking records against the vocabulary --------------------------------------


def record_problems(loaded: LoadedRecord, vocabulary: Vocabulary) -> list[Problem]:
    """Theme and tag ids in a record file that the vocabulary does not hold."""
    record = loaded.record
    problems: list[Problem] = []
    if record.themes is not None:
        line = loaded.line_of("themes")
        if not record.themes:
            problems.append(
                Problem(
                    loaded.path,
                    line,
                    "'themes' lists no theme",
                    "list at least one theme id, or delete the 'themes:' line to let the rules choose",
                )
            )
        known = [t.id for t in vocabulary.themes]
        aliases = _aliases((t.id, (t.name, *t.match)) for t in vocabulary.themes)
        for value in record.themes:
            if value not in known:
                fix = _suggest(value, known, aliases, vocabulary.themes_path)
                problems.append(Problem(loaded.path, line, f"unknown theme '{value}'", fix))
    if record.tags is not None:
        line = loaded.line_of("tags")
        known = [t.id for t in vocabulary.tags]
        aliases = _aliases((t.id, (t.name, *t.synonyms)) for t in vocabulary.tags)
        for value in record.tags:
            if value not in known:
                fix = _suggest(value, known, aliases, vocabulary.tags_path)
                problems.append(Problem(loaded.path, line, f"unknown tag '{value}'", fix))
    return problems


def _aliases(terms: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, str]:
    """Ids by the id-shaped spelling of each name and phrase (first term wins)."""
    aliases: dict[str, str] = {}
    for term_id, phrases in terms:
        for phrase in phrases:
            slug = "-".join(tokens(phrase.rstrip("*")))
            if slug and slug != term_id:
                aliases.setdefault(slug, term_id)
    return aliases


def _suggest(value: str, known: list[str], aliases: dict[str, str], path: str) -> str:
    if not known:
        return f"add it to {path} first"
    hint = did_you_mean(value, known, aliases)
    if hint.startswith("known values:") and len(known) > 12:
        return f"use one of the ids listed in {path}"
    return hint


# -- loading the vocabulary files --------------------------------------------------


def load_vocabulary(folder: Path) -> tuple[Vocabulary | None, list[Problem]]:
    """Themes and tags from ``folder``, with every problem in either file, sorted.

    Entries with a usable id are kept even when another of their fields is wrong, so
    records can still be checked against them; ``None`` only when a file cannot be
    read at all or names no usable fallback theme. Never raises on bad input.
    """
    themes_path, tags_path = _display(folder / THEMES_FILE), _display(folder / TAGS_FILE)
    problems: list[Problem] = []
    themes_root = _read(folder / THEMES_FILE, themes_path, problems)
    tags_root = _read(folder / TAGS_FILE, tags_path, problems)
    themes: tuple[Theme, ...] = ()
    fallback: str | None = None
    if themes_root is not None:
        loader = _VocabularyReader(themes_path)
        themes, fallback = loader.themes_file(themes_root)
        problems += loader.problems
    tags: tuple[Tag, ...] = ()
    if tags_root is not None:
        loader = _VocabularyReader(tags_path)
        tags = loader.tags_file(tags_root)
        problems += loader.problems
    problems.sort()
    if themes_root is None or tags_root is None or fallback is None:
        return None, problems
    return Vocabulary(themes, tags, fallback, themes_path, tags_path), problems


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read(path: Path, shown: str, problems: list[Problem]) -> yaml.MappingNode | None:
    """The top-level node of a vocabulary file, or ``None`` with the problem."""
    try:
        if not path.is_file():
            problems.append(
                Problem(
                    shown,
                    0,
                    "the vocabulary file is missing",
                    f"restore {path.name} from the repository (git checkout -- {shown})",
                )
            )
            return None
        if path.stat().st_size > MAX_RECORD_BYTES:
            problems.append(
                Problem(shown, 1, "the file is over 1 MB", "keep only themes or tags in it")
            )
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.append(
            Problem(
                shown,
                1,
                f"cannot read the file ({error.strerror})",
                "check that it exists and is readable",
            )
        )
        return None
    text, found = decode(data, shown)
    problems += found
    if text is None:
        return None
    root, found, stopped = compose_text(text, shown)
    problems += found
    if stopped:
        return None
    if not isinstance(root, yaml.MappingNode):
        top = "fallback: and themes:" if path.name == THEMES_FILE else "tags:"
        problems.append(
            Problem(
                shown,
                root.start_mark.line + 1 if root is not None else 1,
                f"the file should start with {top}",
                "compare it with the file in the repository's main branch",
            )
        )
        return None
    return root


class _VocabularyReader(_FileReader):
    """Reads one vocabulary file's nodes, collecting every problem (see record_files)."""

    def __init__(self, display_path: str) -> None:
        super().__init__(display_path, latest_year=0)

    # -- themes.yml --------------------------------------------------------------

    def themes_file(self, root: yaml.MappingNode) -> tuple[tuple[Theme, ...], str | None]:
        self.visit(root, "file")
        top = self.mapping(root, THEMES_TOP, "this file", FIELD_ALIASES)
        themes: list[Theme] = []
        lines: dict[str, int] = {}
        if "themes" not in top:
            self.problem(1, "'themes:' is missing", "add 'themes:' followed by the list of themes")
        else:
            for item in self.entries(top["themes"], "themes", "theme"):
                theme = self.theme(item, lines)
                if theme is not None:
                    themes.append(theme)
            if not themes and not self.problems:
                self.problem(top["themes"], "the file lists no theme", "add at least one theme")
        fallback = self.fallback(top, themes)
        return tuple(themes), fallback

    def fallback(self, top: dict[str, yaml.Node], themes: list[Theme]) -> str | None:
        ids = [t.id for t in themes]
        if "fallback" not in top:
            self.problem(
                1,
                "'fallback:' is missing",
                "add 'fallback: unsorted' (the theme of readings the rules cannot place)",
            )
            return None
        value = self.scalar(top["fallback"], "fallback")
        if value is None:
            self.problem(
                top["fallback"],
                "'fallback' names no theme",
                "write the id of the theme for readings the rules cannot place, like 'fallback: unsorted'",
            )
            return None
        if "themes" not in top:
            return None  # already reported: the themes list is missing
        if value not in ids:
            hint = did_you_mean(value, ids, {}) if ids else "add that theme under 'themes:'"
            self.problem(
                top["fallback"], f"fallback theme '{value}' is not a theme in this file", hint
            )
            return None
        return value

    def theme(self, node: yaml.MappingNode, lines: dict[str, int]) -> Theme | None:
        name_of = self.entry_id(node)
        fields = self.mapping(
            node, THEME_FIELDS, f"theme '{name_of}'" if name_of else "a theme", FIELD_ALIASES
        )
        theme_id = self.id_field(node, fields, "theme", lines)
        if theme_id is None:
            return None
        name = self.required(node, fields, "name", "theme", theme_id, "the heading readers see")
        description = self.required(
            node,
            fields,
            "description",
            "theme",
            theme_id,
            "one or two plain sentences for trainers: what readings in this theme help with",
            multiline=True,
        )
        match = tuple(t for t, _ in self.phrases(fields, "match", theme_id))
        excepted = tuple(t for t, _ in self.phrases(fields, "except", theme_id))
        return Theme(theme_id, name or theme_id, description or "", match, excepted)

    # -- tags.yml ----------------------------------------------------------------

    def tags_file(self, root: yaml.MappingNode) -> tuple[Tag, ...]:
        self.visit(root, "file")
        top = self.mapping(root, TAGS_TOP, "this file", FIELD_ALIASES)
        if "tags" not in top:
            self.problem(1, "'tags:' is missing", "add 'tags:' followed by the list of tags")
            return ()
        tags: list[Tag] = []
        lines: dict[str, int] = {}
        owners: dict[tuple[str, ...], tuple[str, int]] = {}
        for item in self.entries(top["tags"], "tags", "tag"):
            found = self.tag(item, lines)
            if found is None:
                continue
            tag, placed = found
            tags.append(tag)
            self.shared_phrases(tag.id, placed, owners)
        return tuple(tags)

    def tag(
        self, node: yaml.MappingNode, lines: dict[str, int]
    ) -> tuple[Tag, list[tuple[str, int]]] | None:
        """A tag, and its name and synonyms with their lines."""
        name_of = self.entry_id(node)
        fields = self.mapping(
            node, TAG_FIELDS, f"tag '{name_of}'" if name_of else "a tag", FIELD_ALIASES
        )
        tag_id = self.id_field(node, fields, "tag", lines)
        if tag_id is None:
            return None
        name = self.required(node, fields, "name", "tag", tag_id, "the tag as readers see it")
        placed: list[tuple[str, int]] = []
        if name is not None:
            line = fields["name"].start_mark.line + 1
            problem = phrase_problem(name)
            if problem is None:
                placed.append((name, line))
            else:
                self.problem(line, f"the name {problem}", "write the tag's name in words")
        category = self.category(node, fields, tag_id)
        description = ""
        if "description" in fields:
            description = self.scalar(fields["description"], "description", multiline=True) or ""
        synonyms = self.phrases(fields, "synonyms", tag_id)
        excepted = self.phrases(fields, "except", tag_id)
        placed += synonyms
        tag = Tag(
            tag_id,
            name or tag_id,
            category,
            description,
            tuple(t for t, _ in synonyms),
            tuple(t for t, _ in excepted),
        )
        return tag, placed

    def category(self, node: yaml.MappingNode, fields: dict[str, yaml.Node], tag_id: str) -> str:
        value = self.required(
            node, fields, "category", "tag", tag_id, "one of: " + ", ".join(CATEGORIES)
        )
        if value is None:
            return "topic"
        if value not in CATEGORIES:
            hint = did_you_mean(value, CATEGORIES, CATEGORY_ALIASES)
            if hint.startswith("known values"):
                hint = "write one of: " + ", ".join(CATEGORIES)
            self.problem(fields["category"], f"unknown category '{value}' for tag '{tag_id}'", hint)
            return "topic"
        return value

    def shared_phrases(
        self,
        tag_id: str,
        placed: list[tuple[str, int]],
        owners: dict[tuple[str, ...], tuple[str, int]],
    ) -> None:
        """A name or synonym that another tag already holds (plurals count as equal)."""
        for text, line in placed:
            key = _phrase_key(text)
            owner = owners.setdefault(key, (tag_id, line))
            if owner[0] != tag_id:
                self.problem(
                    line,
                    f"'{text}' is already a name or synonym of tag '{owner[0]}' (line {owner[1]})",
                    "keep it in one tag only",
                )

    # -- shared pieces -----------------------------------------------------------

    def entries(self, node: yaml.Node, field: str, kind: str) -> list[yaml.MappingNode]:
        found = []
        for item in self.items(node, field):
            if not self.visit(item, kind):
                continue
            if not isinstance(item, yaml.MappingNode):
                self.problem(
                    item,
                    f"each {kind} should be a group of fields starting with '- id:'",
                    f"copy an existing {kind} and change its values",
                )
                continue
            found.append(item)
        return found

    def entry_id(self, node: yaml.MappingNode) -> str | None:
        for key, value in node.value:
            if (
                isinstance(key, yaml.ScalarNode)
                and key.value == "id"
                and isinstance(value, yaml.ScalarNode)
                and value.value.strip()
            ):
                return value.value.strip()
        return None

    def id_field(
        self, node: yaml.MappingNode, fields: dict[str, yaml.Node], kind: str, lines: dict[str, int]
    ) -> str | None:
        line = node.start_mark.line + 1
        if "id" not in fields:
            self.problem(
                line, f"a {kind} has no 'id'", f"add 'id: ...' as the first field of the {kind}"
            )
            return None
        value = self.scalar(fields["id"], "id")
        if value is None:
            return None
        line = fields["id"].start_mark.line + 1
        if not schema.ID_RE.match(value):
            self.problem(
                line,
                f"{kind} id '{value}' may only hold a-z, 0-9 and single '-' between words",
                f"write it as '{schema_id_hint(value)}'",
            )
            return None
        if value == "index":  # themes/index.md lists the themes, tags/index.md the tags
            self.problem(
                line,
                f"{kind} id 'index' is the address of the page that lists every {kind}",
                f"give the {kind} another id, such as '{kind}-index'",
            )
            return None
        if value in lines:
            self.problem(
                line,
                f"{kind} id '{value}' is used twice (first on line {lines[value]})",
                f"give one of them another id; record files name a {kind} by its id",
            )
            return None
        lines[value] = line
        return value

    def required(
        self,
        node: yaml.MappingNode,
        fields: dict[str, yaml.Node],
        field: str,
        kind: str,
        term_id: str,
        what: str,
        *,
        multiline: bool = False,
    ) -> str | None:
        if field not in fields:
            self.problem(
                node,
                f"{kind} '{term_id}' has no '{field}'",
                f"add '{field}: ...': {what}",
            )
            return None
        value_node = fields[field]
        if isinstance(value_node, yaml.ScalarNode) and (
            (is_plain(value_node) and value_node.value in NULLS) or not value_node.value.strip()
        ):
            self.visit(value_node, field)
            self.problem(
                value_node,
                f"{kind} '{term_id}' has an empty '{field}'",
                f"write {what}",
            )
            return None
        return self.scalar(value_node, field, multiline=multiline)

    def phrases(
        self, fields: dict[str, yaml.Node], field: str, term_id: str
    ) -> list[tuple[str, int]]:
        """The valid phrases of a list, with their lines."""
        if field not in fields:
            return []
        kept: list[tuple[str, int]] = []
        keys: dict[tuple[str, ...], str] = {}
        for item in self.items(fields[field], field):
            text = self.scalar(item, field)
            if text is None:
                continue
            problem = phrase_problem(text)
            if problem is not None:
                self.problem(item, f"in '{term_id}', {problem}", "rewrite or delete the phrase")
                continue
            key = _phrase_key(text)
            if key in keys:
                self.problem(
                    item,
                    f"in '{term_id}', '{text}' repeats '{keys[key]}' (plurals match anyway)",
                    "delete one of them",
                )
                continue
            keys[key] = text
            kept.append((text, item.start_mark.line + 1))
        return kept


def _phrase_key(text: str) -> tuple[str, ...]:
    """A phrase reduced so that spellings that match the same words compare equal."""
    star = text.endswith("*")
    words = tokens(text[:-1] if star else text)
    if star:
        return (*(singular(w) for w in words[:-1]), words[-1] + "*")
    return tuple(singular(w) for w in words)


def singular(word: str) -> str:
    """A plural word's singular, as far as the matching rules tell them apart."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
