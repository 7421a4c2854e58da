"""Paging where people are: stdin and stdout on one terminal. A repeat is replayed
through the pager with the same bytes; a pager that cannot start never hides output."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foracli.app.pager import DEFAULT_LESS, less_options, page, pager_command
from foracli.speed import fastpath

LAUNCH = "import sys; from foracli.speed.launch import main; sys.argv[0] = 'foracli'; main()"


def on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[str, str, int]:
    """Run the installed launcher with stdin and stdout on one pseudo-terminal, as a
    person at a terminal does; (what the terminal showed, stderr, exit status)."""
    controller, terminal = pty.openpty()
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, *args],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env={**base, "TERM": "xterm-256color", "COLUMNS": "100", **env},
        close_fds=True,
    )
    os.close(terminal)
    chunks = []
    while select.select([controller], [], [], 30)[0]:
        try:
            data = os.read(controller, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(controller)
    code = proc.wait(timeout=30)
    assert proc.stderr is not None
    shown = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return shown, proc.stderr.read().decode("utf-8"), code


def test_a_repeat_at_a_real_terminal_is_replayed_through_the_pager(tmp_path):
    """The second identical run at a terminal skips Typer and Rich and hands the pager
    exactly the bytes the first run handed it."""
    cache = tmp_path / "cache"
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    env = {"FORACLI_CACHE_DIR": str(cache), "PAGER": f"cat > {first}"}
    shown, errors, code = on_a_terminal(["explain", "open", "-s", "what"], env)
    assert (code, errors, shown) == (0, "", "")
    assert "What it is" in first.read_text(encoding="utf-8")
    assert "\x1b[" in first.read_text(encoding="utf-8")  # Rich's colours reach the pager
    env = {**env, "PAGER": f"cat > {second}", "PYTHONPROFILEIMPORTTIME": "1"}
    shown, errors, code = on_a_terminal(["explain", "open", "-s", "what"], env)
    assert (code, shown) == (0, "")
    assert second.read_bytes() == first.read_bytes()
    imported = {line.rsplit("|", 1)[-1].strip() for line in errors.splitlines()}
    assert "typer" not in imported
    assert "rich" not in imported
    assert "foracli.speed.fastpath" in imported


def test_a_pager_that_cannot_start_prints_directly_with_one_warning(tmp_path):
    """PAGER naming no program: the page appears on the terminal, and one line says why."""
    env = {"FORACLI_CACHE_DIR": str(tmp_path), "PAGER": "nonexistent-pager --flag"}
    shown, errors, code = on_a_terminal(["explain", "open", "-s", "what"], env)
    assert code == 0
    assert "What it is" in shown
    assert (
        errors == "foracli: cannot start the pager 'nonexistent-pager --flag'; printing directly\n"
    )


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"PAGER": "most"}, "most"),
        ({"MANPAGER": "less -s", "PAGER": "most"}, "less -s"),
        ({}, "less"),
        ({"TERM": "dumb"}, None),
        ({"TERM": "dumb", "PAGER": "cat"}, "cat"),
    ],
)
def test_the_pager_is_chosen_as_pydoc_chooses_it(environ, expected):
    """MANPAGER, then PAGER, else less; on a dumb terminal with none named, no pager."""
    assert pager_command(environ) == expected


def test_the_pager_gets_the_bytes_and_less_gets_its_defaults(tmp_path):
    """page() hands the bytes over unchanged, with LESS=-FRX unless the user set LESS,
    and -R added to a LESS without it (colour codes never show as text)."""
    out = tmp_path / "out"
    environ = {
        "PATH": os.environ["PATH"],
        "PAGER": f'cat > {out}; printf "%s" "$LESS" > {out}.less',
    }
    assert page(b"\x1b[1mbold\x1b[0m \xe2\x9c\x93\n", environ) is None
    assert out.read_bytes() == b"\x1b[1mbold\x1b[0m \xe2\x9c\x93\n"
    assert Path(f"{out}.less").read_text() == DEFAULT_LESS
    assert page(b"x", {**environ, "LESS": "-i"}) is None
    assert Path(f"{out}.less").read_text() == "-i -R"
    assert page(b"x", {**environ, "LESS": "-iR"}) is None
    assert Path(f"{out}.less").read_text() == "-iR"


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (None, "-FRX"),
        ("", "-R"),
        ("-i", "-i -R"),
        ("iM", "iM -R"),
        ("-FRX", "-FRX"),
        ("-r", "-r"),
        ("-i --RAW-CONTROL-CHARS", "-i --RAW-CONTROL-CHARS"),
        ("--raw-control-chars", "--raw-control-chars"),
    ],
)
def test_less_always_passes_colour(given, used):
    """The user's LESS is kept, with -R added only when neither -R nor -r is there."""
    assert less_options({} if given is None else {"LESS": given}) == used


def test_a_pager_the_shell_cannot_start_counts_as_not_started(tmp_path):
    """/bin/sh exits 127 for a program it cannot find: nothing was shown, so page()
    reports the command and the caller prints directly."""
    environ = {"PATH": os.environ["PATH"], "PAGER": "cat | no-such-pager-here"}
    assert page(b"x\n", environ) == "cat | no-such-pager-here"


def test_a_pager_that_quits_early_costs_nothing(tmp_path):
    """A reader that leaves before the end (q in less) ends the page quietly."""
    started = time.monotonic()
    assert (
        page(b"line\n" * 200_000, {"PATH": os.environ["PATH"], "PAGER": "head -n 1 >/dev/null"})
        is None
    )
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("argv", "paged"),
    [
        (["explain", "--no-pager", "--pager"], True),  # Click: the last flag wins
        (["explain", "--pager", "--no-pager"], False),
        (["explain", "--format", "text", "-f", "rich", "--pager"], True),
        (["explain", "-f", "rich", "--format", "text", "--pager"], False),  # text never pages
    ],
)
def test_the_replay_pages_exactly_when_the_app_would(argv, paged, tmp_path, monkeypatch):
    """The fast path's paging decision follows the presenter's rule and Click's last-wins."""
    monkeypatch.setattr(os, "isatty", lambda fd: True)
    env = {"FORACLI_CACHE_DIR": str(tmp_path), "FORCE_COLOR": "1"}
    found = fastpath.cache_key(argv, env)
    assert found is not None
    assert found[3] is paged
