"""Shell completion through Typer's own completion environment variables."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROCEDURE

ROOT = Path(__file__).resolve().parent.parent


def program(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the installed command with *env* added to this environment."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "foracli")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def ask(line: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Ask the real program, as zsh would, to complete *line*."""
    return program(
        {"_FORACLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line, **(env or {})}
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


BASH_LINES = [
    "foracli explain ",
    "foracli explain ope",
    "foracli explain OPE",
    "foracli explain open-f",
    "foracli explain keyh",
    "foracli explain zzz",
    "foracli compare open en",
    "foracli compare open endoscopic tu",
    "foracli sources en",
    "foracli glossary fora",
    "foracli glossary ",
    "foracli explain -s re",
    "foracli explain open -s ",
    "foracli explain --section r",
    "foracli compare a b -a st",
    "foracli compare -a ",
    "foracli explain -f json ope",
    "foracli explain open -s what endo",
]
LEFT_TO_TYPER = [
    "foracli ",
    "foracli ex",
    "foracli explain --",
    "foracli explain -f ",
    "foracli explain --kb ",
    "foracli explain 'op",
    "foracli explain --section=re",
]


def bash_tab(line: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A TAB at the end of *line*, as bash asks for it (COMP_WORDS, COMP_CWORD)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    return program(
        {
            "_FORACLI_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(cword),
            "PYTHONPROFILEIMPORTTIME": "1",
            **env,
        }
    )


@pytest.fixture(scope="module")
def tables_ready(tmp_path_factory):
    """A cache folder in which a full run has stored the completion tables."""
    folder = tmp_path_factory.mktemp("tables")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "foracli"), "list"],
        capture_output=True,
        env={**os.environ, "FORACLI_CACHE_DIR": str(folder)},
        timeout=60,
    )
    assert result.returncode == 0
    assert list(folder.glob("tab-*.marshal"))
    return folder


def _imported(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[-1].strip() for line in stderr.splitlines()}


@pytest.mark.parametrize("line", BASH_LINES)
def test_a_first_tab_from_the_tables_offers_what_typer_offers(line, tables_ready, tmp_path):
    """Byte for byte the same completions as Typer's, without importing Typer."""
    typer_run = bash_tab(line, {"FORACLI_NO_CACHE": "1"})
    fast = bash_tab(line, {"FORACLI_CACHE_DIR": str(tables_ready)})
    assert (fast.returncode, fast.stdout) == (typer_run.returncode, typer_run.stdout)
    assert "typer" not in _imported(fast.stderr)


@pytest.mark.parametrize("line", LEFT_TO_TYPER)
def test_other_tabs_are_left_to_typer(line, tables_ready):
    """Command and option names, choices, paths, quotes: Typer answers."""
    fast = bash_tab(line, {"FORACLI_CACHE_DIR": str(tables_ready)})
    assert fast.returncode == 0
    assert "typer" in _imported(fast.stderr)


def test_tables_follow_an_edit_to_the_knowledge_base(tmp_path):
    """A renamed procedure is offered under its new id at the next TAB, never the old."""
    import time

    mine = tmp_path / "mine.yaml"
    mine.write_text(PROCEDURE.replace("id: p", "id: zeta-method"))
    time.sleep(2.1)  # files changed just now are never cached
    env = {"FORACLI_CACHE_DIR": str(tmp_path / "cache"), "FORACLI_KB": str(mine)}
    subprocess.run(
        [str(Path(sys.executable).parent / "foracli"), "list"], env={**os.environ, **env}
    )
    first = bash_tab("foracli explain zet", env)
    assert first.stdout == "zeta-method\n"
    assert "typer" not in _imported(first.stderr)
    mine.write_text(PROCEDURE.replace("id: p", "id: zeta-renamed"))
    assert bash_tab("foracli explain zet", env).stdout == "zeta-renamed\n"
