"""The README's transcripts are real: each `$ foracli ...` block matches today's output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from foracli.app.cli import app

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"```console\n\$ (foracli [^\n]*)\n(.*?)```", re.S)
# Only real transcripts: one command with its output (not command lists or redirections).
TRANSCRIPTS = [
    (command, output)
    for command, output in BLOCK.findall(README)
    if output and not output.startswith("$") and "\n$ " not in output and ">" not in command
]


def test_readme_has_transcripts():
    """Guards the parametrised test below against silently matching nothing."""
    assert len(TRANSCRIPTS) >= 2


@pytest.mark.parametrize(("command", "expected"), TRANSCRIPTS, ids=[c for c, _ in TRANSCRIPTS])
def test_transcript_matches_output(runner, command, expected):
    """Run the command piped (plain text) and compare, honouring a trailing `| head -n N`."""
    command, _, head = command.partition(" | head -n ")
    result = runner.invoke(app, shlex.split(command)[1:], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.stdout.splitlines(keepends=True)
    if head:
        lines = lines[: int(head)]
    assert "".join(lines) == expected
