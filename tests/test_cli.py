"""The commands in-process: exit codes first, then stdout and stderr apart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from foracli import __version__
from foracli.app.cli import app
from foracli.app.present import Environment
from foracli.content import words
from foracli.core.model import ASPECTS, SECTIONS
from foracli.kb.loader import load_knowledge_base
from tests.conftest import PROCEDURE, write_kb

W = words()

TITLES = [W.section_title(s.key) for s in SECTIONS]


def headings(output: str) -> list[str]:
    """Section headings in plain-text output, in order."""
    return [line for line in output.splitlines() if line in TITLES]


def test_explain_defaults_to_endoscopic_with_every_section(runner):
    """`foracli explain` prints the endoscopic page: the key points first, then every other
    section in order, then the footer."""
    result = runner.invoke(app, ["explain"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Endoscopic foraminotomy"
    key_points = W.section_title("key-points")
    assert headings(result.stdout) == [key_points, *(t for t in TITLES if t != key_points)]
    assert "Sources" in lines
    assert lines[-3].startswith("Last reviewed: ")
    assert "Next review due: " in lines[-3]
    assert lines[-2].startswith("This is general information, not medical advice.")


@pytest.mark.parametrize(
    "args",
    [
        ["open"],
        ["OPEN"],
        ["open-foraminotomy"],
        ["Open Foraminotomy"],
        ["open", "foraminotomy"],
        ["open_foraminotomy"],
    ],
)
def test_explain_open_by_any_name(runner, args):
    """Any alias, case, hyphens or spaces reach the open procedure."""
    result = runner.invoke(app, ["explain", *args], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Open foraminotomy"


def test_explain_endoscopic_by_alias(runner):
    """The short alias works too."""
    result = runner.invoke(app, ["explain", "Endoscopic"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Endoscopic foraminotomy"


def test_sections_in_the_order_asked(runner):
    """-s/--section picks sections, in the order given, by key or alias."""
    result = runner.invoke(
        app,
        ["explain", "endoscopic", "--section", "steps", "-s", "Recovery"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert headings(result.stdout) == ["What happens during surgery", "Recovery"]
    result = runner.invoke(app, ["explain", "-s", "after", "-s", "during"])
    assert headings(result.stdout) == ["Recovery", "What happens during surgery"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["explain", "endoscopc"],
            "foracli: unknown procedure 'endoscopc'; did you mean 'endoscopic' or "
            "'microendoscopic'?\n",
        ),
        (
            ["explain", "-s", "recovry"],
            "foracli: unknown section 'recovry'; did you mean 'recovery'?\n",
        ),
        (["compare", "open", "laser"], "foracli: unknown procedure 'laser'\n"),
    ],
)
def test_not_found_is_one_line_on_stderr_exit_1(runner, args, message):
    """Unknown names: exit 1, nothing on stdout, one line with suggestions on stderr."""
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == message


def test_compare_has_every_aspect_and_no_blank_cell(runner):
    """compare prints one block per aspect, every procedure with a value or 'no good data'."""
    result = runner.invoke(app, ["compare", "open", "endoscopic"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Open foraminotomy vs Endoscopic foraminotomy"
    for aspect in ASPECTS:
        label = W.aspect_label(aspect.key)
        # An aspect with a value per region has a row per region, each naming it.
        heads = [
            n for n, line in enumerate(lines) if line == label or line.startswith(label + " (")
        ]
        assert heads, label
        for at in heads:
            assert lines[at + 1].startswith("- Open foraminotomy: ")
            assert lines[at + 2].startswith("- Endoscopic foraminotomy: ")
            assert len(lines[at + 1]) > len("- Open foraminotomy: ") + 3


def test_compare_needs_two_procedures(runner):
    """One procedure is a usage error (exit 2)."""
    result = runner.invoke(app, ["compare", "open"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "foracli: compare needs at least two procedures. Try 'foracli compare --help'.\n"
    )


@pytest.mark.parametrize("command", [["explain"], ["compare", "open", "endoscopic"]])
def test_json_format(runner, command):
    """--format json prints one JSON document with schema_version."""
    result = runner.invoke(app, [*command, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["schema_version"] == 2  # explain's figures and compare's rows: one per region
    assert doc["sources"]


def test_markdown_and_rich_formats(runner):
    """--format markdown and --format rich work when piped, too."""
    md = runner.invoke(app, ["explain", "-f", "markdown"], catch_exceptions=False)
    assert md.stdout.startswith("# Endoscopic foraminotomy\n")
    rich = runner.invoke(app, ["explain", "-f", "rich", "--color", "never"])
    assert rich.exit_code == 0
    assert "╭─" in rich.stdout
    assert "\x1b[" not in rich.stdout


def test_bad_format_is_a_usage_error(runner):
    """An unknown --format value is Typer's usage error, exit 2."""
    result = runner.invoke(app, ["explain", "--format", "html"])
    assert result.exit_code == 2
    assert result.stdout == ""


def test_version(runner):
    """--version prints name and version on stdout."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"foracli {__version__}\n"


@pytest.mark.parametrize(
    ("command", "example"),
    [
        (["explain"], "foracli explain open -s steps -s recovery --region neck"),
        (["compare"], "foracli compare open endoscopic"),
    ],
)
def test_command_help_ends_with_an_example(runner, command, example):
    """Each command's help ends with its example, under its own heading."""
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert result.stdout.endswith(f"\nExample:\n  {example}\n")


def test_invalid_knowledge_base_exits_3_without_traceback(runner, tmp_path, monkeypatch):
    """A broken knowledge base: exit 3, one located line on stderr, nothing on stdout."""
    root = write_kb(tmp_path, PROCEDURE.replace("name: P", "name: [P"))
    env = Environment(load=lambda _paths: load_knowledge_base([Path(root)], include_shipped=False))
    result = runner.invoke(app, ["explain", "p"], obj=env)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith(f"foracli: {root}/procedures/p.yaml:")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_sources_for_a_procedure_one_per_line(runner):
    """`foracli sources PROCEDURE` piped: one `id<TAB>citation` line per cited source."""
    result = runner.invoke(app, ["sources", "open"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    explained = runner.invoke(app, ["explain", "open", "-f", "json"])
    cited = [s["id"] for s in json.loads(explained.stdout)["sources"]]
    assert [line.split("\t")[0] for line in lines] == cited
    assert all(line.count("\t") == 1 for line in lines)


def test_sources_without_procedure_lists_the_whole_bibliography(runner):
    """With no procedure, every source, sorted by id; JSON too."""
    result = runner.invoke(app, ["sources", "-f", "json"], catch_exceptions=False)
    doc = json.loads(result.stdout)
    ids = [s["id"] for s in doc["sources"]]
    assert ids == sorted(ids)
    assert doc["procedure"] is None
    assert len(ids) >= 100


def test_compare_evidence_is_opt_in(runner):
    """--evidence adds the studies behind each row; the patient view stays uncluttered."""
    plain_view = runner.invoke(app, ["compare", "open", "endoscopic"], catch_exceptions=False)
    assert "Evidence behind each row" not in plain_view.stdout
    result = runner.invoke(app, ["compare", "open", "endoscopic", "--evidence"])
    lines = result.stdout.splitlines()
    start = lines.index("Evidence behind each row")
    assert re.fullmatch(r"- Skin cut: \[\d+\] .+", lines[start + 1])
    assert any("randomised trial, evidence level 2" in line for line in lines[start:])


def test_handout_writes_and_refuses_to_overwrite(runner, tmp_path):
    """handout writes the file (stdout stays empty), then refuses to replace it."""
    target = tmp_path / "page.html"
    result = runner.invoke(
        app,
        ["handout", "open", "--compare", "endoscopic", "-o", str(target)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"foracli: wrote {target}\n"
    first = target.read_text()
    assert first.startswith("<!DOCTYPE html>")
    again = runner.invoke(app, ["handout", "open", "-o", str(target)])
    assert again.exit_code == 1
    assert "already exists; use --force" in again.stderr
    assert target.read_text() == first
