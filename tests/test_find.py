"""Finding things: list, search, glossary and did-you-mean, on the fixture and the real KB."""

from __future__ import annotations

import io
import json

import pytest

from foracli.app.cli import app
from foracli.app.output import TerminalSettings
from foracli.content import words
from foracli.core import query
from foracli.core.errors import NoMatchError, NotFoundError
from foracli.core.search import search, stem, terms
from foracli.render import plain, terminal

W = words()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("nerves", "nerv"),
        ("nerve", "nerv"),
        ("studies", "studi"),
        ("study", "studi"),
        ("stopping", "stop"),
        ("worked", "work"),
        ("loss", "loss"),
        ("walking", "walk"),
        ("days", "day"),
        # The word groups our own suffix rules kept apart (issue 14).
        ("herniated", "herniat"),
        ("herniation", "herniat"),
        ("injected", "inject"),
        ("injection", "inject"),
        ("numb", "numb"),
        ("numbness", "numb"),
    ],
)
def test_stem_handles_plurals_and_verb_endings(word, expected):
    """Plurals, verb endings and -ation/-ness fold to one Snowball stem."""
    assert stem(word) == expected


def test_terms_fold_case_accents_spelling_and_stopwords():
    """Case, accents, British 'ae' and question words do not matter."""
    assert terms("How long is the Anaesthésia?", W.language) == terms("anesthesia", W.language)


def test_search_ranks_the_closest_sentence_first(fixture_kb):
    """A two-word query ranks the sentence with both words (as a phrase) first."""
    hits = search(fixture_kb, "burning nerve pain", W)
    top = hits[0].document
    assert (top.procedure, top.section) == ("keyhole", "risks")
    assert set(hits[0].matched) == {"burn", "nerv", "pain"}


def test_search_reaches_glossary_and_sources(fixture_kb):
    """Glossary definitions and source titles are searchable too."""
    places = {(h.document.procedure, h.document.section) for h in search(fixture_kb, "opening", W)}
    assert ("glossary", "foramen") in places
    assert ("sources", "trial-2020") in {
        (h.document.procedure, h.document.section) for h in search(fixture_kb, "randomised", W)
    }


def test_search_with_only_stopwords_finds_nothing(fixture_kb):
    """A query of filler words is 'no match', not everything."""
    with pytest.raises(NoMatchError):
        query.find(fixture_kb, "how is the", W)


def test_search_piped_lines(fixture_kb):
    """Piped: one id<TAB>section<TAB>sentence line per hit."""
    out = io.StringIO()
    plain.render_search(query.find(fixture_kb, "walk", W), out, W)
    assert out.getvalue() == "keyhole\trecovery\tFirst days: You walk within hours.\n"


def test_search_highlights_on_a_terminal(fixture_kb):
    """On a terminal the matched words are styled."""
    out = io.StringIO()
    console = terminal.make_console(out, TerminalSettings(force_terminal=True, width=100))
    terminal.render_search(query.find(fixture_kb, "walk", W), console, W)
    assert "\x1b[1;33mwalk\x1b[0m" in out.getvalue()


def test_list_piped_is_tab_separated(fixture_kb):
    """list piped: id, name and summary separated by tabs, nothing else."""
    out = io.StringIO()
    plain.render_procedures(query.list_procedures(fixture_kb), out, W)
    assert out.getvalue().splitlines() == [
        "keyhole\tKeyhole surgery\tA small operation through a tiny cut, to free a nerve.",
        "open-op\tOpen surgery\tA standard operation through a longer cut.",
    ]


def test_glossary_term_with_where_it_is_used(fixture_kb):
    """One term: its meaning, other names, and the sections that use it."""
    out = io.StringIO()
    plain.render_glossary(query.glossary(fixture_kb, "Nerves"), out, W)
    assert out.getvalue().splitlines() == [
        "nerve\tA cord of fibres that carries feeling and movement signals.",
        "Used in: keyhole\tWhat happens during surgery",
        "Used in: keyhole\tPossible risks",
        "Used in: open-op\tWhat it is",
        "Used in: open-op\tKey points",
    ]


def test_glossary_unknown_term_suggests(fixture_kb):
    """A typo in a term gets did-you-mean."""
    with pytest.raises(NotFoundError) as caught:
        query.glossary(fixture_kb, "foramin")
    assert W.error(caught.value) == "unknown term 'foramin'; did you mean 'foramen'?"


def test_compare_aspect_did_you_mean(fixture_kb):
    """compare --aspect resolves labels and keys and suggests on typos."""
    view = query.compare(fixture_kb, ["keyhole", "open"], aspects=["Hospital stay", "incision"])
    assert [r.spec.key for r in view.rows] == ["hospital-stay", "incision"]
    with pytest.raises(NotFoundError) as caught:
        query.compare(fixture_kb, ["keyhole", "open"], aspects=["hospital stya"])
    assert W.error(caught.value) == "unknown aspect 'hospital stya'; did you mean 'hospital-stay'?"


def test_cli_search_how_long_off_work_finds_return_to_work(runner):
    """The issue's example query reaches return-to-work content on the real KB."""
    result = runner.invoke(
        app, ["search", "how", "long", "off", "work", "-n", "5"], catch_exceptions=False
    )
    assert result.exit_code == 0
    sections = [line.split("\t")[1] for line in result.stdout.splitlines()]
    assert "return-to-work" in sections


def test_cli_search_no_match(runner):
    """Nothing found: exit 1, a hint on stderr, nothing on stdout."""
    result = runner.invoke(app, ["search", "xyzzy"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("foracli: nothing matches 'xyzzy'; try fewer")


def test_cli_list_json(runner):
    """list --format json lists every procedure with schema_version."""
    result = runner.invoke(app, ["list", "-f", "json"], catch_exceptions=False)
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 1
    assert {"endoscopic-foraminotomy", "open-foraminotomy"} <= {p["id"] for p in doc["procedures"]}
