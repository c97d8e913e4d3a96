"""The hostile-input battery: every case run end to end through the command line.

Each case is a fixture in fixtures/hostile_inputs/ (or fixtures/broken/, or made here
when a file cannot be committed portably: 20 MB, Windows device names, names equal
ignoring case or Unicode form, BOM and CRLF bytes) with its expected outcome:

- ``site``: the record builds (``python -m generator build``), and its page shows the
  text literally: no element, attribute, link, inclusion or template evaluation comes
  of it. All site cases share one build.
- ``check``: ``check`` names the file, the line and the fix, exactly; ``build`` refuses
  with the same lines and writes nothing.
- ``import``: ``import`` of an export file fails with a clear message and writes
  nothing, or imports records that then pass ``check``.

For every case: no traceback, the expected exit status, and nothing written outside
the project's generated ``docs/`` pages and ``site/`` (the tree is compared before and
after, outside the project too). No file outside ``docs/`` is ever read into a page.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator import cli
from generator.sitecheck import check_links
from generator.write import MANIFEST, read_manifest
from tests.conftest import BROKEN, FIXTURES, SOURCE_DATE_EPOCH, run_cli
from tests.site_checks import classify, html_errors
from tests.site_project import ROOT, make_project
from tests.test_check_messages import EXPECTED, EXPECTED_AMONG, INVISIBLE, SAVE_AS_UTF8

HOSTILE = FIXTURES / "hostile_inputs"
FIX_SYNTAX = "check the indentation and the ': ' after each field name; put a value holding ': ' or starting with a special character in quotes"
TAG_FIX = "remove the tag; record files hold plain text only"
# What a page would hold if a file outside docs/ were included into it.
LEAKS = ("root:x:0:0", "generator/mkdocs_hook.py", "NO_MKDOCS_2_WARNING")


def tree(folder: Path) -> dict[str, str]:
    """Every file and link under ``folder`` (links not followed): path -> digest."""
    found: dict[str, str] = {}
    for top, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(top) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = f"link -> {os.readlink(path)}"
            elif path.is_file():
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[relative] = "folder"
    return found


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


def assert_clean_run(result, status: int) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert "internal error" not in result.stderr, result.stderr
    assert result.returncode == status, f"{result.returncode}\n{result.stdout}\n{result.stderr}"


# -- site: shown literally ---------------------------------------------------------------


@dataclass(frozen=True)
class SiteCase:
    record_id: str
    shown: tuple[str, ...]  # in the record page's text, exactly (white space folded)
    not_shown: tuple[str, ...] = ()  # nowhere in the page's text


SITE_CASES = [
    SiteCase(
        "raw-html-2020",
        (
            "<script>alert('title')</script> </title><img src=x onerror=alert(1)> <b>HOSTILE-b</b>",
            "<b onmouseover=alert(2)>Eve</b> Mallory",
            '<iframe src="https://evil.example"></iframe> and <img src=x onerror=alert(5)>',
            "<style>body{display:none}</style> <!-- a comment --> <![CDATA[ x ]]> <?php echo 1; ?>",
            "&amp; &lt;b&gt; &#60;script&#62; &#x3C;i&#x3E;HOSTILE-i&#x3C;/i&#x3E;",
        ),
    ),
    SiteCase(
        "markdown-syntax-2020",
        (
            "[a link](javascript:alert(1)) ![an image](data:text/html;base64,PHNjcmlwdD4=)",
            "[Click](javascript:alert(3)) Smith",
            "[HOSTILE-ref][1] and <https://evil.example/autolink> and https://evil.example/bare.",
            "[1]: javascript:alert(2)",
            "*HOSTILE-em* **HOSTILE-strong** _HOSTILE-u_ `HOSTILE-code` \\*escaped\\*",
            "# HOSTILE-heading HOSTILE-setext === > HOSTILE-quote 1. HOSTILE-ordered - HOSTILE-bullet",
            "```python HOSTILE-fenced ``` --- *** [^HOSTILE-note]: a footnote",
        ),
    ),
    SiteCase(
        "attr-list-2020",
        (
            "Attribute lists {: #evil-id .evil-class onclick=alert(1) }",
            "Ann {: .evil-class } Braces",
            'A paragraph {: #evil-id .evil-class style="color:red" } {#evil-id .evil-class onclick=alert(9)}',
            '!!! warning "HOSTILE-admonition" HOSTILE-admonition body',
            '<div markdown="1" class="evil-class">HOSTILE-md-in-html</div>',
        ),
    ),
    SiteCase(
        "pymdown-2020",
        (
            ":smile: $e=mc^2$ ++ctrl+alt+del++",
            '--8<-- "mkdocs.yml" --8<-- "/etc/passwd" --8<-- "../../../../../etc/hostname"',
            ';--8<-- "mkdocs.yml" --8<-- mkdocs.yml /etc/passwd --8<--',
            "Inline $x^2$ and display $$\\int_0^1 x\\,dx$$ and \\(y\\) and :material-account: :smile:",
            "==HOSTILE-mark== ^^HOSTILE-ins^^ ~~HOSTILE-del~~ ~HOSTILE-sub~ ^HOSTILE-sup^",
            '??? note "HOSTILE-details" /// details | HOSTILE-block ///',
            "[[HOSTILE-wiki]] {++HOSTILE-critic++}",
        ),
        LEAKS,
    ),
    SiteCase(
        "jinja-2020",
        (
            "{{ 7*7 }} {% raw %} {{ config.site_name }}",
            "{{ 6*7 }} Jinja",
            "{{ 7*'7' }} {% for x in range(3) %}HOSTILE-loop{% endfor %} {# a comment #}",
            '{% include "mkdocs.yml" %} {{ lipsum() }} {{ self.__init__.__globals__ }}',
            "{{ page.title }} {{ macros_info() }} {% endraw %} ${{ 6*7 }} {%- if true -%}x{%- endif -%}",
        ),
        (
            "HOSTILE-loopHOSTILE-loop",
            "7777777",
            "Peer support in mental health – a reading list {%",
            *LEAKS,
        ),
    ),
    SiteCase(
        "front-matter-2020",
        (
            "title: hacked",
            "--- title: HOSTILE-front-matter template: main.html --- The text after the fake front matter.",
        ),
    ),
    SiteCase(
        "yaml-typing-2020",
        ("Yes", "on", "0x1F 1e3 ~ null .inf 2020-02-30 12:30:45", "3.10", "010", "1:20"),
        ("False", "True", "None", "4800"),
    ),
    SiteCase(
        "table-pipes-2020",
        (
            "Pipes | in | a | title",
            "Pat | Pipe",
            "| HOSTILE-col | col | | --- | --- | | x | y | a | b -|- 1 | 2",
        ),
    ),
    SiteCase(
        "url-breakout-2020",
        ("Addresses that try to break out", '10.1000/x"><img/src=x/onerror=alert(1)>'),
    ),
    SiteCase("source-path-2020", ("A source pointing outside the project",), LEAKS),
    SiteCase(
        "path-names-2020",
        ("../../../etc/passwd", "..\\..\\windows\\win.ini", "CON", "~root"),
    ),
    # Made by the test: a UTF-8 byte-order mark and CRLF line ends (see battery_site).
    SiteCase("bom-crlf-2020", ("A record saved with a BOM and CRLF line ends", "Windows Editor")),
]
TITLES = {  # the h1 of each record page, exactly
    "raw-html-2020": "<script>alert('title')</script> </title><img src=x onerror=alert(1)> <b>HOSTILE-b</b>",
    "front-matter-2020": "---",
    "yaml-typing-2020": "NO",
    "jinja-2020": "{{ 7*7 }} {% raw %} {{ config.site_name }}",
}
BOM_CRLF_RECORD = (
    "id: bom-crlf-2020\r\ntitle: A record saved with a BOM and CRLF line ends\r\n"
    "authors:\r\n  - Windows Editor\r\nyear: 2020\r\nabstract: |-\r\n  Line one.\r\n  Line two.\r\n"
)
# Only these elements may hold record text; HOSTILE-... markers in anything else
# (emphasis, code, headings but the title, lists, quotes, tables, boxes) are markup
# that came from a record.
TEXT_ELEMENTS = {"p", "h1", "a", "title", "li", "span", "div", "article", "td", "th"}
MARKUP_FROM_MARKERS = {
    "em",
    "strong",
    "b",
    "i",
    "u",
    "code",
    "pre",
    "kbd",
    "mark",
    "ins",
    "del",
    "sub",
    "sup",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ol",
    "ul",
    "table",
    "details",
    "summary",
    "aside",
}


@pytest.fixture(scope="module")
def battery_site(tmp_path_factory):
    """One build of every site case; the tree of the whole run folder before and after."""
    run = tmp_path_factory.mktemp("battery")
    records = run / "records"
    shutil.copytree(HOSTILE / "site", records)
    (records / "bom-crlf-2020.yml").write_bytes(codecs.BOM_UTF8 + BOM_CRLF_RECORD.encode())
    project = make_project(run / "project", records=records)
    (run / "outside").mkdir()
    (run / "outside" / "sentinel.txt").write_text("untouched\n")
    before = tree(run)
    result = run_cli("build", cwd=project, timeout=300)
    return project, result, before, tree(run)


def test_the_site_cases_build_without_a_traceback(battery_site):
    _, result, _, _ = battery_site
    assert_clean_run(result, 0)
    fixtures = {p.stem for p in (HOSTILE / "site").glob("*.yml")} | {"bom-crlf-2020"}
    assert fixtures == {case.record_id for case in SITE_CASES}


def folded(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("case", SITE_CASES, ids=lambda c: c.record_id)
def test_site_case_shows_its_text_literally(case: SiteCase, battery_site):
    project, result, _, _ = battery_site
    assert result.returncode == 0, result.stdout + result.stderr
    page = BeautifulSoup(
        (project / "site" / "records" / case.record_id / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    text = folded(page.select_one("article").get_text(" "))
    for literal in case.shown:
        assert folded(literal) in text, literal
    whole = page.get_text(" ")
    for absent in case.not_shown:
        assert absent not in whole, absent
    if case.record_id in TITLES:
        assert page.select_one("article h1").get_text().rstrip("¶") == TITLES[case.record_id]
    assert "\ufeff" not in whole and "\r" not in whole


def test_no_record_text_becomes_an_element_attribute_or_link(battery_site):
    project, _, _, _ = battery_site
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(project / "site").as_posix()
        for element in page.find_all(True):
            assert element.name not in ("iframe", "object", "embed", "style") or (
                element.name == "style" and "display:none" not in (element.string or "")
            ), (where, element.name)
            if element.name == "script":
                assert "alert" not in (element.string or ""), where
            own = "".join(element.find_all(string=True, recursive=False))
            if "HOSTILE-" in own:
                assert element.name not in MARKUP_FROM_MARKERS, (where, element.name, own[:80])
                assert element.name in TEXT_ELEMENTS, (where, element.name, own[:80])
            for attribute, value in element.attrs.items():
                values = value if isinstance(value, list) else [value]
                assert not attribute.lower().startswith("on"), (where, element.name, attribute)
                for v in values:
                    v = str(v)
                    # Text in a slug or a description is inert; an id or class is not.
                    if attribute in ("id", "class"):
                        assert v not in ("evil-id", "evil-class"), (where, attribute, v)
                    if attribute in ("href", "src", "action", "formaction", "xlink:href"):
                        assert not v.strip().lower().startswith(("javascript:", "data:")), (
                            where,
                            v,
                        )
                        assert "evil.example" not in v, (where, element.name, v)
                    if attribute == "style":
                        assert "color:red" not in v.replace(" ", ""), (where, v)


def test_no_file_outside_docs_is_read_into_a_page(battery_site):
    project, _, _, _ = battery_site
    assert "root:x:0:0" in Path("/etc/passwd").read_text(encoding="utf-8", errors="replace")
    for folder in ("docs", "site"):
        for path in (project / folder).rglob("*"):
            if path.is_file() and path.suffix in (".md", ".html", ".json", ".xml", ".ris", ".bib"):
                text = path.read_text(encoding="utf-8", errors="replace")
                for leak in LEAKS:
                    assert leak not in text, (path, leak)


def test_the_build_writes_only_generated_pages_and_the_site(battery_site):
    project, _, before, after = battery_site
    generated = {f"project/docs/{p}" for p in read_manifest(project / "docs")}
    generated |= {f"project/docs/{MANIFEST}"}
    for path in changes(before, after):
        assert (
            path in generated
            or path.startswith("project/site/")
            or (after.get(path) == "folder" and path.startswith("project/docs/"))
            or path == "project/site"
            # The caches: formatted references, read record files, indexing, rendered pages.
            or path
            in (
                "project/.cache",
                "project/.cache/apa-references.json",
                "project/.cache/record-files.json",
                "project/.cache/record-index.json",
                "project/.cache/rendered-pages.json",
            )
        ), path
    assert all(before[p] == after.get(p) for p in before), "a file that was there changed"
    assert (project.parent / "outside" / "sentinel.txt").read_text() == "untouched\n"


def test_the_hostile_site_has_no_broken_link_or_anchor(battery_site):
    project, _, _, _ = battery_site
    report = check_links(
        project / "site", "https://peer-support-reading-list.github.io/reading-list/"
    )
    print(
        f"\nhostile site: {report.pages} pages, {report.links} internal links checked "
        f"({report.anchors} with an anchor), {len(report.broken)} broken"
    )
    assert report.links > 500
    assert not report.broken, "\n".join(map(str, report.broken[:40]))


@pytest.mark.slow
def test_the_hostile_site_has_no_html_error_of_ours(battery_site):
    project, _, _, _ = battery_site
    site = project / "site"
    pages = sorted(site.rglob("*.html"))
    result = classify(html_errors(site, pages))
    print(
        f"\nHTML checker on {len(pages)} hostile-site pages: {len(result.ours)} errors of ours, "
        f"{sum(result.material.values())} of Material's"
    )
    assert not result.ours, "\n".join(map(str, result.ours[:20]))
    assert not result.over_budget, "\n".join(result.over_budget[:20])


# -- check: refused with file, line and fix ---------------------------------------------


@dataclass(frozen=True)
class Prefix:
    """An expected line given by its start (the rest lists values that change often)."""

    text: str


@dataclass(frozen=True)
class CheckCase:
    name: str
    files: dict[str, bytes | Path]  # file name in records/ -> content or fixture
    expected: list[str | Prefix]  # the whole of `check`'s output, in order
    among: bool = False  # the output holds these lines, and may hold more
    seconds: float = 10.0  # each command must finish within this


def fixture(folder: Path, *names: str) -> dict[str, bytes | Path]:
    return {name: folder / name for name in names}


def broken(name: str) -> CheckCase:
    return CheckCase(name.removesuffix(".yml"), fixture(BROKEN, name), list(EXPECTED[name]))


def mine(name: str, *lines: str | Prefix, among: bool = False) -> CheckCase:
    return CheckCase(name, fixture(HOSTILE / "check", f"{name}.yml"), list(lines), among)


def records(name: str) -> str:
    return f"records/{name}"


CHECK_CASES = [
    # front-matter breakers and YAML 1.1 surprises
    broken("yaml-syntax-2019.yml"),
    broken("et-al-no-2019.yml"),
    broken("impossible-date-2020.yml"),
    mine(
        "second-document-2019",
        "records/second-document-2019.yml:3: a second YAML document starts here ('---'); a record file holds one record: delete this line and what follows, or move it to its own file",
    ),
    # duplicate keys, tags, aliases
    broken("duplicate-keys-2019.yml"),
    broken("python-tag-2019.yml"),
    mine(
        "python-tags-2019",
        f"records/python-tags-2019.yml:2: 'title' has a YAML tag '!!python/object/apply:os.system'; {TAG_FIX}",
        f"records/python-tags-2019.yml:3: 'journal' has a YAML tag '!!python/name:os.system'; {TAG_FIX}",
        f"records/python-tags-2019.yml:4: 'volume' has a YAML tag '!!binary'; {TAG_FIX}",
    ),
    mine(
        "merge-key-2019",
        "records/merge-key-2019.yml:3: '<<' reuses a value with a YAML alias (*); write the value out in full; anchors and aliases are not allowed",
        Prefix("records/merge-key-2019.yml:3: unknown field '<<'; known values: abstract, "),
    ),
    CheckCase(
        "alias-bomb-2019",
        fixture(BROKEN, "alias-bomb-2019.yml"),
        [
            Prefix(
                "records/alias-bomb-2019.yml:12: 'authors' reuses a value with a YAML alias (*); write the value out in full"
            )
        ],
        among=True,
        seconds=5,
    ),
    # control and bidi characters
    broken("escaped-control-character-2019.yml"),
    CheckCase(
        "control-character-2019",
        fixture(BROKEN, "control-character-2019.yml"),
        [
            f"records/control-character-2019.yml:2: 'title' contains an invisible character U+0007 (control character); {INVISIBLE}"
        ],
    ),
    broken("bidi-override-2019.yml"),
    mine(
        "bidi-author-2019",
        f"records/bidi-author-2019.yml:4: 'authors' contains an invisible character U+2066 (LEFT-TO-RIGHT ISOLATE); {INVISIBLE}",
    ),
    CheckCase(
        "nul-byte-2019",
        {"nul-byte-2019.yml": b"id: nul-byte-2019\ntitle: A\x00B\n"},
        [
            f"records/nul-byte-2019.yml:2: 'title' contains an invisible character U+0000 (control character); {INVISIBLE}"
        ],
    ),
    pytest.param(
        CheckCase(
            "line-separator-2019",
            {"line-separator-2019.yml": "id: line-separator-2019\ntitle: A\u2028B\n".encode()},
            [
                f"records/line-separator-2019.yml:2: 'title' contains an invisible character U+2028 (LINE SEPARATOR); {INVISIBLE}"
            ],
        ),
        id="line-separator-2019",
    ),
    # URL fields
    mine(
        "url-javascript-2019",
        "records/url-javascript-2019.yml:3: url 'javascript:alert(1)' is not a web address; write a full address starting with https://",
    ),
    mine(
        "url-data-2019",
        "records/url-data-2019.yml:3: url 'data:text/html,<script>alert(1)</script>' is not a web address; write a full address starting with https://",
    ),
    mine(
        "url-protocol-relative-2019",
        "records/url-protocol-relative-2019.yml:3: url '//evil.example/x' is not a web address; write a full address starting with https://",
    ),
    mine(
        "doi-javascript-2019",
        "records/doi-javascript-2019.yml:3: 'javascript:alert(1)//10.1000/x' is not a DOI; write it as 10.xxxx/yyyy, without https://doi.org/ in front",
    ),
    # path traversal and reserved names
    CheckCase(
        "unsafe-dotdot",
        fixture(BROKEN, "unsafe-dotdot.yml"),
        [EXPECTED_AMONG["unsafe-dotdot.yml"]],
        among=True,
    ),
    CheckCase(
        "unsafe-separator",
        fixture(BROKEN, "unsafe-separator.yml"),
        [EXPECTED_AMONG["unsafe-separator.yml"]],
        among=True,
    ),
    mine(
        "theme-path-2019",
        "records/theme-path-2019.yml:4: '../../etc' is not a theme id; use the lower-case id from the vocabulary, with '-' between words",
        "records/theme-path-2019.yml:6: '<script>' is not a tag id; use the lower-case id from the vocabulary, with '-' between words",
        among=True,
    ),
    broken("index.yml"),
    CheckCase(
        "reserved-device-names",
        {
            f"{name}.yml": f"id: {name}\ntitle: Named {name}\n".encode()
            for name in ("con", "nul", "com1", "lpt9")
        },
        [
            f"records/{name}.yml:1: id '{name}' is a reserved name; add the year, like '{name}-2019'"
            for name in ("com1", "con", "lpt9", "nul")
        ],
    ),
    # ids equal ignoring case or Unicode form
    CheckCase(
        "ids-equal-ignoring-case",
        {
            "tse-2019.yml": b"id: tse-2019\ntitle: One\n",
            "Tse-2019.yml": b"id: Tse-2019\ntitle: Two\n",
        },
        [
            "records/Tse-2019.yml:1: id 'Tse-2019' may only hold a-z, 0-9 and single '-' between words; write it as 'tse-2019'",
            "records/tse-2019.yml:1: the file name equals 'records/Tse-2019.yml' ignoring case and Unicode form; give one record another id and rename its file to match",
        ],
    ),
    CheckCase(
        "ids-equal-under-nfkc",
        {
            "fi-2019.yml": b"id: fi-2019\ntitle: One\n",
            "\ufb01-2019.yml": "id: \ufb01-2019\ntitle: Two\n".encode(),
        },
        [
            "records/\ufb01-2019.yml:1: id '\ufb01-2019' may only hold a-z, 0-9 and single '-' between words; write it as 'fi-2019'",
            "records/\ufb01-2019.yml:1: the file name equals 'records/fi-2019.yml' ignoring case and Unicode form; give one record another id and rename its file to match",
        ],
    ),
    CheckCase(
        "ids-equal-under-nfc-and-nfd",
        {
            unicodedata.normalize(form, "café-2019.yml"): unicodedata.normalize(
                form, f"id: café-2019\ntitle: {form}\n"
            ).encode()
            for form in ("NFC", "NFD")
        },
        [
            Prefix("records/caf"),
            Prefix("records/caf"),
            Prefix("records/caf"),
        ],
    ),
    # encodings, sizes, empty files
    broken("latin-1-2019.yml"),
    broken("utf-16-2019.yml"),
    CheckCase(
        "utf-16-without-bom-2019",
        {
            "utf-16-without-bom-2019.yml": "id: utf-16-without-bom-2019\ntitle: T\n".encode(
                "utf-16-le"
            )
        },
        [
            f"records/utf-16-without-bom-2019.yml:1: the file looks like UTF-16 without a byte-order mark, not UTF-8; {SAVE_AS_UTF8}"
        ],
    ),
    broken("empty-2019.yml"),
    CheckCase(
        "blank-2019",
        {"blank-2019.yml": b"  \r\n\n\t\n"},
        ["records/blank-2019.yml:1: the file is empty; add content or delete the file"],
    ),
    mine(
        "comments-only-2019",
        "records/comments-only-2019.yml:1: the file holds no fields; start from the record template in CONTRIBUTING.md",
    ),
    CheckCase(
        "twenty-megabytes-2019",
        {
            "twenty-megabytes-2019.yml": b"id: twenty-megabytes-2019\ntitle: T\nabstract: "
            + b"x" * (20 * 1024 * 1024)
        },
        [
            "records/twenty-megabytes-2019.yml:1: the file is 20.0 MB; a record file is a few KB; keep only the record's fields in the file"
        ],
        seconds=5,
    ),
    CheckCase(
        "deep-nesting-2019",
        {"deep-nesting-2019.yml": b"[" * 100_000 + b"]" * 100_000},
        [
            "records/deep-nesting-2019.yml:1: the file is nested too deeply; remove the extra brackets or indentation"
        ],
        seconds=5,
    ),
]


def lines_match(lines: list[str], expected: list[str | Prefix], among: bool) -> bool:
    def ok(line: str, want: str | Prefix) -> bool:
        return line.startswith(want.text) if isinstance(want, Prefix) else line == want

    if among:
        return all(any(ok(line, want) for line in lines) for want in expected)
    return len(lines) == len(expected) and all(map(ok, lines, expected))


def case_id(case) -> str:
    return case.name


@pytest.mark.parametrize("case", CHECK_CASES, ids=case_id)
def test_check_case_names_file_line_and_fix_and_build_writes_nothing(
    case: CheckCase, tmp_path, monkeypatch, capsys
):
    empty = tmp_path / "no-records"
    empty.mkdir()
    project = make_project(tmp_path / "project", records=empty)
    folder = project / "records"
    folder.mkdir()
    for name, content in case.files.items():
        data = content.read_bytes() if isinstance(content, Path) else content
        (folder / name).write_bytes(data)
    if len(list(folder.iterdir())) < len(case.files):
        pytest.skip("this file system folds these names into one")
    (tmp_path / "outside").mkdir()
    before = tree(tmp_path)

    # `check` in this process (exact lines, quickly) ...
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    started = time.perf_counter()
    status = cli.main(["check", "--records", "records"])
    assert time.perf_counter() - started < case.seconds
    out = capsys.readouterr()
    assert status == 1
    lines = out.out.splitlines()
    assert lines_match(lines, case.expected, case.among), "\n".join(lines)
    assert all(": " in line and "; " in line for line in lines)  # path:line: what; fix

    # ... and `build` end to end: refused with the same lines, nothing written.
    started = time.perf_counter()
    built = run_cli("build", "--records", "records", cwd=project)
    assert time.perf_counter() - started < case.seconds + 5
    assert_clean_run(built, 1)
    assert built.stdout == out.out
    assert "docs/ is unchanged" in built.stderr
    assert changes(before, tree(tmp_path)) == []  # nothing written, not even docs/


def test_every_check_fixture_has_a_case():
    cases = [c.values[0] if hasattr(c, "values") else c for c in CHECK_CASES]
    named = {n for c in cases for n, content in c.files.items() if isinstance(content, Path)}
    assert {p.name for p in (HOSTILE / "check").iterdir()} <= named


# -- import: a clear message, or records that pass check ----------------------------------


@dataclass(frozen=True)
class ImportCase:
    name: str
    file: str  # in fixtures/hostile_inputs/import/, or made by the test (CRLF)
    status: int
    output: list[str]  # stdout then stderr lines, exactly
    record_holds: dict[str, list[str]] = field(default_factory=dict)  # file -> texts
    record_lacks: tuple[str, ...] = ()


FAILED_1 = "import failed: 1 problem(s); no file was written"
SEED_CRLF = (
    "2021 \u25fd\u00a0\r\nAuthor(s):\u00a0\r\nWin Dows \u25fd\u00a0\r\nMac Intosh\r\n\r\n"
    "An abstract saved on Windows, with a byte-order mark.\r\n\r\n\r\nSign in / Sign up\r\n"
)
IMPORT_CASES = [
    ImportCase(
        "latin-1-export",
        "latin-1.txt",
        1,
        [f"latin-1.txt:4: the file is not UTF-8 (byte 0xEB at column 3); {SAVE_AS_UTF8}", FAILED_1],
    ),
    ImportCase(
        "utf-16-export-with-bom",
        "utf-16-bom.ris",
        0,
        ["added 1 record(s) to records; 0 already present"],
        {"muller-2021.yml": ["title: Peer support read from a UTF-16 export", "Jürgen Müller"]},
    ),
    ImportCase(
        "utf-16-export-without-bom",
        "utf-16-no-bom.ris",
        1,
        [
            f"utf-16-no-bom.ris:1: the file looks like UTF-16 without a byte-order mark, not UTF-8; {SAVE_AS_UTF8}",
            FAILED_1,
        ],
    ),
    ImportCase(
        "bom-and-crlf-export",
        "bom-crlf.txt",
        0,
        ["added 1 record(s) to records; 0 already present"],
        {
            "dows-2021.yml": [
                "  - Win Dows\n  - Mac Intosh\n",
                "An abstract saved on Windows, with a byte-order mark.\n",
            ]
        },
        ("\r", "\ufeff"),
    ),
    ImportCase(
        "empty-export",
        "empty.ris",
        1,
        ["empty.ris:1: the file is empty; add content or delete the file", FAILED_1],
    ),
    ImportCase(
        "unknown-format",
        "export.docx",
        1,
        [
            "export.docx: unknown export format '.docx'; import files ending in .bib, .ris, .txt",
            FAILED_1,
        ],
    ),
    ImportCase(
        "javascript-doi-in-ris",
        "javascript-url.ris",
        1,
        [
            "javascript-url.ris:5: warning: 'UR  - javascript:alert(1)' is not a web address and was left out; check the record's address (it must start with https://)",
            "javascript-url.ris:6: 'DO  - javascript:alert(2)' is not a DOI; write it as 'DO  - 10.xxxx/yyyy', or delete the line",
            FAILED_1,
        ],
    ),
    ImportCase(
        "hostile-text-in-seed-export",
        "hostile-text.txt",
        0,
        ["added 1 record(s) to records; 0 already present"],
        {
            "b-hostile-b-2020.yml": [
                "Zoë <b>Hostile</b>",
                "Jane {{ 7*7 }} Doe",
                '<script>alert(1)</script> --8<-- "/etc/passwd" {: onclick=alert(2) } [x](javascript:alert(3)) :smile: $x$ | a | b |',
            ]
        },
        ("root:x:0:0",),
    ),
    ImportCase(
        "latex-input-and-data-url-in-bibtex",
        "hostile.bib",
        0,
        [
            "hostile.bib:7: warning: url = {data:text/html,<script>alert(1)</script>} is not a web address and was left out; check the entry's address (it must start with https://)",
            "added 1 record(s) to records; 0 already present",
        ],
        {"doe-2021.yml": ["<script>alert(1)</script>", "  - Eve Evil"]},
        ("root:x:0:0", "data:", "\\input", "url:"),
    ),
    ImportCase(
        "deeply-nested-braces-in-bibtex",
        "deep-braces.bib",
        0,
        ["added 1 record(s) to records; 0 already present"],
    ),
]


@pytest.mark.parametrize("case", IMPORT_CASES, ids=lambda c: c.name)
def test_import_case_fails_clearly_or_imports_records_that_pass_check(case: ImportCase, tmp_path):
    project = tmp_path / "project"
    (project / "records").mkdir(parents=True)
    (project / "seeds").mkdir()
    for vocabulary in ("themes.yml", "tags.yml"):
        shutil.copy2(ROOT / "seeds" / vocabulary, project / "seeds" / vocabulary)
    if case.file == "bom-crlf.txt":
        (project / case.file).write_bytes(codecs.BOM_UTF8 + SEED_CRLF.encode())
    else:
        shutil.copy2(HOSTILE / "import" / case.file, project / case.file)
    (tmp_path / "outside").mkdir()
    before = tree(tmp_path)

    started = time.perf_counter()
    result = run_cli("import", "--records", "records", case.file, cwd=project)
    assert time.perf_counter() - started < 10
    assert_clean_run(result, case.status)
    assert [*result.stdout.splitlines(), *result.stderr.splitlines()] == case.output
    changed = changes(before, tree(tmp_path))
    if case.status:
        assert changed == []
        return
    assert changed and all(p.startswith("project/records/") for p in changed), changed
    for name, texts in case.record_holds.items():
        text = (project / "records" / name).read_text(encoding="utf-8")
        for expected in texts:
            assert expected in text, (name, expected)
    for path in (project / "records").iterdir():
        raw = path.read_bytes().decode("utf-8")
        for absent in case.record_lacks:
            assert absent not in raw, (path.name, absent)
    checked = run_cli("check", "--records", "records", cwd=project)
    assert_clean_run(checked, 0)


def test_import_says_when_it_drops_an_unsafe_web_address(tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "j.ris").write_text(
        "TY  - JOUR\nTI  - A javascript address\nAU  - Doe, Jane\nPY  - 2021\n"
        "UR  - javascript:alert(1)\nER  - \n",
        encoding="utf-8",
    )
    result = run_cli("import", "--records", "records", "j.ris", cwd=tmp_path)
    assert "j.ris:5:" in result.stdout + result.stderr


def test_every_import_fixture_has_a_case():
    assert {p.name for p in (HOSTILE / "import").iterdir()} == {c.file for c in IMPORT_CASES} - {
        "bom-crlf.txt"
    }
