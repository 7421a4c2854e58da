"""Shell completion through Typer's own completion environment variables."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROCEDURE

ROOT = Path(__file__).resolve().parent.parent


def ask(line: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Ask the real program, as zsh would, to complete *line*."""
    return subprocess.run(
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


def complete(line: str, env: dict[str, str] | None = None) -> list[str]:
    """The values offered for *line*."""
    result = ask(line, env)
    assert result.returncode == 0, result.stderr
    return re.findall(r'^(?:_arguments \'\*: :\(\()?"([^"]+)":', result.stdout, re.M)


def test_commands_complete():
    """Command names complete."""
    assert complete("foracli gl") == ["glossary"]


def test_procedure_ids_and_names_complete_and_aliases_only_when_nothing_else_does():
    """What a person wants first: ids and names; the many aliases only as a fallback."""
    assert complete("foracli explain ope") == ["open-foraminotomy"]
    assert complete("foracli compare open-foraminotomy endoscopic-t") == [
        "endoscopic-transforaminal-lumbar"
    ]
    procedures = len(list((ROOT / "data" / "procedures").glob("*.yaml")))
    assert len(complete("foracli explain ")) <= 2 * procedures  # not 150 aliases
    assert complete("foracli explain keyh") == ["keyhole-foraminotomy"]  # an alias


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


def test_a_repeated_tab_is_replayed_without_typer(tmp_path):
    """The second identical TAB prints the same completions from the cache, with no
    Typer import; a different word typed is a new question."""
    env = {"FORACLI_CACHE_DIR": str(tmp_path)}
    first = complete("foracli explain endo", env)
    assert first
    assert all(word.startswith("endo") for word in first)
    result = ask("foracli explain endo", {**env, "PYTHONPROFILEIMPORTTIME": "1"})
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "typer" not in imported
    assert re.findall(r'"([^"]+)":', result.stdout) == first
    assert complete("foracli explain ope", env) == ["open-foraminotomy"]
