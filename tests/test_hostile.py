"""Broken and hostile knowledge-base files: a precise error, fast, and nothing else.

Each case runs the real command in a subprocess (streams and exit codes are the
point): exit 3 (or 1 for a missing path), one `path:line:col: message` line on
stderr, nothing on stdout, no traceback, well under the time limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from foracli.app.cli import app
from tests.conftest import PROCEDURE

VALID_SOURCES = (
    "sources:\n  s-2020:\n    title: A study\n    url: https://e.org\n    type: cohort\n"
)


# Inputs that could hurt the interpreter itself (stack, memory, blocking reads) run in a
# real process; the rest run in-process, which checks the same streams far faster.
SUBPROCESS_CASES = {"alias-bomb", "deep-nesting", "python-tag"}


class Outcome:
    """What a run left behind: exit code and both streams."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_kb(kb: Path, *args: str, subprocess_run: bool = True) -> tuple[Outcome, float]:
    """`foracli explain p --kb KB`; returns the outcome and its wall time."""
    argv = [*(args or ("explain", "p")), "--kb", str(kb)]
    start = time.monotonic()
    if subprocess_run:
        done = subprocess.run(
            [sys.executable, "-m", "foracli", *argv], capture_output=True, text=True, timeout=60
        )
        outcome = Outcome(done.returncode, done.stdout, done.stderr)
    else:
        result = CliRunner().invoke(app, argv)
        trace = (
            "Traceback" if result.exception and not isinstance(result.exception, SystemExit) else ""
        )
        outcome = Outcome(result.exit_code, result.stdout, result.stderr + trace)
    return outcome, time.monotonic() - start


def assert_clean_failure(result, code: int, where: str) -> None:
    """Exit *code*, empty stdout, one stderr line starting with the location."""
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"foracli: {where}"), result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


BAD_FILES = [
    pytest.param(b"id: p\nname: [P\n", ":3:1: YAML syntax error", id="syntax"),
    pytest.param(b"id: p\n\tname: P\n", ":2:1: YAML syntax error", id="tab"),
    pytest.param(b"", ":1:1: file is empty", id="empty"),
    pytest.param(b"- a\n- b\n", ":1:1: a knowledge-base file must be a mapping", id="list"),
    pytest.param(b"just text\n", ":1:1: a knowledge-base file must be a mapping", id="scalar"),
    pytest.param(
        PROCEDURE.encode() + b"---\nid: q\n", ":12:1: file holds several YAML", id="two-docs"
    ),
    pytest.param(
        PROCEDURE.replace("name: P\n", "name: P\nname: Q\n").encode(),
        ":3:1: duplicate key 'name'",
        id="duplicate-key",
    ),
    pytest.param(
        PROCEDURE.replace("summary:", "summry:").encode(),
        ":3:1: unknown key 'summry' in a procedure; did you mean 'summary'?",
        id="unknown-key",
    ),
    pytest.param(
        PROCEDURE.replace("regions: [lumbar]", "regions: 5").encode(),
        ":5:10: regions must be a list",
        id="wrong-type",
    ),
    pytest.param(
        PROCEDURE.replace("name: P", "name: no").encode(),
        ":2:7: name must be text, but YAML reads a true/false value",
        id="retyped-no",
    ),
    pytest.param(
        PROCEDURE.replace("name: P", "name: 1.10").encode(),
        ":2:7: name must be text, but YAML reads a decimal number",
        id="retyped-1.10",
    ),
    pytest.param(
        PROCEDURE.replace("name: P", "name: 010").encode(),
        ":2:7: name must be text, but YAML reads a whole number",
        id="retyped-010",
    ),
    pytest.param(
        PROCEDURE.replace("name: P", "name: 2026-01-01").encode(),
        ":2:7: name must be text, but YAML reads a date",
        id="retyped-date",
    ),
    pytest.param(
        PROCEDURE.replace("name: P\n", "").encode(),
        ":1:1: a procedure is missing 'name'",
        id="missing-field",
    ),
    pytest.param(
        b"\xef\xbb\xbf" + PROCEDURE.encode(), ":1:1: file starts with a byte-order", id="bom"
    ),
    pytest.param(
        PROCEDURE.replace("P", "P\xe9").encode("latin-1"),
        ":2:8: file is not valid UTF-8",
        id="latin-1",
    ),
    pytest.param(
        PROCEDURE.replace("name: P", "name: !!python/object/apply:os.system [id]").encode(),
        ":2:7: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        id="python-tag",
    ),
    pytest.param(
        b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
        ":2:8: YAML aliases (*name) are not allowed",
        id="alias-bomb",
    ),
    pytest.param(b"id: " + b"[" * 5000 + b"]" * 5000 + b"\n", ":1:", id="deep-nesting"),
]


@pytest.mark.parametrize(("content", "where"), BAD_FILES)
def test_bad_file_is_refused_precisely(tmp_path, content, where, request):
    """Every bad file: exit 3, the exact location, empty stdout, no traceback, fast."""
    path = tmp_path / "p.yaml"
    path.write_bytes(content)
    case = request.node.callspec.id
    result, seconds = run_kb(path, subprocess_run=case in SUBPROCESS_CASES)
    assert_clean_failure(result, 3, f"{path}{where}")
    assert seconds < 10


def test_ids_that_clash_across_files(tmp_path):
    """Two user files with the same procedure id are an error naming both."""
    (tmp_path / "a.yaml").write_text(
        PROCEDURE + "sources:\n  x-1:\n    title: X\n    url: https://e.org\n    type: cohort\n"
    )
    (tmp_path / "b.yaml").write_text(PROCEDURE)
    result, _ = run_kb(tmp_path)
    assert_clean_failure(result, 3, f"{tmp_path}/b.yaml:1:1: procedure id 'p' is also used in")


def test_huge_file_is_refused_without_reading_it(tmp_path):
    """Files over the documented 1 MiB cap are refused at once."""
    path = tmp_path / "p.yaml"
    with path.open("wb") as handle:
        handle.write(b"id: p\nname: " + b"x" * (64 * 1024 * 1024) + b"\n")
    result, seconds = run_kb(path)
    assert_clean_failure(result, 3, f"{path}:1:1: file is larger than 1024 KiB")
    assert seconds < 10


def test_fifo_is_refused_without_blocking(tmp_path):
    """A FIFO would block a naive reader forever; it is refused."""
    path = tmp_path / "p.yaml"
    os.mkfifo(path)
    result, _ = run_kb(path)
    assert_clean_failure(result, 3, f"{path}:1:1: is not a regular file")


def test_symlink_loop(tmp_path):
    """A symlink loop inside a folder is reported, not followed forever."""
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    result, _ = run_kb(tmp_path)
    assert result.returncode == 3
    assert "cannot read: too many levels of symbolic links" in result.stderr
    assert result.stdout == ""


def test_special_file(tmp_path):
    """A character device is not a knowledge base."""
    result, _ = run_kb(Path("/dev/null"))
    assert_clean_failure(result, 3, "/dev/null:1:1: is not a regular file")


def test_missing_path_is_not_found(tmp_path):
    """A path that does not exist is 'not found': exit 1."""
    result, _ = run_kb(tmp_path / "nope.yaml")
    assert_clean_failure(result, 1, f"no such knowledge-base file or folder: {tmp_path}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):
    """A file we may not read gets the system's reason."""
    path = tmp_path / "p.yaml"
    path.write_text(PROCEDURE)
    path.chmod(0)
    result, _ = run_kb(path)
    assert_clean_failure(result, 3, f"{path}:1:1: cannot read: permission denied")


def test_terminal_control_in_user_text_prints_harmless(tmp_path):
    """Markup, emoji codes, ANSI/OSC escapes and bidi overrides are shown, never obeyed."""
    hostile = '"[bold red]x[/] :pill: \\e[2J\\e]0;title\\a \\u202Egnp.exe \\x07 \\x9b31m"'
    path = tmp_path / "p.yaml"
    point = f"- text: {hostile}\n      sources: [s-2020]"
    path.write_text(PROCEDURE.replace("- Plain words.", point) + VALID_SOURCES)
    for fmt in ("text", "markdown", "json", "rich"):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "foracli",
                "explain",
                "p",
                "--kb",
                str(path),
                "-f",
                fmt,
                "--color",
                "always",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        body = result.stdout
        for raw in ("\x1b[2J", "\x1b]0;", "\u202e", "\x07", "\x9b"):
            assert raw not in body, (fmt, raw)
        assert ":pill:" in body
        assert "💊" not in body


def test_control_characters_in_keys_and_tags_never_reach_the_terminal(tmp_path):
    """Messages quote keys and tags from the file; their control characters show as text."""
    path = tmp_path / "p.yaml"
    path.write_text(PROCEDURE.replace("name: P", 'name: P\n"\\e]0;pwned\\a": x'))
    result, _ = run_kb(path)
    assert result.returncode == 3
    assert "\x1b" not in result.stderr
    assert "\\x1b]0;pwned\\x07" in result.stderr
    glossary = tmp_path / "g.yaml"
    glossary.write_text('glossary:\n  "\\e[31mRED":\n    definition: x.\n')
    result, _ = run_kb(glossary)
    assert result.returncode == 3
    assert "\x1b" not in result.stderr
    assert "must be lowercase words joined by hyphens" in result.stderr
