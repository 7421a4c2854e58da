"""Content: every word the code adds has one home, keyed by id, and each id the code
asks for exists; the wording of numbers, citations and errors is exact."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from foracli.content import LOCALES, Words, en, format_number, words
from foracli.core.errors import (
    HandoutError,
    KnowledgeBaseError,
    MissingSectionError,
    NoMatchError,
    NotFoundError,
    PathNotFoundError,
    Problem,
)
from foracli.core.model import (
    ASPECTS,
    SECTIONS,
    Approach,
    AspectValue,
    Certainty,
    Finding,
    Procedure,
    Source,
    StudyType,
)

PACKAGE = Path(__file__).resolve().parent.parent / "foracli"
W = words()
# w.text("id"...), self.words.text("id"...), words(...).text("id"...), and f"prefix.{...}"
# lookups; the prefixed ones are checked through the vocabularies below.
_LOOKUP = re.compile(r"\.text\(\s*(f?)[\"']([^\"'{]+)[\"']")


def ids_the_code_asks_for() -> set[str]:
    """Every literal message id in foracli's source."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for formatted, key in _LOOKUP.findall(path.read_text(encoding="utf-8")):
            if not formatted:
                found.add(key)
    return found


def test_every_id_the_code_asks_for_is_in_the_catalogue():
    """A typo in an id fails here, not on a patient's screen."""
    missing = sorted(ids_the_code_asks_for() - set(en.MESSAGES))
    assert missing == []
    assert len(ids_the_code_asks_for()) > 30  # the scan itself found the lookups


def test_every_vocabulary_key_has_its_words():
    """Each section, aspect, certainty, finding and study kind is worded."""
    for spec in SECTIONS:
        assert W.section_title(spec.key)
    for aspect in ASPECTS:
        assert W.aspect_label(aspect.key)
    for certainty in Certainty:
        assert W.certainty(certainty)
    for finding in Finding:
        assert W.finding(finding, "X")
    for kind in StudyType:
        assert en.MESSAGES[f"study.{kind.value}"]


def test_section_titles_and_accepted_names_agree():
    """A title, as a user would type it, is an accepted name of its section or aspect."""
    from foracli.core.text import normalise_name

    for spec in SECTIONS:
        title = normalise_name(W.section_title(spec.key))
        assert title == spec.key or title in spec.aliases, spec.key
    for aspect in ASPECTS:
        label = normalise_name(W.aspect_label(aspect.key))
        assert label == aspect.key or label in aspect.aliases, aspect.key


def test_care_without_surgery_reads_differently():
    """'What the treatment involves', not 'What happens during surgery', for non-surgical care."""
    assert W.section_title("steps") == "What happens during surgery"
    assert W.section_title("steps", Approach.NON_SURGICAL) == "What the treatment involves"
    assert W.section_title("risks", Approach.NON_SURGICAL) == "Possible risks"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (AspectValue("x", (), low=50, high=116, unit="minutes"), "50 to 116 minutes"),
        (AspectValue("x", (), low=1, high=1, unit="days"), "1 day"),
        (AspectValue("x", (), low=0, high=1, unit="days"), "0 to 1 day"),
        (AspectValue("x", (), low=0, high=2, unit="days"), "0 to 2 days"),
        (AspectValue("x", (), low=5, unit="in 100"), "about 5 in 100 people"),
        (AspectValue("x", (), low=3, high=7, unit="in 100"), "about 3 to 7 in 100 people"),
        (AspectValue("x", (), low=0.8, high=1200, unit="mL"), "0.8 to 1,200 mL"),
        (AspectValue("x", (), low=2, unit="cm", text="one cut"), "2 cm (one cut)"),
        (AspectValue("x", (), text="Usually asleep."), "Usually asleep."),
        (AspectValue("x", ()), "no good data"),
    ],
)
def test_amounts_read_as_written_on_the_page(value, expected):
    """Ranges, singulars, 'in 100 people', thousands separators, the text in brackets."""
    assert W.amount(value) == expected


def test_amounts_without_their_text_for_bars():
    """Bars show the number alone; the text stays in the table cell."""
    value = AspectValue("x", (), low=2, unit="cm", text="one cut")
    assert W.amount(value, with_text=False) == "2 cm"


@pytest.mark.parametrize(
    ("number", "text"), [(1.0, "1"), (0.8, "0.8"), (1200, "1,200"), (2.25, "2.25")]
)
def test_numbers_drop_needless_decimals(number, text):
    assert format_number(number) == text


def source(**fields: object) -> Source:
    return Source(id="s", title="A study", type=StudyType.RCT, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "citation"),
    [
        ({}, "A study."),
        ({"authors": "Kim A", "year": 2020}, "Kim A. A study. 2020."),
        ({"journal": "Spine 2020;1:2", "year": 2020}, "A study. Spine 2020;1:2."),
        (
            {"doi": "10.1/x", "pmid": "123", "url": "https://e.org"},
            "A study. doi:10.1/x; PMID 123.",
        ),
        ({"url": "https://e.org"}, "A study. https://e.org."),
    ],
)
def test_citations_give_identifiers_before_links(fields, citation):
    """Authors, title, journal and year once each; DOI and PMID before any link."""
    assert W.citation(source(**fields)) == citation


def test_evidence_labels_and_summaries():
    """What a clinician weighs: kind, level, size and result."""
    plain = source()
    assert W.evidence_label(plain) == "randomised trial"
    rich = source(level=2, participants=1200, result="No clear difference.")
    assert W.evidence_label(rich) == "randomised trial, evidence level 2"
    assert W.evidence_summary(rich) == (
        "randomised trial, evidence level 2, 1,200 people: No clear difference."
    )


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            NotFoundError("procedure", "opn", ["open"]),
            "unknown procedure 'opn'; did you mean 'open'?",
        ),
        (NotFoundError("term", "x", ["a", "b"]), "unknown term 'x'; did you mean 'a' or 'b'?"),
        (NotFoundError("aspect", "zz", []), "unknown aspect 'zz'"),
        (MissingSectionError("open", "risks"), "procedure 'open' has no section 'risks'"),
        (
            NoMatchError("qq"),
            "nothing matches 'qq'; try fewer or plainer words, "
            "or 'foracli glossary' for the terms used",
        ),
        (PathNotFoundError("x.yaml"), "no such knowledge-base file or folder: x.yaml"),
        (
            PathNotFoundError("d", "Permission denied"),
            "cannot read knowledge-base path d: Permission denied",
        ),
        (
            HandoutError("exists", output="h.html"),
            "'h.html' already exists; use --force to replace it",
        ),
        (
            KnowledgeBaseError([Problem("a.yaml", 1, 2, "bad"), Problem("b.yaml", 3, 4, "worse")]),
            "a.yaml:1:2: bad (and 1 more problem)",
        ),
        (
            KnowledgeBaseError([Problem("a.yaml", 1, 2, "bad")] * 3),
            "a.yaml:1:2: bad (and 2 more problems)",
        ),
    ],
)
def test_every_error_is_one_worded_line(error, line):
    """Errors carry data; content words each kind in one line."""
    assert W.error_lines(error) == [line]


def test_problems_from_content_rules_are_worded_by_key():
    """A content rule reports a key and fields; the message comes from the catalogue."""
    problem = Problem("p.yaml", 1, 1, "", "warning", key="uncited", fields=(("id", "s1"),))
    assert str(W.problem(problem)) == "p.yaml:1:1: warning: source 's1' is not cited anywhere"
    plain = Problem("p.yaml", 2, 3, "as written")
    assert W.problem(plain) is plain


@pytest.mark.parametrize(
    ("severities", "summary"),
    [
        ([], "no problems found"),
        (["error"], "1 error, 0 warnings in 1 file"),
        (["warning", "warning"], "0 errors, 2 warnings in 1 file"),
    ],
)
def test_validate_summaries_count_with_plurals(severities, summary):
    problems = [Problem("a.yaml", 1, 1, "m", s) for s in severities]
    assert W.summary(problems) == summary


def test_review_line_takes_the_earliest_dates():
    """Across the shown procedures, the oldest review and the soonest next review."""

    def procedure(reviewed: dt.date, due: dt.date) -> Procedure:
        return Procedure("p", "P", (), Approach.OPEN, (), "s", reviewed, due, (), aspects={})

    procs = [
        procedure(dt.date(2026, 3, 1), dt.date(2029, 1, 1)),
        procedure(dt.date(2026, 1, 5), dt.date(2028, 6, 1)),
    ]
    assert W.review(procs) == "Last reviewed: 2026-01-05. Next review due: 2028-06-01."


def test_only_known_locales_are_looked_up():
    """English is the only wording for now; another locale is a clear error, not English."""
    assert LOCALES == ("en",)
    assert isinstance(words("en"), Words)
    with pytest.raises(ValueError, match="no wording for locale 'xx'"):
        words("xx")
