"""The loader: valid files become the model; every bad file becomes path:line:col errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from foracli.content import words
from foracli.core.errors import KnowledgeBaseError
from foracli.core.model import Approach, Certainty, Region
from foracli.kb.loader import YAML_SUFFIXES, load_knowledge_base, yaml_files
from tests.conftest import PROCEDURE, SOURCES, write_kb

W = words()


def problems(tmp_path: Path, procedure: str, sources: str | None = None) -> list[str]:
    """Load a one-procedure KB and return its problems as 'line:col: message' strings."""
    root = write_kb(tmp_path, procedure, sources)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base([root], include_shipped=False)
    prefix = str(root) + "/"
    return [str(p).removeprefix(prefix) for p in caught.value.problems]


def test_fixture_kb_loads_into_model(fixture_kb):
    """The fixture loads with typed, cleaned fields."""
    proc = fixture_kb.procedures["keyhole"]
    assert proc.approach is Approach.ENDOSCOPIC
    assert proc.regions == (Region.LUMBAR,)
    assert proc.reviewed == dt.date(2026, 1, 15)
    assert [s.key for s in proc.sections] == ["what", "steps", "benefits", "risks", "recovery"]
    risk = proc.section("risks").points[0]
    assert risk.certainty is Certainty.LOW
    assert risk.sources == ("series-2019", "trial-2020")
    assert proc.aspects["incision"][0].low == 0.8
    assert fixture_kb.sources["trial-2020"].pmid == "10000001"


def test_control_characters_are_made_visible(fixture_kb):
    """ESC and bidi overrides in data become visible escapes at load time."""
    text = fixture_kb.procedures["keyhole"].section("recovery").points[1].text
    assert "\x1b" not in text
    assert "\u202e" not in text
    assert "\\x1b[31mnot red\\x1b[0m \\u202eevil" in text


def test_minimal_procedure_loads(tmp_path):
    """The smallest valid procedure loads."""
    kb = load_knowledge_base([write_kb(tmp_path, PROCEDURE)], include_shipped=False)
    assert kb.procedures["p"].section("what").points[0].text == "Plain words."


BAD_PROCEDURES = [
    pytest.param(
        PROCEDURE.replace("name: P\n", "name: P\nname: Q\n"),
        ["procedures/p.yaml:3:1: duplicate key 'name' in a procedure"],
        id="duplicate-key",
    ),
    pytest.param(
        PROCEDURE.replace("summary:", "sumary:"),
        [
            "procedures/p.yaml:3:1: unknown key 'sumary' in a procedure; did you mean 'summary'?",
            "procedures/p.yaml:1:1: a procedure is missing 'summary'",
        ],
        id="typo-key",
    ),
    pytest.param(
        PROCEDURE.replace("name: P", "name: no"),
        [
            "procedures/p.yaml:2:7: name must be text, but YAML reads a true/false value; "
            "put it in quotes"
        ],
        id="retyped-bool",
    ),
    pytest.param(
        PROCEDURE.replace("reviewed: 2026-01-01", "reviewed: 1st January"),
        ["procedures/p.yaml:6:11: reviewed must be a date written YYYY-MM-DD"],
        id="bad-date",
    ),
    pytest.param(
        PROCEDURE.replace("approach: open", "approach: laser"),
        [
            "procedures/p.yaml:4:11: approach 'laser' is not one of: endoscopic, biportal, "
            "tubular, open, fusion, non-surgical"
        ],
        id="bad-enum",
    ),
    pytest.param(
        PROCEDURE.replace("- Plain words.", "- About 5 in 100 people."),
        ["procedures/p.yaml:10:7: a point with a number needs sources (in 'what')"],
        id="number-without-source",
    ),
    pytest.param(
        PROCEDURE + "  benefits:\n    - text: Less pain.\n      sources: [s-2020]\n",
        ["procedures/p.yaml:12:7: every point in 'benefits' needs sources and certainty"],
        id="benefit-without-certainty",
    ),
    pytest.param(
        PROCEDURE.replace("- Plain words.", "- text: Words.\n      sources: [s-2021]"),
        ["procedures/p.yaml:11:17: source 's-2021' is not in sources.yaml; did you mean 's-2020'?"],
        id="unknown-source",
    ),
    pytest.param(
        PROCEDURE + "aspects:\n  incision:\n    low: 3\n    unit: inches\n    sources: [s-2020]\n",
        ["procedures/p.yaml:14:11: aspect 'incision' must use the unit 'cm'"],
        id="wrong-unit",
    ),
    pytest.param(
        PROCEDURE + "aspects:\n  incision:\n    low: 3\n    high: 1\n    unit: cm\n"
        "    sources: [s-2020]\n",
        ["procedures/p.yaml:14:11: aspect 'incision': high is below low"],
        id="high-below-low",
    ),
    pytest.param(
        PROCEDURE + "aspects:\n  incisions:\n    text: small\n    sources: [s-2020]\n",
        ["procedures/p.yaml:12:3: unknown key 'incisions' in aspects; did you mean 'incision'?"],
        id="unknown-aspect",
    ),
    pytest.param(
        PROCEDURE.replace("sections:\n  what:", "sections:\n  wat:"),
        ["procedures/p.yaml:9:3: unknown key 'wat' in sections; did you mean 'what'?"],
        id="unknown-section",
    ),
    pytest.param(
        PROCEDURE.replace("regions: [lumbar]", "regions: lumbar"),
        ["procedures/p.yaml:5:10: regions must be a list, not a single value"],
        id="scalar-for-list",
    ),
    pytest.param(
        "id: p\nname: [P\n",
        ["procedures/p.yaml:3:1: YAML syntax error: did not find expected ',' or ']'"],
        id="syntax-error",
    ),
    pytest.param(
        "- just\n- a list\n",
        [
            "procedures/p.yaml:1:1: a knowledge-base file must be a mapping of keys to values, "
            "not a list"
        ],
        id="list-at-top",
    ),
    pytest.param("", ["procedures/p.yaml:1:1: file is empty"], id="empty"),
    pytest.param(
        PROCEDURE + "---\n" + PROCEDURE,
        ["procedures/p.yaml:12:1: file holds several YAML documents; use one"],
        id="two-documents",
    ),
    pytest.param(
        PROCEDURE.replace("name: P", "name: !!python/object:os.system P"),
        [
            "procedures/p.yaml:2:7: YAML tag 'tag:yaml.org,2002:python/object:os.system' "
            "is not allowed"
        ],
        id="python-tag",
    ),
    pytest.param(
        PROCEDURE.replace("name: P", "name: &n P").replace("summary: A procedure.", "summary: *n"),
        ["procedures/p.yaml:3:10: YAML aliases (*name) are not allowed; write the value out"],
        id="alias",
    ),
    pytest.param(
        PROCEDURE.replace("id: p", "id: P_1"),
        ["procedures/p.yaml:1:5: id 'P_1' must be lowercase words joined by hyphens"],
        id="bad-id",
    ),
    pytest.param(
        PROCEDURE + "variants: [no-such-page]\n",
        ["procedures/p.yaml:11:12: procedure 'no-such-page' does not exist"],
        id="unknown-variant",
    ),
    pytest.param(
        PROCEDURE.replace("next_review: 2028-01-01", "next_review: 2025-01-01"),
        ["procedures/p.yaml:7:14: next_review must come after reviewed"],
        id="review-order",
    ),
]


@pytest.mark.parametrize(("procedure", "expected"), BAD_PROCEDURES)
def test_bad_procedure_reports_every_problem_with_location(tmp_path, procedure, expected):
    """Each bad procedure file yields exactly the expected located problems."""
    assert problems(tmp_path, procedure) == expected


def test_tab_indentation_is_a_syntax_error(tmp_path):
    """Tabs in indentation are refused with their position."""
    found = problems(tmp_path, PROCEDURE.replace("  what:", "\twhat:"))
    assert found[0].startswith("procedures/p.yaml:9:1: YAML syntax error:")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"\xef\xbb\xbfid: p\n",
            "procedures/p.yaml:1:1: file starts with a byte-order mark; "
            "save it as UTF-8 without BOM",
        ),
        (b"id: p\nname: caf\xe9\n", "procedures/p.yaml:2:10: file is not valid UTF-8"),
    ],
)
def test_encoding_problems(tmp_path, raw, expected):
    """Byte-level problems name the file, line and column."""
    root = write_kb(tmp_path, "")
    (root / "procedures" / "p.yaml").write_bytes(raw)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base([root], include_shipped=False)
    assert str(caught.value.problems[0]).removeprefix(str(root) + "/") == expected


def test_bad_source_entries(tmp_path):
    """A source needs a title, a known type and a way to find it."""
    sources = SOURCES + "  s-bad:\n    title: X\n    type: blog\n    year: 20.5\n"
    found = problems(tmp_path, PROCEDURE, sources)
    assert found == [
        "sources.yaml:9:11: type 'blog' is not one of: meta-analysis, systematic-review, rct, "
        "cohort, case-series, registry, guideline, review, biomechanical, expert-opinion, "
        "practice-page, patient-information, website, textbook",
        "sources.yaml:8:5: source 's-bad' needs a doi, pmid or url",
        "sources.yaml:10:11: year must be a whole number from 1800 to 2100",
    ]


def test_duplicate_procedure_ids_across_files(tmp_path):
    """Two files may not claim the same id."""
    root = write_kb(tmp_path, PROCEDURE)
    (root / "procedures" / "q.yaml").write_text(PROCEDURE, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base([root], include_shipped=False)
    assert [str(p) for p in caught.value.problems] == [
        f"{root}/procedures/q.yaml:1:1: procedure id 'p' is also used in {root}/procedures/p.yaml"
    ]


def test_error_summary_is_one_line(tmp_path):
    """The CLI's one line names the first problem and counts the rest."""
    root = write_kb(tmp_path, PROCEDURE.replace("summary:", "sumary:"))
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base([root], include_shipped=False)
    (line,) = W.error_lines(caught.value)
    assert line.endswith("did you mean 'summary'? (and 1 more problem)")


def test_yaml_files_lists_what_rglob_would(tmp_path):
    """The os.walk listing keeps Path.rglob's choice of files and order, odd names too."""
    root = tmp_path / "kb"
    for name in [
        "a.yaml",
        "b.yml",
        ".yaml",
        "c.",
        "d.txt",
        "..e.yaml",
        "sub/f.yaml",
        ".hidden/g.yaml",
        "sub/deeper/h.YAML",
        "a-b/i.yaml",
        "a/j.yaml",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x: 1\n")
    (root / "dir.yaml").mkdir()
    (root / "linked.yaml").symlink_to(root / "sub")  # a link to a folder: kept, not entered
    (root / "broken.yaml").symlink_to(root / "missing")
    (root / "loop").symlink_to(root)
    expected = sorted(
        p for p in root.rglob("*") if p.suffix in YAML_SUFFIXES and (p.is_file() or p.is_symlink())
    )
    assert yaml_files(root) == expected
    assert len(expected) == 9
