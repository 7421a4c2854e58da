"""Name resolution, section picks and comparisons, independent of output."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foracli.content import words
from foracli.core import query
from foracli.core.errors import NotFoundError
from foracli.core.model import ASPECT_KEYS

W = words()


@pytest.mark.parametrize(
    "name",
    [
        "keyhole",
        "KEYHOLE",
        "Keyhole surgery",
        "keyhole-surgery",
        "keyhole_surgery",
        "  Keyhole   Surgery ",
        "keyhole op",
        "ks",
        "key hole",
        "KEY-HOLE",
    ],
)
def test_resolve_procedure_by_id_name_alias_any_case(fixture_kb, name):
    """Ids, names and aliases match regardless of case, hyphens, spaces and underscores."""
    assert query.resolve_procedure(fixture_kb, name).id == "keyhole"


def test_unknown_procedure_suggests_close_names(fixture_kb):
    """A typo gets did-you-mean suggestions, never a silent guess."""
    with pytest.raises(NotFoundError) as caught:
        query.resolve_procedure(fixture_kb, "keyhol")
    assert W.error(caught.value) == "unknown procedure 'keyhol'; did you mean 'keyhole'?"


def test_unknown_procedure_without_close_match(fixture_kb):
    """Nothing close: the message says so plainly."""
    with pytest.raises(NotFoundError) as caught:
        query.resolve_procedure(fixture_kb, "appendectomy")
    assert W.error(caught.value) == "unknown procedure 'appendectomy'"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("steps", "steps"),
        ("STEPS", "steps"),
        ("during", "steps"),
        ("Red flags", "red-flags"),
        ("when_to_call", "red-flags"),
        ("complications", "risks"),
        ("What it is", "what"),
        ("key points", "key-points"),
        ("summary", "key-points"),
        ("after", "recovery"),
    ],
)
def test_resolve_section_by_key_title_or_alias(typed, key):
    """Section names match case-insensitively and by their documented aliases."""
    assert query.resolve_section(typed) == key


def test_unknown_section_suggests(fixture_kb):
    """A mistyped section suggests the closest names."""
    with pytest.raises(NotFoundError) as caught:
        query.resolve_section("recovry")
    assert W.error(caught.value) == "unknown section 'recovry'; did you mean 'recovery'?"


def test_explain_keeps_the_asked_order_and_drops_repeats(fixture_kb):
    """Sections come in the order asked; a repeat (even by alias) is shown once."""
    view = query.explain(fixture_kb, "keyhole", ["recovery", "steps", "after"])
    assert [s.key for s in view.sections] == ["recovery", "steps"]
    assert [s.id for s in view.sources] == ["practice-page"]
    assert not view.complete


def test_explain_all_sections_in_fixed_order(fixture_kb):
    """With no section asked, every section comes in the fixed order."""
    view = query.explain(fixture_kb, "keyhole")
    assert [s.key for s in view.sections] == ["what", "steps", "benefits", "risks", "recovery"]
    assert [s.id for s in view.sources] == ["series-2019", "trial-2020", "practice-page"]


def test_explain_section_the_procedure_lacks(fixture_kb):
    """A known section missing from a procedure is a not-found error naming both."""
    with pytest.raises(NotFoundError) as caught:
        query.explain(fixture_kb, "open", ["risks"])
    assert W.error(caught.value) == "procedure 'open-op' has no section 'risks'"


def test_compare_has_every_aspect_row_with_gaps_as_none(fixture_kb):
    """Every aspect is a row; a missing value is None, never dropped."""
    view = query.compare(fixture_kb, ["open", "keyhole"])
    assert [p.id for p in view.procedures] == ["open-op", "keyhole"]
    assert tuple(r.spec.key for r in view.rows) == ASPECT_KEYS
    incision = view.rows[0]
    assert [v.low if v else None for v in incision.values] == [3, 0.8]
    blood = next(r for r in view.rows if r.spec.key == "blood-loss")
    assert blood.values == (None, None)


def test_compare_attaches_head_to_head_findings(fixture_kb):
    """A comparison recorded in either file shows on its aspect's row."""
    view = query.compare(fixture_kb, ["open", "keyhole"])
    row = next(r for r in view.rows if r.spec.key == "complications")
    (match,) = row.head_to_head
    assert match.subject.id == "keyhole"
    assert match.finding.finding.value == "no-difference"


def test_compare_same_procedure_twice_is_one_column(fixture_kb):
    """Two names for one procedure give one column."""
    view = query.compare(fixture_kb, ["keyhole", "KS"])
    assert [p.id for p in view.procedures] == ["keyhole"]


_TEXT = st.text(alphabet="abes -_'é1\n", max_size=30)


@settings(max_examples=400, deadline=None)
@given(text=_TEXT, name=st.text(alphabet="abes -'é", min_size=1, max_size=6))
def test_whole_word_finds_what_the_regex_finds(text, name):
    """The glossary's fast whole-word check agrees with `\\bNAME(?:e?s)?\\b`."""
    import re

    from foracli.core.query import _whole_word

    expected = re.search(r"\b" + re.escape(name) + r"(?:e?s)?\b", text) is not None
    assert _whole_word(text, name) is expected


@settings(max_examples=300, deadline=None)
@given(
    sections=st.lists(st.lists(_TEXT, max_size=3), min_size=1, max_size=4),
    names=st.lists(st.text(alphabet="abes -'é1", min_size=1, max_size=7), min_size=1, max_size=3),
)
def test_term_places_are_those_a_regex_finds(sections, names):
    """The indexed lookup (a name of several words is looked for only where all its
    words are) finds exactly the sections `\\bNAME(?:e?s)?\\b` finds."""
    import re
    from types import SimpleNamespace as Fake

    from foracli.core.model import Term

    procedure = Fake(
        id="p",
        sections=[
            Fake(key=f"s{i}", points=[Fake(text=t) for t in texts])
            for i, texts in enumerate(sections)
        ],
    )
    term = Term("t", names[0], "a meaning", aliases=tuple(names[1:]))
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(n) for n in names) + r")(?:e?s)?\b", re.IGNORECASE
    )
    expected = tuple(
        ("p", f"s{i}")
        for i, texts in enumerate(sections)
        if any(pattern.search(t.lower()) for t in texts)
    )
    assert query._uses(Fake(procedures={"p": procedure}), [term]) == {"t": expected}


def test_the_glossary_lists_the_same_places_as_a_regex_search():
    """Every shipped term: the places found equal a plain regex search of every point."""
    import re

    from foracli.kb.loader import load_knowledge_base

    kb = load_knowledge_base()
    view = query.glossary(kb)
    for term in view.terms:
        names = "|".join(re.escape(n) for n in (term.term, *term.aliases))
        pattern = re.compile(r"\b(?:" + names + r")(?:e?s)?\b", re.IGNORECASE)
        expected = tuple(
            (proc.id, section.key)
            for proc in kb.procedures.values()
            for section in proc.sections
            if any(pattern.search(p.text) for p in section.points)
        )
        assert view.used_in[term.key] == expected, term.key
