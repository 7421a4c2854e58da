"""foracli(1): written from the Typer app, clean for groff and man, shipped where man finds it."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import typer.main

from foracli.app.cli import app
from foracli.app.manpage import ENVIRONMENT, EXIT_STATUSES, render

ROOT = Path(__file__).parent.parent
PAGE = render(typer.main.get_command(app), date="2026-01-01")


def test_the_page_has_every_command_and_option_of_the_app():
    """Nothing hand-copied: each command and each option spelling is in the page."""
    group = typer.main.get_command(app)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f'.SS "foracli {name}"' in PAGE
        for param in command.params:
            for spelling in (*param.opts, *getattr(param, "secondary_opts", ())):
                if spelling.startswith("-"):
                    assert spelling.replace("-", "\\-") in PAGE, spelling
    for status, _ in EXIT_STATUSES:
        assert f"\\fB{status}\\fR" in PAGE


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed")
def test_groff_reads_the_page_without_a_warning(tmp_path):
    """groff -man -Tutf8 with every warning on: nothing on stderr."""
    result = subprocess.run(
        ["groff", "-man", "-Tutf8", "-ww", "-z"], input=PAGE, capture_output=True, text=True
    )
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.skipif(shutil.which("man") is None, reason="man is not installed")
def test_man_shows_the_page_without_a_warning(tmp_path):
    """man -l renders it: the name line, a command, no warnings."""
    page = tmp_path / "foracli.1"
    page.write_text(PAGE, encoding="utf-8")
    result = subprocess.run(
        ["man", "-l", "-P", "cat", str(page)],
        capture_output=True,
        text=True,
        env={**os.environ, "MANWIDTH": "80", "MAN_KEEP_FORMATTING": ""},
    )
    assert result.returncode == 0
    assert result.stderr == ""
    assert "foracli - a sourced terminal reference on foraminotomy" in result.stdout
    assert "-s, --section SECTION" in result.stdout


@pytest.mark.skipif(shutil.which("man") is None, reason="man is not installed")
def test_the_wheel_ships_the_page_where_man_finds_it(built_wheel, tmp_path):
    """A built wheel carries share/man/man1/foracli.1 as shared data; laid out as an
    installer lays it (prefix/bin, prefix/share/man), `man -w foracli` finds it
    through PATH alone."""
    wheel = built_wheel
    name = "foracli-0.1.0.data/data/share/man/man1/foracli.1"
    with zipfile.ZipFile(wheel) as archive:
        built = archive.read(name).decode("utf-8")
    assert built.split("\n", 1)[1] == PAGE.split("\n", 1)[1]  # the same page, bar its date
    prefix = tmp_path / "prefix"
    (prefix / "bin").mkdir(parents=True)
    (prefix / "share" / "man" / "man1").mkdir(parents=True)
    (prefix / "share" / "man" / "man1" / "foracli.1").write_text(built, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "MANPATH"}
    env["PATH"] = f"{prefix / 'bin'}{os.pathsep}{env['PATH']}"
    found = subprocess.run(["man", "-w", "foracli"], capture_output=True, text=True, env=env)
    assert found.stdout.strip() == str(prefix / "share" / "man" / "man1" / "foracli.1")


def test_readme_tables_match_the_code():
    """The README's exit-code table lists exactly the statuses the page (and the code)
    use; its environment table names every variable the page documents and every
    FORACLI_ variable the code reads."""
    import re

    from foracli.app.streams import CLOSED_PIPE_EXIT, WRITE_FAILED_EXIT
    from foracli.core.errors import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    exits = readme.split("### Streams and exit codes", 1)[1].split("\n#", 1)[0]
    codes = set(re.findall(r"^\| (\d+) \|", exits, flags=re.M))
    assert codes == {s for s, _ in EXIT_STATUSES}
    assert {str(int(c)) for c in ExitCode} | {
        str(CLOSED_PIPE_EXIT),
        str(WRITE_FAILED_EXIT),
    } <= codes
    environment = readme.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`([A-Z][A-Z0-9_]+)", environment))
    documented = {n for names, _ in ENVIRONMENT for n in names.split(", ")}
    assert documented <= named
    read = set()
    for path in (ROOT / "foracli").rglob("*.py"):
        read |= set(re.findall(r"[\"'](FORACLI_[A-Z_]+)[\"']", path.read_text(encoding="utf-8")))
    assert read <= named, read - named
