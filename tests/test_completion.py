"""Shell completion through Typer's own completion environment variables."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROCEDURE


def complete(line: str, env: dict[str, str] | None = None) -> list[str]:
    """Ask the real program (as zsh would) to complete *line*; return the values offered."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "foracli")],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "_FORACLI_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": line,
            **(env or {}),
        },
    )
    assert result.returncode == 0, result.stderr
    return re.findall(r'^(?:_arguments \'\*: :\(\()?"([^"]+)":', result.stdout, re.M)


def test_commands_complete():
    """Command names complete."""
    assert complete("foracli gl") == ["glossary"]


def test_procedure_names_and_aliases_complete():
    """Procedure ids and hyphenated aliases complete from the knowledge base."""
    offered = complete("foracli explain ope")
    assert "open" in offered
    assert "open-foraminotomy" in offered


def test_section_names_complete():
    """--section completes section keys and aliases."""
    assert complete("foracli explain -s red") == ["red-flag", "red-flags"]


def test_glossary_terms_complete():
    """glossary completes defined terms."""
    assert "foramen" in complete("foracli glossary fora")


def test_completion_uses_the_kb_on_the_line(tmp_path):
    """A --kb already typed adds its procedures to the completions."""
    path = tmp_path / "mine.yaml"
    path.write_text(PROCEDURE.replace("id: p", "id: zeta-method"))
    assert complete(f"foracli explain --kb {path} zet") == ["zeta-method"]
    assert complete("foracli explain zet", env={"FORACLI_KB": str(path)}) == ["zeta-method"]
    assert complete("foracli explain zet") == []


def test_broken_kb_completes_nothing_quietly(tmp_path):
    """A broken knowledge base never breaks the shell: no completions, no output."""
    path = tmp_path / "bad.yaml"
    path.write_text("id: [")
    assert complete(f"foracli explain --kb {path} ope") == []
