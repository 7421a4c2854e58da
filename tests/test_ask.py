"""`ask`: answer cards in every format, narrowing, side by side, honest gaps, the
`asking:` data that drives it (validated, extensible), and search's new parts."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from foracli import content
from foracli.app.cli import app
from foracli.core.ask import ask, short_name
from foracli.core.errors import KnowledgeBaseError
from foracli.core.model import Region
from foracli.core.search import search, stem
from foracli.kb.loader import load_knowledge_base
from foracli.render import jsonout, plain, terminal
from tests.conftest import FIXTURE_KB

W = content.words()
FORACLI = str(Path(sys.executable).parent / "foracli")
ASKING = """\
asking:
  aspects:
    return-to-work: [when can I go back to the office]
  sections:
    recovery: [when can I walk]
  synonyms:
    - [stroll, walk]
  names:
    tiny cut: keyhole
  regions:
    lumbar: [low back]
    cervical: [neck]
  topics:
    flying:
      asks: [when can I fly, can I take a plane]
      about: when it is safe to fly
      ask: When may I fly, and for how long?
      sources: [trial-2020]
"""


@pytest.fixture(scope="module")
def kb():
    """The shipped knowledge base."""
    return load_knowledge_base()


@pytest.fixture
def small(tmp_path):
    """The fixture knowledge base alone, with a small `asking:` file."""
    path = tmp_path / "asking.yaml"
    path.write_text(ASKING, encoding="utf-8")
    return load_knowledge_base([FIXTURE_KB, path], include_shipped=False)


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    """The installed command in a pipe, with a private cache."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [FORACLI, *argv], capture_output=True, text=True, timeout=60, env=env, check=False
    )


# -- the answers --------------------------------------------------------------


def test_a_way_of_asking_and_the_page_words_pick_the_point(small):
    """'when can I stroll' reaches recovery through a synonym and the way it is asked."""
    view = ask(small, "when can I stroll", W)
    first = view.answers[0]
    assert (first.procedure.id, first.place, first.kind.value) == ("keyhole", "recovery", "section")
    assert first.point.text == "You walk within hours."
    assert first.more == ("explain", "KS", "-s", "recovery")  # its first one-word alias


def test_an_everyday_name_narrows_to_its_procedure(small):
    """'tiny cut' (a name from asking:) points at the keyhole page, not open surgery."""
    view = ask(small, "when can I go back to the office after a tiny cut", W)
    assert {a.procedure.id for a in view.answers} == {"keyhole"}


def test_a_topic_with_no_good_evidence_says_so_and_what_to_ask(small):
    """No page answers it: the knowledge base's own words, never a random sentence."""
    view = ask(small, "can I take a plane", W)
    (answer,) = view.answers
    assert answer.kind.value == "topic"
    out = io.StringIO()
    plain.render_answer(view, out, W)
    assert out.getvalue().splitlines()[:2] == [
        "No good evidence",
        "We found no good evidence on when it is safe to fly; ask your surgeon: "
        "When may I fly, and for how long? [1]",
    ]


@pytest.mark.parametrize("question", ["what colour is the sky", "best pizza near me", "xyzzy"])
def test_a_question_it_knows_nothing_about_gets_nothing(kb, question):
    """Nothing shared but a common word: no answer, and what it can answer instead."""
    view = ask(kb, question, W)
    assert view.answers == ()
    assert "incision" in view.offers


def test_two_procedures_are_answered_side_by_side_from_the_compare_rows(kb):
    """Each named procedure's value for the row asked about, then what trials found."""
    view = ask(kb, "blood loss open versus keyhole", W)
    cards = [(a.kind.value, a.procedure.id, a.place) for a in view.answers]
    assert cards[:2] == [
        ("aspect", "open-foraminotomy", "blood-loss"),
        ("aspect", "endoscopic-foraminotomy", "blood-loss"),
    ]
    assert view.answers[0].more == ("compare", "open", "endoscopic", "-a", "blood-loss")


def test_a_region_named_in_the_question_narrows_the_points(kb):
    """'my neck': no low-back point comes back, and the command for more says --region."""
    view = ask(kb, "what is the recovery like after surgery on my neck", W)
    assert view.region is Region.CERVICAL
    assert all(a.region in (None, Region.CERVICAL) for a in view.answers)
    regional = [
        a for a in view.answers if a.region is Region.CERVICAL and a.kind.value == "section"
    ]
    assert all(a.more[-2:] == ("--region", "neck") for a in regional)


def test_misspelt_words_are_mended_before_names_are_read(kb):
    """'endoscpic' is endoscopic; a short unknown word ('tall') is left as it is."""
    view = ask(kb, "how long does the endoscpic operation take", W)
    assert (view.answers[0].procedure.id, view.answers[0].place) == (
        "endoscopic-foraminotomy",
        "operating-time",
    )
    assert ask(kb, "how tall is the surgeon", W).answers == ()


def test_the_command_for_more_uses_a_short_name(kb):
    """The first one-word alias, else the id."""
    assert short_name(kb, kb.procedures["open-foraminotomy"]) == "open"
    assert short_name(kb, kb.procedures["acdf"]) == "acdf"


# -- the formats ----------------------------------------------------------------


def test_piped_one_answer_a_block_with_sources_and_disclaimer():
    """Plain text: title, text with certainty and citations, 'More:', a blank line."""
    result = run("ask", "how", "big", "is", "the", "cut", "for", "endoscopic", "surgery")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Endoscopic foraminotomy: Skin cut (low back)"  # a low-back figure
    assert lines[1].startswith("0.6 to 1.3 cm. Surgeons' websites describe")
    assert lines[1].endswith("We are very unsure. [1, 2, 3]")
    assert lines[2] == "More: foracli compare endoscopic open -a incision"
    assert lines[3] == ""
    assert "Sources" in lines
    assert "\x1b" not in result.stdout
    assert lines[-2] == W.text("disclaimer")


def test_json_is_the_documented_document():
    """kind answer, the question, answers with procedure, aspect or section, region,
    text, certainty, sources and more; and the disclaimer."""
    result = run("ask", "can", "I", "go", "home", "the", "same", "day", "-f", "json")
    document = json.loads(result.stdout)
    assert result.returncode == 0
    assert list(document) == [
        "schema_version",
        "kind",
        "question",
        "region",
        "answers",
        "disclaimer",
    ]
    assert (document["kind"], document["question"]) == ("answer", "can I go home the same day")
    first = document["answers"][0]
    assert first["procedure"] == "endoscopic-foraminotomy"
    assert first["aspect"] == "hospital-stay"
    assert set(first) == {
        "procedure",
        "aspect",
        "kind",
        "region",
        "title",
        "text",
        "certainty",
        "sources",
        "more",
    }
    assert first["more"] == "foracli compare endoscopic open -a hospital-stay"
    assert first["sources"]
    assert first["certainty"] == "low"


def test_no_answer_in_json_is_an_empty_list_and_exit_1():
    """A valid document, nothing in it, and the status scripts check."""
    result = run("ask", "what", "colour", "is", "the", "sky", "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["answers"] == []
    assert document["nothing"].startswith("foracli has nothing on this.")


def test_markdown_headings_and_footnotes():
    """The question as the title, a heading per answer, footnote sources."""
    result = run("ask", "when", "can", "I", "drive", "-f", "markdown")
    lines = result.stdout.splitlines()
    assert lines[0] == "# when can I drive"
    assert lines[2] == "## Endoscopic foraminotomy: Recovery"
    assert lines[4].startswith("Driving: We found no good evidence on when it is safe to drive.")
    assert "More: `foracli explain endoscopic -s recovery`" in lines
    assert any(line.startswith("[^1]: ") for line in lines)


def test_a_terminal_draws_each_answer_as_a_panel(kb):
    """Rich panels: the title in the top border, the command for more in the bottom one."""
    out = io.StringIO()
    console = Console(file=out, width=80, color_system=None, markup=False, emoji=False)
    terminal.render_answer(ask(kb, "how long off work", W), console, W)
    lines = out.getvalue().splitlines()
    assert lines[0] == "how long off work"
    assert lines[1].startswith("╭─  Endoscopic foraminotomy: Back to work  ─")
    assert any(
        line.startswith("╰─  More: foracli compare endoscopic open -a return-to-work  ─")
        for line in lines
    )


def test_json_renderer_names_a_section_answer_by_section(small):
    """A point's card says 'section', not 'aspect'."""
    out = io.StringIO()
    jsonout.render_answer(ask(small, "when can I stroll", W), out, W)
    first = json.loads(out.getvalue())["answers"][0]
    assert (first["section"], first["kind"], "aspect" in first) == ("recovery", "section", False)


# -- the data -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("asking:\n  aspects:\n    size: [how big]\n", "unknown key 'size' in asking aspects"),
        ("asking:\n  synonyms:\n    - [alone]\n", "a synonym group needs at least two"),
        ("asking:\n  names:\n    tiny: nowhere\n", "procedure 'nowhere' does not exist"),
        ("asking:\n  regions:\n    thorax: [chest]\n", "unknown key 'thorax' in asking regions"),
        (
            "asking:\n  topics:\n    fly:\n      asks: [fly]\n      about: flying\n",
            "topic 'fly' is missing 'ask'",
        ),
        (
            "asking:\n  topics:\n    fly:\n      asks: [fly]\n      about: x\n      ask: y\n"
            "      sources: [no-such-source]\n",
            "source 'no-such-source' is not in sources.yaml",
        ),
    ],
)
def test_asking_is_validated_like_everything_else(tmp_path, text, message):
    """A wrong key, a lone synonym, an unknown procedure or source: one located problem."""
    path = tmp_path / "asking.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as raised:
        load_knowledge_base([FIXTURE_KB, path], include_shipped=False)
    assert any(message in p.message for p in raised.value.problems), raised.value.problems


def test_a_user_knowledge_base_adds_to_the_shipped_asking(tmp_path):
    """Lists are extended, topics added: the shipped ones stay."""
    path = tmp_path / "mine.yaml"
    path.write_text(
        "asking:\n  aspects:\n    incision: [how wide is the opening in my skin]\n"
        "  topics:\n    tattoo:\n      asks: [can I get a tattoo over the scar]\n"
        "      about: tattoos over a spine scar\n      ask: When may I get a tattoo there?\n",
        encoding="utf-8",
    )
    kb = load_knowledge_base([path])
    assert "how wide is the opening in my skin" in kb.asking.places["incision"]
    assert "how big is the cut" in kb.asking.places["incision"]
    assert {"tattoo", "paralysis"} <= set(kb.asking.topics)
    assert ask(kb, "can I get a tattoo over the scar", W).answers[0].place == "tattoo"


def test_the_shipped_asking_names_real_places_and_procedures(kb):
    """Every place has ways of asking; every everyday name leads to a procedure."""
    from foracli.core.model import ASPECT_KEYS, SECTION_KEYS

    assert set(kb.asking.places) == set(ASPECT_KEYS) | set(SECTION_KEYS)
    assert all(pid in kb.procedures for pid in kb.asking.names.values())


# -- search's new parts ----------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [("herniated", "herniation"), ("injected", "injection"), ("numb", "numbness")],
)
def test_snowball_joins_the_word_forms_ours_kept_apart(one, other):
    """The issue's three pairs meet at one stem."""
    assert stem(one) == stem(other)


def test_search_finds_reoperation_through_the_synonyms(kb):
    """The pages say 'another operation'; a patient types 'reoperation'."""
    places = {(h.document.procedure, h.document.section) for h in search(kb, "reoperation", W)}
    assert ("endoscopic-foraminotomy", "reoperation") in places


def test_search_ranks_whole_points_and_uses_a_named_procedure(kb):
    """A hit is a whole point (its number with what it is about), only from the page named."""
    hits = search(kb, "open foraminotomy blood loss", W, limit=5)
    assert {h.document.procedure for h in hits} == {"open-foraminotomy"}
    assert hits[0].document.section == "blood-loss"


def test_search_reaches_source_authors_and_results(kb):
    """A study can be found by its authors."""
    hits = search(kb, "Kerckhove", W, limit=3)
    assert hits[0].document.procedure == "sources"


def test_search_json_with_no_hit_is_an_empty_document():
    """Valid JSON with an empty list on stdout, the hint on stderr, exit 1."""
    result = run("search", "xyzzy", "-f", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "schema_version": 1,
        "kind": "search",
        "query": "xyzzy",
        "hits": [],
    }
    assert result.stderr.startswith("foracli: nothing matches 'xyzzy'")


def test_ask_help_names_its_options(runner):
    """Typer's help for ask: the question words, --region, --format, --color, --kb."""
    result = runner.invoke(app, ["ask", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for option in ("--region", "--format", "--color", "--kb", "QUESTION"):
        assert option in result.stdout


def test_the_shipped_asking_file_meets_its_json_schema(runner):
    """`foracli schema --asking` validates data/asking.yaml; a wrong key fails it."""
    import jsonschema
    import yaml

    result = runner.invoke(app, ["schema", "--asking"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    data = yaml.safe_load((Path(__file__).parent.parent / "data" / "asking.yaml").read_text())
    jsonschema.validate(data, schema)
    data["asking"]["aspects"]["size"] = ["how big"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_stems_kept_by_an_earlier_run_give_the_same_answers(tmp_path):
    """A run that reads the stems table writes what a run without any cache writes."""
    cached = {**os.environ, "FORACLI_CACHE_DIR": str(tmp_path)}
    for words in (["herniated", "disc"], ["numb", "leg"]):
        subprocess.run([FORACLI, "search", *words], env=cached, capture_output=True, check=False)
    assert (tmp_path / "stems.marshal").exists()
    argv = [FORACLI, "ask", "injected", "numbness"]
    fresh = subprocess.run(argv, env=cached, capture_output=True, text=True, check=False)
    plain_run = subprocess.run(
        argv,
        env={**os.environ, "FORACLI_NO_CACHE": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (fresh.stdout, fresh.returncode) == (plain_run.stdout, plain_run.returncode)


def test_stems_of_another_stemmer_are_not_used(tmp_path, monkeypatch):
    """The table is keyed by the stemmer's own files: another key finds nothing."""
    from foracli.speed import kbcache

    monkeypatch.setenv("FORACLI_CACHE_DIR", str(tmp_path))
    key = kbcache.stems_key()
    assert key is not None
    kbcache.store_stems(key, {"word": "stem"})
    assert kbcache.lookup_stems(key) == {"word": "stem"}
    assert kbcache.lookup_stems((*key, "another stemmer")) == {}
