"""User knowledge bases: --kb and FORACLI_KB merging, `validate` and `schema`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from foracli.app.cli import app
from foracli.content import words
from foracli.core.checks import content_warnings
from foracli.kb.loader import load_knowledge_base, shipped_data_dir
from foracli.kb.schema import procedure_schema
from tests.conftest import PROCEDURE

W = words()

OWN_SOURCES = """\
sources:
  own-2024:
    title: Our clinic's audit
    year: 2024
    url: https://example.org/audit
    type: cohort
    level: 3
"""
MINE = (
    PROCEDURE.replace("id: p", "id: mine").replace("name: P", "name: My clinic's method")
    + (
        "aliases: [our method]\n"
        "aspects:\n  hospital-stay:\n    low: 0\n    high: 1\n    unit: days\n"
        "    sources: [own-2024]\n"
    )
    + OWN_SOURCES
)


@pytest.fixture
def mine(tmp_path) -> Path:
    """A one-file user knowledge base carrying its own source."""
    path = tmp_path / "mine.yaml"
    path.write_text(MINE, encoding="utf-8")
    return path


def test_kb_adds_a_procedure(runner, mine):
    """--kb FILE adds a procedure that explain finds by name or alias."""
    result = runner.invoke(
        app, ["explain", "our method", "--kb", str(mine)], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "My clinic's method"


def test_compare_user_procedure_with_shipped(runner, mine):
    """compare mixes a user procedure and a shipped one on the same rows."""
    result = runner.invoke(
        app, ["compare", "mine", "open", "--kb", str(mine)], catch_exceptions=False
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    stay = lines.index("Hospital stay (low back)")  # open's stays differ by region
    assert re.fullmatch(r"- My clinic's method: 0 to 1 day\. \[\d+\]", lines[stay + 1])


def test_environment_variable_takes_several_paths(runner, mine, tmp_path):
    """FORACLI_KB holds paths separated by the OS path separator."""
    other = tmp_path / "more"
    other.mkdir()
    (other / "q.yaml").write_text(PROCEDURE.replace("id: p", "id: q").replace("name: P", "name: Q"))
    env = {"FORACLI_KB": os.pathsep.join([str(mine), str(other)])}
    result = runner.invoke(app, ["compare", "mine", "q"], env=env, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "My clinic's method vs Q"


def test_user_file_replaces_shipped_procedure_with_same_id(runner, tmp_path):
    """A user file with a shipped id replaces that procedure."""
    path = tmp_path / "open.yaml"
    path.write_text(
        PROCEDURE.replace("id: p", "id: open-foraminotomy").replace(
            "name: P", "name: Our open technique"
        )
    )
    result = runner.invoke(app, ["explain", "open-foraminotomy", "--kb", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Our open technique"


def test_validate_shipped_is_clean(runner):
    """`foracli validate` with no path checks the shipped knowledge base: no problems."""
    result = runner.invoke(app, ["validate"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "foracli: no problems found\n"


def test_validate_reports_every_problem(runner, tmp_path):
    """All problems, one per line, located; exit 3."""
    (tmp_path / "a.yaml").write_text(PROCEDURE.replace("summary:", "sumary:"))
    (tmp_path / "b.yaml").write_text(
        PROCEDURE.replace("id: p", "id: q").replace("name: P", "name: no")
    )
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        f"{tmp_path}/a.yaml:3:1: unknown key 'sumary' in a procedure; did you mean 'summary'?",
        f"{tmp_path}/a.yaml:1:1: a procedure is missing 'summary'",
        f"{tmp_path}/b.yaml:2:7: name must be text, but YAML reads a true/false value; "
        "put it in quotes",
    ]
    assert result.stderr == "foracli: 3 errors, 0 warnings in 2 files\n"


def test_validate_warnings_and_strict(runner, tmp_path):
    """Content rules are warnings (exit 0) unless --strict (exit 3)."""
    path = tmp_path / "old.yaml"
    path.write_text(
        MINE.replace("next_review: 2028-01-01", "next_review: 2026-02-01")
        + "  unused-1:\n    title: Nobody cites me\n    url: https://e.org\n"
        "    type: review\n    year: 2020\n"
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{path}:7:14: warning: next_review 2026-02-01 has passed; re-check the page against "
        "the evidence",
        f"{path}:26:5: warning: source 'unused-1' is not cited anywhere",
    ]
    strict = runner.invoke(app, ["validate", "--strict", str(path)])
    assert strict.exit_code == 3


def test_validate_json(runner, tmp_path):
    """--format json lists the problems as objects."""
    path = tmp_path / "a.yaml"
    path.write_text(PROCEDURE.replace("summary:", "sumary:"))
    result = runner.invoke(app, ["validate", "-f", "json", str(path)])
    assert result.exit_code == 3
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert doc["problems"][0] == {
        "path": str(path),
        "line": 3,
        "column": 1,
        "severity": "error",
        "message": "unknown key 'sumary' in a procedure; did you mean 'summary'?",
    }


def test_validate_missing_path(runner, tmp_path):
    """A path that does not exist: exit 1, one line."""
    result = runner.invoke(app, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert result.stderr == f"foracli: no such knowledge-base file or folder: {tmp_path}/nope\n"


def test_schema_is_valid_and_accepts_every_shipped_procedure(runner):
    """`foracli schema` prints a valid JSON Schema that every shipped file satisfies."""
    result = runner.invoke(app, ["schema"], catch_exceptions=False)
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((shipped_data_dir() / "procedures").glob("*.yaml"))
    assert files
    for path in files:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        # YAML reads dates as dates; JSON Schema sees them as strings in an editor.
        document = json.loads(json.dumps(document, default=str))
        errors = list(validator.iter_errors(document))
        assert errors == [], (path, errors[:1])


def test_schema_rejects_typos():
    """The schema catches an unknown key and a wrong unit, as editors should show."""
    validator = jsonschema.Draft202012Validator(procedure_schema(W.section_title, W.aspect_label))
    document = yaml.safe_load(
        MINE.replace("summary:", "sumary:").replace("unit: days", "unit: hours")
    )
    document = json.loads(json.dumps(document, default=str))
    # An aspect is one value or a list of them (oneOf): the unit's error is in its context.
    found = [e for top in validator.iter_errors(document) for e in (top, *top.context)]
    messages = " ".join(e.message for e in found)
    assert "'sumary' was unexpected" in messages
    assert "'days' was expected" in messages


def test_validate_warns_about_medical_words_without_a_glossary_entry(runner, tmp_path):
    """A medical word with no glossary entry is a warning; the shipped glossary covers it."""
    path = tmp_path / "p.yaml"
    path.write_text(PROCEDURE.replace("- Plain words.", "- Stenosis and more stenosis."))
    alone = load_knowledge_base([path], include_shipped=False)
    assert [str(W.problem(p)) for p in content_warnings(alone, dt.date(2026, 1, 2))] == [
        f"{path}:1:1: warning: 'stenosis' (in 'what') is a medical word with no glossary entry"
    ]
    result = runner.invoke(app, ["validate", str(path)])
    assert (result.exit_code, result.stdout) == (0, "")


def test_validate_dot_reports_problems_in_the_current_folder(tmp_path, monkeypatch):
    """`foracli validate .` must not filter away the problems it finds."""
    (tmp_path / "bad.yaml").write_text("id: [oops\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "."])
    assert result.exit_code == 3
    assert result.stdout.startswith("bad.yaml:2:1: YAML syntax error")


def test_empty_foracli_kb_entries_are_ignored(runner, tmp_path, monkeypatch):
    """FORACLI_KB='...:' must not load the current folder."""
    (tmp_path / "bad.yaml").write_text("id: [oops\n")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["explain", "open", "-s", "what"], env={"FORACLI_KB": os.pathsep})
    assert result.exit_code == 0


def source_warnings(runner, tmp_path, fields: str) -> list[str]:
    """validate's warnings for one source p1 with *fields* (its not-cited warning aside)."""
    path = tmp_path / "p.yaml"
    path.write_text("sources:\n  p1:\n    title: A study\n" + fields, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    messages = [line.split("warning: ", 1)[1] for line in result.stdout.splitlines()]
    return [m for m in messages if "not cited" not in m]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("    type: cohort\n    doi: 10.1/x\n", ["paper 'p1' has no year"]),
        (
            "    type: meta-analysis\n    year: 2020\n    url: https://ro.scribd.com/doc/1\n",
            [
                "paper 'p1' has no DOI, PMID or publisher link",
                "source 'p1' links to a copy at scribd.com; "
                "link the original (DOI, PubMed or the publisher)",
            ],
        ),
        (
            "    type: rct\n    year: 2020\n    pmid: '123'\n    url: https://www.docslib.org/x\n",
            [
                "source 'p1' links to a copy at docslib.org; "
                "link the original (DOI, PubMed or the publisher)"
            ],
        ),
        ("    type: rct\n    year: 2020\n    url: https://journal.example/p1\n", []),
        ("    type: patient-information\n    url: https://hospital.example/leaflet\n", []),
        ("    type: practice-page\n    url: https://surgeon.example/\n", []),
    ],
)
def test_validate_warns_about_papers_a_clinician_cannot_follow(runner, tmp_path, fields, expected):
    """A paper needs a year and a DOI, PMID or publisher link; no source links a mirror."""
    assert source_warnings(runner, tmp_path, fields) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("    type: website\n    url: https://wiki.example/page\n", []),
        ("    type: rct\n    url: https://journal.example/p1\n    not_found: [year]\n", []),
        (
            "    type: rct\n    url: https://ro.scribd.com/doc/1\n"
            "    not_found: [year, identifier, original]\n",
            [],
        ),
        (
            "    type: rct\n    year: 2020\n    url: https://journal.example/p1\n"
            "    not_found: [year]\n",
            ["source 'p1' says its year was not found, but it is there; drop it from not_found"],
        ),
    ],
)
def test_what_was_searched_for_and_not_found_is_said_not_warned(runner, tmp_path, fields, expected):
    """`not_found` records a search that failed; validate accepts it, and says when it is stale."""
    assert source_warnings(runner, tmp_path, fields) == expected


def test_not_found_takes_only_known_gaps(runner, tmp_path):
    """An unknown gap is an error, located, with the choices."""
    path = tmp_path / "p.yaml"
    path.write_text(
        "sources:\n  p1:\n    title: A study\n    type: rct\n    url: https://j.example\n"
        "    not_found: [authors]\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 3
    assert "not_found 'authors' is not one of: year, identifier, original" in result.stdout
