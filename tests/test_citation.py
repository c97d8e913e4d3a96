"""APA references: exact strings for the seed records, honest gaps, safe HTML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.citation import apa, apa_html, citeproc_item
from generator.model import Person, Record
from tests.test_exports import BY_ID, SEEDS, hostile_name, hostile_text

MAK = (
    "Mak, W. W. S., Fu, A. C. M., Auyeung, L., Cheng, W. W. L., Chan, R. C. H., et al. (2021). "
    "{i}Nine-Month Longitudinal Impact of Peer Support Workers’ Recovery Attributes on "
    "Service Users’ Recovery in Hong Kong{/i}. appi.ps.2020000."
)
TSE = "Tse, S., Yuen, W. W. Y., Murray, G., Davidson, L., Lai, Q., et al. (2019). {i}19{/i}(1)."
HODGES = (
    "Hodges, J. Q. (2007). {i}Peer Support Among Consumers of Professional Mental Health "
    "Services{/i}. {i}14{/i}(3), 81–92."
)
LEEMEIJER = "Leemeijer, A., {amp} Noordegraaf, M. (n.d.)."
NO_AUTHORS = (
    "{i}Mental Health Professionals Working Collaboratively With Patients to Educate "
    "{amp} Promote Peer Support{/i}. (2001)."
)


def as_text(template: str) -> str:
    return template.format(i="", **{"/i": ""}, amp="&")


def as_html(template: str) -> str:
    return template.format(i="<i>", **{"/i": "</i>"}, amp="&amp;")


@pytest.mark.parametrize(
    ("record_id", "expected"),
    [
        # title, cut author list, article number, no journal
        ("mak-2021", MAK),
        # no title, cut author list, volume and issue
        ("tse-2019", TSE),
        # title, one author, pages
        ("hodges-2007", HODGES),
        # no year, no volume, no title
        ("leemeijer-nd", LEEMEIJER),
        # no authors: the title takes their place, once
        ("mental-health-professionals-2001", NO_AUTHORS),
    ],
)
def test_apa_reference_of_seed_records(record_id, expected):
    record = BY_ID[record_id]
    assert apa(record) == as_text(expected)
    assert apa_html(record) == as_html(expected)


def test_a_journal_article_with_an_article_number_and_a_doi():
    record = Record(
        id="mak-2021",
        title="Peer workers in teams",
        authors=(Person("Winnie W. S. Mak"),),
        et_al=True,
        year=2021,
        journal="Psychiatric Services",
        volume="72",
        issue="3",
        pages="appi.ps.2020000",
        doi="10.1176/appi.ps.202000034",
    )
    assert apa(record) == (
        "Mak, W. W. S., et al. (2021). Peer workers in teams. Psychiatric Services, 72(3), "
        "Article appi.ps.2020000. https://doi.org/10.1176/appi.ps.202000034"
    )
    assert apa_html(record) == (
        "Mak, W. W. S., et al. (2021). Peer workers in teams. <i>Psychiatric Services</i>, "
        "<i>72</i>(3), Article appi.ps.2020000. https://doi.org/10.1176/appi.ps.202000034"
    )


def test_no_authors_in_a_journal_puts_the_plain_title_first_and_keeps_its_question_mark():
    record = Record(
        id="x-2001", title="What do peer workers do?", journal="Mental Health Review", year=2001
    )
    assert apa_html(record) == "What do peer workers do? (2001). <i>Mental Health Review</i>."


def test_an_issue_range_takes_an_en_dash():
    assert apa(BY_ID["lau-2007"]).endswith("(2007). 29(9–10), 984–986.")


def test_a_cut_list_of_more_than_19_names_keeps_19_and_ends_with_et_al():
    authors = tuple(Person(f"Ann Q. Author{i}") for i in range(25))
    cut = apa(Record(id="x-2020", title="Many", authors=authors, et_al=True, year=2020))
    assert cut.endswith("Author17, A. Q., Author18, A. Q., et al. (2020). Many.")
    assert "Author19" not in cut
    # A full list of 21 or more is APA's own: the first 19, an ellipsis, the last.
    full = apa(Record(id="x-2020", title="Many", authors=authors, year=2020))
    assert full.endswith("Author18, A. Q., … Author24, A. Q. (2020). Many.")


def test_nothing_but_a_year_and_a_volume_still_says_only_what_is_known():
    record = Record(id="x-2001", authors=(Person("Jean-Paul Sartre"),), volume="3", issue="2")
    assert apa(record) == "Sartre, J.-P. (n.d.). 3(2)."


def test_the_item_given_to_citeproc_is_the_exported_one_reshaped_only_where_documented():
    item = citeproc_item(BY_ID["mental-health-professionals-2001"])
    assert "title" not in item
    assert item["author"] == [
        {"literal": f"\ue000{BY_ID['mental-health-professionals-2001'].title}\ue001"}
    ]
    assert citeproc_item(BY_ID["mak-2021"])["page"] == "appi.ps.2020000"


def test_every_seed_record_has_a_reference_and_the_same_one_every_time():
    first = [apa_html(r) for r in SEEDS]
    assert all(first) and len(set(first)) == len(SEEDS)
    assert [apa_html(r) for r in reversed(SEEDS)] == first[::-1]


def test_record_text_cannot_add_markup():
    record = Record(
        id="x-2020",
        title="<script>alert(1)</script> & \ue000not italic\ue001",
        authors=(Person("O'<b>Neil"),),
        journal='J <i>x</i> "q"',
        year=2020,
        url="https://example.org/?a=1&b=<2>",
    )
    assert apa_html(record) == (
        "O&#x27;&lt;b&gt;Neil. (2020). &lt;script&gt;alert(1)&lt;/script&gt; &amp; not italic. "
        "<i>J &lt;i&gt;x&lt;/i&gt; &quot;q&quot;</i>. https://example.org/?a=1&amp;b=&lt;2&gt;"
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag if not attrs else f"{tag}+attrs")

    def handle_startendtag(self, tag, attrs):
        self.tags.append(f"{tag}/")


@settings(max_examples=150, deadline=None)
@given(
    title=st.none() | hostile_text,
    names=st.lists(hostile_name, max_size=3),
    journal=st.none() | hostile_text,
    et_al=st.booleans(),
)
def test_hostile_records_give_html_with_only_italics_and_the_same_text(
    title, names, journal, et_al
):
    record = Record(
        id="x-2020",
        title=title,
        authors=tuple(Person(n) for n in names),
        et_al=et_al,
        journal=journal,
        year=2020,
    )
    out = apa_html(record)
    parser = _Tags()
    parser.feed(out)
    assert set(parser.tags) <= {"i"}
    assert html.unescape(re.sub(r"</?i>", "", out)) == apa(record)
    assert not re.search("[\ue000-\ue002]", apa(record))


# -- the cache of formatted references (.cache/apa-references.json) ---------------------


@pytest.fixture
def fresh_cache(monkeypatch):
    """An empty in-memory cache, so each test sees only what it loads."""
    from generator import citation

    monkeypatch.setattr(citation, "_formatted", {})
    monkeypatch.setattr(citation, "_loaded_from_disk", {})
    return citation


def test_a_saved_cache_gives_the_same_references_without_formatting(
    fresh_cache, tmp_path, monkeypatch
):
    citation = fresh_cache
    expected = {r.id: (apa(r), apa_html(r)) for r in SEEDS}
    cache = tmp_path / ".cache" / "apa-references.json"
    citation.save_cache(cache, SEEDS)
    monkeypatch.setattr(citation, "_formatted", {})

    def no_citeproc(item_json: str) -> str:
        raise AssertionError("formatted again instead of read from the cache")

    monkeypatch.setattr(citation, "_citeproc", no_citeproc)
    citation.load_cache(cache)
    assert {r.id: (apa(r), apa_html(r)) for r in SEEDS} == expected


def test_a_cache_from_another_formatter_or_with_foreign_text_is_not_used(fresh_cache, tmp_path):
    import json

    citation = fresh_cache
    record = BY_ID["tse-2019"]
    expected = apa_html(record)
    key = citation._key(record)
    cache = tmp_path / "apa-references.json"
    for version, text in (
        ("citeproc-py 0.0; another format", "Wrong, A. (1999)."),
        (citation.cache_version(), "\ue000Tse <script>x</script> \ue002"),  # unclosed italics
        (citation.cache_version(), "Tse, S. \ue002"),  # the placeholder author
    ):
        citation._formatted.clear()
        cache.write_text(json.dumps({"version": version, "references": {key: text}}), "utf-8")
        citation.load_cache(cache)
        assert apa_html(record) == expected, (version, text)


def test_an_unreadable_cache_is_ignored(fresh_cache, tmp_path):
    cache = tmp_path / "apa-references.json"
    for text in ("", "not json", "[]", '{"version": 1}', '{"references": []}'):
        cache.write_text(text, encoding="utf-8")
        fresh_cache.load_cache(cache)
    assert apa(BY_ID["tse-2019"]).startswith("Tse, S.")


def test_references_formatted_on_several_cores_are_the_same(fresh_cache, monkeypatch):
    citation = fresh_cache
    monkeypatch.setattr(citation, "PARALLEL_FROM", 2)
    monkeypatch.setattr(citation, "_TASK_SIZE", 5)  # several tasks, some still running
    with citation.formatting_ahead(SEEDS, cores=3) as formatting:
        assert formatting == len(SEEDS)
        # Asked for while the workers format: it waits for its own task only.
        asked_early = apa_html(SEEDS[-1])
        assert len(citation._pending) == len(SEEDS) - 2  # the other tasks' references
    assert not citation._pending and not citation._tasks
    # Leaving the block kept every reference: none is formatted here again.
    formatter = citation._citeproc
    monkeypatch.setattr(citation, "_citeproc", None)
    parallel = {r.id: apa_html(r) for r in SEEDS}
    monkeypatch.setattr(citation, "_citeproc", formatter)
    monkeypatch.setattr(citation, "_formatted", {})
    with citation.formatting_ahead(SEEDS, cores=1) as formatting:
        assert formatting == len(SEEDS)
    assert {r.id: apa_html(r) for r in SEEDS} == parallel
    assert apa_html(SEEDS[-1]) == asked_early
    with citation.formatting_ahead(SEEDS, cores=3) as formatting:
        assert formatting == 0  # nothing left to format
