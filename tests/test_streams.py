"""Real processes: pipes, exit codes, stderr, and a pseudo-terminal for the Rich look.

These are the few tests that need a subprocess: streams and terminals are the point.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(sys.executable).parent / "foracli"
PYTHON_M = [sys.executable, "-m", "foracli"]
SGR_COLOUR = re.compile(r"\x1b\[[0-9;]*3[0-7](;[0-9]+)*m|\x1b\[[0-9;]*38;")


def run(
    args: list[str], env: dict[str, str] | None = None, **kwargs
) -> subprocess.CompletedProcess:
    """Run foracli via `python -m` with stdout and stderr piped."""
    return subprocess.run(
        [*PYTHON_M, *args], capture_output=True, text=True, env=_env(env), timeout=60
    )


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")
    }
    env.update(extra or {})
    return env


def test_console_script_is_installed():
    """The installed `foracli` entry point runs."""
    result = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("foracli ")


def test_python_dash_m_help():
    """`python -m foracli --help` works and lists both commands."""
    result = run(["--help"])
    assert result.returncode == 0
    assert "explain" in result.stdout
    assert "compare" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["explain"],
        ["explain", "--format", "json"],
        ["--version"],
        ["compare", "open", "endoscopic", "--no-pager"],
    ],
)
def test_head_closes_the_pipe_quietly(args, tmp_path):
    """`foracli ... | head -1`: one line, foracli exits 0 (the closed-pipe status), and
    nothing on stderr."""
    command = " ".join(PYTHON_M + args)
    result = subprocess.run(
        ["bash", "-c", f"{command} 2>err.txt | head -1; echo ${{PIPESTATUS[0]}} >status.txt"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
        cwd=tmp_path,
    )
    assert result.stdout.count("\n") == 1
    assert (tmp_path / "err.txt").read_text() == ""
    assert (tmp_path / "status.txt").read_text().strip() == "0"


@pytest.mark.parametrize("args", [["explain"], ["explain", "-f", "json"], ["--version"]])
def test_reader_gone_before_first_write(args):
    """A pipe with no reader at all: exit 0, as for a reader that stops early (which
    foracli cannot always see), no traceback, no 'Exception ignored'."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    with subprocess.Popen(
        [*PYTHON_M, *args], stdout=write_end, stderr=subprocess.PIPE, env=_env()
    ) as proc:
        os.close(write_end)
        _, err = proc.communicate(timeout=60)
    assert err == b""
    assert proc.returncode == 0


def test_piped_output_is_plain_and_unwrapped():
    """Piped: no escape codes, no box drawing, long lines kept whole."""
    result = run(["explain"], env={"COLUMNS": "40"})
    assert result.returncode == 0
    assert "\x1b" not in result.stdout
    assert not re.search(r"[\u2500-\u257f]", result.stdout)
    assert max(len(line) for line in result.stdout.splitlines()) > 120


def test_grep_after_recovery_heading():
    """`grep -A2 '^Recovery'` finds the heading, its first time label and first point."""
    result = subprocess.run(
        ["bash", "-c", " ".join(PYTHON_M) + " explain | grep -A2 '^Recovery$'"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "Recovery"
    assert lines[1].endswith(":")
    assert not lines[1].startswith(" ")
    assert lines[2].startswith("  - ")


def test_exit_codes_and_streams_for_errors():
    """Not found is exit 1, usage is exit 2; stdout stays empty and stderr has no traceback."""
    missing = run(["explain", "appendectomy"])
    assert (missing.returncode, missing.stdout) == (1, "")
    assert missing.stderr == "foracli: unknown procedure 'appendectomy'\n"
    usage = run(["explain", "--bogus"])
    assert (usage.returncode, usage.stdout) == (2, "")
    assert usage.stderr == ("foracli: unknown option '--bogus'. Try 'foracli explain --help'.\n")
    assert "Traceback" not in missing.stderr + usage.stderr


def run_in_pty(args: list[str], env: dict[str, str], *, stdin_tty: bool = True) -> str:
    """Run foracli with stdout (and stdin) on a pseudo-terminal; return what it drew."""
    controller, terminal = pty.openpty()
    os.set_blocking(controller, True)
    proc = subprocess.Popen(
        [*PYTHON_M, *args],
        stdin=terminal if stdin_tty else subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=_env(env),
        close_fds=True,
    )
    os.close(terminal)
    chunks = []
    while True:
        ready, _, _ = select.select([controller], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(controller, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(controller)
    assert proc.wait(timeout=30) == 0
    assert proc.stderr is not None
    assert proc.stderr.read() == b""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_terminal_gets_rich_panels_in_colour():
    """On a TTY: coloured Rich panels, each section titled, within the terminal width."""
    out = run_in_pty(["explain", "--no-pager"], {"TERM": "xterm-256color", "COLUMNS": "100"})
    assert SGR_COLOUR.search(out)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "╭─  What it is  ─" in plain
    assert "╭─  Recovery  ─" in plain
    assert max(len(line) for line in plain.splitlines()) <= 100


def test_terminal_compare_is_a_table():
    """compare on a TTY draws a table with a column per procedure."""
    out = run_in_pty(
        ["compare", "open", "endoscopic", "--no-pager"],
        {"TERM": "xterm-256color", "COLUMNS": "120"},
    )
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "┬" in plain
    assert "Open foraminotomy" in plain
    assert "…" not in plain


@pytest.mark.parametrize(
    ("env", "coloured", "boxes"),
    [({"TERM": "xterm-256color", "NO_COLOR": "1"}, False, True), ({"TERM": "dumb"}, False, False)],
)
def test_terminal_honours_no_color_and_dumb(env, coloured, boxes):
    """NO_COLOR drops colour (panels stay); TERM=dumb gets plain text."""
    out = run_in_pty(["explain", "--no-pager"], {"COLUMNS": "100", **env})
    assert bool(SGR_COLOUR.search(out)) is coloured
    assert ("╭─" in out) is boxes


@pytest.mark.parametrize(
    ("args", "stdin_tty", "paged"),
    [
        ([], True, True),
        (["--no-pager"], True, False),
        ([], False, False),
        (["--pager"], True, True),
    ],
)
def test_pager_only_when_a_person_is_at_both_ends(tmp_path, args, stdin_tty, paged):
    """PAGER runs when stdin and stdout are terminals (or --pager); never otherwise."""
    marker = tmp_path / "paged.txt"
    env = {"TERM": "xterm-256color", "COLUMNS": "100", "PAGER": f"cat > {marker}"}
    run_in_pty(["explain", "-s", "steps", *args], env, stdin_tty=stdin_tty)
    assert marker.exists() is paged
    if paged:
        assert "What happens during surgery" in marker.read_text()


def test_pager_is_never_used_in_a_pipe(tmp_path):
    """Even with --pager, piped output goes straight to the pipe."""
    marker = tmp_path / "paged.txt"
    result = run(["explain", "--pager"], env={"PAGER": f"cat > {marker}"})
    assert result.returncode == 0
    assert not marker.exists()
    assert result.stdout.startswith("Endoscopic foraminotomy\n")
