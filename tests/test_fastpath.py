"""The replay fast path: byte-identical to the Typer app, never stale, optional.

A differential table runs each argument list through the full app with the
cache off, then twice with it on; the second run must come from the cache, so
it runs with a `typer` that cannot be imported, and must match byte for byte.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_KB

FORACLI = str(Path(sys.executable).parent / "foracli")

TABLE = [
    ["explain"],
    ["explain", "Open", "Foraminotomy"],
    ["explain", "endoscopic", "-s", "steps", "-s", "recovery"],
    ["explain", "--section=risks", "open"],
    ["explain", "--format", "markdown", "tubular"],
    ["explain", "--format=TEXT", "--color", "never"],
    ["compare", "open", "endoscopic", "tubular", "--evidence"],
    ["compare", "-a", "stay", "open", "endoscopic", "-f", "json"],
    ["compare", "open", "endoscopic", "-f", "rich", "--color", "never"],
    ["search", "how", "long", "off", "work", "-n", "3"],
    ["ask", "how", "long", "off", "work", "after", "open", "surgery"],
    ["ask", "will I be paralysed", "-f", "json"],
    ["explain", "keyhole", "--kb", str(FIXTURE_KB)],
    ["--help"],
    ["explain", "--help"],
]
ERRORS = [
    ["explain", "nope"],
    ["explain", "-s", "recovry"],
    ["compare", "open"],
    ["explain", "--bogus"],
    ["explain", "open", "--kb", "/no/such/path"],
    ["ask", "what colour is the sky"],
    ["search", "zzzzqqq", "-f", "json"],
]


def run(argv: list[str], env: dict[str, str]) -> tuple[bytes, bytes, int]:
    """Run the installed command with stdout and stderr piped."""
    result = subprocess.run([FORACLI, *argv], capture_output=True, env=env, timeout=60)
    return result.stdout, result.stderr, result.returncode


@pytest.fixture(scope="module")
def envs(tmp_path_factory):
    """(no cache, cache, cache without an importable typer) environments."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "FORACLI_KB", "FORACLI_NO_CACHE", "TERM")
    }
    cache = base | {"FORACLI_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    poison = tmp_path_factory.mktemp("poison")
    (poison / "typer.py").write_text("raise ImportError('the fast path must not import typer')")
    return base | {"FORACLI_NO_CACHE": "1"}, cache, cache | {"PYTHONPATH": str(poison)}


@pytest.mark.parametrize("argv", TABLE, ids=" ".join)
def test_replay_is_byte_identical_and_skips_typer(argv, envs):
    """A full run (a cache miss runs the Typer app) and its replay, with typer
    unimportable, agree exactly."""
    _, cache_env, poisoned_env = envs
    full = run(argv, cache_env)
    assert full[2] == 0, full[1]
    assert run(argv, poisoned_env) == full


@pytest.mark.parametrize("argv", ERRORS, ids=" ".join)
def test_errors_are_never_cached(argv, envs):
    """Errors run the full app every time, with the same streams and exit code."""
    plain_env, cache_env, _ = envs
    full = run(argv, plain_env)
    assert full[2] != 0
    assert run(argv, cache_env) == full


def test_a_changed_file_is_never_replayed_stale(tmp_path, envs):
    """Editing the knowledge base (same size or not) changes the next output."""
    _, cache_env, _ = envs
    folder = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, folder)
    kb = folder / "procedures" / "open-op.yaml"
    text = kb.read_text()
    argv = ["explain", "open-op", "--kb", str(folder)]
    first = run(argv, cache_env)
    assert b"Open surgery" in first[0]
    kb.write_text(text.replace("name: Open surgery", "name: Open sugrery"))  # same size
    os.utime(kb, ns=(0, kb.stat().st_mtime_ns + 1_000_000))
    second = run(argv, cache_env)
    assert b"Open sugrery" in second[0]


def test_settings_that_change_output_change_the_key(envs):
    """Colour settings reach the key: FORCE_COLOR turns the piped output into Rich."""
    _, cache_env, _ = envs
    plain_text = run(["explain", "-s", "steps"], cache_env)
    forced = run(["explain", "-s", "steps"], cache_env | {"FORCE_COLOR": "1"})
    assert b"\x1b[" in forced[0]
    assert b"\x1b[" not in plain_text[0]
    narrow = run(["explain", "-s", "steps", "-f", "rich"], cache_env | {"COLUMNS": "60"})
    wide = run(["explain", "-s", "steps", "-f", "rich"], cache_env | {"COLUMNS": "120"})
    assert max(map(len, narrow[0].decode().splitlines())) <= 60
    assert max(map(len, wide[0].decode().splitlines())) > 60


@pytest.mark.parametrize("folder", ["/proc/foracli-cannot-write-here", ""])
def test_unusable_cache_folder_only_makes_it_slower(folder, envs):
    """A read-only or empty cache setting never breaks a run."""
    plain_env, cache_env, _ = envs
    env = cache_env | {
        "FORACLI_CACHE_DIR": folder,
        "XDG_CACHE_HOME": "relative/path",
        "HOME": "/proc/foracli-nowhere",
    }
    assert run(["explain", "open"], env) == run(["explain", "open"], plain_env)


def test_editing_another_file_of_the_kb_is_seen(tmp_path, envs):
    """A file the output does not show can still break the KB: the replay must notice."""
    plain_env, cache_env, _ = envs
    folder = tmp_path / "kb"
    shutil.copytree(FIXTURE_KB, folder)
    argv = ["explain", "keyhole", "--kb", str(folder)]
    assert run(argv, cache_env)[2] == 0
    assert run(argv, cache_env)[2] == 0
    with (folder / "glossary.yaml").open("a") as handle:  # in place: folder mtime unchanged
        handle.write("oops: [\n")
    broken = run(argv, cache_env)
    assert broken == run(argv, plain_env)
    assert broken[2] == 3


def test_an_ascii_stdout_gets_no_traceback_and_no_stale_bytes(envs):
    """PYTHONIOENCODING=ascii: same output cached or not, and never a traceback."""
    plain_env, cache_env, _ = envs
    argv = ["compare", "open", "endoscopic", "-a", "stay"]
    run(argv, cache_env)  # a UTF-8 entry exists now
    ascii_env = {"PYTHONIOENCODING": "ascii"}
    full = run(argv, plain_env | ascii_env)
    assert full[2] == 0
    assert b"Traceback" not in full[1]
    assert run(argv, cache_env | ascii_env) == full


@pytest.mark.parametrize(
    ("argv", "code"), [(["explain", "open"], 0), (["explain", "--kb", "x"], 1)]
)
def test_a_deleted_working_folder_gives_no_traceback(argv, code, tmp_path, envs):
    """Relative cache folder and --kb paths cannot be made absolute there: no cache,
    and the app reports the path, as it would anywhere."""
    _, cache_env, _ = envs
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f'cd "{gone}" && rmdir "{gone}" && exec "{FORACLI}" "$@"'
    result = subprocess.run(
        ["sh", "-c", script, "sh", *argv],
        env=cache_env | {"FORACLI_CACHE_DIR": "relative-cache"},
        capture_output=True,
        timeout=60,
    )
    assert b"Traceback" not in result.stderr
    assert result.returncode == code, result.stderr
