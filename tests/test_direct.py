"""The direct path (no Typer) against the Typer app: for every argument list it takes,
byte-identical stdout, stderr and exit status; for every other one, it steps aside."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from foracli.app import cli, direct
from foracli.app.present import Environment

KB_FILE = os.path.join(os.path.dirname(__file__), "data", "kb", "procedures", "keyhole.yaml")

TAKEN = [
    ["explain"],
    ["explain", "open"],
    ["explain", "open", "foraminotomy"],
    ["explain", "Open-Foraminotomy", "-s", "steps", "-s", "recovery"],
    ["explain", "-s", "what", "open"],
    ["explain", "open", "--section=risks", "--section", "benefits"],
    ["explain", "open", "-s", "risk", "-s", "risks"],
    ["explain", "open", "-f", "json"],
    ["explain", "open", "--format", "MARKDOWN"],
    ["explain", "open", "--format=text", "--no-pager"],
    ["explain", "open", "-f", "json", "-f", "text"],
    ["explain", "open", "--color", "never", "-s", "what"],
    ["explain", "open", "--color", "ALWAYS", "-s", "what"],
    ["explain", "open", "-f", "rich", "-s", "key-points"],
    ["explain", "pecf", "-f", "rich", "--pager", "--no-pager"],
    ["explain", "opn"],
    ["explain", "open", "endoscopic"],
    ["explain", "open", "-s", "recovry"],
    ["explain", "non-surgical-care", "-s", "steps"],
    ["explain", "open", "--kb", KB_FILE],
    ["explain", "keyhole", "--kb", KB_FILE, "-f", "json"],
    ["explain", "open", "--kb", "/no/such/file.yaml"],
    ["explain", "-"],
    ["explain", "open", "-s", ""],
    ["explain", "open", "--region", "neck"],
    ["explain", "open", "-r", "low-back", "-s", "what"],
    ["explain", "open", "--region=lumbar", "-f", "json"],
    ["explain", "acdf", "--region", "low back"],
    ["explain", "open", "--region", "nek"],
    ["explain", "--brief"],
    ["explain", "open", "--brief", "-f", "markdown"],
    ["explain", "open", "--no-sources", "-s", "risks"],
    ["explain", "open", "--no-sources", "--sources", "-s", "risks"],
    ["compare", "open", "endoscopic", "--region", "neck"],
    ["compare", "open", "endoscopic", "acdf", "--region", "neck", "-f", "json"],
    ["compare", "open", "lumbar-fusion", "--region", "neck"],
    ["compare", "open", "endoscopic", "--no-sources", "-f", "markdown"],
    ["search", "blood", "loss", "--region", "neck"],
    ["compare", "open", "endoscopic"],
    ["compare", "open", "endoscopic", "tubular"],
    ["compare", "open", "endoscopic", "--evidence"],
    ["compare", "open", "endoscopic", "-a", "stay", "--aspect=work"],
    ["compare", "open", "endoscopic", "-a", "stya"],
    ["compare", "open", "endoscopic", "-f", "json", "--evidence"],
    ["compare", "open", "endoscopic", "-f", "markdown"],
    ["compare", "open", "endoscopic", "--color", "always", "--no-bars"],
    ["compare", "open", "endoscopic", "--color", "always", "--bars"],
    ["compare", "open", "opn"],
    ["compare", "open", "open"],
    ["list"],
    ["list", "-f", "json"],
    ["list", "--format", "markdown"],
    ["list", "--color", "always"],
    ["search", "nerve"],
    ["search", "how", "long", "off", "work"],
    ["search", "nerve", "-n", "3"],
    ["search", "nerve", "--limit=1", "-f", "json"],
    ["search", "nerve", "-n", "05"],
    ["search", "zzzzqqq"],
    ["search", "the"],
    ["search", "nerve", "--color", "always", "-n", "2"],
    ["search", "zzzzqqq", "-f", "json"],
    ["search", "recovery", "--region", "neck"],
    ["ask", "how", "long", "off", "work"],
    ["ask", "will I be awake during keyhole surgery on my low back"],
    ["ask", "when", "can", "I", "drive", "-f", "json"],
    ["ask", "is", "keyhole", "better", "than", "open", "--format", "markdown"],
    ["ask", "recovery", "--region", "neck", "-f", "rich"],
    ["ask", "recovery", "-r", "upper-arm"],
    ["ask", "will", "I", "be", "paralysed", "--color", "always"],
    ["ask", "what", "colour", "is", "the", "sky"],
    ["ask", "what", "colour", "is", "the", "sky", "-f", "json"],
    ["ask", "keyhole", "--kb", KB_FILE],
    ["search", "nerve", "--pager"],
    ["search", "nerve", "--no-pager", "-f", "text"],
    ["list", "--no-pager"],
    ["glossary", "--pager", "-f", "json"],
    ["sources", "--no-pager", "open"],
    ["compare", "open", "open-foraminotomy"],
    ["compare", "open", "endoscopic", "open"],
    ["glossary"],
    ["glossary", "foramen"],
    ["glossary", "nerves"],
    ["glossary", "foramin"],
    ["glossary", "-f", "json"],
    ["glossary", "foramen", "--color", "always"],
    ["sources"],
    ["sources", "open"],
    ["sources", "open", "-f", "json"],
    ["sources", "opn"],
    ["sources", "--color", "always", "endoscopic"],
]
LEFT_TO_TYPER = [
    [],
    ["--version"],
    ["explain", "--help"],
    ["explain", "-h"],
    ["explain", "open", "-s"],
    ["explain", "open", "-swhat"],
    ["explain", "open", "--sect", "what"],
    ["explain", "open", "--format", "yaml"],
    ["explain", "open", "--color", "sometimes"],
    ["explain", "--evidence"],
    ["explain", "--", "open"],
    ["explain", "--brief", "-s", "risks"],
    ["explain", "--region"],
    ["compare"],
    ["compare", "open"],
    ["search"],
    ["search", "nerve", "-n", "0"],
    ["search", "nerve", "-n", "many"],
    ["ask"],
    ["ask", "--help"],
    ["ask", "pain", "-n", "2"],
    ["ask", "pain", "--format", "yaml"],
    ["help", "explain"],
    ["list", "extra"],
    ["validate"],
    ["schema"],
    ["handout", "open", "-o", "x.html"],
    ["nonsense"],
]


def outcome(runner, argv: list[str], capsys) -> tuple[str, str, int | None]:
    """(stdout, stderr, exit status) of one in-process run."""
    capsys.readouterr()
    code = runner(argv, Environment(stdin=io.StringIO()))
    out, err = capsys.readouterr()
    return out, err, code


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch, tmp_path):
    """The same width and colour rules for both paths; no user knowledge base."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("NO_COLOR", "FORCE_COLOR", "FORACLI_KB"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("argv", TAKEN, ids=" ".join)
def test_the_direct_path_writes_what_typer_writes(argv, capsys):
    """Byte for byte: stdout, stderr and the exit status, errors included."""
    fast = outcome(direct.run, argv, capsys)
    assert fast[2] is not None, "the direct path should take this one"
    assert fast == outcome(cli.run, argv, capsys)


@pytest.mark.parametrize("argv", LEFT_TO_TYPER, ids=lambda a: " ".join(a) or "(none)")
def test_the_direct_path_leaves_the_rest_to_typer(argv, capsys):
    """Help, usage errors and other commands: nothing written, Typer's turn."""
    assert outcome(direct.run, argv, capsys) == ("", "", None)


def test_the_installed_command_runs_a_first_run_without_typer(tmp_path):
    """Through the launcher, a never-run `explain` imports neither Typer nor pydantic."""
    result = subprocess.run(
        [sys.executable, "-c", "from foracli.speed.launch import main; main()", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "FORACLI_CACHE_DIR": str(tmp_path), "PYTHONPROFILEIMPORTTIME": "1"},
    )
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "foracli.app.direct" in imported
    assert not imported & {"typer", "pydantic", "click"}


@pytest.mark.parametrize(
    ("error", "expected"),
    [(KeyboardInterrupt, ("", "", 130)), (EOFError, ("", "\nforacli: aborted\n", 1))],
)
def test_an_interrupt_ends_the_direct_path_as_it_ends_typer(capsys, monkeypatch, error, expected):
    """Ctrl-C mid-run (or end of input): the same status and stderr, and no traceback."""
    from foracli.app import commands

    def interrupted(*args, **kwargs):
        raise error

    monkeypatch.setattr(commands, "show", interrupted)
    fast = outcome(direct.run, ["explain", "open"], capsys)
    assert fast == outcome(cli.run, ["explain", "open"], capsys)
    assert fast == expected
